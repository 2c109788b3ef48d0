#!/usr/bin/env bash
# The memory attack of issue 13 and its variants, on each JDK: the live heap after a full
# GC before and during the attack, and a fresh client's ping latency meanwhile. Writes
# bench/results/attack.md and attack.jsonl. See bench/README.md.
#
# Usage: bench/attack.sh [variant...]        (default: id batch batch-many)
# Environment (defaults in brackets):
#   JDKS         the servers' java binaries ["java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"]
#   CONNECTIONS  attacking connections [20]          CALLS  messages per connection [128]
#   SIZE         characters of the id or payload [900000]   MS  the sleep's milliseconds [8000]
#   ELEMENTS     echo calls per batch of batch-many [500]    ROUNDS  runs of each variant [1]
#   SERVER_ARGS  extra server arguments, such as --wsrpc.memory-budget=256MB
#   PORT         the server's port [a free one]
# Needs JDKs with jcmd, Node.js 18+, curl and jq; the Node modules are installed from
# bench/soak/package-lock.json with npm ci on first use (the only step that needs the network).
set -euo pipefail
PORT=${PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

variants=("$@")
if [[ ${#variants[@]} -eq 0 ]]; then
	variants=(id batch batch-many)
fi
read -r -a jdks <<< "${JDKS:-java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
need_jar_and_soak_clients

runs=$RESULTS/attack.jsonl
: > "$runs"
SERVER_FLAGS=() # default settings: the attack is against the server as shipped
for java in "${jdks[@]}"; do
	if ! command -v "$java" > /dev/null; then
		log "skipping $java: no such JDK"
		continue
	fi
	JAVA=$java
	jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
	# shellcheck disable=SC2086 # SERVER_ARGS is a list of arguments
	start_server "$PORT" ${SERVER_ARGS:-}
	log "server $(java_version "$java"), pid $SERVER_PID, port $PORT; log $WORK/server-$PORT.log"
	for variant in "${variants[@]}"; do
		for round in $(seq "${ROUNDS:-1}"); do
			node "$SOAK/attack.mjs" --port "$PORT" --pid "$SERVER_PID" --jcmd "$jcmd" --jdk "$(java_version "$java")" \
				--variant "$variant" --round "$round" --connections "${CONNECTIONS:-20}" --calls "${CALLS:-128}" \
				--size "${SIZE:-900000}" --ms "${MS:-8000}" --elements "${ELEMENTS:-500}" >> "$runs"
		done
	done
	stop "$SERVER_PID"
done
machine=$WORK/attack-machine.json
machine_json > "$machine"
node "$SOAK/attack.mjs" --report "$runs" --out "$RESULTS/attack.md" --machine "$machine"
cat "$RESULTS/attack.md"
