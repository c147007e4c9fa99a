#!/usr/bin/env bash
# Step overhead of `shipgate run`, side by side with its peer in the same run (docs/benchmarks.md):
#   a) a shell loop that spawns `bash -c true` 200 times (the peer: what the steps themselves cost);
#   b) `shipgate run` of a workflow with one job of 200 `run: "true"` steps;
#   c) `shipgate run` of a one-step workflow (start-to-finish latency; target 250 ms).
# Reports the medians and the per-step overhead (b - a) / 200 (target 1 ms).
#
# Usage: bench/step-overhead/run.sh [--shell-only] [--runs N] [--warmup N] [--out FILE] [SHIPGATE]
#   SHIPGATE      a published shipgate binary; default: publishes one with
#                 `dotnet publish src/Shipgate.Cli -c Release -o artifacts/shipgate`
#   --shell-only  measure (a) only (no shipgate needed)
#   --runs N      timed runs per measurement (default 10); --warmup N untimed runs first (default 2)
#   --out FILE    also write the results (markdown) to FILE
# Uses hyperfine when present (installs Debian's package when missing and running as root); else,
# or with BENCH_NO_HYPERFINE=1, a loop timed with `date +%s%N`.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
steps=200
runs=10
warmup=2
shell_only=0
out=""
shipgate=""

die() { echo "step-overhead: error: $*" >&2; exit 2; }

while (($#)); do
  case $1 in
    --shell-only) shell_only=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --warmup) warmup=${2:?--warmup needs a number}; shift ;;
    --out) out=${2:?--out needs a file}; shift ;;
    -h | --help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) shipgate=$1 ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup must be a number"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- the tool that times ------------------------------------------------------------------------
timer=loop
if [[ ${BENCH_NO_HYPERFINE:-0} != 1 ]]; then
  if ! command -v hyperfine >/dev/null && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "step-overhead: installing hyperfine (Debian package)" >&2
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hyperfine >/dev/null 2>&1 || echo "step-overhead: could not install hyperfine" >&2
  fi
  command -v hyperfine >/dev/null && timer=hyperfine
fi
[[ $timer == hyperfine ]] || echo "step-overhead: timing with a date +%s%N loop (no hyperfine)" >&2

# median_ms NAME COMMAND...: runs COMMAND (no shell in between) and prints its median wall time in ms.
median_ms() {
  local name=$1
  shift
  if [[ $timer == hyperfine ]]; then
    # --shell=none: no shell is spawned around the command, so nothing needs subtracting.
    hyperfine --shell=none --style basic --warmup "$warmup" --runs "$runs" \
      --export-csv "$work/$name.csv" --command-name "$name" -- "$(printf '%q ' "$@")" >&2
    awk -F, 'NR == 2 { printf "%.1f\n", $4 * 1000 }' "$work/$name.csv"
    return
  fi
  local i start end
  for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1 || die "$name failed: $*"; done
  : >"$work/$name.times"
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || die "$name failed: $*"
    end=$(date +%s%N)
    echo $(((end - start) / 1000)) >>"$work/$name.times"
  done
  echo "$name: $runs runs: $(sort -n "$work/$name.times" | tr '\n' ' ')(microseconds)" >&2
  sort -n "$work/$name.times" | awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'
}

# --- (a) the peer: a shell loop ------------------------------------------------------------------
cat >"$work/shell-loop.sh" <<EOF
for ((i = 0; i < $steps; i++)); do bash -c true; done
EOF

# --- the workflows, in a throwaway git repository (shipgate runs a commit of a repository) ------
prepare_workflows() {
  local repo=$work/repo
  mkdir -p "$repo/.github/workflows"
  {
    echo "name: $steps steps"
    echo "on: push"
    echo "jobs:"
    echo "  steps:"
    echo "    runs-on: ubuntu-latest"
    echo "    steps:"
    for ((i = 0; i < steps; i++)); do echo '      - run: "true"'; done
  } >"$repo/.github/workflows/steps.yml"
  cat >"$repo/.github/workflows/one-step.yml" <<'EOF'
name: one step
on: push
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - run: "true"
EOF
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@shipgate.invalid commit -qm "benchmark workflows"
}

if ((shell_only == 0)); then
  if [[ -z $shipgate ]]; then
    echo "step-overhead: publishing shipgate (dotnet publish src/Shipgate.Cli -c Release -o artifacts/shipgate)" >&2
    (cd "$repo_root" && dotnet publish src/Shipgate.Cli -c Release -o artifacts/shipgate -nologo -v quiet) >&2
    shipgate=$repo_root/artifacts/shipgate/shipgate
  fi
  [[ -x $shipgate ]] || die "$shipgate is not an executable shipgate binary"
  shipgate=$(cd "$(dirname "$shipgate")" && pwd)/$(basename "$shipgate")
  prepare_workflows
  # One run of each, checked, before any timing: a benchmark of a failing run measures nothing.
  for wf in steps one-step; do
    "$shipgate" run "$work/repo/.github/workflows/$wf.yml" --repo "$work/repo" --data "$work/data" >"$work/$wf.log" 2>&1 ||
      { cat "$work/$wf.log" >&2; die "shipgate run of $wf.yml failed"; }
  done
fi

# --- measure, side by side -----------------------------------------------------------------------
a=$(median_ms shell-loop bash "$work/shell-loop.sh")
if ((shell_only == 0)); then
  b=$(median_ms shipgate-steps "$shipgate" run "$work/repo/.github/workflows/steps.yml" --repo "$work/repo" --data "$work/data")
  c=$(median_ms shipgate-one-step "$shipgate" run "$work/repo/.github/workflows/one-step.yml" --repo "$work/repo" --data "$work/data")
  overhead=$(awk -v a="$a" -v b="$b" -v n="$steps" 'BEGIN { printf "%.2f", (b - a) / n }')
fi

# --- report ---------------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
timer_name=$timer
[[ $timer == loop ]] || timer_name=$(hyperfine --version)
{
  echo "Step overhead, $(date -u +%Y-%m-%d), commit $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, Linux $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Timer: $timer_name, $warmup warm-up and $runs timed runs each; medians"
  echo
  echo "| measurement | median |"
  echo "| --- | --- |"
  echo "| (a) shell loop: $steps x \`bash -c true\` | $a ms |"
  if ((shell_only == 0)); then
    echo "| (b) \`shipgate run\`: one job of $steps \`run: \"true\"\` steps | $b ms |"
    echo "| (c) \`shipgate run\`: one-step workflow (target 250 ms) | $c ms |"
    echo "| per-step overhead (b - a) / $steps (target 1 ms) | $overhead ms |"
  else
    echo "| (b), (c): not measured (--shell-only) | |"
  fi
  echo
  if ((shell_only)); then
    echo "Reproduce: bench/step-overhead/run.sh --shell-only --runs $runs --warmup $warmup"
  else
    echo "Reproduce: bench/step-overhead/run.sh --runs $runs --warmup $warmup [SHIPGATE]"
  fi
} | tee ${out:+"$out"}
