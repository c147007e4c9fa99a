#!/usr/bin/env bash
# Canary abort latency through the real edge: `shipgate run` deploys a Python service (one instance) through its
# local edge; a second release of the same artifact (the canary) is declared beside it and given 50% of the traffic;
# four keep-alive clients send requests through the edge without pause; then, ROUNDS times, the "decision" is taken
# and the rollback's first act is made: the one routing call that puts all traffic back on stable, as the rollout
# runner's RouteBackAsync makes it. For each round it prints the time from the decision to the routing call's answer
# (the edge applied it) and to the start of the last request the canary answered (after it, clients see only
# stable). Usage: run.sh [--rounds N] [path/to/shipgate]
set -euo pipefail
rounds=20
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
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
PY
printf 'services:\n  web:\n    run: python3 app.py\n    health-interval: 100ms\n    drain-timeout: 1s\nenvironments:\n  production:\n    mode: deployment\n    watch: 0s\n' > "$repo/shipgate.yml"
printf 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n        with: { name: app, path: app }\n      - uses: shipgate/deploy@v1\n        with: { service: web, artifact: app, version: stable }\n' > "$repo/.github/workflows/d.yml"
git -C "$repo" init -q -b main && git -C "$repo" add -A && git -C "$repo" -c user.name=b -c user.email=b@b commit -qm app
(cd "$repo" && "$shipgate" run .github/workflows/d.yml --data "$work/data" --edge-port "$port" >/dev/null)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$(dirname "$0")/abort.py" "$state/admin.sock" "$port" "$rounds"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
