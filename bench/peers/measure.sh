#!/usr/bin/env bash
# Loads one peer server with the jar's bench command and reports throughput, latency and the
# CPU time per call of the server and of the load generator.
# Usage: bench/peers/measure.sh NAME [PORT] [CONNECTIONS] [IN_FLIGHT] [SECONDS]
#   NAME is python-websockets or rpc-websockets (see start.sh); defaults: port 18201 for
#   python-websockets and 18202 for rpc-websockets, 100 connections x 32 in flight, 10 s
#   measured after a 2 s warm-up.
# CPU time is utime+stime from /proc/PID/stat, read when the bench prints its progress
# lines: from the first one a second into the measured part to the last one a second before
# its end, divided by the calls answered between those two lines (summed from the lines'
# rates). "other processes" is the rest of the machine's busy time over the same window:
# anything well above 0 means the numbers were taken on a shared machine. The result is
# appended to bench/results/peers.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."

name=${1:?usage: bench/peers/measure.sh python-websockets|rpc-websockets [PORT] [CONNECTIONS] [IN_FLIGHT] [SECONDS]}
case $name in
python-websockets) port=${2:-18201} path=/ws ;;
rpc-websockets) port=${2:-18202} path=/jsonrpc ;;
*) echo "unknown peer: $name" >&2; exit 2 ;;
esac
connections=${3:-100}
in_flight=${4:-32}
seconds=${5:-10}
warmup=2
[ "$seconds" -ge 3 ] || { echo "SECONDS must be at least 3" >&2; exit 2; }

[ -f target/wsrpc.jar ] || ./mvnw -q -B -DskipTests -Djazzer.fuzz=false package
tck=$(getconf CLK_TCK)
work=$(mktemp -d)
server=
client=
cleanup() {
	[ -z "$client" ] || kill "$client" 2>/dev/null || true
	[ -z "$server" ] || kill "$server" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

server=$(bench/peers/start.sh "$name" "$port")
load=$(cut -d' ' -f1-3 /proc/loadavg)

ticks() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }
	stat=${stat##*) }
	local -a f
	read -r -a f <<< "$stat"
	# utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
	echo $((f[11] + f[12]))
}

mkfifo "$work/progress"
java -jar target/wsrpc.jar bench --url "ws://127.0.0.1:$port$path" --connections "$connections" \
	--in-flight "$in_flight" --warmup "${warmup}s" --duration "${seconds}s" \
	> "$work/out" 2> "$work/progress" &
client=$!
busy() {
	local -a f
	read -r -a f < /proc/stat
	# user nice system irq softirq steal: the machine's busy time, in ticks.
	echo $((f[1] + f[2] + f[3] + f[6] + f[7] + f[8]))
}
while IFS= read -r line; do
	echo "$EPOCHREALTIME $(ticks "$server") $(ticks "$client") $(busy) $line"
done < "$work/progress" > "$work/samples"
status=0
wait "$client" || status=$?
client=
cat "$work/out"

# Window: progress lines labelled warmup+1 .. warmup+seconds-1 lie inside the measured part.
read -r calls wall server_cpu client_cpu busy_cpu < <(awk -v from=$((warmup + 1)) -v to=$((warmup + seconds - 1)) '
	match($0, /\[ *[0-9]+s\] +[0-9,]+ calls\/s/) {
		split(substr($0, RSTART + 1, RLENGTH - 1), part, /s\] +| calls/)
		label = part[1] + 0
		if (label < from || label > to) next
		rate = part[2]; gsub(",", "", rate)
		if (n > 0) calls += rate * ($1 - last)
		else { t0 = $1; s0 = $2; c0 = $3; b0 = $4 }
		last = $1; s1 = $2; c1 = $3; b1 = $4; n++
	}
	END { if (n < 2) print 0, 0, 0, 0, 0; else printf "%.0f %.3f %d %d %d\n", calls, last - t0, s1 - s0, c1 - c0, b1 - b0 }
' "$work/samples")
if [ "$calls" -le 0 ]; then
	echo "too few progress lines to measure CPU time" >&2
	cat "$work/samples" >&2
	exit 1
fi
per_call() { awk -v t="$1" -v tck="$tck" -v calls="$calls" 'BEGIN { printf "%.1f", t / tck * 1e6 / calls }'; }
cores() { awk -v t="$1" -v tck="$tck" -v wall="$wall" 'BEGIN { printf "%.2f", t / tck / wall }'; }
summary=$(printf 'cpu         server %s us/call (%s cores), load generator %s us/call (%s cores), other processes %s cores, over %s s and %s calls' \
	"$(per_call "$server_cpu")" "$(cores "$server_cpu")" "$(per_call "$client_cpu")" "$(cores "$client_cpu")" \
	"$(cores $((busy_cpu - server_cpu - client_cpu)))" "$wall" "$calls")
echo "$summary"
{
	echo "# $(date -u +%FT%TZ) $name, $(nproc) cores, load average before $load, $(head -1 "bench/results/peer-$name.log"), load generator on $(java -version 2>&1 | head -1)"
	cat "$work/out"
	echo "$summary"
} >> bench/results/peers.txt
exit "$status"
