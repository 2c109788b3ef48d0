#!/usr/bin/env node
// Soak test of a running wsrpc server: well-behaved clients whose every reply is checked,
// hostile clients beside them, and the server's live heap, RSS, threads and connections
// sampled over time. Started by bench/soak.sh, which starts the server; see bench/README.md.
//
// Three processes: this coordinator, which samples the server and writes the report; a
// load process (the well-behaved clients); and a hostile process (the hostile clients), so
// that neither starves the other's event loop.
//
//   node soak.mjs --port P --pid PID --jcmd PATH --minutes 10 --out report.md
import fs from 'node:fs';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
	options, connect, flushed, getJson, liveHeap, processFacts, Histogram, addCounts, bump, sleep, round1,
} from './lib.mjs';

const SELF = fileURLToPath(import.meta.url);

const DEFAULTS = {
	role: 'coordinator',
	port: 0,
	pid: 0,
	jcmd: 'jcmd',
	log: '', // the server's log file, to count its lines
	minutes: 10,
	calibrate: 40, // seconds of the preliminary closed-loop phase; its last 15 s are measured
	share: 0.8, // of the calibrated maximum, offered during the soak
	sample: 10, // seconds between samples
	'ws-clients': 24, // well-behaved connections on /ws
	'jsonrpc-clients': 8, // and on /jsonrpc (a quarter of their messages are batches)
	depth: 16, // messages in flight per connection while calibrating
	deadline: 45, // seconds after which a call without a reply is lost (call timeout is 30 s)
	'attack-connections': 4,
	'attack-batches': 8, // batches [sleep 8000, echo SIZE] each attacker connection keeps running
	'attack-size': 900000,
	'flood-messages': 40000,
	out: '',
	json: '',
	machine: '', // a JSON file with the machine's facts (bench/lib.sh machine_json)
	title: '',
};

// The refusals a well-behaved client may get under load: documented, counted apart.
const REFUSALS = { overloaded: 'overloaded', rate_limited: 'rate_limited', timeout: 'timeout' };
const JSONRPC_CODES = { '-32002': 'overloaded', '-32005': 'rate_limited', '-32001': 'timeout', '-32800': 'cancelled',
	'-32700': 'parse_error', '-32600': 'invalid_request', '-32601': 'method_not_found', '-32602': 'invalid_params',
	'-32603': 'internal_error', '-32003': 'unauthorized', '-32004': 'forbidden' };
const TOPICS = ['soak.t0', 'soak.t1', 'soak.t2', 'soak.t3'];

const opt = options(process.argv.slice(2), DEFAULTS);
const wsUrl = (path) => `ws://127.0.0.1:${opt.port}${path}`;

// =================================================================== replies

/** {id, ok, result} or {id, code} (the error's name) or {id, malformed}, for one reply object. */
function classify(dialect, o) {
	if (o === null || typeof o !== 'object' || Array.isArray(o)) return { malformed: 'not an object' };
	if (dialect === 'ws') {
		if (o.status === 'ok') return { id: o.request_id, ok: true, result: o.result };
		if (o.status === 'error' && o.error && typeof o.error.code === 'string') return { id: o.request_id, code: o.error.code };
		return { id: o.request_id, malformed: 'bad status' };
	}
	if (o.jsonrpc !== '2.0') return { id: o.id, malformed: 'no "jsonrpc": "2.0"' };
	if ('result' in o && !('error' in o)) return { id: o.id, ok: true, result: o.result };
	if (o.error && Number.isInteger(o.error.code)) {
		return { id: o.id, code: (o.error.data && o.error.data.code) || JSONRPC_CODES[o.error.code] || String(o.error.code) };
	}
	return { id: o.id, malformed: 'neither result nor error' };
}

function isEvent(dialect, o) {
	if (dialect === 'ws') return o && typeof o === 'object' && !Array.isArray(o) && 'event' in o && !('request_id' in o);
	return o && typeof o === 'object' && !Array.isArray(o) && o.method === 'event' && !('id' in o);
}

// =================================================================== load: well-behaved clients

const rand = (n) => Math.floor(Math.random() * n);
const ECHO_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789 "\\/\n\té€😀';

function echoMessage() {
	let s = '';
	const n = 1 + rand(200);
	for (let i = 0; i < n; i++) s += ECHO_CHARS[rand(ECHO_CHARS.length)];
	return rand(500) === 0 ? s + '\ud800' : s; // now and then a lone surrogate, written back as sent
}

/** One call of the mix: its method, params and the result it must get. */
function mixCall() {
	const r = rand(100);
	if (r < 55) {
		const a = rand(2 ** 40) - 2 ** 39;
		const b = rand(2 ** 40);
		return { method: 'add_numbers', params: { a, b }, expect: a + b };
	}
	if (r < 85) {
		const message = echoMessage();
		return { method: 'echo', params: { message }, expect: message };
	}
	if (r < 95) {
		const ms = rand(20);
		return { method: 'sleep', params: { ms }, expect: ms };
	}
	return { method: 'ping', params: undefined, expect: 'pong' };
}

function newInterval() {
	return { calls: 0, ok: 0, refused: {}, lost: 0, duplicated: 0, wrong: 0, late: 0, behind: 0, closes: 0,
		events: 0, events_duplicated: 0, events_out_of_order: 0, publishes: 0, hist: new Histogram() };
}

let iv = newInterval();
const wrongExamples = [];

function wrong(why, detail) {
	iv.wrong++;
	if (wrongExamples.length < 20) wrongExamples.push({ why, detail: String(detail).slice(0, 300), at: new Date().toISOString() });
}

/** One well-behaved connection: sends calls, matches and checks every reply. */
class RpcConn {
	constructor(name, dialect) {
		this.name = name;
		this.dialect = dialect; // 'ws' or 'jsonrpc'
		this.nextId = 1;
		this.pending = new Map(); // id -> {t, expect, batch}
		this.outstanding = 0; // calls
		this.messages = 0; // messages in flight (closed loop)
		this.credit = 0;
		this.onEvent = null;
		this.onReply = null;
		this.stopped = false;
	}

