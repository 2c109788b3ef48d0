#!/usr/bin/env bash
# Runs benchmark scenarios and writes bench/results/<scenario>.json and .md.
# Usage: bench/run.sh [all | generator | latency | throughput | curve | connections | jdk25 | halfload | startup | changes | table]...
# Environment: WARMUP (45s; 20s in table) and DURATION (10s) of each run, JAVA (server) and
# CLIENT_JAVA (load generator) JDKs, PORT (18100), PEERS=0 to skip peer servers, JAVA25 (the
# JDK of jdk25), CONNECTIONS (19000) and HOLD (120s) of connections and table,
# HALFLOAD_CONNECTIONS (100) and HALFLOAD_IN_FLIGHT (4) of halfload, STARTUP_RUNS (3) of
# startup and table, BASE_REV (b5191b9) of changes, GENERATOR_ROUNDS (3) of generator, TOOLS
# (../shared/tools, where wsload.mjs and fanout.mjs are) of generator and table,
# FANOUT_SUBSCRIBERS (10000) and FANOUT_ROUNDS (30) of table, CDS=1 to add wsrpc with a CDS
# archive to table's startup.
set -euo pipefail
TABLE_WARMUP=${WARMUP:-20s} # the warm-up of the table scenario, unless WARMUP is given
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SCENARIOS=(generator latency throughput curve connections jdk25 halfload startup changes table)
BARE=$BENCH_DIR/peers/bare-spring
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

# The table of the performance targets: every measure against rpc-websockets (startup against a
# bare Spring Boot app with one WebSocket handler) in one run, with $WARMUP (20 s unless given) before each measured
# run. On each of wsrpc and the peer: add_numbers over 100 connections x 32 in flight and x 1,
# ping on one connection, and fan-out; then CONNECTIONS idle connections on fresh servers; then
# the starts to a first reply, taken in turn. Writes table.json, and table.md with one row per
# measure, its target and whether it is met, and a chart.
scenario_table() {
	local WARMUP=$TABLE_WARMUP
	local runs=$WORK/table.runs startups=$WORK/table-startup.runs peers=$BENCH_DIR/peers/start.sh port=$((PORT + 2)) pid
	local connections=${CONNECTIONS:-19000} subscribers=${FANOUT_SUBSCRIBERS:-10000} cds_dir
	wsload_dir > /dev/null || return 1
	build_bare
	: > "$runs"
	start_server "$PORT" --wsrpc.max-connections="$((subscribers + 1 > 19500 ? subscribers + 1 : 19500))"
	table_load wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" native >> "$runs"
	stop "$SERVER_PID"
	read -r pid < <("$peers" rpc-websockets "$port") # the first line; the peer may keep stdout open
	STARTED+=("$pid")
	wait_for_port "$port"
	table_load rpc-websockets "" "$pid" "ws://localhost:$port/jsonrpc" rpcws >> "$runs"
	stop "$pid"

	start_server "$PORT" --wsrpc.max-connections="$((connections > 19500 ? connections : 19500))"
	hold wsrpc "$SERVER_JDK" "$SERVER_PID" "ws://localhost:$PORT/ws" "$connections" | tagged connections >> "$runs"
	stop "$SERVER_PID"
	read -r pid < <("$peers" rpc-websockets "$port")
	STARTED+=("$pid")
	wait_for_port "$port"
	hold rpc-websockets "" "$pid" "ws://localhost:$port/jsonrpc" "$connections" | tagged connections >> "$runs"
	stop "$pid"

	if [[ ${CDS:-0} == 1 ]]; then
		cds_dir=$(cds_archive) || return 1
	fi
	: > "$startups"
	for _ in $(seq "${STARTUP_RUNS:-3}"); do # in turn, so that noise on the machine falls on each alike
		first_reply wsrpc "$JAVA" -jar "$JAR" --server.port="$PORT" "${SERVER_FLAGS[@]}" >> "$startups"
		first_reply bare-spring "$JAVA" -jar "$BARE/target/bare-spring.jar" --server.port="$PORT" \
			"${SERVER_FLAGS[@]}" >> "$startups"
		if [[ -n ${cds_dir-} ]]; then
			first_reply "wsrpc with CDS" "$JAVA" -XX:SharedArchiveFile="$cds_dir.jsa" -jar "$cds_dir/wsrpc.jar" \
				--server.port="$PORT" "${SERVER_FLAGS[@]}" >> "$startups"
		fi
	done
	tagged startup < "$startups" >> "$runs"

	write_results table "Every measure of the performance targets in one run, wsrpc against rpc-websockets $(rpc_websockets_version) \
(startup against a bare Spring Boot app with one WebSocket handler on /ws, bench/peers/bare-spring), with $WARMUP of \
warm-up before each measured run of $DURATION: add_numbers over 100 connections x 32 and x 1 in flight, ping on one \
connection one call at a time, one publish to $subscribers subscribers (${FANOUT_ROUNDS:-30} rounds, fanout.mjs), \
$connections connections each calling ping every 10 s for ${HOLD:-120s}, and from exec to the first ping answered \
on /ws (median of ${STARTUP_RUNS:-3})." "$runs" "$(table_rows "$runs" "$connections" "$subscribers")"
	table_markdown "$RESULTS/table.json" > "$RESULTS/table.md"
}

