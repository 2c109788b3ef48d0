'use strict';
// A peer for the benchmarks: add_numbers and ping over JSON-RPC 2.0, served by rpc-websockets,
// and the event fan with a method publish that emits its data param to fan's subscribers
// (subscribe with rpc.on ["fan"]), for fan-out.
//
// Usage: node server.js [PORT] [HOST]   (defaults 18202 and 127.0.0.1)
// Clients connect to ws://HOST:PORT/jsonrpc (or ws://HOST:PORT/). rpc-websockets accepts
// every path and keeps one namespace per path, so the methods are registered on both.

const fs = require('fs');
const path = require('path');
const { Server } = require('rpc-websockets');

const port = Number(process.argv[2] || 18202);
const host = process.argv[3] || '127.0.0.1';
const namespaces = ['/jsonrpc', '/'];

const server = new Server({ host, port });

function invalidParams(message) {
  return { code: -32602, message: 'Invalid params', data: message };
}

function addNumbers(params) {
  let a;
  let b;
  if (Array.isArray(params)) {
    [a, b] = params;
  } else if (params && typeof params === 'object') {
    ({ a, b } = params);
  } else {
    throw invalidParams('expected {"a": number, "b": number}');
  }
  if (typeof a !== 'number') throw invalidParams("'a' must be a number");
  if (typeof b !== 'number') throw invalidParams("'b' must be a number");
  return a + b;
}

for (const ns of namespaces) {
  server.register('add_numbers', addNumbers, ns);
  server.register('ping', () => 'pong', ns);
  server.event('fan', ns);
  server.register('publish', (params) => {
    server.emit('fan', params.data);
    return true;
  }, ns);
}

server.on('listening', () => {
  const manifest = path.join(path.dirname(require.resolve('rpc-websockets')), '..', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  console.log(`rpc-websockets ${version} on node ${process.version} listening on ws://${host}:${port}/jsonrpc`);
});
server.on('error', (error) => {
  console.error(error);
  process.exit(1);
});

function stop() {
  server.close().finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