	async open() {
		this.ws = await connect(wsUrl(this.dialect === 'ws' ? '/ws' : '/jsonrpc'));
		this.ws.on('message', (data) => this.receive(data.toString()));
		this.ws.on('close', (code) => this.closed(code));
	}

	request(id, call) {
		if (this.dialect === 'ws') {
			return call.params === undefined ? { request_id: id, action: call.method } : { request_id: id, action: call.method, params: call.params };
		}
		const r = { jsonrpc: '2.0', method: call.method };
		if (call.params !== undefined) r.params = call.params;
		if (id !== undefined) r.id = id;
		return r;
	}

	/** Sends one call, or (JSON-RPC) a batch of calls; returns how many calls it sent. */
	send(calls, { notify = false } = {}) {
		const now = process.hrtime.bigint();
		if (calls.length === 1 && !notify) {
			const id = this.nextId++;
			this.pending.set(id, { t: now, expect: calls[0].expect, method: calls[0].method });
			this.ws.send(JSON.stringify(this.request(id, calls[0])));
		} else {
			const ids = calls.map(() => this.nextId++);
			const batch = { ids, left: ids.length };
			const body = calls.map((c, i) => this.request(ids[i], c));
			if (notify) body.splice(rand(body.length + 1), 0, this.request(undefined, { method: 'echo', params: { message: 'n' } }));
			calls.forEach((c, i) => this.pending.set(ids[i], { t: now, expect: c.expect, method: c.method, batch }));
			this.ws.send(JSON.stringify(body));
		}
		this.outstanding += calls.length;
		this.messages++;
		iv.calls += calls.length;
		return calls.length;
	}

	receive(text) {
		let o;
		try { o = JSON.parse(text); } catch { wrong('reply is not JSON', text); return; }
		if (isEvent(this.dialect, o)) {
			if (this.onEvent) this.onEvent(o);
			else wrong('event on a connection that subscribed to nothing', text);
			return;
		}
		if (Array.isArray(o)) {
			if (this.dialect !== 'jsonrpc' || o.length === 0) { wrong('unexpected array', text); return; }
			const first = this.pending.get(o[0] && o[0].id);
			const batch = first && first.batch;
			if (!batch) {
				// every element's id already answered: a duplicated batch reply
				if (o.every((e) => e && Number.isInteger(e.id) && e.id < this.nextId)) iv.duplicated += o.length;
				else wrong('batch reply matching no batch', text);
				return;
			}
			if (o.length !== batch.ids.length || o.some((e, i) => !e || e.id !== batch.ids[i])) {
				wrong('batch reply not in the order or number of its requests', `sent ${batch.ids} got ${o.map((e) => e && e.id)}`);
			}
			for (const e of o) this.reply(e, true);
			this.messages--;
			if (this.onReply) this.onReply();
			return;
		}
		this.reply(o, false);
		this.messages--;
		if (this.onReply) this.onReply();
	}

	reply(o, inBatch) {
		const c = classify(this.dialect, o);
		if (c.id === null || c.id === undefined) { wrong(`reply without id (${c.code || c.malformed || 'ok'})`, JSON.stringify(o)); return; }
		const p = this.pending.get(c.id);
		if (!p) {
			if (Number.isInteger(c.id) && c.id > 0 && c.id < this.nextId) {
				if (this.expired && this.expired.has(c.id)) { this.expired.delete(c.id); iv.late++; } else iv.duplicated++;
			} else {
				wrong('reply to an id never sent', JSON.stringify(o));
			}
			return;
		}
		if (!!p.batch !== inBatch) wrong('reply outside its batch, or a batch element alone', JSON.stringify(o));
		this.pending.delete(c.id);
		this.outstanding--;
		if (c.ok) {
			if (!same(c.result, p.expect)) wrong(`${p.method}: wrong result`, `expected ${(typeof p.expect === 'function') ? 'a subscribe reply' : JSON.stringify(p.expect)} got ${JSON.stringify(c.result)}`);
			else {
				iv.ok++;
				iv.hist.record(Number(process.hrtime.bigint() - p.t) / 1000);
			}
		} else if (c.code && REFUSALS[c.code]) {
			bump(iv.refused, c.code);
		} else {
			wrong(`${p.method}: ${c.code || c.malformed}`, JSON.stringify(o));
		}
	}

	/** Calls older than the deadline are lost; a reply that still comes counts as late. */
	expire(deadlineNs) {
		const now = process.hrtime.bigint();
		for (const [id, p] of this.pending) {
			if (now - p.t > deadlineNs) {
				this.pending.delete(id);
				this.outstanding--;
				(this.expired ??= new Set()).add(id);
				iv.lost++;
			}
		}
	}

	closed(code) {
		if (this.stopped) return;
		iv.closes++;
		iv.lost += this.pending.size;
		wrong(`connection ${this.name} closed by the server with ${code}`, `${this.pending.size} calls without reply`);
		this.pending.clear();
		this.outstanding = 0;
		this.messages = 0;
		if (this.reopen) setTimeout(() => this.reopen().catch(() => {}), 1000);
	}
}

// the reply of subscribe: whether it is new and, for an exact topic, its offset and epoch
function subscribed(topic) {
	return (r) => r !== null && typeof r === 'object' && r.new === true
		&& (topic.endsWith('.*') ? Object.keys(r).length === 1 : Number.isInteger(r.offset) && typeof r.epoch === 'string');
}

function same(a, b) {
	if (typeof b === 'function') return b(a);
	if (typeof b === 'number') return typeof a === 'number' && a === b;
	return a === b;
}