# table_load TARGET JDK PID URL DIALECT: the runs of the table on one warm server: add_numbers
# over 100 connections x 32 and x 1 in flight, ping on one connection, and fan-out (fanout.mjs
# in DIALECT); one JSON object per run, each with its measure.
table_load() {
	local target=$1 jdk=$2 pid=$3 url=$4 dialect=$5
	measure "$target" "$jdk" "$pid" "$url" --connections 100 --in-flight 32 | tagged 100x32
	measure "$target" "$jdk" "$pid" "$url" --connections 100 --in-flight 1 | tagged 100x1
	measure "$target" "$jdk" "$pid" "$url" --method ping | tagged ping
	fanout "$target" "$url" "$dialect" | tagged fanout
}

# tagged MEASURE: the JSON objects of stdin with the field measure, one a line.
tagged() {
	jq -c --arg measure "$1" '. + {measure: $measure}'
}

# fanout TARGET URL DIALECT: fanout.mjs of ../shared/tools: one publish to $FANOUT_SUBSCRIBERS
# (10000) subscribers, $FANOUT_ROUNDS (30) rounds, the time until the last subscriber has it, as
# one JSON object in the shape of measure's.
fanout() {
	local target=$1 url=$2 dialect=$3 dir out code=0
	dir=$(wsload_dir) || return 1
	[[ -f $dir/fanout.mjs ]] || cp "${TOOLS:-$ROOT/../shared/tools}/fanout.mjs" "$dir/"
	out=$(node "$dir/fanout.mjs" "$url" "$dialect" "${FANOUT_SUBSCRIBERS:-10000}" "${FANOUT_ROUNDS:-30}") || code=$?
	[[ -n $out ]] || out='{}'
	jq -c --arg target "$target" --argjson code "$code" '{target: $target, method: "publish",
		connections: .subscribers, rounds: .rounds, complete_rounds: .complete, duplicated_rounds: .dup,
		latency_ms: {p50: .p50_ms, p99: .p99_ms, max: .max_ms}, clean: ($code == 0), exit_code: $code}' <<< "$out" \
		| tee "$WORK/fanout.json"
	jq -r '"\(.target) fan-out to \(.connections) subscribers: p50 \(.latency_ms.p50) ms, p99 \(.latency_ms.p99) ms"
		+ (if .clean then "" else ", NOT CLEAN: \(.complete_rounds) of \(.rounds) rounds reached everyone once" end)' \
		"$WORK/fanout.json" >&2
}

# build_bare: builds the bare Spring Boot app of peers/bare-spring when its jar is missing or
# older than its sources.
build_bare() {
	local jar=$BARE/target/bare-spring.jar
	if [[ ! -f $jar || -n $(find "$BARE/src" "$BARE/pom.xml" -newer "$jar" -print -quit) ]]; then
		log "building $jar"
		(cd "$ROOT" && ./mvnw -q -B -f "$BARE/pom.xml" package -DskipTests)
	fi
}

