#!/usr/bin/env bash
# Draws a throughput curve: calls/s and p99 latency against connections, one PNG.
# Usage: bench/chart.sh [curve.json [curve.png]]   (defaults bench/results/curve.json and .png)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -Pbench test-compile exec:exec -Dbench.main=io.wsrpc.bench.CurveChart -Dbench.args="$*"