async function loadRole() {
	const clients = [];
	for (let i = 0; i < opt['ws-clients']; i++) clients.push(new RpcConn(`ws-${i}`, 'ws'));
	for (let i = 0; i < opt['jsonrpc-clients']; i++) clients.push(new RpcConn(`jsonrpc-${i}`, 'jsonrpc'));
	for (const c of clients) { c.reopen = () => c.open(); await c.open(); }

	// pub/sub: per endpoint four subscribers of two topics each and one of soak.*, so every
	// event reaches six connections; one publisher per endpoint, 25 publishes a second each
	const subscribers = [];
	for (const dialect of ['ws', 'jsonrpc']) {
		for (let i = 0; i < 4; i++) subscribers.push({ conn: new RpcConn(`sub-${dialect}-${i}`, dialect), topics: [TOPICS[i], TOPICS[(i + 1) % 4]] });
		subscribers.push({ conn: new RpcConn(`sub-${dialect}-all`, dialect), topics: ['soak.*'] });
	}
	const acked = [new Map(), new Map()]; // per publisher: seq -> topic, publishes answered ok
	for (const s of subscribers) {
		s.seen = [new Set(), new Set()];
		s.last = [{}, {}];
		s.conn.onEvent = (o) => {
			const ev = s.conn.dialect === 'ws' ? { topic: o.event, data: o.data, offset: o.offset } : o.params;
			if (!ev || !ev.data || !Number.isInteger(ev.data.s) || !(ev.data.p === 0 || ev.data.p === 1)) { wrong('malformed event', JSON.stringify(o)); return; }
			const { p, s: seq } = ev.data;
			if (!s.topics.some((t) => t === ev.topic || (t === 'soak.*' && ev.topic.startsWith('soak.')))) wrong('event of a topic not subscribed', JSON.stringify(o));
			if (ev.data.topic !== ev.topic) wrong('event under the wrong topic', JSON.stringify(o));
			// every event of a topic has the next offset of that topic
			const previous = s.offsets[ev.topic];
			if (!Number.isInteger(ev.offset) || (previous !== undefined && ev.offset !== previous + 1)) wrong('event offset not the next of its topic', `after ${previous}: ${JSON.stringify(o)}`);
			s.offsets[ev.topic] = ev.offset;
			if (s.seen[p].has(seq)) { iv.events_duplicated++; return; }
			s.seen[p].add(seq);
			if (seq < (s.last[p][ev.topic] || 0)) iv.events_out_of_order++;
			s.last[p][ev.topic] = seq;
			iv.events++;
		};
		s.conn.reopen = async () => {
			await s.conn.open();
			s.offsets = {};
			for (const t of s.topics) s.conn.send([{ method: 'subscribe', params: { topic: t }, expect: subscribed(t) }]);
		};
		await s.conn.reopen();
	}
	while (subscribers.some((s) => s.conn.outstanding > 0)) await sleep(20);
	// a connection that only listens is idle to the server (wsrpc.idle-timeout, 5 min):
	// subscribers call ping once a minute (events sent to a client are not its messages)
	const keepalive = setInterval(() => {
		for (const s of subscribers) if (s.conn.ws.readyState === WebSocket.OPEN) s.conn.send([{ method: 'ping', params: undefined, expect: 'pong' }]);
	}, 60000);
	const publishers = [new RpcConn('pub-ws', 'ws'), new RpcConn('pub-jsonrpc', 'jsonrpc')];
	for (const p of publishers) { p.reopen = () => p.open(); await p.open(); }
	const pubSeq = [0, 0];
	let publishing = null;
	// each publisher publishes when its previous publish has been answered (calls of one
	// connection run concurrently, so only then is the order of its events promised)
	const publishEvery = (ms) => setInterval(() => {
		publishers.forEach((pub, p) => {
			if (pub.outstanding > 0 || pub.ws.readyState !== WebSocket.OPEN) return;
			const seq = ++pubSeq[p];
			const topic = TOPICS[seq % 4];
			const id = pub.nextId;
			pub.send([{ method: 'publish', params: { topic, data: { p, s: seq, topic } }, expect: 6 }]);
			pub.pending.get(id).onOk = () => acked[p].set(seq, topic);
			iv.publishes++;
		});
	}, ms);
	// acked publishes: wrap reply() of the publishers to learn which publishes were answered ok
	for (const pub of publishers) {
		const reply = pub.reply.bind(pub);
		pub.reply = (o, inBatch) => {
			const c = classify(pub.dialect, o);
			const p = pub.pending.get(c.id);
			reply(o, inBatch);
			if (p && p.onOk && c.ok && c.result === 6) p.onOk();
		};
	}

	const all = [...clients, ...subscribers.map((s) => s.conn), ...publishers];
	const expiry = setInterval(() => { for (const c of all) c.expire(BigInt(opt.deadline) * 1_000_000_000n); }, 1000);

	const nextMessage = (c) => {
		if (c.dialect === 'jsonrpc' && rand(4) === 0) {
			const calls = [];
			for (let k = 2 + rand(7); k > 0; k--) calls.push(mixCall());
			return c.send(calls, { notify: rand(5) === 0 });
		}
		return c.send([mixCall()]);
	};

	let mode = 'idle';
	let calibration = [];
	let rate = 0;
	let pacer = null;

	const closedLoop = () => {
		mode = 'closed';
		for (const c of clients) {
			c.onReply = () => { if (mode === 'closed' && c.ws.readyState === WebSocket.OPEN) while (c.messages < opt.depth) nextMessage(c); };
			c.onReply();
		}
	};

	const openLoop = (cps) => {
		mode = 'open';
		rate = cps;
		for (const c of clients) c.onReply = null;
		const perClient = rate / clients.length;
		let last = process.hrtime.bigint();
		const cap = 100; // calls in flight per connection, below the server's max-in-flight (128)
		pacer = setInterval(() => {
			const now = process.hrtime.bigint();
			const dt = Number(now - last) / 1e9;
			last = now;
			for (const c of clients) {
				c.credit += perClient * dt;
				if (c.ws.readyState !== WebSocket.OPEN) { iv.behind += Math.floor(c.credit); c.credit = 0; continue; }
				while (c.credit >= 1 && c.outstanding < cap) c.credit -= nextMessage(c);
				if (c.credit >= 1) { iv.behind += Math.floor(c.credit); c.credit = 0; }
			}
		}, 10);
	};

	const takeInterval = () => {
		const out = iv;
		iv = newInterval();
		out.in_flight = all.reduce((n, c) => n + c.outstanding, 0);
		out.hist = out.hist.toJSON();
		return out;
	};

	process.on('message', async (m) => {
		if (m.type === 'calibrate') {
			closedLoop();
			publishing = publishEvery(40);
			await sleep((m.seconds - 15) * 1000);
			const warm = takeInterval();
			const t0 = process.hrtime.bigint();
			await sleep(15000);
			const got = takeInterval();
			const s = Number(process.hrtime.bigint() - t0) / 1e9;
			mode = 'idle';
			while (clients.some((c) => c.outstanding > 0)) await sleep(20);
			calibration = [warm, got];
			process.send({ type: 'calibrated', calls_per_second: Math.round((got.ok + Object.values(got.refused).reduce((a, b) => a + b, 0)) / s) });
		} else if (m.type === 'run') {
			// what the calibration's calls got is checked as strictly as the soak's
			const stats = {};
			for (const x of [...calibration, takeInterval()]) { delete x.hist; addCounts(stats, x); }
			process.send({ type: 'started', calibration: stats });
			openLoop(m.rate);
		} else if (m.type === 'tick') {
			process.send({ type: 'tick', stats: takeInterval() });
		} else if (m.type === 'stop') {
			clearInterval(pacer);
			clearInterval(publishing);
			mode = 'idle';
			const until = Date.now() + opt.deadline * 1000;
			while (all.some((c) => c.outstanding > 0) && Date.now() < until) await sleep(50);
			await sleep(2000); // the last events
			for (const c of all) c.expire(0n);
			clearInterval(expiry);
			clearInterval(keepalive);
			// events lost: publishes answered ok whose event a matching subscriber never got
			let expected = 0;
			let lost = 0;
			for (const s of subscribers) {
				for (let p = 0; p < 2; p++) {
					for (const [seq, topic] of acked[p]) {
						if (!s.topics.some((t) => t === topic || t === 'soak.*')) continue;
						expected++;
						if (!s.seen[p].has(seq)) lost++;
					}
				}
			}
			for (const c of all) { c.stopped = true; c.ws.close(1000); }
			process.send({ type: 'final', stats: takeInterval(), events_expected: expected, events_lost: lost, wrong_examples: wrongExamples });
			await sleep(500);
			process.exit(0);
		}
	});
	process.send({ type: 'ready' });
}

