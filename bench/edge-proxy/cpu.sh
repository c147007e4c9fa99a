#!/usr/bin/env bash
# CPU time per proxied request (docs/benchmarks.md, "The edge's proxy"): nginx proxying 90/10, the edge as
# `shipgate edge` runs it, and the edge with every request through Kestrel and YARP, each alone under
# `wrk -t2 -c64` for 8 s after a 3 s warm-up; utime+stime from /proc/PID/stat divided by the requests served.
# Usage: cpu.sh [--rounds N]
set -euo pipefail
rounds=2
[[ ${1:-} == --rounds ]] && rounds=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in wrk nginx; do command -v $tool >/dev/null || apt-get install -y -qq wrk nginx >/dev/null; done
dotnet build "$root/bench/Shipgate.Benchmarks" -c Release -nologo -v quiet >/dev/null
dll="$root/bench/Shipgate.Benchmarks/bin/Release/net10.0/Shipgate.Benchmarks.dll"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up1=$(free_port) up2=$(free_port) peer=$(free_port) fast=$(free_port) yarp=$(free_port)
nginx_conf() { # name, server blocks
  mkdir -p "$work/$1"
  printf 'worker_processes auto; pid %s/nginx.pid; error_log %s/error.log warn;\nevents { worker_connections 4096; }\nhttp { access_log off; keepalive_requests 1000000;\n%s }\n' \
    "$work/$1" "$work/$1" "$2" > "$work/$1/nginx.conf"
  nginx -c "$work/$1/nginx.conf" -p "$work/$1"
  pids+=("$(cat "$work/$1/nginx.pid")")
}
nginx_conf upstream "server { listen 127.0.0.1:$up1; location / { return 200 'hello'; } }
  server { listen 127.0.0.1:$up2; location / { return 200 'hello'; } }"
nginx_conf peer "upstream web { server 127.0.0.1:$up1 weight=9; server 127.0.0.1:$up2 weight=1; keepalive 128; }
  server { listen 127.0.0.1:$peer; location / { proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header Host \$host; } }"
INLINE="DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0"
# shellcheck disable=SC2086
env $INLINE dotnet "$dll" edge-proxy --listen "127.0.0.1:$fast" --release "v1=900:$up1" --release "v2=100:$up2" > "$work/fast.out" 2>&1 &
fast_pid=$!; pids+=($!)
# shellcheck disable=SC2086
env $INLINE dotnet "$dll" edge-proxy --listen "127.0.0.1:$yarp" --release "v1=900:$up1" --release "v2=100:$up2" --fast-path false > "$work/yarp.out" 2>&1 &
yarp_pid=$!; pids+=($!)
for out in fast yarp; do for _ in $(seq 100); do grep -q listening "$work/$out.out" && break; sleep 0.1; done; done
peer_pids=$(pgrep -P "$(cat "$work/peer/nginx.pid")" | tr '\n' ' ')
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' /proc/"$p"/stat))); done; echo $t; }
hz=$(getconf CLK_TCK)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
  for target in "nginx:$peer:$peer_pids" "edge:$fast:$fast_pid" "edge-yarp-only:$yarp:$yarp_pid"; do
    IFS=: read -r name port target_pids <<< "$target"
    wrk -t2 -c64 -d3s -H 'Host: web.bench.localhost' "http://127.0.0.1:$port/" >/dev/null
    # shellcheck disable=SC2086
    before=$(ticks $target_pids)
    rps=$(wrk -t2 -c64 -d8s -H 'Host: web.bench.localhost' "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print $2}')
    # shellcheck disable=SC2086
    after=$(ticks $target_pids)
    printf 'round %s %-16s %10s req/s %6s us of CPU per request\n' "$round" "$name" "$rps" \
      "$(awk -v t=$((after - before)) -v r="$rps" -v hz="$hz" 'BEGIN {printf "%.1f", t * 1e6 / hz / (r * 8)}')"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
