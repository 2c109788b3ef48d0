#!/usr/bin/env bash
# Pub/sub fan-out: one publish to N subscribers on one instance, time until the last has it.
# Usage: bench/fanout.sh [subscribers] [publishes]   (defaults 10000 and 50)
set -euo pipefail
cd "$(dirname "$0")/.."
subscribers=${1:-10000}
publishes=${2:-50}
port=${PORT:-18080}
[ -f target/wsrpc.jar ] || ./mvnw -q -B -DskipTests package
java -jar target/wsrpc.jar --server.port="$port" > bench/results/fanout-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
	curl -sf "http://localhost:$port/actuator/health/readiness" > /dev/null 2>&1 && break
	sleep 1
done
{
	echo "# $(date -u +%FT%TZ) $(nproc) cores, $(java -version 2>&1 | head -1), Jetty, fds $(ulimit -n)"
	java -jar target/wsrpc.jar fanout --url "ws://localhost:$port/ws" --subscribers "$subscribers" \
		--publishes "$publishes"
} | tee -a bench/results/fanout.txt