// =================================================================== hostile clients

function newHostile() {
	return {
		attacker: { connections: 0, batches: 0, batch_replies: 0, sleeps_ok: 0, sleeps_refused: {}, huge_ids: 0, huge_id_replies: {}, closes: {} },
		slow_reader: { connections: 0, requests: 0, dropped: 0, not_dropped: 0, drop_seconds_max: 0 },
		flooder: { connections: 0, messages: 0, ok: 0, rate_limited: 0, other: 0, closes: {} },
		churn: { opened: 0, refused: 0, ping_ok: 0 },
		garbage: { messages: 0, replies: {}, closes: {} },
	};
}

let hv = newHostile();

async function attacker(index) {
	const pad = 'x'.repeat(opt['attack-size']);
	const batch = JSON.stringify([
		{ jsonrpc: '2.0', method: 'sleep', params: { ms: 8000 }, id: 1 },
		{ jsonrpc: '2.0', method: 'echo', params: { message: pad }, id: 2 },
	]);
	const hugeId = `{"jsonrpc":"2.0","method":"sleep","params":{"ms":8000},"id":"${pad}"}`;
	for (;;) {
		let ws;
		try { ws = await connect(wsUrl('/jsonrpc'), { zeroMask: true }); } catch { await sleep(1000); continue; }
		hv.attacker.connections++;
		const send = () => { if (ws.readyState === WebSocket.OPEN) { ws.send(batch); hv.attacker.batches++; } };
		ws.on('message', (data) => {
			let o;
			try { o = JSON.parse(data.toString()); } catch { return; }
			if (Array.isArray(o)) {
				hv.attacker.batch_replies++;
				const s = o.find((e) => e.id === 1);
				if (s && 'result' in s) hv.attacker.sleeps_ok++;
				else bump(hv.attacker.sleeps_refused, s ? classify('jsonrpc', s).code : 'missing');
				send();
			} else {
				bump(hv.attacker.huge_id_replies, classify('jsonrpc', o).code || 'ok');
			}
		});
		const closed = new Promise((r) => ws.on('close', (code) => { bump(hv.attacker.closes, code); r(); }));
		for (let i = 0; i < opt['attack-batches']; i++) send();
		// one refused 900 KB id a second; after a minute close with calls running, and again
		const ids = setInterval(() => { if (ws.readyState === WebSocket.OPEN) { ws.send(hugeId); hv.attacker.huge_ids++; } }, 1000);
		await Promise.race([sleep(60000 + index * 5000), closed]);
		clearInterval(ids);
		ws.close(1000);
		await Promise.race([closed, sleep(5000)]);
		ws.terminate();
	}
}

async function slowReader() {
	const message = 'y'.repeat(64 * 1024);
	for (;;) {
		let ws;
		try { ws = await connect(wsUrl('/ws')); } catch { await sleep(1000); continue; }
		hv.slow_reader.connections++;
		ws._socket.pause(); // reads nothing from here on
		let closedAt = null;
		ws.on('close', () => { closedAt = Date.now(); });
		const started = Date.now();
		for (let i = 0; i < 256; i++) ws.send(JSON.stringify({ request_id: i, action: 'echo', params: { message } }));
		hv.slow_reader.requests += 256;
		await flushed(ws);
		// 16 MB of replies do not fit the socket buffers and the server's 1 MB send buffer:
		// the server must drop this connection; read again after 15 s to see whether it did
		await sleep(15000);
		ws._socket.resume();
		const until = Date.now() + 5000;
		while (closedAt === null && Date.now() < until) await sleep(50);
		if (closedAt !== null) {
			hv.slow_reader.dropped++;
		} else {
			hv.slow_reader.not_dropped++;
			ws.terminate();
		}
		hv.slow_reader.drop_seconds_max = Math.max(hv.slow_reader.drop_seconds_max, round1(((closedAt ?? Date.now()) - started) / 1000));
		await sleep(2000);
	}
}