# cds_archive: the jar extracted as Spring Boot documents it for CDS, and a CDS archive of it
# made by a training run on $JAVA that exits once the context is refreshed; prints the folder of
# the extracted jar, whose archive is the folder's name with .jsa. Both are made again when the
# jar is newer.
cds_archive() {
	local dir
	dir=$WORK/extracted-$(java_version "$JAVA")
	if [[ ! -f $dir.jsa || $JAR -nt $dir.jsa ]]; then
		log "making a CDS archive of $JAR"
		rm -rf "$dir" "$dir.jsa"
		"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$dir" >&2
		"$JAVA" -XX:ArchiveClassesAtExit="$dir.jsa" -Dspring.context.exit=onRefresh -jar "$dir/wsrpc.jar" \
			--server.port="$PORT" "${SERVER_FLAGS[@]}" > "$WORK/cds-training.log" 2>&1 || true
		if [[ ! -f $dir.jsa ]]; then
			log "the training run made no CDS archive; see $WORK/cds-training.log"
			return 1
		fi
	fi
	printf '%s\n' "$dir"
}

# rpc_websockets_version: the version of the rpc-websockets package the peer runs.
rpc_websockets_version() {
	jq -r .version "$BENCH_DIR/peers/rpc-websockets/node_modules/rpc-websockets/package.json" 2> /dev/null || true
}

# table_rows RUNS CONNECTIONS SUBSCRIBERS: the rows of the table from the runs, as {rows: [...]}:
# each measure with wsrpc's figure, the other's, wsrpc's over the other's, the target and
# whether wsrpc meets it (null when a figure is missing).
table_rows() {
	jq -s --argjson connections "$2" --argjson subscribers "$3" --argjson startups "${STARTUP_RUNS:-3}" '
		def thousands: tostring | if test("^[0-9]{4,}$") then explode | reverse | [_nwise(3) | reverse | implode]
			| reverse | join(",") else . end;
		def run($target; $measure): map(select(.target == $target and .measure == $measure))[0] // {};
		def median: map(select(. != null)) | sort | if length == 0 then null else .[length / 2 | floor] end;
		def startup($target): map(select(.target == $target and .measure == "startup") | .first_reply_ms) | median;
		def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b * 100 | round / 100 end;
		# a row; $rule is one of ge, le and lt (wsrpc over the other against $limit), or null
		def row($measure; $unit; $w; $o; $target; $rule; $limit):
			ratio($w; $o) as $r
			| {measure: $measure, unit: $unit, wsrpc: $w, other: $o, ratio: $r, target: $target, rule: $rule,
				limit: $limit, met: (if $r == null or $rule == null then null
					elif $rule == "ge" then $r >= $limit elif $rule == "le" then $r <= $limit else $r < $limit end)};
		def pair($measure): [run("wsrpc"; $measure), run("rpc-websockets"; $measure)];
		pair("100x32") as [$w32, $o32] | pair("100x1") as [$w1, $o1] | pair("ping") as [$wp, $op]
		| pair("fanout") as [$wf, $of] | pair("connections") as [$wc, $oc]
		| startup("wsrpc") as $ws | startup("bare-spring") as $bs | startup("wsrpc with CDS") as $cs
		| {rows: ([
			row("add_numbers, 100 connections × 32 in flight: calls/s"; "calls/s";
				$w32.calls_per_second; $o32.calls_per_second; "≥ 1.2×"; "ge"; 1.2),
			row("add_numbers, 100 × 32: server CPU per call"; "µs";
				$w32.server_cpu_us_per_call; $o32.server_cpu_us_per_call; "≤ 0.85×"; "le"; 0.85),
			row("add_numbers, 100 × 32: p99"; "ms"; $w32.latency_ms.p99; $o32.latency_ms.p99; "—"; null; null),
			row("add_numbers, 100 connections × 1 in flight: p99"; "ms";
				$w1.latency_ms.p99; $o1.latency_ms.p99; "≤ 1×"; "le"; 1),
			row("ping, one connection, one call at a time: p50"; "ms";
				$wp.latency_ms.p50; $op.latency_ms.p50; "< 1×"; "lt"; 1),
			row("one publish to \($subscribers | thousands) subscribers, the last delivery: p50"; "ms";
				$wf.latency_ms.p50; $of.latency_ms.p50; "≤ 1×"; "le"; 1),
			row("one publish to \($subscribers | thousands) subscribers, the last delivery: p99"; "ms";
				$wf.latency_ms.p99; $of.latency_ms.p99; "≤ 1×"; "le"; 1),
			(row("\($connections | thousands) connections, each pinging every 10 s: held"; "connections";
				$wc.held; $oc.held; "all"; null; null)
				| .met = (if .wsrpc == null then null else .wsrpc == $connections end)),
			(row("\($connections | thousands) connections: RSS per connection"; "KB";
				$wc.rss_per_connection_kb; $oc.rss_per_connection_kb; "≤ 40 KB"; null; null)
				| .met = (if .wsrpc == null then null else .wsrpc <= 40 end) | .limit_kb = 40),
			row("exec to the first answer on /ws, median of \($startups), against a bare Spring Boot app"; "ms";
				$ws; $bs; "≤ 1.3×"; "le"; 1.3),
			(if $cs == null then empty else
				row("the same, wsrpc with CDS"; "ms"; $cs; $bs; "≤ 1.3×"; "le"; 1.3) end)
		]), unclean: map(select(.clean == false) | "\(.target) \(.measure)")}' "$1"
}

