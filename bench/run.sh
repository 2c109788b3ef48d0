#!/usr/bin/env bash
# Runs benchmark scenarios and writes bench/results/<scenario>.json and .md.
# Usage: bench/run.sh [all | generator | latency | throughput | curve | connections | jdk25 | halfload | startup | changes]...
# Environment: WARMUP (3s) and DURATION (10s) of each run, JAVA (server) and CLIENT_JAVA
# (load generator) JDKs, PORT (18100), PEERS=0 to skip peer servers, JAVA25 (the JDK of
# jdk25), CONNECTIONS (19000) and HOLD (120s) of connections, HALFLOAD_CONNECTIONS (100)
# and HALFLOAD_IN_FLIGHT (4) of halfload, STARTUP_RUNS (3), BASE_REV (b5191b9) of changes,
# GENERATOR_ROUNDS (3) and TOOLS (../shared/tools, where wsload.mjs is) of generator.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SCENARIOS=(generator latency throughput curve connections jdk25 halfload startup changes)
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}

# generator: the load generators side by side on one server, add_numbers over 100 connections x
# 32 in flight, after $WARMUP of load on the server: bench with its NIO client, wsload.mjs (Node's
# ws) and bench with the JDK's client, GENERATOR_ROUNDS times in turn. Each one's calls/s, the server's CPU per call and its own; the
# medians of each, and the generator's CPU per call over the server's.
scenario_generator() {
	local runs=$WORK/generator.runs url="ws://localhost:$PORT/ws" load=(--connections 100 --in-flight 32)
	wsload_dir > /dev/null || return 1
	: > "$runs"
	start_server "$PORT"
	log "warming the server up for $WARMUP"
	"$CLIENT_JAVA" -jar "$JAR" bench --url "$url" "${load[@]}" --duration "$WARMUP" > /dev/null 2>&1 || true
	for _ in $(seq "${GENERATOR_ROUNDS:-3}"); do
		measure "bench (nio)" "$SERVER_JDK" "$SERVER_PID" "$url" "${load[@]}" >> "$runs"
		measure_wsload wsload "$SERVER_PID" "$url" 100 32 >> "$runs"
		measure "bench (jdk)" "$SERVER_JDK" "$SERVER_PID" "$url" "${load[@]}" --client jdk >> "$runs"
	done
	stop "$SERVER_PID"
	write_results generator "The load generators side by side on one server warmed up for $WARMUP, in turn, \
${GENERATOR_ROUNDS:-3} rounds: \
add_numbers over 100 connections x 32 in flight with bench's NIO client, with wsload.mjs (Node's ws) and with bench's \
JDK client. generator_to_server is the generator's CPU per call over the server's in the same run (medians)." \
		"$runs" "$(jq -s 'def median: sort | if length == 0 then null else .[length / 2 | floor] end;
			group_by(.target) | map({key: .[0].target, value: {calls_per_second: (map(.calls_per_second) | median | round),
				server_cpu_us_per_call: (map(.server_cpu_us_per_call) | median),
				client_cpu_us_per_call: (map(.client_cpu_us_per_call) | median),
				generator_to_server: (map(select(.server_cpu_us_per_call > 0)
					| .client_cpu_us_per_call / .server_cpu_us_per_call * 100 | round / 100) | median)}})
			| {medians: from_entries}' "$runs")"
}

# a: the latency floor, one call at a time.
scenario_latency() {
	local runs=$WORK/latency.runs
	: > "$runs"
	start_server "$PORT"
	for method in ping add_numbers; do
		measure wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" --method "$method" >> "$runs"
	done
	stop "$SERVER_PID"
	write_results latency "One connection with one call in flight: the round trip of ping and of add_numbers." \
		"$runs"
}

# b: the most calls per second, against the bare echo of the same jar and the peer servers.
scenario_throughput() {
	throughput throughput "add_numbers over 100 connections x 32 in flight, on wsrpc's /ws, on /echo of the same jar \
(echo-baseline profile: no RPC layer) and on the peer servers; echo_ratio is wsrpc's calls/s over the echo's."
}

# jdk25: the throughput scenario with the server on JDK 25, where methods run on virtual threads.
scenario_jdk25() {
	if [[ ! -x $JAVA25 ]]; then
		log "skipping jdk25: no JDK at $JAVA25"
		return 0
	fi
	JAVA=$JAVA25 PEERS=0 throughput jdk25 "The throughput scenario with the server on JDK 25, where methods run on \
virtual threads: add_numbers over 100 connections x 32 in flight, on /ws and on /echo."
}