async function flooder() {
	const ping = (i) => `{"request_id":${i},"action":"ping"}`;
	for (;;) {
		let ws;
		try { ws = await connect(wsUrl('/ws')); } catch { await sleep(1000); continue; }
		hv.flooder.connections++;
		ws.on('message', (data) => {
			const c = classify('ws', JSON.parse(data.toString()));
			if (c.ok) hv.flooder.ok++;
			else if (c.code === 'rate_limited') hv.flooder.rate_limited++;
			else hv.flooder.other++;
		});
		const closed = new Promise((r) => ws.on('close', (code) => { bump(hv.flooder.closes, code); r(); }));
		for (let i = 0; i < opt['flood-messages']; i++) ws.send(ping(i));
		hv.flooder.messages += opt['flood-messages'];
		await Promise.race([closed, sleep(15000)]);
		ws.terminate();
		await sleep(10000);
	}
}

async function churn() {
	for (let i = 0; ; i++) {
		const path = i % 2 === 0 ? '/ws' : '/jsonrpc';
		let ws;
		try { ws = await connect(wsUrl(path)); } catch { hv.churn.refused++; await sleep(100); continue; }
		hv.churn.opened++;
		const call = (id, method, params) => (path === '/ws'
			? JSON.stringify({ request_id: id, action: method, params })
			: JSON.stringify({ jsonrpc: '2.0', id, method, params }));
		switch (i % 4) {
			case 0: { // a ping, its reply, a clean close
				const got = new Promise((r) => ws.once('message', r));
				ws.send(call(1, 'ping', {}));
				if (await Promise.race([got.then(() => true), sleep(5000).then(() => false)])) hv.churn.ping_ok++;
				ws.close(1000);
				break;
			}
			case 1: ws.close(1000); break; // nothing at all
			case 2: ws.send(call(1, 'sleep', { ms: 2000 })); await flushed(ws); ws.terminate(); break; // a call, then a dropped TCP connection
			default: ws.send(call(1, 'sleep', { ms: 500 })); ws.close(1000); // a call, then a close without waiting
		}
		await sleep(100);
	}
}

function garbageItems(path) {
	const deep = '['.repeat(600) + ']'.repeat(600);
	const digits = '9'.repeat(2000);
	const common = ['not json', '{"request_id":', '', '[]', '42', '"text"', '{}', 'null', deep, '{"a":1} trailing'];
	if (path === '/ws') {
		return [...common,
			'{"request_id":"g","action":"no_such_method"}',
			'{"request_id":"g","action":"add_numbers","params":{"a":"x","b":1}}',
			'{"request_id":"g","action":"sleep","params":{"ms":20000}}',
			'{"request_id":"g","action":"add_numbers","params":null}',
			`{"request_id":"g","action":"add_numbers","params":{"a":${digits},"b":1}}`,
			'{"request_id":"g","action":"add_numbers","params":{"a":1e2001,"b":1}}',
			`{"request_id":"${'i'.repeat(200)}","action":"ping"}`,
			'{"request_id":"g","action":"publish","params":{"topic":"bad topic!","data":1}}',
			'{"request_id":"g","action":"subscribe","params":{"topic":"a..b"}}'];
	}
	const unknown = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ jsonrpc: '2.0', method: `nope${i}`, id: i })));
	return [...common,
		'{"jsonrpc":"2.0","method":"no_such_method","id":1}',
		'{"jsonrpc":"1.0","method":"ping","id":1}',
		'{"jsonrpc":"2.0","method":"add_numbers","params":[1],"id":1}',
		'{"jsonrpc":"2.0","method":"sleep","params":{"ms":-1},"id":1}',
		'[1,2]',
		unknown,
		JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: '2.0', method: 'ping', id: i }))),
		`{"jsonrpc":"2.0","method":"ping","id":"${'i'.repeat(200)}"}`,
		'{"jsonrpc":"2.0","method":"ping","id":{"a":1}}'];
}

async function garbage(path) {
	const items = garbageItems(path);
	for (;;) {
		let ws;
		try { ws = await connect(wsUrl(path)); } catch { await sleep(1000); continue; }
		ws.on('message', (data) => {
			let o;
			try { o = JSON.parse(data.toString()); } catch { bump(hv.garbage.replies, 'not json'); return; }
			for (const e of Array.isArray(o) ? o : [o]) {
				const c = classify(path === '/ws' ? 'ws' : 'jsonrpc', e);
				bump(hv.garbage.replies, c.ok ? 'ok' : (c.code || 'malformed'));
			}
		});
		const closed = new Promise((r) => ws.on('close', (code) => { bump(hv.garbage.closes, code); r(); }));
		let open = true;
		closed.then(() => { open = false; });
		for (let i = 0; open; i++) {
			ws.send(items[i % items.length]);
			hv.garbage.messages++;
			await sleep(20);
		}
		await sleep(1000);
	}
}

function hostileRole() {
	process.on('message', (m) => {
		if (m.type === 'start') {
			for (let i = 0; i < opt['attack-connections']; i++) attacker(i);
			slowReader();
			flooder();
			churn();
			garbage('/ws');
			garbage('/jsonrpc');
		} else if (m.type === 'tick') {
			process.send({ type: 'tick', stats: hv });
			hv = newHostile();
		} else if (m.type === 'stop') {
			process.send({ type: 'final', stats: hv });
			setTimeout(() => process.exit(0), 200);
		}
	});
	process.send({ type: 'ready' });
}

// =================================================================== coordinator

