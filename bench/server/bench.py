#!/usr/bin/env python3
"""Issue 3's server speed targets, measured against a real `shipgate up` process.

One command per figure of docs/benchmarks.md ("The server"):

    bench/server/bench.py push   [--rounds 20] [--repo url|path]   webhook arrival -> first step's process
    bench/server/bench.py watch  [--rounds 10]                     commit in a watched repository -> first step
    bench/server/bench.py drain  [--runs 1000] [--postgres]        1,000 queued one-step runs drain
    bench/server/bench.py list   [--runs 10000] [--requests 2000]  GET /api/v1/runs latency with 10,000 runs stored
    bench/server/bench.py memory [--runs 10000] [--in-flight 50]   resident set with 10,000 runs stored, 50 in flight
    bench/server/bench.py logs   [--gigabytes 1]                   a 1 GB step log streamed to a client

Every command takes --shipgate PATH (default: artifacts/shipgate, made with
`dotnet publish src/Shipgate.Cli -c Release -o artifacts`), starts its own server on a free port with a
fresh data directory under /tmp, prints the load average before and after, and prints medians.
Stores are seeded through ShipgateStore (bench/Shipgate.Benchmarks `seed`), built once on first use.
"""

import argparse
import glob
import hashlib
import hmac
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH_PROJECT = os.path.join(ROOT, "bench", "Shipgate.Benchmarks")
BENCH_DLL = os.path.join(BENCH_PROJECT, "bin", "Release", "net10.0", "Shipgate.Benchmarks.dll")


def log(text):
    print(text, flush=True)


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def summary(values, unit="ms"):
    return (f"median {statistics.median(values):.1f} {unit}, p90 {percentile(values, 90):.1f}, "
            f"min {min(values):.1f}, max {max(values):.1f} (n={len(values)})")


def git(cwd, *args, env=None):
    full = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
                GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")
    full.update(env or {})
    return subprocess.run(["git", *args], cwd=cwd, env=full, check=True, capture_output=True, text=True).stdout.strip()


def make_repository(root, workflows):
    """A non-bare repository with the workflows committed on main, and a bare clone of it."""
    work = os.path.join(root, "work")
    os.makedirs(os.path.join(work, ".github", "workflows"))
    git(work, "init", "-q", "-b", "main")
    for name, text in workflows.items():
        with open(os.path.join(work, ".github", "workflows", name), "w") as f:
            f.write(text)
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "workflows")
    bare = os.path.join(root, "origin.git")
    git(root, "clone", "-q", "--bare", work, bare)
    git(work, "remote", "add", "origin", bare)
    return work, bare


def seed(data, runs, state, repo, sha, workflow, project="seeded", db=None):
    if not os.path.exists(BENCH_DLL):
        subprocess.run(["dotnet", "build", "-c", "Release", BENCH_PROJECT, "-v", "q", "-nologo"], check=True)
    command = ["dotnet", BENCH_DLL, "seed", "--data", data, "--project", project, "--repo", repo, "--sha", sha,
               "--workflow", workflow, "--runs", str(runs), "--state", state]
    if db:
        command += ["--db", db]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()
    log("  " + out)


