#!/usr/bin/env node
// The memory attack of issue 13 against a running wsrpc server, and variants that hold
// bytes in other ways: measures the live heap after a full GC before and during the attack,
// and how long a fresh client's ping takes meanwhile. Started by bench/attack.sh.
//
//   node attack.mjs --port P --pid PID --jcmd PATH --variant id|batch|batch-many
//       [--connections 20] [--calls 128] [--size 900000] [--ms 8000] [--elements 500]
// stdout: one JSON object.
//   node attack.mjs --report results.jsonl --out attack.md [--machine machine.json]
// writes the Markdown report of the runs in results.jsonl.
import fs from 'node:fs';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { options, connect, flushed, getJson, liveHeap, processFacts, sleep, round1 } from './lib.mjs';

const opt = options(process.argv.slice(2), {
	port: 0, pid: 0, jcmd: 'jcmd', variant: 'id', connections: 20, calls: 128, size: 900000, ms: 8000,
	elements: 500, probe: 2000, jdk: '', report: '', out: '', machine: '', round: 1, role: '',
});

const VARIANTS = {
	// the issue's attack: sleep calls whose id is a SIZE-character string
	id: () => `{"jsonrpc":"2.0","method":"sleep","params":{"ms":${opt.ms}},"id":"${'i'.repeat(opt.size)}"}`,
	// a batch of a sleep and an echo of SIZE characters: the echo's request and reply are
	// held until the sleep ends, and the echo (inline) takes no place in flight meanwhile
	batch: () => JSON.stringify([
		{ jsonrpc: '2.0', method: 'sleep', params: { ms: opt.ms }, id: 0 },
		{ jsonrpc: '2.0', method: 'echo', params: { message: 'e'.repeat(opt.size) }, id: 1 },
	]),
	// the same bytes as ELEMENTS small echo calls beside the sleep: the same text, held as
	// many request and reply objects
	'batch-many': () => JSON.stringify([
		{ jsonrpc: '2.0', method: 'sleep', params: { ms: opt.ms }, id: 0 },
		...Array.from({ length: opt.elements }, (_, i) => ({ jsonrpc: '2.0', method: 'echo',
			params: { message: 'e'.repeat(Math.max(1, Math.floor(opt.size / opt.elements) - 60)) }, id: i + 1 })),
	]),
};

const DESCRIPTIONS = {
	id: (o) => `${o.calls} \`sleep\` calls (\`{"ms": ${o.ms}}\`) per connection, each with a ${o.size}-character string id`,
	batch: (o) => `${o.calls} batches per connection, each \`[sleep ${o.ms}, echo of ${o.size} characters]\``,
	'batch-many': (o) => `${o.calls} batches per connection, each a \`sleep ${o.ms}\` and ${o.elements} \`echo\` calls of ${Math.floor(o.size / o.elements) - 60} characters (about ${o.size} bytes)`,
};

const log = (s) => process.stderr.write(`[attack ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** A fresh connection's handshake and one ping: both in ms. */
async function freshPing() {
	const t0 = performance.now();
	let ws;
	try { ws = await connect(`ws://127.0.0.1:${opt.port}/ws`, { timeoutMs: 30000 }); } catch (e) { return { error: String(e.message) }; }
	const t1 = performance.now();
	const reply = new Promise((r) => ws.once('message', (d) => r(d.toString())));
	ws.send('{"request_id":1,"action":"ping"}');
	const got = await Promise.race([reply, sleep(30000).then(() => null)]);
	const t2 = performance.now();
	ws.terminate();
	if (!got || !got.includes('"pong"')) return { error: `no pong: ${got && got.slice(0, 100)}` };
	return { connect_ms: round1(t1 - t0), ping_ms: round1(t2 - t1), total_ms: round1(t2 - t0) };
}

async function inFlight() {
	const rpc = await getJson(opt.port, '/actuator/rpc');
	return rpc ? rpc.callsInFlight : null;
}

/**
 * The attacking connections, in a process of their own so that the probes are never
 * delayed by the attacker's event loop. Each connection sends its messages back to back,
 * keeping at most 4 MB queued in the client so that it still reads its replies and answers
 * the server's pings. Reports its progress when asked.
 */