function child(role) {
	const args = process.argv.slice(2).filter((a, i, all) => a !== '--role' && all[i - 1] !== '--role');
	const c = fork(SELF, [...args, '--role', role], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const waiting = new Map();
	c.on('message', (m) => { const w = waiting.get(m.type); if (w) { waiting.delete(m.type); w(m); } });
	c.on('exit', (code) => { if (code) process.stderr.write(`soak: the ${role} process exited with ${code}\n`); });
	c.ask = (msg, reply) => new Promise((r) => { waiting.set(reply, r); c.send(msg); });
	c.wait = (type) => new Promise((r) => waiting.set(type, r));
	return c;
}

let logLines = 0;
let logOffset = 0;
function countLogLines() {
	if (!opt.log) return null;
	try {
		const fd = fs.openSync(opt.log, 'r');
		const buf = Buffer.alloc(1 << 20);
		for (;;) {
			const n = fs.readSync(fd, buf, 0, buf.length, logOffset);
			if (n <= 0) break;
			for (let i = 0; i < n; i++) if (buf[i] === 10) logLines++;
			logOffset += n;
		}
		fs.closeSync(fd);
	} catch { /* no log */ }
	return logLines;
}

async function serverSample() {
	const before = processFacts(opt.pid);
	const rpc = await getJson(opt.port, '/actuator/rpc');
	const heap = await liveHeap(opt.jcmd, opt.pid); // last: the full GC pauses the server
	return {
		rss_mb: before && before.rss_mb, threads: before && before.threads, fds: before && before.fds,
		cpu_s: before && before.cpu_s, open_connections: rpc ? rpc.openConnections : null,
		calls_in_flight: rpc ? rpc.callsInFlight : null, ...heap, log_lines: countLogLines(),
	};
}

const log = (s) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

async function coordinator() {
	if (!opt.port || !opt.pid) throw new Error('--port and --pid are required');
	const startedAt = new Date();
	const load = child('load');
	const hostile = child('hostile');
	await Promise.all([load.wait('ready'), hostile.wait('ready')]);
	log('clients connected; sampling the server before the hostile clients start');
	const baseline = await serverSample();
	hostile.send({ type: 'start' });
	log(`calibrating for ${opt.calibrate} s: closed loop, ${opt.depth} messages in flight per connection, hostile clients on`);
	const cal = await load.ask({ type: 'calibrate', seconds: opt.calibrate }, 'calibrated');
	const rate = Math.round(cal.calls_per_second * opt.share);
	log(`maximum ${cal.calls_per_second} calls/s; offering ${rate} calls/s for ${opt.minutes} min`);
	await hostile.ask({ type: 'tick' }, 'tick'); // drop the calibration's counts
	const runStart = Date.now();
	const { calibration } = await load.ask({ type: 'run', rate }, 'started');
	const rows = [];
	let lastCpu = processFacts(opt.pid)?.cpu_s;
	let lastT = Date.now();
	const end = runStart + opt.minutes * 60000;
	const totals = { load: addCounts({}, calibration), hist: new Histogram(), hostile: {} };
	while (Date.now() < end) {
		await sleep(Math.max(0, Math.min(opt.sample * 1000 - ((Date.now() - runStart) % (opt.sample * 1000)), end - Date.now())));
		const [l, h] = await Promise.all([load.ask({ type: 'tick' }, 'tick'), hostile.ask({ type: 'tick' }, 'tick')]);
		const now = Date.now();
		const server = await serverSample();
		const hist = Histogram.from(l.stats.hist);
		totals.hist.add(hist);
		delete l.stats.hist;
		addCounts(totals.load, l.stats);
		addCounts(totals.hostile, h.stats);
		const seconds = (now - lastT) / 1000;
		const row = {
			t: Math.round((now - runStart) / 1000), ...l.stats, calls_per_second: Math.round(l.stats.calls / seconds),
			answered_per_second: Math.round((l.stats.ok + Object.values(l.stats.refused).reduce((a, b) => a + b, 0)) / seconds),
			p50_ms: hist.percentileMs(50), p99_ms: hist.percentileMs(99), max_ms: hist.max / 1000,
			server_cpu_pct: server.cpu_s != null && lastCpu != null ? Math.round(((server.cpu_s - lastCpu) / seconds) * 100) : null,
			server, hostile: h.stats,
		};
		lastCpu = server.cpu_s;
		lastT = now;
		rows.push(row);
		log(`t=${row.t}s ${row.answered_per_second} calls/s p99 ${fmt(row.p99_ms)} ms refused ${JSON.stringify(row.refused)} lost ${row.lost} dup ${row.duplicated} wrong ${row.wrong}`
			+ ` | live heap ${server.live_mb} MB RSS ${server.rss_mb} MB threads ${server.threads} conns ${server.open_connections} in flight ${server.calls_in_flight}`);
	}
	log('stopping: waiting for the replies still due');
	const [lf, hf] = await Promise.all([load.ask({ type: 'stop' }, 'final'), hostile.ask({ type: 'stop' }, 'final')]);
	addCounts(totals.hostile, hf.stats);
	delete lf.stats.hist;
	addCounts(totals.load, lf.stats);
	await sleep(3000);
	const after = await serverSample();
	const result = {
		title: opt.title, started: startedAt.toISOString(), minutes: opt.minutes, machine: readMachine(),
		settings: pick(opt, ['ws-clients', 'jsonrpc-clients', 'depth', 'calibrate', 'share', 'sample', 'deadline',
			'attack-connections', 'attack-batches', 'attack-size', 'flood-messages']),
		calibrated_calls_per_second: cal.calls_per_second, offered_calls_per_second: rate,
		baseline, after, rows, calibration,
		totals: { ...totals.load, p50_ms: totals.hist.percentileMs(50), p99_ms: totals.hist.percentileMs(99), max_ms: totals.hist.max / 1000,
			events_expected: lf.events_expected, events_lost: lf.events_lost },
		hostile: totals.hostile, wrong_examples: lf.wrong_examples,
	};
	result.verdict = verdict(result);
	if (opt.json) fs.writeFileSync(opt.json, JSON.stringify(result, null, 1) + '\n');
	const md = markdown(result);
	if (opt.out) fs.writeFileSync(opt.out, md);
	process.stdout.write(md);
	process.exit(result.verdict.clean ? 0 : 1);
}

function readMachine() {
	try { return opt.machine ? JSON.parse(fs.readFileSync(opt.machine, 'utf8')) : null; } catch { return null; }
}

const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));
const fmt = (x) => (x == null ? '' : x >= 100 ? String(Math.round(x)) : String(Math.round(x * 100) / 100));
const median = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };

