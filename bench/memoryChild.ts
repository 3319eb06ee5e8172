// Figures 5 and 6b, in a process of its own: peak RSS while N items pass through the node (or, with
// "baseline", through the trigger alone; with "waiting", waited for) against a simulator in another
// process, and the longest event-loop stall meanwhile; "gzip": the stall while a 20 MB gzip answer
// is unpacked; "firstRequest": one request with undici's own `request()`, no workflow run, and the
// peak RSS before it. With a fourth argument "live" (and `node --expose-gc`): also the largest heap
// left after a forced full collection, once a second while the items wait, which is what the waiting
// items hold rather than garbage (the forced collections change the peak: not a figure of its own).
// Every mode also says where the memory was at the largest RSS sampled (every 50 ms): in V8's heap,
// or outside it, and of that how much was the bytes of Buffers not yet freed.
import { channel } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { IpsClient } from '../nodes/Ips/ips/IpsClient';
import { closeTransport } from '../nodes/Ips/ips/transport';
import { atScale } from './wire';

/**
 * getActiveJobs requests this process sends (undici's diagnostics channel); `onFirst` is called
 * when the first request of any kind is created.
 */
function countActiveJobRequests(onFirst: () => void): () => number {
	let count = 0;
	let first = true;
	channel('undici:request:create').subscribe((message: unknown) => {
		if (first) onFirst();
		first = false;
		const headers = (message as { request: { headers: string | string[] } }).request.headers;
		const text = Array.isArray(headers) ? headers.join('\n') : headers;
		if (/soapaction\s*[:\n]\s*getActiveJobs/i.test(text)) count++;
	});
	return () => count;
}

/** A 20 MB getActiveJobs answer, gzip-compressed, unpacked by the client (which stops at its cap). */
async function unpackLargeAnswer(): Promise<string> {
	const entry =
		'<items><companyHandle>c|1</companyHandle><jobHandle>j|1||x|1</jobHandle><name>Nightly_2026-01-01-00:00:00.000</name><state>Running</state></items>';
	const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getActiveJobsReturn xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"><jobArray>${entry.repeat(Math.ceil((20 * 2 ** 20) / entry.length))}</jobArray></getActiveJobsReturn></soapenv:Body></soapenv:Envelope>`;
	const body = gzipSync(xml);
	const server = createServer((_req, res) =>
		res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(body),
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const client = new IpsClient({
		serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
		apiVersion: '2014-04-03',
		auth: { user: 'u@example.com', password: 'p', appName: 'bench', appVersion: '1' },
	});
	const outcome = await client.getActiveJobs('c|1').then(
		(jobs) => `${jobs.length} jobs`,
		(error: unknown) => (error as Error).message,
	);
	server.close();
	return outcome;
}

/**
 * One POST with undici's own `request()`, no workflow run (n8n's engine is loaded, as in every mode):
 * the first request compiles undici's HTTP parser (WebAssembly), which any package built on undici
 * pays once per process.
 */
async function firstRequest(url: string): Promise<string> {
	const before = process.resourceUsage().maxRSS * 1024;
	const { request } = await import('undici');
	const answer = await request(url, { method: 'POST', body: '<x/>' });
	await answer.body.text();
	// The parser's optimised code is compiled in the background, after its first use.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	return `${(before / 2 ** 20).toFixed(0)} MB before it`;
}

/** Samples the RSS every 50 ms; returns what memoryUsage said at the largest. */
function sampleAtLargestRss(): () => NodeJS.MemoryUsage {
	let largest = process.memoryUsage();
	const timer = setInterval(() => {
		const now = process.memoryUsage();
		if (now.rss > largest.rss) largest = now;
	}, 50);
	timer.unref();
	return () => {
		clearInterval(timer);
		return largest;
	};
}

/** Present when run with `node --expose-gc`. */
const gc = (globalThis as { gc?: () => void }).gc;

/** Starts forcing a full collection once a second; returns the largest heap left by one. */
function sampleLiveHeap(): () => number {
	if (!gc) throw new Error('"live" needs node --expose-gc');
	let largest = 0;
	const timer = setInterval(() => {
		gc();
		largest = Math.max(largest, process.memoryUsage().heapUsed);
	}, 1000);
	return () => {
		clearInterval(timer);
		return largest;
	};
}

async function main() {
	const [url, countText, mode, sampleLive] = process.argv.slice(2);
	const count = Number(countText);
	const liveHeap = sampleLive === 'live' ? sampleLiveHeap() : undefined;
	const atLargestRss = sampleAtLargestRss();
	// Two spans: up to the first request (n8n's engine starting the workflow, the node's modules
	// compiled: once per process), and from it on (sending and waiting). The first is measured as the
	// longest gap between ticks of a 1 ms timer: the histogram would miss a block it was enabled in.
	const delay = monitorEventLoopDelay({ resolution: 5 });
	let startupStallMs = 0;
	let lastTick = performance.now();
	const ticker = setInterval(() => {
		const now = performance.now();
		startupStallMs = Math.max(startupStallMs, now - lastTick - 1);
		lastTick = now;
	}, 1);
	let startupOver = false;
	const endStartup = () => {
		if (startupOver) return;
		startupOver = true;
		startupStallMs = Math.max(startupStallMs, performance.now() - lastTick - 1);
		clearInterval(ticker);
	};
	const activeJobRequests = countActiveJobRequests(() => {
		endStartup();
		delay.enable();
	});
	const started = Date.now();
	let items = count;
	let note = '';
	if (mode === 'gzip') {
		note = await unpackLargeAnswer();
	} else if (mode === 'firstRequest') {
		note = await firstRequest(url);
	} else {
		const { output, error } = await atScale(url, count, mode as 'node' | 'waiting' | 'baseline');
		if (error) throw new Error(String(error.message));
		items = output?.length ?? count;
		if (mode === 'waiting') {
			const statuses = new Map<string, number>();
			for (const item of output ?? []) {
				const { status } = item.json.ipsJob as { status: string };
				statuses.set(status, (statuses.get(status) ?? 0) + 1);
			}
			note = [...statuses].map(([status, n]) => `${status} ${n}`).join(', ');
		}
	}
	endStartup();
	delay.disable();
	const elapsedMs = Date.now() - started;
	await closeTransport();
	// With --expose-gc: what stays on the heap once garbage is collected, the output still held.
	gc?.();
	const retainedHeapBytes = process.memoryUsage().heapUsed;
	const liveHeapBytes = liveHeap?.();
	const peakRssBytes = process.resourceUsage().maxRSS * 1024;
	const sampled = atLargestRss();
	process.stdout.write(
		`${JSON.stringify({
			items,
			peakRssBytes,
			retainedHeapBytes,
			...(liveHeapBytes === undefined ? {} : { liveHeapBytes }),
			atLargestRss: {
				rssBytes: sampled.rss,
				heapTotalBytes: sampled.heapTotal,
				arrayBuffersBytes: sampled.arrayBuffers,
			},
			maxEventLoopDelayMs: delay.max / 1e6,
			maxStartupDelayMs: startupStallMs,
			getActiveJobs: activeJobRequests(),
			elapsedMs,
			note,
		})}\n`,
	);
}
void main();
