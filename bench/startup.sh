#!/usr/bin/env bash
# Startup to first reply: from starting the server's JVM to the first ping answered on /ws.
# Usage: bench/startup.sh [runs]   (default 5; JAVA=path/to/java picks the server's JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${PORT:-18180}
java_bin=${JAVA:-java}
[ -f target/wsrpc.jar ] || ./mvnw -q -B -DskipTests -Djazzer.fuzz=false package
version=$("$java_bin" -version 2>&1 | head -1)
for _ in $(seq 1 "$runs"); do
	java bench/probe/FirstReply.java "ws://localhost:$port/ws" 120 > /tmp/wsrpc-first-reply.$$ &
	probe=$!
	sleep 2 # the probe compiles itself first
	start=$(date +%s%3N)
	"$java_bin" -jar target/wsrpc.jar --server.port="$port" --logging.level.root=warn > /dev/null 2>&1 &
	server=$!
	if wait "$probe"; then
		echo "$(( $(cat /tmp/wsrpc-first-reply.$$) - start )) ms  ($version)"
	else
		echo "no reply within 120 s ($version)"
	fi
	kill "$server"
	wait "$server" 2>/dev/null || true
done
rm -f /tmp/wsrpc-first-reply.$$
