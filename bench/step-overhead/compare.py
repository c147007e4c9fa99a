#!/usr/bin/env python3
"""Compares several shipgate builds side by side, interleaved, with the shell-loop peer (docs/benchmarks.md).

Usage: bench/step-overhead/compare.py [--rounds N] [--steps N] NAME=SHIPGATE [NAME=SHIPGATE ...]

Each round runs, in turn, every build on a job of STEPS `run: "true"` steps and on a one-step workflow,
and the peer (a bash loop spawning `bash -c true` STEPS times), so that the machine's load changes hit
every build alike. Prints the medians of wall time and of CPU time (user + system of the run and its
children), in milliseconds, as a markdown table, and the load average before and after.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command, cwd):
    """Runs command (a list, no shell) and returns (wall ms, CPU ms); exits when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"compare: {' '.join(command)} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def prepare(work, steps):
    repo = os.path.join(work, "repo")
    workflows = os.path.join(repo, ".github", "workflows")
    os.makedirs(workflows)
    with open(os.path.join(workflows, "steps.yml"), "w") as f:
        f.write(f"name: {steps} steps\non: push\njobs:\n  steps:\n    runs-on: ubuntu-latest\n    steps:\n")
        f.write('      - run: "true"\n' * steps)
    with open(os.path.join(workflows, "one-step.yml"), "w") as f:
        f.write('name: one step\non: push\njobs:\n  one:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n')
    with open(os.path.join(work, "shell-loop.sh"), "w") as f:
        f.write(f"for ((i = 0; i < {steps}; i++)); do bash -c true; done\n")
    git = ["git", "-C", repo]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["-c", "user.name=bench", "-c", "user.email=bench@shipgate.invalid", "commit", "-qm", "benchmark workflows"], check=True)
    return repo


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("builds", nargs="+", metavar="NAME=SHIPGATE")
    options = parser.parse_args()
    builds = []
    for build in options.builds:
        name, _, path = build.partition("=")
        if not path or not os.access(path, os.X_OK):
            sys.exit(f"compare: {build}: give NAME=PATH of an executable shipgate")
        builds.append((name, os.path.abspath(path)))

    work = tempfile.mkdtemp(prefix="shipgate-compare-")
    try:
        repo = prepare(work, options.steps)
        runs = {}
        for name, path in builds:
            data = os.path.join(work, "data-" + str(len(runs)))
            runs[name] = {
                "steps": [path, "run", ".github/workflows/steps.yml", "--repo", repo, "--data", data],
                "one": [path, "run", ".github/workflows/one-step.yml", "--repo", repo, "--data", data],
            }
        peer = ["bash", os.path.join(work, "shell-loop.sh")]
        samples = {key: [] for key in [(n, k) for n in runs for k in ("steps", "one")] + [("peer", "steps")]}
        load_before = open("/proc/loadavg").read().split()[:3]
        for round_number in range(options.rounds + 1):
            print(f"compare: round {round_number} of {options.rounds}{' (warm-up)' if round_number == 0 else ''}", file=sys.stderr)
            for name, commands in runs.items():
                for kind, command in commands.items():
                    sample = timed(command, repo)
                    if round_number > 0:
                        samples[(name, kind)].append(sample)
            sample = timed(peer, repo)
            if round_number > 0:
                samples[("peer", "steps")].append(sample)
        load_after = open("/proc/loadavg").read().split()[:3]

        def median(key, index):
            return statistics.median(s[index] for s in samples[key])

        peer_wall = median(("peer", "steps"), 0)
        print(f"{options.rounds} interleaved rounds, medians; load average before {' '.join(load_before)}, after {' '.join(load_after)}")
        print()
        print(f"| build | {options.steps} steps, wall | CPU | per step over the peer | one step, wall | CPU |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name in runs:
            wall = median((name, "steps"), 0)
            print(f"| {name} | {wall:,.0f} ms | {median((name, 'steps'), 1):,.0f} ms | {(wall - peer_wall) / options.steps:.2f} ms"
                  f" | {median((name, 'one'), 0):,.1f} ms | {median((name, 'one'), 1):,.1f} ms |")
        print(f"| peer: {options.steps} x `bash -c true` | {peer_wall:,.0f} ms | {median(('peer', 'steps'), 1):,.0f} ms | | | |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