/** Flat: the median of the last third of the samples against the median of the first third. */
function trend(rows, get) {
	const n = rows.length;
	if (n < 3) return null;
	const third = Math.max(1, Math.floor(n / 3));
	const first = median(rows.slice(0, third).map(get));
	const last = median(rows.slice(n - third).map(get));
	const all = rows.map(get).filter((x) => x != null);
	return { first_third_median: first, last_third_median: last, change: last != null && first != null ? round1(last - first) : null,
		min: Math.min(...all), max: Math.max(...all) };
}

function verdict(r) {
	const t = r.totals;
	const checks = {
		lost: t.lost || 0, duplicated: t.duplicated || 0, wrong: t.wrong || 0,
		events_lost: t.events_lost || 0, events_duplicated: t.events_duplicated || 0, events_out_of_order: t.events_out_of_order || 0,
		well_behaved_connections_closed: t.closes || 0, slow_readers_not_dropped: (r.hostile.slow_reader || {}).not_dropped || 0,
	};
	return {
		clean: Object.values(checks).every((v) => v === 0), checks,
		live_heap_mb: trend(r.rows, (x) => x.server.live_mb), rss_mb: trend(r.rows, (x) => x.server.rss_mb),
		threads: trend(r.rows, (x) => x.server.threads), fds: trend(r.rows, (x) => x.server.fds),
	};
}

