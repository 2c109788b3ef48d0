# shellcheck shell=bash
# Shared functions of the benchmark scripts: build, start and stop servers, measure one
# bench run with the server's CPU time and memory, write a scenario's results.
# Sourced by bench/run.sh; every server started here is stopped when the script exits.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
JAR=$ROOT/target/wsrpc.jar
RESULTS=$BENCH_DIR/results
WORK=$ROOT/target/bench # logs and scratch files
JAVA=${JAVA:-java}                 # the server's JDK
CLIENT_JAVA=${CLIENT_JAVA:-java}   # the load generator's JDK
PORT=${PORT:-18100}                # servers use PORT, peers PORT+1 and PORT+2
WARMUP=${WARMUP:-45s} # on 2 busy cores C2 is still compiling the hot path 20 s into a run
DURATION=${DURATION:-10s}
SERVER_FLAGS=(--wsrpc.rate-limit.enabled=false --logging.level.root=warn)
CLK_TCK=$(getconf CLK_TCK)
STARTED=()

mkdir -p "$RESULTS" "$WORK"
# many connections need many descriptors, in the server and in the load generator
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
trap 'for pid in ${STARTED[@]+"${STARTED[@]}"}; do stop "$pid"; done' EXIT

log() {
	printf '%s\n' "$*" >&2
}

# Builds the jar if it is missing or older than src/ or pom.xml.
build_jar() {
	if [[ ! -f $JAR || -n $(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit) ]]; then
		log "building $JAR"
		(cd "$ROOT" && ./mvnw -q -B -DskipTests -Djazzer.fuzz=false package)
	fi
}

# java_version JAVA: the version of a JDK, such as 17.0.15.
java_version() {
	"$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }'
}

# java_description JAVA: the first two lines of java -version, on one line.
java_description() {
	"$1" -version 2>&1 | head -n 2 | paste -s -d ' '
}

# start_server PORT [ARG...]: starts the jar on $JAVA with the benchmark flags and ARGs,
# and waits until it is ready. Sets SERVER_PID and SERVER_JDK.
start_server() {
	local port=$1
	shift
	if listening "$port"; then
		log "port $port is taken; stop what listens there or set PORT"
		return 1
	fi
	"$JAVA" -jar "${SERVER_JAR:-$JAR}" --server.port="$port" "${SERVER_FLAGS[@]}" "$@" > "$WORK/server-$port.log" 2>&1 &
	SERVER_PID=$!
	STARTED+=("$SERVER_PID")
	# shellcheck disable=SC2034 # read by the scenarios
	SERVER_JDK=$(java_version "$JAVA")
	for _ in $(seq 120); do
		if curl -sf "http://localhost:$port/actuator/health/readiness" > /dev/null; then
			return 0
		fi
		kill -0 "$SERVER_PID" 2> /dev/null || break
		sleep 0.5
	done
	log "the server on port $port did not get ready; see $WORK/server-$port.log"
	return 1
}

# listening PORT: whether something listens on localhost:PORT.
listening() {
	(exec 3<> "/dev/tcp/localhost/$1") 2> /dev/null
}

# wait_for_port PORT: waits up to 30 s until something listens on localhost:PORT.
wait_for_port() {
	for _ in $(seq 60); do
		if listening "$1"; then
			return 0
		fi
		sleep 0.5
	done
	log "nothing listens on port $1"
	return 1
}

# stop PID: asks a process to stop, and kills it if it is still there after 15 s.
stop() {
	local pid=$1
	kill "$pid" 2> /dev/null || return 0
	for _ in $(seq 150); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
}

# cpu_seconds PID: the user and system CPU time the process has used so far.
cpu_seconds() {
	# after the command's name, fields start at the 3rd: utime is the 14th, stime the 15th
	awk -v hz="$CLK_TCK" '{ sub(/.*\) /, ""); split($0, f, " "); printf "%.2f\n", (f[12] + f[13]) / hz }' \
		"/proc/$1/stat"
}

# rss_mb PID: the process's resident memory, in MiB.
rss_mb() {
	awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"
}

# heap_mb PORT: the heap the server on PORT uses now, in MiB, or null without an actuator.
heap_mb() {
	curl -sf "http://localhost:$1/actuator/metrics/jvm.memory.used?tag=area:heap" \
		| jq '.measurements[0].value / 1048576 * 10 | round / 10' 2> /dev/null || echo null
}

