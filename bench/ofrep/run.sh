#!/usr/bin/env bash
# OFREP single evaluations over HTTP (issue #10): `shipgate up` on SQLite with one flag of three rules and a 25%
# rollout, a client key, and wrk POSTing /ofrep/v1/evaluate/flags/new-checkout for 10,000 users in turn.
# Usage: bench/ofrep/run.sh [seconds=10] [connections=64]; needs wrk (apt-get install wrk), git and the .NET SDK.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-10}"
connections="${2:-64}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

dotnet build "$root/src/Shipgate.Cli" -c Release -nologo -v quiet >/dev/null
shipgate="$root/src/Shipgate.Cli/bin/Release/net10.0/shipgate"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  SHIPGATE_DATA="$work/data" "$shipgate" edge stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git -c init.defaultBranch=main init -q "$work/repo"
printf 'environments:\n  production:\n    approval:\n      reviewers: [alice]\n' > "$work/repo/shipgate.yml"
git -C "$work/repo" -c user.email=b@example.org -c user.name=bench add -A
git -C "$work/repo" -c user.email=b@example.org -c user.name=bench commit -qm environments

"$shipgate" up --data "$work/data" --port "$port" --edge-port 0 >"$work/up.log" 2>&1 &
server=$!
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.2; done
export SHIPGATE_URL="http://127.0.0.1:$port" SHIPGATE_TOKEN="$(cat "$work/data/admin.token")"
"$shipgate" project add web --repo "$work/repo" >/dev/null
"$shipgate" flag create new-checkout --project web --env production --file "$here/flag.json" 2>/dev/null
SHIPGATE_FLAGS_KEY="$("$shipgate" flag key create --project web --env production 2>/dev/null | tail -1)"
export SHIPGATE_FLAGS_KEY
url="$SHIPGATE_URL/ofrep/v1/evaluate/flags/new-checkout"
curl -fs -X POST -H "Authorization: Bearer $SHIPGATE_FLAGS_KEY" -d '{"context":{"targetingKey":"alice"}}' "$url"; echo

wrk -t2 -c"$connections" -d3s -s "$here/evaluate.lua" "$url" >/dev/null   # warm-up (JIT, connections)
echo "wrk -t2 -c$connections -d${seconds}s --latency -s bench/ofrep/evaluate.lua $url"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/evaluate.lua" "$url"
