#!/usr/bin/env bash
# Starts a peer server for the benchmarks in the background and prints its PID (the python
# or node process itself, so that its CPU time can be read from /proc/PID/stat).
# Usage: bench/peers/start.sh NAME PORT
#   NAME  python-websockets  native protocol, ws://127.0.0.1:PORT/ws (any path)
#         rpc-websockets     JSON-RPC 2.0,    ws://127.0.0.1:PORT/jsonrpc
# Installs what is missing first: Debian's python3-websockets and python3-uvloop (as root
# only; without root a missing uvloop means plain asyncio), or the node modules (npm ci). The server's output goes to
# bench/results/peer-NAME.log. Stop it with: kill PID
# Environment: PYTHON (default /usr/bin/python3), PEER_LOOP=asyncio to run the Python peer
# without uvloop.
# Exit codes: 0 started, 1 failed to start, 2 bad usage or a missing prerequisite.
set -euo pipefail

usage() {
	echo "usage: $0 python-websockets|rpc-websockets PORT" >&2
	exit 2
}

[ $# -eq 2 ] || usage
name=$1
port=$2
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || usage

peers=$(cd "$(dirname "$0")" && pwd)
results=$(cd "$peers/.." && pwd)/results
mkdir -p "$results"
log=$results/peer-$name.log

listening() {
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

apt_install() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "$name needs the Debian packages $*: run as root, or install them with" >&2
		echo "  sudo apt-get install -y $*" >&2
		exit 2
	fi
	echo "installing $* ..." >&2
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; then
		apt-get update -q >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
	fi
}

case $name in
python-websockets)
	python=${PYTHON:-/usr/bin/python3}
	if [ ! -x "$python" ]; then
		echo "$python not found: install python3, or set PYTHON" >&2
		exit 2
	fi
	missing=()
	"$python" -c 'import websockets' 2>/dev/null || missing+=(python3-websockets)
	if [ "${PEER_LOOP:-uvloop}" != asyncio ] && ! "$python" -c 'import uvloop' 2>/dev/null; then
		# uvloop is optional: without it the server runs on plain asyncio.
		if [ "$(id -u)" -eq 0 ]; then
			missing+=(python3-uvloop)
		else
			echo "uvloop is not installed (apt-get install python3-uvloop): running on asyncio" >&2
		fi
	fi
	[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
	command=("$python" "$peers/python-websockets/server.py" "$port" 127.0.0.1)
	;;
rpc-websockets)
	dir=$peers/rpc-websockets
	for tool in node npm; do
		if ! command -v "$tool" > /dev/null; then
			echo "$tool not found: install Node.js 18 or later" >&2
			exit 2
		fi
	done
	if [ ! -d "$dir/node_modules" ]; then
		echo "installing the node modules ..." >&2
		(cd "$dir" && npm ci --silent >&2)
	fi
	command=(node "$dir/server.js" "$port" 127.0.0.1)
	;;
*)
	usage
	;;
esac

if listening; then
	echo "port $port is already in use" >&2
	exit 1
fi

# A simple command run with & is the forked process itself, so $! is the server's PID.
"${command[@]}" < /dev/null > "$log" 2>&1 &
pid=$!

for _ in $(seq 1 200); do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "$name exited before listening on port $port; $log says:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
	if listening; then
		echo "$pid"
		exit 0
	fi
	sleep 0.1
done
echo "$name did not listen on port $port within 20 s; $log says:" >&2
tail -n 20 "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1
