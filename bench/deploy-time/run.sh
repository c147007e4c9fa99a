#!/usr/bin/env bash
# Deploy time: `shipgate up` with its local edge, a service that is healthy 200 ms after it starts (two instances),
# and ROUNDS rolling deployments of successive commits by `shipgate/deploy` (no smoke checks, watch 0s). For each
# deployment it prints, from the deployment's recorded strategy steps, the time from the first step's start to the end
# of shift-traffic (100% of traffic on the new, healthy release), and the whole deploy step (from the run's record).
# Usage: run.sh [--rounds N] [path/to/shipgate]
set -euo pipefail
rounds=10
if [[ ${1:-} == --rounds ]]; then rounds=$2; shift 2; fi
shipgate=${1:-$(cd "$(dirname "$0")/../.." && pwd)/src/Shipgate.Cli/bin/Release/net10.0/shipgate}
shipgate=$(realpath "$shipgate")
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [[ -n ${up:-} ]] && kill -TERM "$up" 2>/dev/null && wait "$up" 2>/dev/null || true
  "$shipgate" edge stop --state "$work/data/edge" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
repo=$work/repo; mkdir -p "$repo/app" "$repo/.github/workflows"
cat > "$repo/app/app.py" <<'PY'
import os, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
time.sleep(0.2)  # healthy 200 ms after start
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b"ok"
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
PY
cat > "$repo/shipgate.yml" <<'YML'
services:
  web:
    run: python3 app.py
    instances: 2
    health-interval: 1s
environments:
  production:
    mode: deployment
    strategy: rolling
    watch: 0s
YML
cat > "$repo/.github/workflows/deploy.yml" <<'YML'
on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: actions/upload-artifact@v4
        with: { name: app, path: app }
      - uses: shipgate/deploy@v1
        with: { service: web, artifact: app }
YML
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" -c user.name=b -c user.email=b@b commit -qm app
"$shipgate" up --data "$work/data" --port "$port" --edge-port 0 > "$work/up.log" 2>&1 &
up=$!
export SHIPGATE_URL=http://127.0.0.1:$port
for _ in $(seq 300); do curl -fs "$SHIPGATE_URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
export SHIPGATE_TOKEN=$(cat "$work/data/admin.token")
"$shipgate" project add web --repo "$repo" >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
  echo "$i" > "$repo/app/ROUND"; git -C "$repo" add -A; git -C "$repo" -c user.name=b -c user.email=b@b commit -qm "round $i"
  run=$("$shipgate" dispatch web deploy.yml 2>/dev/null | tail -1)
  for _ in $(seq 600); do
    "$shipgate" runs show "$run" --json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["run"]["status"]=="completed" else 1)' && break
    sleep 0.2
  done
  "$shipgate" runs show "$run" --json > "$work/run-$i.json"
done
"$shipgate" deployments web --json > "$work/deployments.json"
python3 - "$work" "$rounds" <<'PY'
import json, sys, statistics
from datetime import datetime
work, rounds = sys.argv[1], int(sys.argv[2])
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
deployments = [d for d in json.load(open(f"{work}/deployments.json")) if d.get("steps")]
to_traffic = []
for d in sorted(deployments, key=lambda d: d["id"]):
    steps = d["steps"]
    shift = next(s for s in steps if s["name"] == "shift-traffic")
    ms = (t(shift["finishedAt"]) - t(steps[0]["startedAt"])).total_seconds() * 1000
    to_traffic.append(ms)
    print(f"deployment {d['id']} ({d['version']}, {d['status']}): first step -> 100% traffic {ms:.0f} ms; " + ", ".join(f"{s['name']} {(t(s['finishedAt'])-t(s['startedAt'])).total_seconds()*1000:.0f}" for s in steps))
whole = []
for i in range(1, rounds + 1):
    run = json.load(open(f"{work}/run-{i}.json"))
    for job in run["jobs"]:
        for step in job.get("steps", []):
            if "shipgate/deploy" in (step.get("name") or "") and step.get("startedAt") and step.get("completedAt"):
                whole.append((t(step["completedAt"]) - t(step["startedAt"])).total_seconds() * 1000)
print(f"first step -> 100% traffic: median {statistics.median(to_traffic):.0f} ms, min {min(to_traffic):.0f}, max {max(to_traffic):.0f} (n={len(to_traffic)})")
if whole:
    print(f"whole deploy step (incl. stopping the old release): median {statistics.median(whole):.0f} ms, min {min(whole):.0f}, max {max(whole):.0f}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
