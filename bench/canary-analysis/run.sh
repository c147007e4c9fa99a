#!/usr/bin/env bash
# The canary analysis's measured figures (docs/benchmarks.md, "Canary analysis"): the real CanaryAnalyst fed by a
# simulated edge (tests/Shipgate.Delivery.Tests/Analysis/SimulatedEdge.cs) on a fake clock, one look per simulated second.
# (a) 5% vs 0.5% errors at 10% weight, 200 req/s: median time to abort over 50 rollouts; (b) A/A: 200 rollouts of
# 1,000 looks, the share aborted; (c) median time to abort for error-rate ratios 2x, 5x, 10x at weights 1%, 5%, 10%.
# Usage: run.sh [--detection-rollouts 50] [--aa-rollouts 200] [--aa-looks 1000] [--power-rollouts 50] [--seed N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/bench/Shipgate.Benchmarks" -c Release -nologo -v quiet >/dev/null
exec dotnet "$root/bench/Shipgate.Benchmarks/bin/Release/net10.0/Shipgate.Benchmarks.dll" canary-analysis "$@"