# measure TARGET JDK PID URL [BENCH_ARG...]: one bench run of $WARMUP and $DURATION
# against the server PID listening at URL. Prints the run as one JSON object: the bench
# result, with the target, the server's JDK (or null), and the server's CPU time, RSS and
# heap over the measured window, read when the bench reports its start and end.
measure() {
	local target=$1 jdk=$2 pid=$3 url=$4
	shift 4
	local port=${url#*://*:}
	port=${port%%/*}
	local out=$WORK/bench.json err=$WORK/bench-$target.err fifo=$WORK/bench.fifo
	local cpu_start=null cpu_end=null client_start=null client_end=null rss=null heap=null code=0 line run
	rm -f "$fifo" "$out"
	mkfifo "$fifo"
	: > "$err"
	"$CLIENT_JAVA" -jar "$JAR" bench --url "$url" --warmup "$WARMUP" --duration "$DURATION" --json "$@" \
		> "$out" 2> "$fifo" &
	local bench=$!
	while IFS= read -r line; do
		case $line in
			*"] measuring"*)
				cpu_start=$(cpu_seconds "$pid")
				client_start=$(cpu_seconds "$bench")
				;;
			*"] measured"*)
				cpu_end=$(cpu_seconds "$pid")
				client_end=$(cpu_seconds "$bench")
				rss=$(rss_mb "$pid")
				heap=$(heap_mb "$port")
				;;
		esac
		printf '%s\n' "$line" >> "$err"
	done < "$fifo"
	wait "$bench" || code=$?
	if [[ ! -s $out ]]; then
		echo '{}' > "$out"
	fi
	run=$(jq --arg target "$target" --arg jdk "$jdk" --argjson cpu_start "$cpu_start" --argjson cpu_end "$cpu_end" \
		--argjson client_start "$client_start" --argjson client_end "$client_end" --argjson rss "$rss" --argjson heap "$heap" --argjson code "$code" --arg error "$(tail -n 1 "$err")" '
		def calls: (.ok // 0) + (.errors // 0) + (.wrong // 0);
		def cpu: if $cpu_start == null or $cpu_end == null then null else ($cpu_end - $cpu_start) * 100 | round / 100 end;
		def client: if $client_start == null or $client_end == null then null
			else ($client_end - $client_start) * 100 | round / 100 end;
		{target: $target, jdk: (if $jdk == "" then null else $jdk end)} + .
		+ {server_cpu_seconds: cpu,
			server_cpu_us_per_call: (if cpu == null or calls == 0 then null else cpu * 1e7 / calls | round / 10 end),
			client_cpu_us_per_call: (if client == null or calls == 0 then null else client * 1e7 / calls | round / 10 end),
			server_rss_mb: $rss, server_heap_used_mb: $heap, clean: ($code == 0), exit_code: $code}
		+ (if $code == 0 then {} else {error: $error} end)' "$out")
	printf '%s\n' "$run"
	jq -r '"\(.target) \(.method // "") \(.connections // "") x \(.in_flight // ""): \(.calls_per_second // 0 | round)"
		+ " calls/s, p99 \(.latency_ms.p99 // "-" | if type == "number" then . * 1000 | round / 1000 else . end) ms, \(.server_cpu_us_per_call // "-") µs CPU per call"
		+ (if .clean then "" else ", NOT CLEAN (exit \(.exit_code)): \(.error)" end)' <<< "$run" >&2
}

# wsload_dir: a copy of ../shared/tools (Node's ws client, wsload.mjs) with its modules
# installed, in $WORK/wstools; prints its path, or fails when the tools or Node.js are missing.
wsload_dir() {
	local tools=${TOOLS:-$ROOT/../shared/tools} dir=$WORK/wstools
	if [[ ! -f $tools/wsload.mjs ]] || ! command -v node > /dev/null; then
		log "no $tools/wsload.mjs or no node: set TOOLS to the folder of wsload.mjs"
		return 1
	fi
	if [[ ! -d $dir/node_modules ]]; then
		rm -rf "$dir"
		cp -r "$tools" "$dir"
		(cd "$dir" && npm ci --silent > /dev/null)
	fi
	printf '%s\n' "$dir"
}

# measure_wsload TARGET PID URL CONNECTIONS IN_FLIGHT: one run of wsload.mjs (add_numbers with
# checked sums, $WARMUP and $DURATION) against the server PID at URL, as one JSON object in the
# shape of measure's: the server's CPU per call and wsload's own, from their CPU use over the
# measured window.
measure_wsload() {
	local target=$1 pid=$2 url=$3 connections=$4 in_flight=$5 dir out code=0
	dir=$(wsload_dir) || return 1
	out=$(node "$dir/wsload.mjs" --url "$url" --connections "$connections" --inflight "$in_flight" \
		--warmup "${WARMUP%s}" --duration "${DURATION%s}" --method add_numbers --params '{"a":"$seq","b":"$conn"}' \
		--expect-fn 'p => p.a+p.b' --pid "$pid" --quiet) || code=$?
	jq --arg target "$target" --argjson code "$code" '
		def per_call($pct): if $pct == null or .throughput_cps == 0 then null
			else $pct / 100 / .throughput_cps * 1e7 | round / 10 end;
		{target: $target, method: .config.method, connections: .config.connections, in_flight: .config.inflight,
			seconds: .window_s, ok: .requests.measured_completed, errors: .requests.error_replies, wrong: .failures.wrong_results,
			lost: .failures.lost, calls_per_second: .throughput_cps, latency_ms: .latency_ms,
			server_cpu_us_per_call: per_call(.server.cpu_util_pct),
			client_cpu_us_per_call: per_call(.generator.cpu_util_pct | add),
			clean: ($code == 0), exit_code: $code}' <<< "$out" | tee "$WORK/wsload.json"
	jq -r '"\(.target) \(.method) \(.connections) x \(.in_flight): \(.calls_per_second | round) calls/s, p99 \(.latency_ms.p99) ms, "
		+ "\(.server_cpu_us_per_call // "-") µs CPU per call" + (if .clean then "" else ", NOT CLEAN" end)' "$WORK/wsload.json" >&2
}

# machine_json: the facts of this machine and of the JDKs, as JSON.
machine_json() {
	jq -n --argjson cores "$(nproc)" \
		--arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
		--arg memory "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
		--arg kernel "$(uname -sr)" \
		--arg os "$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)" \
		--arg server_java "$(java_description "$JAVA")" --arg client_java "$(java_description "$CLIENT_JAVA")" \
		--arg container "$(unzip -Z1 "$JAR" | sed -n 's|^BOOT-INF/lib/jetty-server-\(.*\)\.jar$|Jetty \1|p')" \
		--argjson fd_limit "$(ulimit -n)" \
		--arg commit "$(git -C "$ROOT" describe --always --dirty --abbrev=12)" \
		'{cores: $cores, cpu: $cpu, memory: $memory, kernel: $kernel, os: $os, server_java: $server_java,
		client_java: $client_java, container: $container, fd_limit: $fd_limit, commit: $commit}'
}

# write_results SCENARIO DESCRIPTION RUNS [EXTRA]: writes results/SCENARIO.json from the
# runs (JSON objects, one after another, in the file RUNS) and the EXTRA object's fields,
# and results/SCENARIO.md with a table of the runs.
write_results() {
	local scenario=$1 description=$2 runs=$3 extra=${4:-'{}'}
	jq -s --arg scenario "$scenario" --arg description "$description" --arg date "$(date -u +%FT%TZ)" \
		--argjson machine "$(machine_json)" --argjson extra "$extra" \
		'{scenario: $scenario, description: $description, date: $date, machine: $machine} + $extra
		+ {runs: .}' "$runs" > "$RESULTS/$scenario.json"
	markdown "$RESULTS/$scenario.json" > "$RESULTS/$scenario.md"
	log "wrote $RESULTS/$scenario.json and .md"
}

# markdown FILE: a scenario's results as Markdown: the machine, a table of the runs with
# the columns that any run has, and the scenario's other fields.
markdown() {
	jq -r '. as $doc
		| def num: if type == "number" then (if . >= 100 then round else . * 100 | round / 100 end) else . end;
		def cell: if . == null then "" else num | tostring end;
		[["target", "target"], ["measure", "measure"], ["JDK", "jdk"], ["method", "method"], ["connections", "connections"],
			["in flight", "in_flight"], ["calls/s", "calls_per_second"], ["p50 ms", "latency_ms.p50"],
			["p99 ms", "latency_ms.p99"], ["p99.9 ms", "latency_ms.p99_9"], ["max ms", "latency_ms.max"],
			["CPU µs/call", "server_cpu_us_per_call"], ["load generator CPU µs/call", "client_cpu_us_per_call"],
			["RSS MB", "server_rss_mb"],
			["heap MB", "server_heap_used_mb"], ["RSS before MB", "server_rss_before_mb"],
			["KB/connection", "rss_per_connection_kb"], ["offered calls/s", "offered_calls_per_second"],
			["first reply ms", "first_reply_ms"],
			["ok", "ok"], ["errors", "errors"], ["lost", "lost"], ["failed", "failed_connections"],
			["dropped", "dropped_connections"], ["held", "held"], ["clean", "clean"]]
		| map({title: .[0], path: (.[1] | split("."))}) as $columns
		| $doc | .runs as $runs | .machine as $m
		| [$columns[] | select(.path as $p | any($runs[]; getpath($p) != null))] as $shown
		| "# \(.scenario)", "", .description, "",
		"\($m.cores) cores \($m.cpu), \($m.memory), \($m.os), \($m.kernel), \($m.container), "
			+ "server \($m.server_java), load generator \($m.client_java), fd limit \($m.fd_limit), "
			+ "commit \($m.commit), \(.date)", "",
		"| " + ($shown | map(.title) | join(" | ")) + " |",
		"|" + ($shown | map("---|") | join("")),
		($runs[] | . as $run | "| " + ($shown | map(.path as $p | $run | getpath($p) | cell) | join(" | ")) + " |"),
		(to_entries[] | select(.key | IN("scenario", "description", "date", "machine", "runs") | not)
			| "", "\(.key): \(.value | if type == "object" then map_values(num) | tojson else num end)")' "$1"
}

# Stops unless target/wsrpc.jar is built, and installs the Node clients of bench/soak
# (npm ci, the only step that needs the network) when they are missing; sets SOAK.
need_jar_and_soak_clients() {
	if [[ ! -f $JAR ]]; then
		log "no $JAR: build it first with ./mvnw -q package -DskipTests"
		exit 2
	fi
	SOAK=$BENCH_DIR/soak
	if [[ ! -d $SOAK/node_modules ]]; then
		log "installing the Node modules of bench/soak (npm ci)"
		(cd "$SOAK" && npm ci --no-audit --no-fund --silent)
	fi
}
