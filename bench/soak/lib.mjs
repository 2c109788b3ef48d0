// Shared helpers of soak.mjs and attack.mjs: connecting, reading the server's process
// (heap after a full GC, RSS, threads, descriptors, CPU) and its actuator, and a small
// latency histogram.
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import WebSocket from 'ws';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Options parsed from `--name value` pairs, over the defaults (numbers stay numbers). */
export function options(argv, defaults) {
	const out = { ...defaults };
	for (let i = 0; i < argv.length; i++) {
		const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!m) throw new Error(`unexpected argument ${argv[i]}`);
		const key = m[1];
		if (!(key in defaults)) throw new Error(`unknown option --${key}; known: ${Object.keys(defaults).join(', ')}`);
		const value = m[2] !== undefined ? m[2] : argv[++i];
		out[key] = typeof defaults[key] === 'number' ? Number(value) : value;
	}
	return out;
}

/** Opens a WebSocket; resolves with it once open, rejects on error or after timeoutMs. */
export function connect(url, { timeoutMs = 10000, zeroMask = false } = {}) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, {
			perMessageDeflate: false,
			handshakeTimeout: timeoutMs,
			maxPayload: 64 * 1024 * 1024,
			// an all-zero mask lets ws skip masking: sending megabytes costs the client no CPU
			...(zeroMask ? { generateMask: (mask) => mask.fill(0) } : {}),
		});
		const fail = (e) => { ws.removeAllListeners('open'); try { ws.terminate(); } catch { /* closed */ } reject(e); };
		ws.once('open', () => { ws.removeListener('error', fail); ws.on('error', () => {}); resolve(ws); });
		ws.once('error', fail);
		ws.once('unexpected-response', (req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
	});
}

/** Resolves when everything queued on ws has been handed to the kernel. */
export async function flushed(ws) {
	while (ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 0) await sleep(5);
}

/** GET http://127.0.0.1:port/path as JSON, or null. */
export async function getJson(port, path) {
	try {
		const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });
		return res.ok ? await res.json() : null;
	} catch {
		return null;
	}
}

function run(file, args, timeoutMs) {
	return new Promise((resolve) => {
		execFile(file, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout) => resolve(err ? null : stdout));
	});
}

/**
 * The live heap in MiB: a full GC (jcmd PID GC.run, which is System.gc(), a full
 * collection on G1 and the other default collectors), then the heap used after it
 * (jcmd PID GC.heap_info). Also the heap's committed size. Null fields when jcmd fails.
 */
export async function liveHeap(jcmd, pid) {
	const started = Date.now();
	if ((await run(jcmd, [String(pid), 'GC.run'], 60000)) === null) return { live_mb: null, committed_mb: null, gc_ms: null };
	const gcMs = Date.now() - started;
	const info = await run(jcmd, [String(pid), 'GC.heap_info'], 30000);
	const m = info && /total (?:reserved \d+K, committed )?(\d+)K, used (\d+)K/.exec(info);
	return {
		live_mb: m ? round1(Number(m[2]) / 1024) : null,
		committed_mb: m ? round1(Number(m[1]) / 1024) : null,
		gc_ms: gcMs,
	};
}

/** RSS (MiB), threads, open descriptors and CPU seconds of a process, from /proc. */
export function processFacts(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const hz = 100; // USER_HZ on Linux
		return {
			rss_mb: round1(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024),
			threads: Number(/Threads:\s+(\d+)/.exec(status)[1]),
			fds: fs.readdirSync(`/proc/${pid}/fd`).length,
			cpu_s: (Number(fields[11]) + Number(fields[12])) / hz,
		};
	} catch {
		return null;
	}
}

export const round1 = (x) => Math.round(x * 10) / 10;

/** Latency in microseconds in buckets 2% wide: percentiles without keeping every sample. */
export class Histogram {
	constructor() { this.counts = new Map(); this.total = 0; this.max = 0; }

	record(us) {
		const b = us < 1 ? 0 : Math.floor(Math.log(us) / Math.log(1.02));
		this.counts.set(b, (this.counts.get(b) || 0) + 1);
		this.total++;
		if (us > this.max) this.max = us;
	}

	add(other) {
		for (const [b, n] of other.counts) this.counts.set(b, (this.counts.get(b) || 0) + n);
		this.total += other.total;
		this.max = Math.max(this.max, other.max);
	}

	/** The p-th percentile in ms (the bucket's upper bound), or null when empty. */
	percentileMs(p) {
		if (this.total === 0) return null;
		const keys = [...this.counts.keys()].sort((a, b) => a - b);
		let seen = 0;
		const rank = Math.ceil((p / 100) * this.total);
		for (const k of keys) {
			seen += this.counts.get(k);
			if (seen >= rank) return Math.min(Math.pow(1.02, k + 1), this.max) / 1000;
		}
		return this.max / 1000;
	}

	toJSON() { return { counts: [...this.counts], total: this.total, max: this.max }; }

	static from(json) {
		const h = new Histogram();
		for (const [b, n] of json.counts) h.counts.set(b, n);
		h.total = json.total;
		h.max = json.max;
		return h;
	}
}

/** Adds the numbers of src into target, recursively (objects of counters). */
export function addCounts(target, src) {
	for (const [k, v] of Object.entries(src)) {
		if (typeof v === 'number') target[k] = (target[k] || 0) + v;
		else if (v && typeof v === 'object' && !Array.isArray(v)) addCounts((target[k] ??= {}), v);
	}
	return target;
}

export const bump = (map, key, n = 1) => { map[key] = (map[key] || 0) + n; };
