#!/usr/bin/env bash
# Step overhead of `shipgate run`, side by side with its peers in the same run (docs/benchmarks.md):
#   a)  a shell loop that spawns `bash -c true` 200 times (the peer: what the steps themselves cost);
#   a2) a shell loop that runs 200 times the process a step is: `bash -e SCRIPT` (GitHub's default
#       shell, on a script file);
#   b)  `shipgate run` of a workflow with one job of 200 `run: "true"` steps;
#   c)  `shipgate run` of a one-step workflow (start-to-finish latency; target 250 ms).
# Reports the medians, the ratio b / a and the per-step overhead (b - a) / 200 (target 1 ms), and
# (b - a2) / 200, Shipgate's own cost beyond the very process it starts.
#
# Usage: bench/step-overhead/run.sh [--shell-only] [--rounds R] [--runs N] [--warmup N] [--out FILE] [SHIPGATE]
#   SHIPGATE      a published shipgate binary; default: publishes one with
#                 `dotnet publish src/Shipgate.Cli -c Release -o artifacts/shipgate`
#   --shell-only  measure (a) and (a2) only (no shipgate needed)
#   --rounds R    rounds (default 5); each round times every measurement in turn, so that a change of the
#                 machine's load during the benchmark hits every measurement alike
#   --runs N      timed runs per measurement and round (default 3); medians are over all R x N runs
#   --warmup N    untimed runs of each measurement before the first round (default 2)
#   --out FILE    also write the results (markdown) to FILE
# Uses hyperfine when present (installs Debian's package when missing and running as root); else,
# or with BENCH_NO_HYPERFINE=1, a loop timed with `date +%s%N`. Needs python3 (for the medians).
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
steps=200
rounds=5
runs=3
warmup=2
shell_only=0
out=""
shipgate=""

die() { echo "step-overhead: error: $*" >&2; exit 2; }

while (($#)); do
  case $1 in
    --shell-only) shell_only=1 ;;
    --rounds) rounds=${2:?--rounds needs a number}; shift ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --warmup) warmup=${2:?--warmup needs a number}; shift ;;
    --out) out=${2:?--out needs a file}; shift ;;
    -h | --help) sed -n '2,22s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) shipgate=$1 ;;
  esac
  shift
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"
[[ $warmup =~ ^[0-9]+$ ]] || die "--warmup must be a number"
command -v python3 >/dev/null || die "python3 is needed (apt-get install python3)"

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

# time_runs NAME N WARMUP COMMAND...: runs COMMAND (no shell in between) N times after WARMUP untimed runs,
# and appends each wall time in seconds to $work/NAME.times.
time_runs() {
  local name=$1 n=$2 w=$3
  shift 3
  if [[ $timer == hyperfine ]]; then
    # --shell=none: no shell is spawned around the command, so nothing needs subtracting.
    hyperfine --shell=none --style none --warmup "$w" --runs "$n" \
      --export-json "$work/$name.json" --command-name "$name" -- "$(printf '%q ' "$@")" >/dev/null ||
      die "$name failed: $*"
    python3 -c 'import json, sys; print("\n".join(str(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' \
      "$work/$name.json" >>"$work/$name.times"
    return
  fi
  local i start end
  for ((i = 0; i < w; i++)); do "$@" >/dev/null 2>&1 || die "$name failed: $*"; done
  for ((i = 0; i < n; i++)); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || die "$name failed: $*"
    end=$(date +%s%N)
    echo "$(((end - start) / 1000))e-6" >>"$work/$name.times"
  done
}

# median_ms NAME: the median of NAME's runs, in milliseconds.
median_ms() {
  python3 -c 'import statistics, sys; print("%.1f" % (statistics.median(float(l) for l in open(sys.argv[1]) if l.strip()) * 1000))' "$work/$1.times"
}

# --- (a) and (a2), the peers: shell loops ---------------------------------------------------------
echo true >"$work/step.sh"
cat >"$work/shell-loop.sh" <<EOF
for ((i = 0; i < $steps; i++)); do bash -c true; done
EOF
cat >"$work/script-loop.sh" <<EOF
for ((i = 0; i < $steps; i++)); do bash -e "$work/step.sh"; done
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

# --- measure, side by side, in rounds ------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= rounds; round++)); do
  w=0
  ((round == 1)) && w=$warmup
  echo "step-overhead: round $round of $rounds (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  time_runs shell-loop "$runs" "$w" bash "$work/shell-loop.sh"
  time_runs script-loop "$runs" "$w" bash "$work/script-loop.sh"
  if ((shell_only == 0)); then
    time_runs shipgate-steps "$runs" "$w" "$shipgate" run "$work/repo/.github/workflows/steps.yml" --repo "$work/repo" --data "$work/data"
    time_runs shipgate-one-step "$runs" "$w" "$shipgate" run "$work/repo/.github/workflows/one-step.yml" --repo "$work/repo" --data "$work/data"
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

a=$(median_ms shell-loop)
a2=$(median_ms script-loop)
if ((shell_only == 0)); then
  b=$(median_ms shipgate-steps)
  c=$(median_ms shipgate-one-step)
  overhead=$(awk -v a="$a" -v b="$b" -v n="$steps" 'BEGIN { printf "%.2f", (b - a) / n }')
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')
  engine=$(awk -v a="$a2" -v b="$b" -v n="$steps" 'BEGIN { printf "%.2f", (b - a) / n }')
fi

# --- report ---------------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || true)
timer_name=$timer
[[ $timer == loop ]] || timer_name=$(hyperfine --version)
total=$((rounds * runs))
{
  echo "Step overhead, $(date -u +%Y-%m-%d), commit $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}, Linux $(uname -r); load average before $load_before, after $load_after"
  echo "Timer: $timer_name, $warmup warm-up runs, then $rounds rounds of $runs timed runs of each measurement; medians of $total runs"
  echo
  echo "| measurement | median |"
  echo "| --- | --- |"
  echo "| (a) shell loop: $steps x \`bash -c true\` | $a ms |"
  echo "| (a2) shell loop: $steps x \`bash -e step.sh\` (the process of a step) | $a2 ms |"
  if ((shell_only == 0)); then
    echo "| (b) \`shipgate run\`: one job of $steps \`run: \"true\"\` steps | $b ms |"
    echo "| (c) \`shipgate run\`: one-step workflow (target 250 ms) | $c ms |"
    echo "| ratio b / a | $ratio |"
    echo "| per-step overhead (b - a) / $steps (target 1 ms) | $overhead ms |"
    echo "| Shipgate's own cost beyond the step's process (b - a2) / $steps | $engine ms |"
  else
    echo "| (b), (c): not measured (--shell-only) | |"
  fi
  echo
  args="--rounds $rounds --runs $runs --warmup $warmup"
  if ((shell_only)); then
    echo "Reproduce: bench/step-overhead/run.sh --shell-only $args"
  else
    echo "Reproduce: bench/step-overhead/run.sh $args [SHIPGATE]"
  fi
} | tee ${out:+"$out"}