function markdown(r) {
	const m = r.machine;
	const t = r.totals;
	const refusedTotal = Object.values(t.refused || {}).reduce((a, b) => a + b, 0);
	const lines = [];
	lines.push(`# Soak: ${r.minutes} minutes of mixed load with hostile clients`, '');
	if (m) {
		lines.push(`${m.cores} cores ${m.cpu}, ${m.memory}, ${m.os}, ${m.kernel}, ${m.container}, server ${m.server_java}, `
			+ `Node ${process.versions.node} clients, fd limit ${m.fd_limit}, commit ${m.commit}, ${r.started}`, '');
	}
	if (r.title) lines.push(r.title, '');
	lines.push(`**${r.verdict.clean ? 'Clean' : 'NOT CLEAN'}**: ${Object.entries(r.verdict.checks).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ')}.`, '');
	lines.push(`The maximum of the well-behaved mix, measured closed-loop (${r.settings.depth} messages in flight per connection) with the `
		+ `hostile clients already running, over the last 15 s of a ${r.settings.calibrate} s preliminary phase of this run: `
		+ `**${r.calibrated_calls_per_second} calls/s**. Offered during the soak, open-loop: ${Math.round(r.settings.share * 100)}% of it, `
		+ `**${r.offered_calls_per_second} calls/s** over ${r.settings['ws-clients']} connections to \`/ws\` and ${r.settings['jsonrpc-clients']} to \`/jsonrpc\`.`, '');
	lines.push('## Over time', '',
		`Every ${r.settings.sample} s: the well-behaved clients' calls in that interval; the server's live heap after a full GC `
		+ '(`jcmd GC.run`, then `GC.heap_info`), RSS, threads and file descriptors from `/proc`, open connections and calls in flight from '
		+ '`/actuator/rpc`, its CPU (100% is one core) and the lines its log has grown by.', '',
		'| t s | calls/s sent | answered/s | p50 ms | p99 ms | refused | lost | dup | wrong | events | live heap MB | RSS MB | threads | fds | connections | in flight | CPU % | log lines |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	const b = r.baseline;
	lines.push(`| before | | | | | | | | | | ${fmt(b.live_mb)} | ${fmt(b.rss_mb)} | ${b.threads} | ${b.fds} | ${b.open_connections} | ${b.calls_in_flight} | | ${b.log_lines ?? ''} |`);
	let prevLog = b.log_lines;
	const c = r.calibration;
	const cRefused = Object.values(c.refused || {}).reduce((a, v) => a + v, 0);
	lines.push(`| calibration | ${Math.round(c.calls / r.settings.calibrate)} | | | | ${cRefused} | ${c.lost} | ${c.duplicated} | ${c.wrong} | ${c.events} | | | | | | | | |`);
	for (const x of r.rows) {
		const refused = Object.values(x.refused).reduce((a, c) => a + c, 0);
		const s = x.server;
		lines.push(`| ${x.t} | ${x.calls_per_second} | ${x.answered_per_second} | ${fmt(x.p50_ms)} | ${fmt(x.p99_ms)} | ${refused} | ${x.lost} | ${x.duplicated} | ${x.wrong} | ${x.events} `
			+ `| ${fmt(s.live_mb)} | ${fmt(s.rss_mb)} | ${s.threads} | ${s.fds} | ${s.open_connections} | ${s.calls_in_flight} | ${x.server_cpu_pct ?? ''} | ${s.log_lines != null && prevLog != null ? s.log_lines - prevLog : ''} |`);
		prevLog = s.log_lines;
	}
	const a = r.after;
	lines.push(`| after | | | | | | | | | | ${fmt(a.live_mb)} | ${fmt(a.rss_mb)} | ${a.threads} | ${a.fds} | ${a.open_connections} | ${a.calls_in_flight} | | ${a.log_lines != null && prevLog != null ? a.log_lines - prevLog : ''} |`, '');
	lines.push('"before": connected, no load and no hostile client yet; "calibration": the preliminary phase (its calls are checked and counted in the totals too); "after": every client closed, 3 s later. '
		+ 'The full GC before each heap reading pauses the server, which shows in the max latency of the interval after it.', '');
	lines.push('## Totals', '', '### Well-behaved clients', '', 'The calibration and the soak together.', '',
		'| | |', '|---|---|',
		`| calls sent | ${t.calls} |`,
		`| answered correctly | ${t.ok} |`,
		`| refused with a documented code | ${refusedTotal} ${refusedTotal ? `(${Object.entries(t.refused).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''} |`,
		`| lost (no reply within ${r.settings.deadline} s) | ${t.lost} |`,
		`| late (a reply after the deadline) | ${t.late} |`,
		`| duplicated (a second reply to one id) | ${t.duplicated} |`,
		`| wrong (bad result, unexpected error, malformed) | ${t.wrong} |`,
		`| not sent because a connection had 100 calls in flight | ${t.behind} |`,
		`| well-behaved connections closed by the server | ${t.closes} |`,
		`| latency of correct replies | p50 ${fmt(t.p50_ms)} ms, p99 ${fmt(t.p99_ms)} ms, max ${fmt(t.max_ms)} ms |`,
		`| publishes | ${t.publishes} |`,
		`| events of publishes answered 6: expected / received / lost | ${t.events_expected} / ${t.events_expected - t.events_lost} / ${t.events_lost} |`,
		`| events received twice / out of order (one publisher, one topic) | ${t.events_duplicated} / ${t.events_out_of_order} |`, '');
	lines.push('The mix: `add_numbers` with random 40-bit operands (55%), `echo` of 1 to 200 random characters, '
		+ 'non-ASCII and now and then a lone surrogate included (30%), `sleep` of 0 to 19 ms (10%), `ping` (5%); a quarter of the '
		+ 'JSON-RPC messages are batches of 2 to 8 such calls, one in five of them with an `echo` notification. '
		+ 'Pub/sub: per endpoint four subscribers of two of the topics `soak.t0`..`soak.t3` and one of `soak.*`, and one publisher '
		+ 'publishing 25 events a second round the topics; every `publish` must answer 6 (connections reached) and every subscriber '
		+ 'must get each event of its topics once, in order.', '');
	if (r.wrong_examples && r.wrong_examples.length) {
		lines.push('Wrong replies (first ones):', '');
		for (const w of r.wrong_examples) lines.push(`- ${w.at} ${w.why}: \`${w.detail.replace(/`/g, "'")}\``);
		lines.push('');
	}
	const h = r.hostile;
	const kv = (o) => Object.entries(o || {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
	lines.push('### Hostile clients', '', '| client | what it does | what happened |', '|---|---|---|',
		`| memory attacker | ${r.settings['attack-connections']} connections to \`/jsonrpc\`, each keeping ${r.settings['attack-batches']} batches \`[sleep 8000, echo of ${r.settings['attack-size']} characters]\` running (the echo's reply is held until the sleep ends) and sending a \`sleep\` with a ${r.settings['attack-size']}-character id every second; each closes after a minute with its calls running and connects again `
		+ `| ${h.attacker.connections} connections, ${h.attacker.batches} batches sent, ${h.attacker.batch_replies} answered (sleep ok ${h.attacker.sleeps_ok}, refused: ${kv(h.attacker.sleeps_refused)}); ${h.attacker.huge_ids} huge ids sent, answered: ${kv(h.attacker.huge_id_replies)}; closes: ${kv(h.attacker.closes)} |`,
		`| slow reader | connects to \`/ws\`, stops reading, sends 256 \`echo\` calls of 64 KB (16 MB of replies), reads again 15 s later to see whether the server dropped it; again 2 s later `
		+ `| ${h.slow_reader.connections} connections, ${h.slow_reader.dropped} dropped by the server, ${h.slow_reader.not_dropped} not dropped |`,
		`| flooder | sends ${r.settings['flood-messages']} \`ping\` messages at once on \`/ws\` (the rate limit allows a burst of 20,000 and 10,000 a second), waits for the close, again 10 s later `
		+ `| ${h.flooder.connections} connections, ${h.flooder.messages} messages: ${h.flooder.ok} answered, ${h.flooder.rate_limited} \`rate_limited\`, ${h.flooder.other} other; closes: ${kv(h.flooder.closes)} |`,
		`| churn | opens a connection (\`/ws\` and \`/jsonrpc\` in turn) every 100 ms and closes it: after a \`ping\` and its reply, at once, after a \`sleep\` by dropping TCP, or after a \`sleep\` without waiting `
		+ `| ${h.churn.opened} opened, ${h.churn.refused} refused, ${h.churn.ping_ok} pings answered |`,
		`| garbage | one connection per endpoint sending 50 messages a second: text that is not JSON, JSON that is no request, unknown methods, invalid params, numbers and nesting beyond the parser's limits, ids over 128 characters, batches of 50 unknown methods and of 1,001 calls `
		+ `| ${h.garbage.messages} messages; replies by code: ${kv(h.garbage.replies)}; closes: ${kv(h.garbage.closes)} |`, '');
	const v = r.verdict;
	const tr = (name, x, unit) => (x ? `| ${name} | ${fmt(x.first_third_median)} ${unit} | ${fmt(x.last_third_median)} ${unit} | ${x.change >= 0 ? '+' : ''}${fmt(x.change)} ${unit} | ${fmt(x.min)} to ${fmt(x.max)} ${unit} |` : `| ${name} | | | | |`);
	lines.push('### Flat?', '', '| series | median of the first third | median of the last third | change | range |', '|---|---|---|---|---|',
		tr('live heap', v.live_heap_mb, 'MB'), tr('RSS', v.rss_mb, 'MB'), tr('threads', v.threads, ''), tr('file descriptors', v.fds, ''), '');
	lines.push('Rerun: `bench/soak.sh [minutes]`; the raw samples are in `soak.json` beside this file.', '');
	return lines.join('\n');
}

// =================================================================== main

if (opt.role === 'load') loadRole();
else if (opt.role === 'hostile') hostileRole();
else coordinator().catch((e) => { process.stderr.write(`soak: ${e.stack || e}\n`); process.exit(2); });
