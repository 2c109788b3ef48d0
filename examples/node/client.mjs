// Calls wsrpc over JSON-RPC 2.0 with rpc-websockets: add_numbers, then one event of a
// topic it subscribes and publishes to. Exits 0 when both worked, 1 on any failure.
//
//   npm ci && node client.mjs ws://localhost:8080
//
// WSRPC_TOKEN, when set, is sent as 'Authorization: Bearer <token>'.
import { randomBytes } from "node:crypto";

import { Client } from "rpc-websockets";

const TIMEOUT_MS = 10_000;

const base = process.argv[2];
if (!base) {
	console.error("usage: node client.mjs ws://HOST:PORT");
	process.exit(2);
}

// A JSON-RPC error reply rejects with the error object ({code, message, data}), a failed
// connection with the socket's error event: neither is an Error.
function fail(error) {
	const code = (error && error.code !== undefined) ? ` (code ${error.code})` : "";
	console.error(`error: ${error?.message ?? JSON.stringify(error)}${code}`);
	process.exit(1);
}

const watchdog = setTimeout(() => fail(new Error(`not done within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);

const token = process.env.WSRPC_TOKEN;
const client = new Client(`${base.replace(/\/+$/, "")}/jsonrpc`, {
	reconnect: false,
	headers: token ? { Authorization: `Bearer ${token}` } : {},
});

try {
	await new Promise((resolve, reject) => {
		client.once("open", resolve);
		client.once("error", reject);
	});

	const sum = await client.call("add_numbers", { a: 5, b: 10 }, TIMEOUT_MS);
	console.log(`add_numbers(5, 10) = ${sum}`);

	// wsrpc pushes events as JSON-RPC notifications whose method is "event", with params
	// {topic, data, offset}; rpc-websockets emits a notification under its method name.
	// (Its own subscribe() is for rpc-websockets servers; wsrpc's subscribe is a call.)
	const topic = `examples.node.${randomBytes(4).toString("hex")}`;
	const event = new Promise((resolve) => client.once("event", resolve));
	await client.call("subscribe", { topic }, TIMEOUT_MS);
	await client.call("publish", { topic, data: { text: "hello from node" } }, TIMEOUT_MS);
	console.log(`event: ${JSON.stringify(await event)}`);

	client.close();
	watchdog.unref();
}
catch (error) {
	fail(error);
}
