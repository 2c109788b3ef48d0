#!/usr/bin/env bash
# Soak test: the server under mixed load at about 80% of its measured maximum, with hostile
# clients beside it, for MINUTES (default 10); every reply of the well-behaved clients is
# checked, and the server's live heap, RSS, threads and connections are sampled over time.
# Writes bench/results/soak.md and soak.json; exits 1 when a reply was lost, duplicated or
# wrong. See bench/README.md.
#
# Usage: bench/soak.sh [minutes]
# Environment: JAVA (or JAVA_HOME) the server's JDK; PORT (default: a free port);
# CALIBRATE (40) seconds of the preliminary phase that measures the maximum; SHARE (0.8)
# of it offered; SAMPLE (10) seconds between samples; SERVER_ARGS extra server arguments;
# SOAK_ARGS extra options of bench/soak/soak.mjs (node bench/soak/soak.mjs --help lists them).
# Needs a JDK with jcmd, Node.js 18+, curl and jq; the Node modules are installed from
# bench/soak/package-lock.json with npm ci on first use (the only step that needs the network).
set -euo pipefail
minutes=${1:-10}
if [[ -z ${JAVA:-} ]]; then
	JAVA=${JAVA_HOME:+$JAVA_HOME/bin/java}
	JAVA=${JAVA:-java}
fi
export JAVA
# a free port unless PORT names one
PORT=${PORT:-$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

need_jar_and_soak_clients
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
if [[ ! -x $JCMD ]]; then
	log "no jcmd beside $JAVA: the soak test needs a JDK, not a JRE"
	exit 2
fi
# default settings, rate limit included (the flooder must meet it); logs at INFO, as shipped
SERVER_FLAGS=()
# shellcheck disable=SC2086 # SERVER_ARGS is a list of arguments
start_server "$PORT" ${SERVER_ARGS:-}
log "server pid $SERVER_PID on port $PORT ($(java_version "$JAVA")); log $WORK/server-$PORT.log"
machine=$WORK/soak-machine.json
machine_json > "$machine"
code=0
# shellcheck disable=SC2086 # SOAK_ARGS is a list of arguments
node "$SOAK/soak.mjs" --port "$PORT" --pid "$SERVER_PID" --jcmd "$JCMD" --log "$WORK/server-$PORT.log" \
	--minutes "$minutes" --calibrate "${CALIBRATE:-40}" --share "${SHARE:-0.8}" --sample "${SAMPLE:-10}" \
	--machine "$machine" --out "$RESULTS/soak.md" --json "$RESULTS/soak.json" ${SOAK_ARGS:-} > /dev/null || code=$?
stop "$SERVER_PID"
if grep -q -E 'OutOfMemoryError|StackOverflowError|FATAL' "$WORK/server-$PORT.log"; then
	log "the server log has errors:"
	grep -m 5 -E 'OutOfMemoryError|StackOverflowError|FATAL' "$WORK/server-$PORT.log" >&2
	code=1
fi
log "wrote $RESULTS/soak.md and soak.json (exit $code)"
exit "$code"
