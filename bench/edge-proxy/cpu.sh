#!/usr/bin/env bash
# CPU time per proxied request (docs/benchmarks.md, "The edge's proxy"): nginx proxying 90/10, the edge as
# `shipgate edge` runs it, and the edge with every request through Kestrel and YARP, each alone under
# `wrk -t2 -c64` for 8 s after a 3 s warm-up; utime+stime from /proc/PID/stat divided by the requests served.
# Usage: cpu.sh [--rounds N]
set -euo pipefail
rounds=2
[[ ${1:-} == --rounds ]] && rounds=$2
# shellcheck source=setup.sh
source "$(dirname "$0")/setup.sh"
peer=$nginx_port fast=$(free_port) yarp=$(free_port)
# shellcheck disable=SC2086
env $INLINE dotnet "$host_dll" edge-proxy --listen "127.0.0.1:$fast" --release "v1=900:$up1" --release "v2=100:$up2" > "$work/fast.out" 2>&1 &
fast_pid=$!; pids+=($!)
# shellcheck disable=SC2086
env $INLINE dotnet "$host_dll" edge-proxy --listen "127.0.0.1:$yarp" --release "v1=900:$up1" --release "v2=100:$up2" --fast-path false > "$work/yarp.out" 2>&1 &
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
