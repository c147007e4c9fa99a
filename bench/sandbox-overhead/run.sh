#!/usr/bin/env bash
# What the step sandbox costs: `shipgate run` of a 1-step and a 100-step workflow (each step `true`), with and without
# --isolate, interleaved, ROUNDS times; prints each wall time and the medians. Usage: run.sh [--rounds N] [path/to/shipgate]
set -euo pipefail
rounds=5
if [[ ${1:-} == --rounds ]]; then rounds=$2; shift 2; fi
shipgate=${1:-$(cd "$(dirname "$0")/../.." && pwd)/src/Shipgate.Cli/bin/Release/net10.0/shipgate}
shipgate=$(realpath "$shipgate")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git -C "$work" init -q && mkdir -p "$work/.github/workflows"
for n in 1 100; do
  { printf 'on: push\njobs:\n  many:\n    runs-on: ubuntu-latest\n    steps:\n'; for _ in $(seq "$n"); do printf '      - run: "true"\n'; done; } > "$work/.github/workflows/s$n.yml"
done
git -C "$work" add -A && git -C "$work" -c user.name=b -c user.email=b@b commit -qm steps
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 1 100; do
  for mode in plain isolate; do : > "$work/$n-$mode"; done
  for _ in $(seq "$rounds"); do
    for mode in plain isolate; do
      rm -rf "$work/data"; flag=(); if [[ $mode == isolate ]]; then flag=(--isolate); fi
      start=$(date +%s%N)
      (cd "$work" && "$shipgate" run ".github/workflows/s$n.yml" --data "$work/data" "${flag[@]}" >/dev/null 2>&1)
      echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/$n-$mode"
    done
  done
  for mode in plain isolate; do
    echo "$n step(s), $mode: $(sort -n "$work/$n-$mode" | tr '\n' ' ')ms; median $(sort -n "$work/$n-$mode" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