async function sender() {
	const message = VARIANTS[opt.variant]();
	const state = { answered: 0, open: 0, sent_all_s: null, replies: {}, closes: {} };
	const count = (k) => { state.replies[k] = (state.replies[k] || 0) + 1; };
	const conns = [];
	for (let i = 0; i < opt.connections; i++) {
		const ws = await connect(`ws://127.0.0.1:${opt.port}/jsonrpc`, { zeroMask: true });
		state.open++;
		ws.on('message', (data) => {
			state.answered++;
			const o = JSON.parse(data.toString());
			for (const e of Array.isArray(o) ? o : [o]) {
				const name = Array.isArray(o) && e.id !== 0 ? 'echo' : 'sleep';
				count(e.error ? `${name} ${e.error.data?.code || e.error.code}${e.id === null ? ' (id null)' : ''}` : `${name} ok`);
			}
		});
		ws.on('close', (code) => { state.open--; state.closes[code] = (state.closes[code] || 0) + 1; });
		conns.push(ws);
	}
	process.on('message', (m) => {
		if (m.type === 'status') process.send({ type: 'status', state });
		else if (m.type === 'stop') { for (const ws of conns) ws.close(1000); setTimeout(() => process.exit(0), 1000); }
	});
	process.send({ type: 'connected', bytes: message.length });
	await new Promise((r) => process.once('message', r)); // go
	const started = performance.now();
	await Promise.all(conns.map(async (ws) => {
		for (let k = 0; k < opt.calls && ws.readyState === WebSocket.OPEN; k++) {
			ws.send(message);
			while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 4 * 1024 * 1024) await sleep(2);
		}
		await flushed(ws);
	}));
	state.sent_all_s = round1((performance.now() - started) / 1000);
}

async function attack() {
	if (!VARIANTS[opt.variant]) throw new Error(`unknown variant ${opt.variant}; known: ${Object.keys(VARIANTS).join(', ')}`);
	const before = await liveHeap(opt.jcmd, opt.pid);
	const pingBefore = await freshPing();
	const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--role', 'sender'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let waiting = null;
	child.on('message', (m) => { if (waiting) { const w = waiting; waiting = null; w(m); } });
	const ask = (msg) => new Promise((r) => { waiting = r; if (msg) child.send(msg); });
	const { bytes } = await ask(null);
	log(`${opt.variant}: live heap before ${before.live_mb} MB, fresh ping ${pingBefore.total_ms} ms; ${opt.connections} connections x ${opt.calls} messages of ${bytes} bytes`);
	const started = performance.now();
	child.send({ type: 'go' });
	const probes = [];
	const expected = opt.connections * opt.calls;
	const deadline = started + (opt.ms + 120000);
	let state;
	let still = 0;
	// probe until every message is answered or nothing moves any more: a fresh ping from
	// this process, then the live heap (the full GC pauses the server: never during the ping)
	while (performance.now() < deadline) {
		await sleep(opt.probe);
		const t = round1((performance.now() - started) / 1000);
		const ping = await freshPing();
		const facts = processFacts(opt.pid);
		const calls = await inFlight();
		const heap = await liveHeap(opt.jcmd, opt.pid);
		const last = state;
		state = (await ask({ type: 'status' })).state;
		probes.push({ t, ...ping, calls_in_flight: calls, live_mb: heap.live_mb, gc_ms: heap.gc_ms, rss_mb: facts && facts.rss_mb, threads: facts && facts.threads, answered: state.answered, open: state.open });
		log(`t=${t}s answered ${state.answered}/${expected}, ${state.open} open, in flight ${calls}, live heap ${heap.live_mb} MB (GC ${heap.gc_ms} ms), fresh ping ${ping.total_ms ?? ping.error} ms`);
		still = (last && last.answered === state.answered && calls === 0 && (state.sent_all_s !== null || state.open === 0)) ? still + 1 : 0;
		if (state.answered >= expected || state.open === 0 || still >= 2) break;
	}
	child.send({ type: 'stop' });
	for (let i = 0; i < 100 && (await inFlight()) > 0; i++) await sleep(200);
	await sleep(1000);
	const after = await liveHeap(opt.jcmd, opt.pid);
	const peak = Math.max(...probes.map((p) => p.live_mb ?? 0));
	const pings = probes.map((p) => p.total_ms).filter((x) => x != null);
	const result = {
		jdk: opt.jdk, variant: opt.variant, round: opt.round, connections: opt.connections, calls: opt.calls, size: opt.size, ms: opt.ms,
		elements: opt.variant === 'batch-many' ? opt.elements : undefined, message_bytes: bytes,
		sent_gb: round1((bytes * expected) / 1e8) / 10, sent_all_s: state.sent_all_s,
		live_mb_before: before.live_mb, live_mb_peak: peak, added_mb: round1(peak - before.live_mb), live_mb_after: after.live_mb,
		ping_before_ms: pingBefore.total_ms, ping_max_ms: pings.length ? Math.max(...pings) : null,
		ping_median_ms: pings.length ? pings.sort((a, b) => a - b)[Math.floor((pings.length - 1) / 2)] : null,
		ping_errors: probes.filter((p) => p.error).length, answered: state.answered, expected, replies: state.replies,
		closes: state.closes, probes,
	};
	process.stdout.write(JSON.stringify(result) + '\n');
	process.exit(0);
}