class Server:
    """A real `shipgate up` process on a free port with its own data directory."""

    def __init__(self, shipgate, data, db=None, env=None):
        self.port = free_port()
        self.data = data
        self.url = f"127.0.0.1:{self.port}"
        command = [shipgate, "up", "--data", data, "--port", str(self.port), "--edge-port", str(free_port())]
        if db:
            command += ["--db", db]
        self.log_path = os.path.join(os.path.dirname(data), "server.log")
        self.log_file = open(self.log_path, "ab")
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, **(env or {})))
        deadline = time.time() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"shipgate up exited with {self.process.returncode}; see {self.log_path}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("shipgate up did not get ready within 60 s")
            time.sleep(0.05)
        with open(os.path.join(data, "admin.token")) as f:
            self.token = f.read().strip()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def call(self, method, path, body=None, headers=None, connection=None):
        c = connection or self.connection
        h = {"Authorization": "Bearer " + self.token}
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        response = c.getresponse()
        data = response.read()
        if response.status >= 400:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def memory(self):
        fields = {}
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0]) / 1024
        return fields

    def wait_runs(self, predicate, timeout=600, project=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            runs = self.call("GET", "/api/v1/runs?limit=1000" + (f"&project={project}" if project else ""))
            if predicate(runs):
                return runs
            time.sleep(0.2)
        raise SystemExit("timed out waiting for runs")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()


def workspace(name):
    root = tempfile.mkdtemp(prefix=f"shipgate-bench-{name}-")
    data = os.path.join(root, "data")
    os.makedirs(data)
    return root, data


def stamp_workflow(stamps):
    return f"""name: first step
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    steps:
      - run: date +%s%N > {stamps}/$GITHUB_SHA
"""


def wait_file(path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path) as f:
                text = f.read().strip()
            if text:
                return int(text)
        except FileNotFoundError:
            pass
        time.sleep(0.001)
    raise SystemExit(f"no stamp at {path} within {timeout} s")


def stamped_server(name, shipgate):
    """A repository whose one-step workflow writes the step's clock reading to stamps/SHA, and a server."""
    root, data = workspace(name)
    stamps = os.path.join(root, "stamps")
    os.makedirs(stamps)
    work, bare = make_repository(root, {"first.yml": stamp_workflow(stamps)})
    return root, stamps, work, bare, Server(shipgate, data)


def commit_change(work, i):
    with open(os.path.join(work, "file.txt"), "w") as f:
        f.write(str(i))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", f"change {i}")


def cmd_push(args):
    # With --repo path the watcher (every 500 ms) may see a push before its webhook does: the default is a file:// URL.
    root, stamps, work, bare, server = stamped_server("push", args.shipgate)
    try:
        repository = "file://" + bare if args.repo == "url" else bare
        created = server.call("POST", "/api/v1/projects", {"name": "web", "repository": repository, "branch": "main"})
        secret = created["webhookSecret"].encode()
        hook = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        latencies, answers = [], []
        log(f"load before: {load()}")
        for i in range(args.warmup + args.rounds):
            before = git(work, "rev-parse", "HEAD")
            commit_change(work, i)
            git(work, "push", "-q", "origin", "main")
            after = git(work, "rev-parse", "HEAD")
            body = json.dumps({"ref": "refs/heads/main", "before": before, "after": after,
                               "repository": {"clone_url": repository},
                               "commits": [{"id": after, "modified": ["file.txt"]}]}).encode()
            signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            headers = {"Content-Type": "application/json", "X-GitHub-Event": "push",
                       "X-GitHub-Delivery": f"bench-{time.time_ns()}", "X-Hub-Signature-256": signature}
            sent = time.time_ns()
            hook.request("POST", "/api/v1/hooks/github?project=web", body=body, headers=headers)
            response = hook.getresponse()
            answer = json.loads(response.read())
            answered = time.time_ns()
            if response.status != 202 or len(answer["runs"]) != 1:
                raise SystemExit(f"webhook: {response.status} {answer}")
            started = wait_file(os.path.join(stamps, after))
            run_id = answer["runs"][0]
            server.wait_runs(lambda runs: any(r["id"] == run_id and r["status"] == "completed" for r in runs))
            if i >= args.warmup:
                latencies.append((started - sent) / 1e6)
                answers.append((answered - sent) / 1e6)
                log(f"  push {i - args.warmup + 1}: first step {latencies[-1]:.1f} ms after the webhook arrived (answered in {answers[-1]:.1f} ms)")
        log(f"load after: {load()}")
        log(f"webhook -> first step's process: {summary(latencies)}")
        log(f"webhook answered (202) after: {summary(answers)}")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def cmd_watch(args):
    root, stamps, work, _, server = stamped_server("watch", args.shipgate)
    try:
        server.call("POST", "/api/v1/projects", {"name": "web", "repository": work, "branch": "main"})
        latencies = []
        log(f"load before: {load()}")
        for i in range(args.warmup + args.rounds):
            commit_change(work, i)
            committed = time.time_ns()
            sha = git(work, "rev-parse", "HEAD")
            started = wait_file(os.path.join(stamps, sha))
            server.wait_runs(lambda runs: all(r["status"] == "completed" for r in runs) and any(r["sha"] == sha for r in runs))
            if i >= args.warmup:
                latencies.append((started - committed) / 1e6)
                log(f"  commit {i - args.warmup + 1}: first step {latencies[-1]:.0f} ms after the commit")
            # Commits land at random points of the watcher's poll interval.
            time.sleep(0.1 + (i * 0.37) % 0.5)
        log(f"load after: {load()}")
        log(f"commit -> first step's process: {summary(latencies)}")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


class Postgres:
    """A throwaway PostgreSQL cluster as the store tests start it: initdb into a temporary folder, a free port."""

    def __init__(self, root):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bins[-1]
        self.dir = os.path.join(root, "pg")
        os.makedirs(self.dir)
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(root, "postgres")
            shutil.chown(self.dir, "postgres")
            os.chmod(root, 0o755)
        self.run("initdb", "-D", self.dir + "/data", "-U", "postgres", "-A", "trust", "--no-sync")
        self.run("pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "start",
                 "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200")
        self.connection = f"Host=127.0.0.1;Port={self.port};Username=postgres;Database=postgres"

    def run(self, tool, *args):
        command = [os.path.join(self.bin, tool), *args]
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            subprocess.run(command, check=True, capture_output=True, cwd=self.dir,
                           preexec_fn=lambda: (os.setgid(user.pw_gid), os.setuid(user.pw_uid)))
        else:
            subprocess.run(command, check=True, capture_output=True)

    def stop(self):
        self.run("pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "stop")


def cmd_drain(args):
    root, data = workspace("drain")
    work, _ = make_repository(root, {"one.yml": "name: one step\non: workflow_dispatch\njobs:\n  one:\n    runs-on: ubuntu-latest\n    steps:\n      - run: \"true\"\n"})
    sha = git(work, "rev-parse", "HEAD")
    postgres = Postgres(root) if args.postgres else None
    db = postgres.connection if postgres else None
    try:
        seed(data, args.runs, "queued", work, sha, ".github/workflows/one.yml", project="drain", db=db)
        log(f"load before: {load()}")
        server = Server(args.shipgate, data, db=db)
        ready = time.time()
        peak = 0.0
        try:
            while True:
                queued = server.call("GET", "/api/v1/runs?status=queued&limit=1")
                running = server.call("GET", "/api/v1/runs?status=in_progress&limit=1")
                peak = max(peak, server.memory()["VmRSS"])
                if not queued and not running:
                    break
                if time.time() - ready > 1800:
                    raise SystemExit("the runs did not drain within 30 minutes")
                time.sleep(0.25)
            drained = time.time()
            runs, before = [], None
            while True:
                page = server.call("GET", "/api/v1/runs?limit=1000" + (f"&before={before}" if before else ""))
                runs += page
                if len(page) < 1000:
                    break
                before = page[-1]["id"]
            memory = server.memory()
        finally:
            server.stop()
        log(f"load after: {load()}")
        conclusions = {}
        for r in runs:
            conclusions[r["conclusion"]] = conclusions.get(r["conclusion"], 0) + 1
        from datetime import datetime
        started = min(datetime.fromisoformat(r["startedAt"]) for r in runs)
        finished = max(datetime.fromisoformat(r["completedAt"]) for r in runs)
        span = (finished - started).total_seconds()
        log(f"store: {'PostgreSQL (fsync on)' if postgres else 'SQLite (WAL, synchronous=FULL)'}")
        log(f"{len(runs)} runs, conclusions {conclusions}")
        log(f"first run started -> last run completed: {span:.1f} s = {len(runs) / span:.1f} runs/s "
            f"(server ready -> drained seen by the client: {drained - ready:.1f} s)")
        log(f"server memory: VmRSS {memory['VmRSS']:.0f} MB, VmHWM {memory['VmHWM']:.0f} MB (largest VmRSS seen {peak:.0f} MB)")
        if conclusions.get("success", 0) != args.runs:
            raise SystemExit("not every run succeeded")
    finally:
        if postgres:
            postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


def seeded_server(args, name, env=None):
    root, data = workspace(name)
    work, _ = make_repository(root, {
        "ci.yml": "name: ci\non: workflow_dispatch\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
        "sleep.yml": "name: sleep\non: workflow_dispatch\njobs:\n  sleep:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sleep 3600\n",
        "big-log.yml": f"""name: big log
on: workflow_dispatch
jobs:
  big:
    runs-on: ubuntu-latest
    steps:
      - run: yes "$(printf '%099d' 0)" | head -c {int(getattr(args, 'gigabytes', 1) * 1024 ** 3)}
""",
    })
    sha = git(work, "rev-parse", "HEAD")
    seed(data, args.runs, "completed", work, sha, ".github/workflows/ci.yml", project="web")
    return root, data, Server(args.shipgate, data, env=env)


def cmd_list(args):
    root, data, server = seeded_server(args, "list")
    try:
        for path in args.paths:
            for _ in range(args.warmup):
                server.call("GET", path)
        log(f"load before: {load()}")
        for path in args.paths:
            samples = []
            lock = threading.Lock()
            per_client = args.requests // args.clients

            def client():
                c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                mine = []
                for _ in range(per_client):
                    t = time.perf_counter_ns()
                    runs = server.call("GET", path, connection=c)
                    mine.append((time.perf_counter_ns() - t) / 1e6)
                    if not runs:
                        raise SystemExit("no runs listed")
                with lock:
                    samples.extend(mine)

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - began
            count = len(server.call("GET", path))
            log(f"GET {path} ({count} runs a page, {args.clients} client(s)): p50 {percentile(samples, 50):.2f} ms, "
                f"p90 {percentile(samples, 90):.2f}, p99 {percentile(samples, 99):.2f}, max {max(samples):.2f} "
                f"(n={len(samples)}, {len(samples) / elapsed:.0f} requests/s)")
        log(f"load after: {load()}")
        m = server.memory()
        log(f"server memory: VmRSS {m['VmRSS']:.0f} MB, VmHWM {m['VmHWM']:.0f} MB")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def cmd_memory(args):
    root, data, server = seeded_server(args, "memory")
    try:
        log(f"load before: {load()}")
        idle = server.memory()
        log(f"started, {args.runs} runs stored: VmRSS {idle['VmRSS']:.0f} MB")
        for path in ("/api/v1/runs?limit=1000", "/api/v1/runs", "/api/v1/runs/1"):
            for _ in range(50):
                server.call("GET", path)
        browsed = server.memory()
        log(f"after 150 GET /api/v1/runs... calls: VmRSS {browsed['VmRSS']:.0f} MB")
        ids = [server.call("POST", "/api/v1/projects/web/dispatches", {"workflow": "sleep.yml"})["run"]["id"]
               for _ in range(args.in_flight)]
        server.wait_runs(lambda runs: sum(1 for r in runs if r["id"] in ids and r["status"] == "in_progress") == len(ids), project="web")
        samples = []
        for _ in range(args.samples):
            samples.append(server.memory()["VmRSS"])
            server.call("GET", "/api/v1/runs")
            time.sleep(1)
        running = subprocess.run(["pgrep", "-c", "-f", "sleep 3600"], capture_output=True, text=True).stdout.strip()
        flight = server.memory()
        log(f"{len(ids)} runs in progress ({running} step processes sleeping; the engine runs as many steps at once as there are cores): "
            f"VmRSS median {statistics.median(samples):.0f} MB over {args.samples} s, VmHWM {flight['VmHWM']:.0f} MB")
        for run_id in ids:
            server.call("POST", f"/api/v1/runs/{run_id}/cancel")
        deadline = time.time() + 60
        while True:
            left = [r for r in server.call("GET", "/api/v1/runs?project=web&limit=1000") if r["id"] in ids and r["status"] != "completed"]
            if not left or time.time() > deadline:
                break
            time.sleep(0.5)
        if left:
            log(f"NOT CANCELLED within 60 s: runs {[(r['id'], r['status']) for r in left]}")
        after = server.memory()
        log(f"after cancelling them: VmRSS {after['VmRSS']:.0f} MB, VmHWM {after['VmHWM']:.0f} MB")
        log(f"load after: {load()}")
    finally:
        server.stop()
        kill_leftovers(root)
        shutil.rmtree(root, ignore_errors=True)


def kill_leftovers(root):
    """Ends the step processes of this benchmark's runs that outlived the server (by pid), and says so."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if root in command and "bench.py" not in command:
            log(f"LEFT RUNNING after the server stopped: pid {pid}: {command.strip()}")
            try:
                os.killpg(int(pid), signal.SIGKILL)
            except OSError:
                os.kill(int(pid), signal.SIGKILL)


def cmd_logs(args):
    args.runs = 0
    root, data, server = seeded_server(args, "logs")
    try:
        log(f"load before: {load()}")
        before = server.memory()
        log(f"server started: VmRSS {before['VmRSS']:.0f} MB")
        run_id = server.call("POST", "/api/v1/projects/web/dispatches", {"workflow": "big-log.yml"})["run"]["id"]
        began = time.time()
        peak = 0.0
        while True:
            run = server.call("GET", f"/api/v1/runs/{run_id}")
            peak = max(peak, server.memory()["VmRSS"])
            if run["run"]["status"] == "completed":
                break
            time.sleep(0.5)
        if run["run"]["conclusion"] != "success":
            raise SystemExit(f"the step failed: {run}")
        logs = glob.glob(os.path.join(data, "runs", str(run_id), "**", "*.log"), recursive=True)
        size = sum(os.path.getsize(p) for p in logs)
        log(f"step wrote {size / 1024 ** 3:.2f} GiB of log in {time.time() - began:.1f} s; server VmRSS at most {peak:.0f} MB meanwhile")
        for round_number in range(args.streams):
            mid = server.memory()
            samples = []
            stop = threading.Event()

            def sample():
                while not stop.wait(0.25):
                    samples.append(server.memory()["VmRSS"])

            sampler = threading.Thread(target=sample)
            sampler.start()
            c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
            c.request("GET", f"/api/v1/runs/{run_id}/logs?follow=false",
                      headers={"Authorization": "Bearer " + server.token, "Accept": "text/event-stream"})
            response = c.getresponse()
            t = time.perf_counter()
            received, lines, tail = 0, 0, b""
            while True:
                chunk = response.read1(1 << 20)
                if not chunk:
                    break
                received += len(chunk)
                # The tail is one byte shorter than the marker: no event is counted twice.
                lines += (tail + chunk).count(b"\nevent: output\n")
                tail = (tail + chunk)[-14:]
            elapsed = time.perf_counter() - t
            stop.set()
            sampler.join()
            after = server.memory()
            log(f"stream {round_number + 1}: {received / 1024 ** 3:.2f} GiB of server-sent events ({lines:,} lines) in {elapsed:.1f} s = "
                f"{received / 1024 ** 2 / elapsed:.0f} MiB/s, {lines / elapsed:,.0f} lines/s; server VmRSS before {mid['VmRSS']:.0f} MB, "
                f"during median {statistics.median(samples) if samples else 0:.0f} / max {max(samples) if samples else 0:.0f} MB, after {after['VmRSS']:.0f} MB")
        log(f"load after: {load()}")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shipgate", default=os.path.join(ROOT, "artifacts", "shipgate"))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("push")
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repo", choices=["url", "path"], default="url", help="the project's repository: a file:// URL (mirrored and fetched) or the path")
    p = sub.add_parser("watch")
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--warmup", type=int, default=1)
    p = sub.add_parser("drain")
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--postgres", action="store_true")
    p = sub.add_parser("list")
    p.add_argument("--runs", type=int, default=10000)
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--clients", type=int, default=1)
    p.add_argument("--paths", nargs="+", default=["/api/v1/runs", "/api/v1/runs?project=web&status=completed", "/api/v1/runs?limit=1000"])
    p = sub.add_parser("memory")
    p.add_argument("--runs", type=int, default=10000)
    p.add_argument("--in-flight", type=int, default=50)
    p.add_argument("--samples", type=int, default=10)
    p = sub.add_parser("logs")
    p.add_argument("--gigabytes", type=float, default=1)
    p.add_argument("--streams", type=int, default=2)
    args = parser.parse_args()
    args.shipgate = os.path.abspath(args.shipgate)
    log(f"{args.command}: {args.shipgate}, {os.cpu_count()} cores, load {load()}")
    {"push": cmd_push, "watch": cmd_watch, "drain": cmd_drain, "list": cmd_list, "memory": cmd_memory, "logs": cmd_logs}[args.command](args)


if __name__ == "__main__":
    main()
