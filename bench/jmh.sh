#!/usr/bin/env bash
# JMH microbenchmarks of one call's way through the server, with no network: decode, dispatch
# (bind, validate, invoke) and encode, in both dialects. Prints the table and writes
# bench/results/jmh.json.
# Usage: bench/jmh.sh [JMH options] [benchmark regex]
#   bench/jmh.sh -f 1 -wi 2 -w 2s -i 3 -r 2s    a short run
#   bench/jmh.sh -p observations=noop frameToReply
#   bench/jmh.sh -h                             every JMH option
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
./mvnw -q -B -Pbench test-compile exec:exec -Dbench.args="-rf json -rff bench/results/jmh.json $*"