# throughput SCENARIO DESCRIPTION: add_numbers, 100 x 32, on wsrpc, the echo and the peers.
throughput() {
	local runs=$WORK/$1.runs load=(--connections 100 --in-flight 32)
	: > "$runs"
	start_server "$PORT"
	measure wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "${load[@]}" >> "$runs"
	stop "$SERVER_PID"
	start_server "$PORT" --spring.profiles.active=echo-baseline
	measure echo "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/echo" --echo "${load[@]}" >> "$runs"
	stop "$SERVER_PID"
	local peers=$BENCH_DIR/peers/start.sh port=$((PORT + 1)) pid
	if [[ -x $peers && ${PEERS:-1} != 0 ]]; then
		for peer in python-websockets:/ws rpc-websockets:/jsonrpc; do
			read -r pid < <("$peers" "${peer%%:*}" "$port") # the first line; the peer may keep stdout open
			STARTED+=("$pid")
			if wait_for_port "$port"; then
				measure "${peer%%:*}" "" "$pid" "ws://localhost:$port${peer#*:}" "${load[@]}" >> "$runs"
			fi
			stop "$pid"
			port=$((port + 1))
		done
	fi
	write_results "$1" "$2" "$runs" "$(jq -s '(map(select(.target == "wsrpc"))[0].calls_per_second) as $wsrpc
		| def ratio: if . > 0 then $wsrpc / . * 100 | round / 100 else null end;
		{echo_ratio: (map(select(.target == "echo"))[0].calls_per_second | ratio)}
		+ (map(select(.target != "wsrpc" and .target != "echo")) | if length == 0 then {}
			else {peer_ratios: (map({key: .target, value: (.calls_per_second | ratio)}) | from_entries)} end)' \
		"$runs")"
}

# c: throughput and latency as connections and calls in flight grow.
scenario_curve() {
	local runs=$WORK/curve.runs
	: > "$runs"
	start_server "$PORT"
	for connections in 1 10 100 1000; do
		for in_flight in 1 32; do
			measure wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" --connections "$connections" \
				--in-flight "$in_flight" >> "$runs"
		done
	done
	stop "$SERVER_PID"
	write_results curve "add_numbers over 1, 10, 100 and 1000 connections, each with 1 and with 32 calls in \
flight." "$runs"
	"$BENCH_DIR/chart.sh" "$RESULTS/curve.json" "$RESULTS/curve.png"
}

# Startup to first reply: from starting the server's JVM to the first ping answered on /ws, on
# JDK 17 and on JDK 25.
scenario_startup() {
	local runs=$WORK/startup.runs java_bin
	: > "$runs"
	for java_bin in "$JAVA" "$JAVA25"; do
		[[ -x $(command -v "$java_bin") ]] || continue
		for _ in $(seq "${STARTUP_RUNS:-3}"); do
			first_reply wsrpc "$java_bin" -jar "$JAR" --server.port="$PORT" "${SERVER_FLAGS[@]}" >> "$runs"
		done
	done
	write_results startup "From starting the server's JVM (java -jar, default settings) to the first ping answered \
on /ws; ${STARTUP_RUNS:-3} runs per JDK. The goal is under 3 s on JDK 17." "$runs" \
		"$(jq -s 'group_by(.jdk) | map({key: .[0].jdk, value: (map(.first_reply_ms) | sort | .[length / 2 | floor])})
			| {median_first_reply_ms: from_entries}' "$runs")"
}

# first_reply TARGET JAVA ARG...: starts JAVA ARG..., a server that answers ping on
# ws://localhost:$PORT/ws, and prints {target, jdk, first_reply_ms}: the milliseconds from its
# start to the first ping answered (null when none came within 120 s); then stops it. The probe
# is started first, so that its own start does not count.
first_reply() {
	local target=$1 java_bin=$2 probe_out=$WORK/first-reply started first=null probe
	shift
	if listening "$PORT"; then
		log "port $PORT is taken; stop what listens there or set PORT"
		return 1
	fi
	"$CLIENT_JAVA" "$BENCH_DIR/probe/FirstReply.java" "ws://localhost:$PORT/ws" 120 > "$probe_out" &
	probe=$!
	sleep 3 # the probe compiles itself first
	started=$(date +%s%3N)
	"$@" > "$WORK/server-$PORT.log" 2>&1 &
	SERVER_PID=$!
	STARTED+=("$SERVER_PID")
	if wait "$probe"; then
		first=$(($(cat "$probe_out") - started))
	fi
	jq -nc --arg target "$target" --arg jdk "$(java_version "$java_bin")" --argjson ms "$first" \
		'{target: $target, jdk: $jdk, first_reply_ms: $ms}'
	log "$target: first reply after ${first} ms"
	stop "$SERVER_PID"
}

