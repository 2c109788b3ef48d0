#!/usr/bin/env bash
# Pub/sub fan-out: one publish to N subscribers on one instance, time until the last has it,
# and the publish rate (10 connections x 8 publishes in flight, to a topic with no
# subscriber), each with topic history on (the default, 100 events for 5 min) and off.
# Usage: bench/fanout.sh [subscribers] [publishes]   (defaults 10000 and 50)
set -euo pipefail
cd "$(dirname "$0")/.."
subscribers=${1:-10000}
publishes=${2:-50}
port=${PORT:-18080}
[ -f target/wsrpc.jar ] || ./mvnw -q -B -DskipTests package
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null || true' EXIT
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -1), Jetty, fds $(ulimit -n)" \
	| tee -a bench/results/fanout.txt
for history in 100 0; do
	java -jar target/wsrpc.jar --server.port="$port" --wsrpc.pubsub.history-size="$history" \
		--wsrpc.rate-limit.enabled=false > bench/results/fanout-server.log 2>&1 &
	server=$!
	for _ in $(seq 1 60); do
		curl -sf "http://localhost:$port/actuator/health/readiness" > /dev/null 2>&1 && break
		sleep 1
	done
	{
		echo "history-size=$history"
		java -jar target/wsrpc.jar fanout --url "ws://localhost:$port/ws" --subscribers "$subscribers" \
			--publishes "$publishes"
		echo -n "publish rate: "
		java -jar target/wsrpc.jar bench --url "ws://localhost:$port/ws" --connections 10 --in-flight 8 \
			--warmup 10s --duration 10s --method publish --params '{"topic": "bench.rate", "data": {"n": 1}}' \
			| grep -E '^throughput'
	} | tee -a bench/results/fanout.txt
	kill "$server"
	wait "$server" 2>/dev/null || true
	server=
done