const median = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };

function report() {
	const runs = fs.readFileSync(opt.report, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
	let machine = null;
	try { machine = opt.machine ? JSON.parse(fs.readFileSync(opt.machine, 'utf8')) : null; } catch { /* none */ }
	const lines = ['# Memory attack', ''];
	if (machine) {
		lines.push(`${machine.cores} cores ${machine.cpu}, ${machine.memory}, ${machine.os}, ${machine.kernel}, ${machine.container}, `
			+ `Node ${process.versions.node} clients, commit ${machine.commit}, ${new Date().toISOString()}`, '');
	}
	lines.push('Unauthenticated connections to `/jsonrpc`, each sending its messages at once; the server with default settings '
		+ '(default heap: a quarter of the memory). "Live heap" is the heap used after a full GC (`jcmd PID GC.run`, then '
		+ '`GC.heap_info`), before the attack and every 2 s during it (the peak is shown); "fresh ping" is a new connection\'s '
		+ 'handshake plus one `ping` round trip, taken during the attack just before each heap reading (median and max). '
		+ 'The issue\'s goal: at most 600 MB added, every fresh ping within 1 s.', '');
	const groups = new Map();
	for (const r of runs) {
		const key = `${r.jdk}|${r.variant}|${r.connections}|${r.calls}|${r.size}`;
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key).push(r);
	}
	lines.push('| JDK | variant | connections × messages | bytes sent | live heap before MB | peak live heap MB | added MB | after MB | fresh ping median ms | fresh ping max ms | fresh pings failed | messages answered | replies | connections closed by the server | rounds |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
	for (const rs of groups.values()) {
		const r = rs[0];
		const m = (k) => median(rs.map((x) => x[k]));
		const lastRun = rs[rs.length - 1];
		const replies = Object.entries(lastRun.replies).map(([k, v]) => `${k} ${v}`).join(', ');
		const closes = Object.entries(lastRun.closes).filter(([k]) => k !== '1000').map(([k, v]) => `${v} with ${k}`).join(', ') || 'none';
		const failed = lastRun.probes.filter((p) => p.error).map((p) => p.error.replace(/^no pong: .*"code":"([a-z_]+)".*$/, '$1')).join(', ');
		lines.push(`| ${r.jdk} | \`${r.variant}\` | ${r.connections} × ${r.calls} | ${r.sent_gb} GB | ${m('live_mb_before')} | ${m('live_mb_peak')} | **${m('added_mb')}** | ${m('live_mb_after')} `
			+ `| ${m('ping_median_ms')} | ${Math.max(...rs.map((x) => x.ping_max_ms ?? Infinity))} | ${failed ? `${lastRun.ping_errors} of ${lastRun.probes.length} (${failed})` : `0 of ${lastRun.probes.length}`} `
			+ `| ${lastRun.answered} of ${lastRun.expected} | ${replies} | ${closes} | ${rs.length} |`);
	}
	lines.push('', 'Several rounds: the median of each column (the max for the fresh ping max); replies as counted in the last round.', '',
		'Variants:', '');
	const seen = new Set();
	for (const r of runs) {
		if (seen.has(r.variant)) continue;
		seen.add(r.variant);
		lines.push(`- \`${r.variant}\`: ${DESCRIPTIONS[r.variant](r)}.`);
	}
	lines.push('', 'Rerun: `bench/attack.sh` (see bench/README.md for its settings); each run\'s probes over time are in `attack.jsonl` beside this file.', '');
	fs.writeFileSync(opt.out, lines.join('\n'));
}

if (opt.report) report();
else if (opt.role === 'sender') sender().catch((e) => { process.stderr.write(`attack: ${e.stack || e}\n`); process.exit(2); });
else attack().catch((e) => { process.stderr.write(`attack: ${e.stack || e}\n`); process.exit(2); });
