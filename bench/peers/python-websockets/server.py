#!/usr/bin/env python3
"""A peer for the benchmarks: the native protocol of wsrpc served by Python `websockets`.

Each text frame is one request,
{"request_id": "r-1", "action": "add_numbers", "params": {"a": 5, "b": 10}};
the reply is {"request_id": "r-1", "status": "ok", "result": 15}, or
{"request_id": ..., "status": "error", "error": {"code": ..., "message": ...}}.
Methods: add_numbers (a + b) and ping ("pong").

Usage: python3 server.py [PORT] [HOST]   (defaults 18201 and 127.0.0.1); any path is served.
Runs on uvloop when it is installed, plain asyncio otherwise (or with PEER_LOOP=asyncio).
"""

import asyncio
import json
import os
import signal
import sys

import websockets

uvloop = None
if os.environ.get("PEER_LOOP", "uvloop") != "asyncio":
    try:
        import uvloop
    except ImportError:
        pass


class RpcError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def add_numbers(params):
    if isinstance(params, list):
        if len(params) != 2:
            raise RpcError("invalid_params", "Invalid params: expected [a, b].")
        a, b = params
    elif isinstance(params, dict):
        if "a" not in params or "b" not in params:
            raise RpcError("invalid_params", "Invalid params: 'a' and 'b' are required.")
        a, b = params["a"], params["b"]
    else:
        raise RpcError("invalid_params", "Invalid params: expected {\"a\": number, \"b\": number}.")
    if not is_number(a):
        raise RpcError("invalid_params", "Invalid params: 'a' must be a number.")
    if not is_number(b):
        raise RpcError("invalid_params", "Invalid params: 'b' must be a number.")
    return a + b


def ping(params):
    return "pong"


METHODS = {
    "add_numbers": add_numbers,
    "ping": ping,
}


def error(request_id, code, message):
    return {"request_id": request_id, "status": "error", "error": {"code": code, "message": message}}


def handle(text):
    try:
        request = json.loads(text)
    except ValueError:
        return error(None, "parse_error", "Parse error: the frame is not JSON.")
    if not isinstance(request, dict):
        return error(None, "invalid_request", "Invalid request: expected a JSON object.")
    request_id = request.get("request_id")
    if isinstance(request_id, bool) or not isinstance(request_id, (str, int)) or request_id == "":
        return error(None, "invalid_request", "Invalid request: 'request_id' must be a string or an integer.")
    action = request.get("action")
    if not isinstance(action, str):
        return error(request_id, "invalid_request", "Invalid request: 'action' must be a string.")
    method = METHODS.get(action)
    if method is None:
        return error(request_id, "method_not_found", f"Method not found: {action}")
    try:
        result = method(request.get("params"))
    except RpcError as e:
        return error(request_id, e.code, e.message)
    except Exception:
        return error(request_id, "internal_error", "The method failed on the server.")
    return {"request_id": request_id, "status": "ok", "result": result}


async def serve_connection(websocket, *args):
    # websockets < 10.1 also passes the request path; it is not needed here.
    try:
        async for message in websocket:
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            await websocket.send(json.dumps(handle(message)))
    except websockets.ConnectionClosed:
        pass


async def main(host, port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(serve_connection, host, port):
        print(f"python-websockets {websockets.__version__} on "
              f"{'uvloop' if uvloop else 'asyncio'} listening on ws://{host}:{port}/ws", flush=True)
        await stop


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18201
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    if uvloop is not None:
        uvloop.install()
    asyncio.run(main(host, port))