# table_markdown FILE: table.json as Markdown: the machine, one row per measure with its target
# and whether it is met, a chart of where wsrpc stands against the other and the target, and
# every run.
table_markdown() {
	jq -r '
		def num: if type == "number" then (if . >= 100 then round elif . >= 10 then . * 10 | round / 10
			elif . >= 1 then . * 100 | round / 100 else . * 1000 | round / 1000 end) else . end;
		def thousands: tostring | if test("^[0-9]{4,}$") then explode | reverse | [_nwise(3) | reverse | implode]
			| reverse | join(",") else . end;
		def cell($unit): if . == null then "—" else (num | thousands) + " " + $unit end;
		# how many times better wsrpc does than the other (higher is better), and the target in those terms
		def better: if .ratio == null or .ratio == 0 then null elif .rule == "ge" then .ratio else 1 / .ratio end;
		def goal: if .limit_kb != null and .other != null then .other / .limit_kb
			elif .rule == null then null elif .rule == "ge" then .limit else 1 / .limit end;
		def short: .measure | sub("add_numbers, 100 connections × 32 in flight: calls/s"; "calls/s")
			| sub("add_numbers, 100 × 32: server CPU per call"; "CPU per call")
			| sub("add_numbers, 100 connections × 1 in flight: p99"; "p99 at 100 × 1")
			| sub("ping, .*: p50"; "ping p50") | sub("one publish to .*: (?<p>p[0-9]+)"; "fan-out \(.p)")
			| sub(".* RSS per connection"; "RSS per connection")
			| sub("exec to the first answer.*"; "startup") | sub("the same, wsrpc with CDS"; "startup with CDS");
		. as $doc | .machine as $m
		| ([.rows[] | select(better != null and goal != null)] | map({label: short, bar: (better * 100 | round / 100),
			line: (goal * 100 | round / 100)})) as $chart
		| "# \(.scenario)", "", .description, "",
		"\($m.cores) cores \($m.cpu), \($m.memory), \($m.os), \($m.kernel), \($m.container), "
			+ "server \($m.server_java), load generator \($m.client_java), fd limit \($m.fd_limit), "
			+ "commit \($m.commit), \(.date)", "",
		"| measure | wsrpc | rpc-websockets (startup: bare Spring Boot app) | wsrpc / other | target | met |",
		"|---|---|---|---|---|---|",
		(.rows[] | .unit as $unit | "| \(.measure) | \(.wsrpc | cell($unit)) | \(.other | cell($unit)) | "
			+ "\(.ratio | if . == null then "—" else "\(.)×" end) | \(.target) | "
			+ "\(.met | if . == null then "—" elif . then "yes" else "**no**" end) |"),
		"",
		(if (.unclean | length) > 0 then "Not clean (lost, wrong or missing replies or events): \(.unclean | join(", ")).", ""
			else empty end),
		(if ($chart | length) > 0 then
			"Bars: how many times better wsrpc does than the other (its calls/s over the other'"'"'s; for the rest, "
			+ "the other'"'"'s figure over wsrpc'"'"'s), so 1 is even and higher is better; the line is the target in "
			+ "the same terms. A bar that reaches the line meets its target.", "",
			"```mermaid", "xychart-beta",
			"    title \"wsrpc against rpc-websockets (startup: a bare Spring Boot app)\"",
			"    x-axis [\($chart | map("\"" + .label + "\"") | join(", "))]",
			"    y-axis \"times better (higher is better)\" 0 --> \([$chart[] | .bar, .line] | max * 1.15 * 10 | ceil / 10)",
			"    bar [\($chart | map(.bar | tostring) | join(", "))]",
			"    line [\($chart | map(.line | tostring) | join(", "))]", "```", ""
			else empty end),
		"Every run:", ""' "$1"
	markdown "$1" | sed -n '7,/^$/p'
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