# The effect of this issue's changes, side by side in one run: the jar of BASE_REV (before
# them) against this one, and this one with two of them undone by settings: add_numbers run on
# the executor (sleep with ms 0 is not inline) and Boot's long task timer per call back on.
scenario_changes() {
	local runs=$WORK/changes.runs base=${BASE_REV:-b5191b9} load=(--connections 100 --in-flight 32)
	local base_jar=$WORK/wsrpc-$base.jar
	if [[ ! -f $base_jar ]]; then
		log "building the jar of $base"
		rm -rf "$WORK/rev-$base"
		git -C "$ROOT" worktree add --detach "$WORK/rev-$base" "$base" > /dev/null
		(cd "$WORK/rev-$base" && ./mvnw -q -B -DskipTests -Djazzer.fuzz=false package)
		cp "$WORK/rev-$base/target/wsrpc.jar" "$base_jar"
		git -C "$ROOT" worktree remove --force "$WORK/rev-$base"
	fi
	: > "$runs"
	SERVER_JAR=$base_jar start_server "$PORT"
	measure "before ($base)" "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "${load[@]}" >> "$runs"
	stop "$SERVER_PID"
	start_server "$PORT"
	measure now "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "${load[@]}" >> "$runs"
	measure "now, on the executor" "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "${load[@]}" \
		--method sleep --params '{"ms": 0}' >> "$runs"
	stop "$SERVER_PID"
	start_server "$PORT" --management.metrics.observations.ignored-meters=
	measure "now, long task timer on" "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "${load[@]}" >> "$runs"
	stop "$SERVER_PID"
	write_results changes "add_numbers over 100 connections x 32 in flight: the server before this issue's changes \
($base), now, now with calls on the executor instead of inline, and now with a long task timer per call." "$runs"
}

# d: many mostly idle connections, each calling ping every 10 s.
scenario_connections() {
	local runs=$WORK/connections.runs connections=${CONNECTIONS:-19000}
	start_server "$PORT" --wsrpc.max-connections="$((connections > 19500 ? connections : 19500))"
	hold wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "$connections" > "$runs"
	stop "$SERVER_PID"
	write_results connections "$connections connections, each calling ping every 10 s for ${HOLD:-120s} after \
$WARMUP of warm-up; RSS before connecting and with every connection open, the heap used then, and the connections \
held, failed and dropped." "$runs"
}

# hold TARGET JDK PID URL CONNECTIONS: CONNECTIONS connections to the server PID at URL, each
# calling ping every 10 s for $HOLD (120 s) after $WARMUP; measure's JSON object with the
# server's RSS before connecting and the RSS each connection held adds.
hold() {
	local target=$1 jdk=$2 pid=$3 url=$4 connections=$5 rss_before
	rss_before=$(rss_mb "$pid")
	DURATION=${HOLD:-120s} measure "$target" "$jdk" "$pid" "$url" --method ping \
		--connections "$connections" --call-interval 10s --timeout 30s \
		| jq -c --argjson before "$rss_before" '. + {server_rss_before_mb: $before,
			rss_per_connection_kb: (if .held > 0 then (.server_rss_mb - $before) * 10240 / .held | round / 10
				else null end)}'
}

# The latency of add_numbers at half the highest throughput measured by the throughput scenario.
scenario_halfload() {
	[[ -f $RESULTS/throughput.json ]] || scenario_throughput
	local runs=$WORK/halfload.runs connections=${HALFLOAD_CONNECTIONS:-100} max rate interval_us
	max=$(jq '[.runs[] | select(.target == "wsrpc") | .calls_per_second // 0][0] // 0 | round' \
		"$RESULTS/throughput.json")
	rate=$((max / 2))
	if ((rate < 1)); then
		log "no throughput of wsrpc in $RESULTS/throughput.json"
		return 1
	fi
	interval_us=$((connections * 1000000 / rate))
	start_server "$PORT"
	measure wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" --connections "$connections" \
		--in-flight "${HALFLOAD_IN_FLIGHT:-4}" --call-interval "${interval_us}us" \
		| jq --argjson offered "$((connections * 1000000 / interval_us))" \
			'. + {offered_calls_per_second: $offered}' > "$runs"
	stop "$SERVER_PID"
	write_results halfload "add_numbers at half the highest throughput of the throughput scenario: \
$connections connections, each starting a call every $interval_us µs. The goal is a p99 of 2 ms or less." "$runs" \
		"$(jq -s --argjson max "$max" '.[0].latency_ms.p99 as $p99
			| {max_calls_per_second: $max, p99_ms: $p99, p99_within_2ms: ($p99 != null and $p99 <= 2)}' "$runs")"
}

main() {
	local chosen=("$@")
	if [[ ${#chosen[@]} -eq 0 || ${chosen[0]} == all ]]; then
		chosen=("${SCENARIOS[@]}")
	fi
	for scenario in "${chosen[@]}"; do
		if ! declare -F "scenario_$scenario" > /dev/null; then
			log "unknown scenario '$scenario'; the scenarios are: all ${SCENARIOS[*]}"
			exit 2
		fi
	done
	build_jar
	if [[ ${#chosen[@]} -eq 1 ]]; then
		"scenario_${chosen[0]}"
		return
	fi
	local failed=()
	for scenario in "${chosen[@]}"; do
		log "== $scenario"
		"$0" "$scenario" || failed+=("$scenario") # each in a process of its own, so one failing stops no other
	done
	if [[ ${#failed[@]} -gt 0 ]]; then
		log "failed: ${failed[*]}"
		exit 1
	fi
}

main "$@"
