#!/usr/bin/env bash
# The edge's proxy against nginx and against no proxy, side by side in one run (docs/benchmarks.md, "The edge's proxy").
# Upstream: nginx answering `return 200` on two ports. Measured with wrk (--latency), interleaved, ROUNDS rounds of
# DURATION each: (a) wrk straight at one upstream port, (b) wrk at nginx proxying both ports 90/10 with upstream
# keep-alive, (c..) wrk at the edge's proxy splitting 90/10 between two releases (one port each) with metrics on, once
# per edge variant (environment settings, see VARIANTS). Then the edge's resident memory under 1,000 open connections.
# Usage: run.sh [--rounds N] [--duration 10s] [--connections 64] [--all-variants]
set -euo pipefail
rounds=3 duration=10s connections=64 all=
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --all-variants) all=1; shift ;;
    *) echo "usage: run.sh [--rounds N] [--duration 10s] [--connections 64] [--all-variants]" >&2; exit 2 ;;
  esac
done
# shellcheck source=setup.sh
source "$(dirname "$0")/setup.sh"

# Edge variants: name|environment|arguments. Workstation GC is the default of a console app (and of the shipgate CLI);
# Kestrel's inline scheduling is the proxy's default (EdgeProxyOptions.InlineScheduling).
# Without --all-variants: the edge as `shipgate edge` runs it (the fast path, ADR 0022), the same with every request
# through Kestrel and YARP (the path before the fast path), and the untuned edge.
VARIANTS=(
  "edge|$INLINE|"
  "edge-yarp-only|$INLINE|--fast-path false"
  "edge-plain||--inline-scheduling false"
)
if [[ -n $all ]]; then
  VARIANTS+=(
    "edge-servergc|$INLINE DOTNET_gcServer=1|"
    "edge-kestrel-inline||"
    "edge-both-gen0-64m|$INLINE DOTNET_GCgen0size=0x4000000|"
    "edge-both-nopgo|$INLINE DOTNET_TieredPGO=0|"
    "edge-both-gc-nonconc|$INLINE DOTNET_gcConcurrent=0|"
    "edge-both-no-actprop|$INLINE DOTNET_SYSTEM_NET_HTTP_ENABLEACTIVITYPROPAGATION=false|"
    "edge-both-r2r-off|$INLINE DOTNET_ReadyToRun=0|"
  )
fi
declare -A edge_port edge_pid
for variant in "${VARIANTS[@]}"; do
  IFS='|' read -r name envs extra <<< "$variant"
  port=$(free_port)
  # shellcheck disable=SC2086
  env $envs dotnet "$host_dll" edge-proxy --listen "127.0.0.1:$port" --release "v1=900:$up1" --release "v2=100:$up2" $extra \
    > "$work/$name.out" 2>&1 &
  edge_pid[$name]=$! edge_port[$name]=$port; pids+=($!)
done
for name in "${!edge_port[@]}"; do
  for _ in $(seq 100); do grep -q listening "$work/$name.out" && break; sleep 0.1; done
  grep -q listening "$work/$name.out" || { cat "$work/$name.out"; exit 1; }
done

targets=("direct|$up1" "nginx|$nginx_port")
for variant in "${VARIANTS[@]}"; do name=${variant%%|*}; targets+=("$name|${edge_port[$name]}"); done
measure() { # name port duration connections -> "rps p50 p99"
  wrk -t2 -c"$4" -d"$3" --latency -H 'Host: web.bench.localhost' "http://127.0.0.1:$2/" > "$work/wrk.txt"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} /Socket errors/ {err=$0}
       END {print rps, p50, p99, (bad ? "non-2xx=" bad : ""), err}' "$work/wrk.txt"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else printf "%.3f", v * 1000 }'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; wrk -t2 -c$connections -d$duration, $rounds rounds"
for target in "${targets[@]}"; do measure warmup "${target#*|}" 3s "$connections" >/dev/null; done
for round in $(seq "$rounds"); do
  for target in "${targets[@]}"; do
    name=${target%%|*}
    read -r rps p50 p99 rest <<< "$(measure "$name" "${target#*|}" "$duration" "$connections")"
    echo "$rps $(to_ms "$p50") $(to_ms "$p99")" >> "$work/$name.results"
    printf 'round %s %-22s %10s req/s  p50 %8s ms  p99 %8s ms %s\n' "$round" "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "$rest"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
nginx_rps=$(cut -d' ' -f1 "$work/nginx.results" | median)
direct_p99=$(cut -d' ' -f3 "$work/direct.results" | median)
echo
printf '%-22s %12s %10s %10s %12s %16s\n' target "req/s" "p50 ms" "p99 ms" "x nginx" "p99 - direct"
for target in "${targets[@]}"; do
  name=${target%%|*}
  rps=$(cut -d' ' -f1 "$work/$name.results" | median)
  p50=$(cut -d' ' -f2 "$work/$name.results" | median)
  p99=$(cut -d' ' -f3 "$work/$name.results" | median)
  printf '%-22s %12s %10s %10s %12s %16s\n' "$name" "$rps" "$p50" "$p99" \
    "$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')" "$(awk -v a="$p99" -v b="$direct_p99" 'BEGIN {printf "%+.3f", a - b}')"
done

# Resident memory with 1,000 open client connections: VmRSS sampled near the end of a wrk -c1000 run.
for variant in "${VARIANTS[@]}"; do
  name=${variant%%|*} pid=${edge_pid[$name]}
  before=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  wrk -t2 -c1000 -d10s -H 'Host: web.bench.localhost' "http://127.0.0.1:${edge_port[$name]}/" > "$work/wrk1000.txt" &
  wrk_pid=$!
  sleep 8
  during=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  wait $wrk_pid
  echo "$name resident memory: ${before} kB idle, ${during} kB with 1000 connections ($(awk '/Requests\/sec/ {print $2}' "$work/wrk1000.txt") req/s), peak $(awk '/VmHWM/ {print $2}' /proc/$pid/status) kB"
done
for name in "${!edge_pid[@]}"; do kill -TERM "${edge_pid[$name]}"; done
sleep 1
for variant in "${VARIANTS[@]}"; do name=${variant%%|*}; echo "$name: $(grep -E '^(v[12]|allocated):' "$work/$name.out" | tr '\n' ' ')"; done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
