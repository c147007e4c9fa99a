#!/usr/bin/env bash
# How long routing takes to come back after the edge is SIGKILLed: `shipgate run` deploys a two-instance Python service
# through its local edge; then ROUNDS times the edge is killed with SIGKILL and started again on the same state
# directory, and the time from the new edge's exec to the first 200 through it is printed, with the instances' pids
# before and after (the same pids: adopted, not restarted). Usage: run.sh [--rounds N] [path/to/shipgate]
set -euo pipefail
rounds=5
if [[ ${1:-} == --rounds ]]; then rounds=$2; shift 2; fi
shipgate=${1:-$(cd "$(dirname "$0")/../.." && pwd)/src/Shipgate.Cli/bin/Release/net10.0/shipgate}
shipgate=$(realpath "$shipgate")
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
state=$work/data/edge
trap '"$shipgate" edge stop --state "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
repo=$work/repo; mkdir -p "$repo/app" "$repo/.github/workflows"
cat > "$repo/app/app.py" <<'PY'
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
PY
printf 'services:\n  web:\n    run: python3 app.py\n    instances: 2\nenvironments:\n  production:\n    mode: deployment\n    watch: 0s\n' > "$repo/shipgate.yml"
printf 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n        with: { name: app, path: app }\n      - uses: shipgate/deploy@v1\n        with: { service: web, artifact: app }\n' > "$repo/.github/workflows/d.yml"
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" -c user.name=b -c user.email=b@b commit -qm app
(cd "$repo" && "$shipgate" run .github/workflows/d.yml --data "$work/data" --edge-port "$port" >/dev/null)
get() { curl -s -o /dev/null -w "%{http_code}" -H "Host: web.production.localhost" "http://127.0.0.1:$port/" 2>/dev/null || true; }
instances() { pgrep -f "$state/releases" -d ' ' || pgrep -f "python3 app.py" -d ' '; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$state/edge.json")
  before=$(instances)
  kill -9 "$pid"; sleep 0.3
  start=$(date +%s%N)
  setsid env --default-signal=INT,TERM "$shipgate" edge --listen "127.0.0.1:$port" --admin "unix:$state/admin.sock" --state "$state" \
    >"$work/edge-$round.log" 2>&1 </dev/null &
  until [[ $(get) == 200 ]]; do sleep 0.005; done
  echo "round $round: first 200 after $(( ($(date +%s%N) - start) / 1000000 )) ms; instance pids before: $before; after: $(instances)"
  sleep 1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
