#!/usr/bin/env python3
"""Calls wsrpc over its native protocol with the websockets package: add_numbers, then
one event of a topic it subscribes and publishes to. Exits 0 when both worked, 1 on any
failure.

    python3 client.py ws://localhost:8080

Needs websockets 10 or newer (Debian: apt-get install python3-websockets). WSRPC_TOKEN,
when set, is sent as 'Authorization: Bearer <token>'.
"""

import asyncio
import itertools
import json
import os
import secrets
import sys

try:
    from websockets.asyncio.client import connect  # websockets 13 and newer

    HEADERS = "additional_headers"
except ImportError:
    from websockets.client import connect  # websockets 10 to 12, as in Debian 12

    HEADERS = "extra_headers"

TIMEOUT_SECONDS = 10


class RpcError(Exception):
    """An error reply: {"code": ..., "message": ..., "details": ...}."""

    def __init__(self, error):
        super().__init__(f"{error['message']} (code {error['code']})")


class Connection:
    """Sends calls one at a time and sets aside the events that arrive meanwhile.

    On /ws a call is {"request_id", "action", "params"}, its reply
    {"request_id", "status": "ok", "result"} or {"request_id", "status": "error", "error"},
    and an event {"event": TOPIC, "data", "offset"}.
    """

    def __init__(self, websocket):
        self.websocket = websocket
        self.ids = itertools.count(1)
        self.events = []

    async def call(self, action, params):
        request_id = next(self.ids)
        await self.websocket.send(json.dumps({"request_id": request_id, "action": action, "params": params}))
        while True:
            frame = json.loads(await self.websocket.recv())
            if "event" in frame:
                self.events.append(frame)
            elif frame.get("request_id") == request_id:
                if frame["status"] != "ok":
                    raise RpcError(frame["error"])
                return frame["result"]

    async def next_event(self):
        while not self.events:
            frame = json.loads(await self.websocket.recv())
            if "event" in frame:
                self.events.append(frame)
        return self.events.pop(0)


async def run(base):
    token = os.environ.get("WSRPC_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with connect(base.rstrip("/") + "/ws", open_timeout=TIMEOUT_SECONDS, **{HEADERS: headers}) as websocket:
        connection = Connection(websocket)

        total = await connection.call("add_numbers", {"a": 5, "b": 10})
        print(f"add_numbers(5, 10) = {total}", flush=True)

        topic = f"examples.python.{secrets.token_hex(4)}"
        await connection.call("subscribe", {"topic": topic})
        await connection.call("publish", {"topic": topic, "data": {"text": "hello from python"}})
        event = await connection.next_event()
        print(f"event: {json.dumps(event, separators=(',', ':'))}", flush=True)


def main():
    if len(sys.argv) != 2:
        print("usage: python3 client.py ws://HOST:PORT", file=sys.stderr)
        return 2
    try:
        asyncio.run(asyncio.wait_for(run(sys.argv[1]), TIMEOUT_SECONDS))
    except asyncio.TimeoutError:
        print(f"error: not done within {TIMEOUT_SECONDS} s", file=sys.stderr)
        return 1
    except Exception as error:  # a refused connection, a closed one, an error reply
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
