"""Measures the canary abort latency through the real edge (see run.sh): admin calls over the edge's Unix socket,
clients over TCP through its proxy, all timestamps from one monotonic clock."""
import http.client, json, socket, statistics, sys, threading, time

admin_socket, port, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
SERVICE = "/v1/services/production/web"


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def admin(method, path, body=None):
    connection = UnixConnection(admin_socket)
    connection.request(method, path, None if body is None else json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data.decode()}")
    return json.loads(data) if data else None


status = admin("GET", SERVICE)
stable = next(r for r in status["releases"] if r["version"] == "stable")
admin("PUT", SERVICE + "/releases/canary", {"artifactDigest": stable["artifactDigest"], "command": stable["command"], "instances": 1})
deadline = time.monotonic() + 30
while not any(True for r in admin("GET", SERVICE)["releases"] if r["version"] == "canary" for i in r["instanceStatuses"] if i["state"].lower() == "healthy"):
    if time.monotonic() > deadline:
        raise SystemExit("the canary did not become healthy")
    time.sleep(0.05)

answers = []  # (sent, version)
lock, stop = threading.Lock(), threading.Event()


def client():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    while not stop.is_set():
        sent = time.monotonic()
        connection.request("GET", "/", headers={"Host": "web.production.localhost"})
        response = connection.getresponse()
        response.read()
        with lock:
            answers.append((sent, response.getheader("X-Shipgate-Version")))


threads = [threading.Thread(target=client, daemon=True) for _ in range(4)]
for thread in threads:
    thread.start()

applied, last_canary = [], []
for round in range(rounds):
    admin("PUT", SERVICE + "/routing", {"weights": {"stable": 500, "canary": 500}})
    time.sleep(0.5)
    with lock:
        answers.clear()
    decision = time.monotonic()
    admin("PUT", SERVICE + "/routing", {"weights": {"stable": 1000, "canary": 0}})
    done = time.monotonic()
    time.sleep(0.5)
    with lock:
        canary = [sent for sent, version in answers if version == "canary" and sent >= decision]
        after = sum(1 for sent, _ in answers if sent >= decision)
    applied.append((done - decision) * 1000)
    last_canary.append((max(canary) - decision) * 1000 if canary else 0.0)
    print(f"round {round + 1}: routing applied {applied[-1]:.2f} ms after the decision; last request answered by the canary "
          f"sent {last_canary[-1]:.2f} ms after it ({len(canary)} of {after} requests sent after the decision)")

stop.set()
for series, name in ((applied, "decision -> routing applied"), (last_canary, "decision -> last request to the canary")):
    print(f"{name}: median {statistics.median(series):.2f} ms, max {max(series):.2f} ms over {rounds} rounds")
