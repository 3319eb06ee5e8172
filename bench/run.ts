// `npm run bench`: every figure of bench/RESULTS.md, measured in one run, as ratios against a
// baseline measured in the same process (or the same kind of child process).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { closeTransport } from '../nodes/Ips/ips/transport';
import { findProjectFile } from '../simulator/files';
import { microCases, microsPerCall } from './micro';
import { selfTimeByPackage } from './profileSummary';
import { startSimulatorProcess } from './simProcess';
import { format, rounds, Sample, summarise, timed } from './stats';
import { waitingFigure } from './waiting';
import { connectionCost, throughBareLoop, throughNode, throughSoapPackage } from './wire';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WIRE_ITEMS = Number(process.env.BENCH_WIRE_ITEMS ?? 2_000);
const MEMORY_ITEMS = Number(process.env.BENCH_MEMORY_ITEMS ?? 100_000);
const MEMORY_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 2);
const WAIT_ITEMS = 200;
const WAIT_AT_SCALE_ITEMS = Number(process.env.BENCH_WAIT_ITEMS ?? 10_000);
const WAIT_AT_SCALE_ROUNDS = Number(process.env.BENCH_WAIT_ROUNDS ?? 3);
const BUSY_ITEMS = 1_000;
const BUSY_OTHER_RUNS = 10_000;

interface ChildFigures {
	items: number;
	peakRssBytes: number;
	retainedHeapBytes: number;
	maxEventLoopDelayMs: number;
	maxStartupDelayMs: number;
	getActiveJobs: number;
	elapsedMs: number;
	note: string;
	/** What `process.memoryUsage()` said at the largest RSS sampled (every 50 ms). */
	atLargestRss: { rssBytes: number; heapTotalBytes: number; arrayBuffersBytes: number };
}

/** One run of memoryChild.js (its own process, so its peak RSS is its own). */
function memoryChild(url: string, items: number, mode: string): ChildFigures {
	const out = execFileSync(
		process.execPath,
		['--expose-gc', join(__dirname, 'memoryChild.js'), url, String(items), mode],
		{ maxBuffer: 1 << 20 },
	);
	return JSON.parse(out.toString().trim().split('\n').pop() ?? '{}') as ChildFigures;
}

const lines: string[] = [];
const say = (line = '') => {
	lines.push(line);
	console.log(line);
};
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function wireFigures(url: string): Promise<void> {
	say('## 1. Node vs the wire, 2. node vs a generic SOAP client');
	say();
	say(
		`${WIRE_ITEMS} \`executeJob\` requests (pre-4.0 namespace, so the simulator does the same schema check for all), simulator in a child process; throughput in requests/s, CPU in ms per request of this process. Median of ${ROUNDS} rounds (min, max).`,
	);
	say();
	say(
		'| parallel | bare undici loop (limit) | this node | `soap` package | node / bare | node / soap | CPU/request: bare, node, soap |',
	);
	say('|---|---|---|---|---|---|---|');
	const variants = { bare: throughBareLoop, node: throughNode, soap: throughSoapPackage };
	for (const parallel of [1, 8]) {
		const throughput: Record<string, Sample> = {};
		const cpu: Record<string, Sample> = {};
		for (const [name, run] of Object.entries(variants)) {
			await run(url, 200, parallel); // warm-up: JIT, connections, the simulator's first requests
			const perRound: Array<{ ms: number; cpuMs: number }> = [];
			for (let round = 0; round < ROUNDS; round++)
				perRound.push(await timed(() => run(url, WIRE_ITEMS, parallel)));
			throughput[name] = summarise(perRound.map((r) => (WIRE_ITEMS / r.ms) * 1000));
			cpu[name] = summarise(perRound.map((r) => r.cpuMs / WIRE_ITEMS));
		}
		say(
			`| ${parallel} | ${format(throughput.bare)} | ${format(throughput.node)} | ${format(throughput.soap)} | **${ratio(throughput.node.median, throughput.bare.median)}** | **${ratio(throughput.node.median, throughput.soap.median)}** | ${cpu.bare.median.toFixed(3)}, ${cpu.node.median.toFixed(3)}, ${cpu.soap.median.toFixed(3)} |`,
		);
	}
	say();
}

async function keepAliveFigure(url: string): Promise<void> {
	say('## 1b. The price of the short keep-alive');
	say();
	say(
		'Idle connections are dropped after 4 s (servers behind load balancers close them silently, and an `executeJob` sent on such a connection fails as a reset). A request that comes more than 4 s after the previous one pays a new connection. 300 sequential requests through the transport, median of the rounds; on loopback without TLS (over the internet, add the TLS handshake: one or two round trips).',
	);
	say();
	const samples = [];
	for (let round = 0; round < ROUNDS; round++) samples.push(await connectionCost(url, 300));
	const reused = summarise(samples.map((s) => s.reusedMs));
	const fresh = summarise(samples.map((s) => s.freshMs));
	say('| per request | reused connection | new connection | new / reused |');
	say('|---|---|---|---|');
	say(
		`| ms | ${reused.median.toFixed(3)} | ${fresh.median.toFixed(3)} | **${ratio(fresh.median, reused.median)}** |`,
	);
	say();
}

function microFigure(): void {
	say('## 3. Per-item cost of the SOAP core');
	say();
	say(
		'µs per call, median of rounds of 20,000 calls; the baseline is the bare minimum (a template literal with no escaping; fast-xml-parser parsing without the well-formedness check). The package reads an answer in one pass that checks and builds at once.',
	);
	say();
	say('| work | this package | baseline | ratio |');
	say('|---|---|---|---|');
	const pairs: Array<[string, () => unknown, () => unknown]> = [
		['build an executeJob envelope', microCases.envelope, microCases.envelopeBaseline],
		['parse an executeJob answer', microCases.parseOk, microCases.parseOkBaseline],
		[
			'parse a fault answer (to a typed IpsFault)',
			microCases.parseFault,
			microCases.parseFaultBaseline,
		],
	];
	const ours: number[] = [];
	for (const [work, fn, baseline] of pairs) {
		const a = summarise(Array.from({ length: 5 }, () => microsPerCall(fn)));
		const b = summarise(Array.from({ length: 5 }, () => microsPerCall(baseline)));
		ours.push(a.median);
		say(
			`| ${work} | ${format(a, 2, ' µs')} | ${format(b, 2, ' µs')} | ${ratio(a.median, b.median)} |`,
		);
	}
	say();
	say(
		`Building and parsing one executeJob together: **${(ours[0] + ours[1]).toFixed(1)} µs** (goal ≤ 20 µs).`,
	);
	say();
}

function startupFigure(): void {
	say('## 4. Start-up');
	say();
	const root = join(findProjectFile('package.json'), '..');
	const load = (modules: string[]) => {
		const code = `const t=process.hrtime.bigint();${modules.map((m) => `require(${JSON.stringify(m)});`).join('')}console.log(Number(process.hrtime.bigint()-t)/1e6)`;
		return Number(execFileSync(process.execPath, ['-e', code], { cwd: root }).toString().trim());
	};
	const workflowOnly = summarise(Array.from({ length: 7 }, () => load(['n8n-workflow'])));
	const withPackage = summarise(
		Array.from({ length: 7 }, () =>
			load([
				'n8n-workflow',
				'./dist/nodes/Ips/IpsExecuteJob.node.js',
				'./dist/credentials/IpsApi.credentials.js',
			]),
		),
	);
	say(
		'Cold `require` in a new process (built `dist/`), median of 7: n8n loads every installed package at start.',
	);
	say();
	say('| load | ms | ratio |');
	say('|---|---|---|');
	say(`| n8n-workflow alone | ${format(workflowOnly, 1)} | 1.00 |`);
	say(
		`| n8n-workflow + this node and credential | ${format(withPackage, 1)} | ${ratio(withPackage.median, workflowOnly.median)} |`,
	);
	say();
}

async function memoryFigure(url: string): Promise<void> {
	say('## 5. Memory');
	say();
	const retained: Record<'node' | 'baseline', number[]> = { node: [], baseline: [] };
	const child = (mode: 'node' | 'baseline') => {
		const result = memoryChild(url, MEMORY_ITEMS, mode);
		retained[mode].push(result.retainedHeapBytes);
		return result.peakRssBytes;
	};
	const withNode = await rounds(MEMORY_ROUNDS, async () => child('node'));
	const baseline = await rounds(MEMORY_ROUNDS, async () => child('baseline'));
	const heldPerItem =
		(summarise(retained.node).median - summarise(retained.baseline).median) / MEMORY_ITEMS;
	const mb = (s: Sample) => ({
		median: s.median / 2 ** 20,
		min: s.min / 2 ** 20,
		max: s.max / 2 ** 20,
	});
	say(
		`Peak RSS of a process that passes ${MEMORY_ITEMS.toLocaleString('en')} items (16 in parallel) through n8n's engine, median of ${MEMORY_ROUNDS}; the baseline is the same process passing them through the trigger alone.`,
	);
	say();
	say('| run | peak RSS | per item | ratio |');
	say('|---|---|---|---|');
	say(
		`| trigger only (baseline) | ${format(mb(baseline), 0, ' MB')} | ${(baseline.median / MEMORY_ITEMS).toFixed(0)} B | 1.00 |`,
	);
	say(
		`| trigger → IPS: Execute Job | ${format(mb(withNode), 0, ' MB')} | ${(withNode.median / MEMORY_ITEMS).toFixed(0)} B | ${ratio(withNode.median, baseline.median)} |`,
	);
	say(
		`| what the node adds | ${((withNode.median - baseline.median) / 2 ** 20).toFixed(0)} MB | ${((withNode.median - baseline.median) / MEMORY_ITEMS).toFixed(0)} B | |`,
	);
	say();
	say(
		`Most of that peak is garbage not yet collected (request and response buffers, parsed XML): after a forced GC, with every output item still held, the run through the node keeps ${heldPerItem.toFixed(0)} B per item more on the heap than the trigger alone.`,
	);
	say();
}

async function waitFigure(): Promise<void> {
	say('## 6. Waiting');
	say();
	const sim = await startSimulatorProcess(3_000);
	try {
		const figure = await waitingFigure(sim.url, WAIT_ITEMS, 1);
		say(`${WAIT_ITEMS} items with Wait for Completion (poll every 1 s, runs of 3 s, one company):`);
		say();
		say('| figure | value | ratio to one poll per item |');
		say('|---|---|---|');
		say(
			`| getActiveJobs per poll round | ${figure.getActiveJobsPerRound.toFixed(2)} | ${ratio(figure.getActiveJobsPerRound, WAIT_ITEMS)} |`,
		);
		say(
			`| requests per round (getActiveJobs + getJobLogs) | ${figure.requestsPerRound.toFixed(2)} | ${ratio(figure.requestsPerRound, WAIT_ITEMS)} |`,
		);
		say(`| CPU per round (this process, waiting only) | ${figure.cpuMsPerRound.toFixed(1)} ms | |`);
		say();
	} finally {
		await sim.stop();
	}
	await waitAtScaleFigure();
}

/**
 * 10,000 items waiting on one company: requests per round, memory, and event-loop stalls. Each round
 * on a simulator of its own: the runs of a round before would still be in its lists.
 */
async function waitAtScaleFigure(): Promise<void> {
	const items = WAIT_AT_SCALE_ITEMS;
	const figures = await waitingRounds(items);
	const gzip = memoryChild('', 0, 'gzip');
	const oneItem = await onNewSimulators((url) => memoryChild(url, 1, 'waiting'));
	const undiciAlone = await onNewSimulators((url) => memoryChild(url, 1, 'firstRequest'));
	const { of, perRound, peakMb, baselinePeakMb, stallMs, outcomes } = waitingSummary(figures);
	const perItem = of(
		({ baseline, waiting }) => (waiting.peakRssBytes - baseline.peakRssBytes) / items,
	);
	const oneItemPeakMb = summarise(oneItem.map((child) => inMb(child.peakRssBytes)));
	const oneItemPerItem = summarise(
		oneItem.map(
			(child, round) => (child.peakRssBytes - figures[round].baseline.peakRssBytes) / items,
		),
	);
	const mbOf = (figure: (round: WaitingRound) => number) => format(of(figure), 0, ' MB');
	const heapMb = (child: ChildFigures) => inMb(child.atLargestRss.heapTotalBytes);
	const outsideHeapMb = (child: ChildFigures) =>
		inMb(child.atLargestRss.rssBytes - child.atLargestRss.heapTotalBytes);
	const waitingHeap = mbOf(({ waiting }) => heapMb(waiting));
	const waitingOutsideHeap = mbOf(({ waiting }) => outsideHeapMb(waiting));
	const buffersNotFreed = mbOf(({ waiting }) => inMb(waiting.atLargestRss.arrayBuffersBytes));
	const baselineHeap = mbOf(({ baseline }) => heapMb(baseline));
	const baselineOutsideHeap = mbOf(({ baseline }) => outsideHeapMb(baseline));
	const startupStallMs = of(({ waiting }) => waiting.maxStartupDelayMs);
	const baselineStartupStallMs = of(({ baseline }) => baseline.maxStartupDelayMs);
	say(
		`### 6b. ${items.toLocaleString('en')} items waiting on one company (runs of 5 s, poll every 1 s, 16 in parallel), in a process of its own; the baseline passes the same items through the trigger alone. Event-loop stall: the longest delay \`perf_hooks.monitorEventLoopDelay\` saw, before the first request and from it on. Median of ${WAIT_AT_SCALE_ROUNDS} rounds (min, max), each against a new simulator.`,
	);
	say();
	say('| figure | value | goal |');
	say('|---|---|---|');
	say(`| getActiveJobs per poll round | ${format(perRound, 2)}; outcomes: ${outcomes} | 1 |`);
	say(
		`| peak RSS above the trigger alone, per item | ${format(perItem, 0, ' B')}; ${format(peakMb, 0, ' MB')} vs ${format(baselinePeakMb, 0, ' MB')} | ≤ 2,048 B |`,
	);
	say(
		`| where the memory was at the largest RSS sampled (every 50 ms): V8's heap; outside it (code, undici's parser, malloc); Buffers not yet freed (outside the heap) | ${waitingHeap}; ${waitingOutsideHeap}; ${buffersNotFreed}. Trigger alone: ${baselineHeap}; ${baselineOutsideHeap} | |`,
	);
	say(
		`| the same with one item waiting (the first requests' one-time cost), as if it were shared by the ${items.toLocaleString('en')} | ${format(oneItemPerItem, 0, ' B')}; ${format(oneItemPeakMb, 0, ' MB')} | |`,
	);
	say(
		`| one request with undici's own \`request()\`, in the same kind of process with no workflow run: peak RSS after it | ${format(summarise(undiciAlone.map((child) => inMb(child.peakRssBytes))), 0, ' MB')}; ${undiciAlone.map((child) => child.note).join(' / ')} | |`,
	);
	say(
		`| longest event-loop stall while sending and waiting (from the first request on) | ${format(stallMs, 0, ' ms')} | ≤ 50 ms |`,
	);
	say(
		`| longest stall before the first request (n8n's engine starting the workflow, the node's modules compiled: once per process) | ${format(startupStallMs, 0, ' ms')}; trigger alone: ${format(baselineStartupStallMs, 0, ' ms')} | |`,
	);
	say(
		`| longest event-loop stall while a 20 MB gzip answer is unpacked | ${gzip.maxEventLoopDelayMs.toFixed(0)} ms (${gzip.note}) | ≤ 50 ms |`,
	);
	say();
	await busyCompanyFigure();
}

/**
 * Items waiting on a company whose active list is long with other users' runs (what a company busy
 * with uploads looks like): every poll reads all of them, and nearly none is an item's.
 */
async function busyCompanyFigure(): Promise<void> {
	const items = BUSY_ITEMS;
	const figures = await waitingRounds(items, BUSY_OTHER_RUNS);
	const { of, perRound, peakMb, baselinePeakMb, stallMs, outcomes } = waitingSummary(figures);
	const aboveMb = of(({ baseline, waiting }) => inMb(waiting.peakRssBytes - baseline.peakRssBytes));
	say(
		`### 6c. ${items.toLocaleString('en')} items waiting on a busy company: its active list also holds ${BUSY_OTHER_RUNS.toLocaleString('en')} runs another user started of another job, going on for an hour (as in 6b otherwise: runs of 5 s, poll every 1 s, 16 in parallel, the baseline the trigger alone). Median of ${WAIT_AT_SCALE_ROUNDS} rounds (min, max), each against a new simulator.`,
	);
	say();
	say('| figure | value | goal |');
	say('|---|---|---|');
	say(`| getActiveJobs per poll round | ${format(perRound, 2)}; outcomes: ${outcomes} | 1 |`);
	say(
		`| peak RSS above the trigger alone | ${format(aboveMb, 0, ' MB')}; ${format(peakMb, 0, ' MB')} vs ${format(baselinePeakMb, 0, ' MB')} | |`,
	);
	say(
		`| longest event-loop stall while sending and waiting (from the first request on) | ${format(stallMs, 0, ' ms')} | ≤ 50 ms |`,
	);
	say();
}

type WaitingRound = { baseline: ChildFigures; waiting: ChildFigures };

const inMb = (bytes: number) => bytes / 2 ** 20;

/** What 6b and 6c both report of their rounds. */
function waitingSummary(figures: WaitingRound[]) {
	const of = (figure: (round: WaitingRound) => number) => summarise(figures.map(figure));
	return {
		of,
		perRound: of(
			({ waiting }) => waiting.getActiveJobs / Math.max(1, Math.round(waiting.elapsedMs / 1000)),
		),
		peakMb: of(({ waiting }) => inMb(waiting.peakRssBytes)),
		baselinePeakMb: of(({ baseline }) => inMb(baseline.peakRssBytes)),
		stallMs: of(({ waiting }) => waiting.maxEventLoopDelayMs),
		outcomes: figures.map(({ waiting }) => waiting.note).join(' / '),
	};
}

/** The waiting child and its baseline, WAIT_AT_SCALE_ROUNDS times, each against a new simulator. */
function waitingRounds(items: number, otherRuns = 0): Promise<WaitingRound[]> {
	return onNewSimulators(
		(url) => ({
			baseline: memoryChild(url, items, 'baseline'),
			waiting: memoryChild(url, items, 'waiting'),
		}),
		otherRuns,
	);
}

/**
 * `measure` WAIT_AT_SCALE_ROUNDS times, each against a new simulator (runs of 5 s): the runs of a
 * round before would still be in its lists.
 */
async function onNewSimulators<Figures>(
	measure: (url: string) => Figures,
	otherRuns = 0,
): Promise<Figures[]> {
	const figures: Figures[] = [];
	for (let round = 0; round < WAIT_AT_SCALE_ROUNDS; round++) {
		const sim = await startSimulatorProcess(5_000, otherRuns);
		try {
			figures.push(measure(sim.url));
		} finally {
			await sim.stop();
		}
	}
	return figures;
}

/** Where the node's time goes, one item after the other (where it loses most to the bare loop). */
function profileFigure(): void {
	const items = 3_000;
	const dir = mkdtempSync(join(tmpdir(), 'ips-profile-'));
	execFileSync(process.execPath, [
		'--cpu-prof',
		`--cpu-prof-dir=${dir}`,
		join(__dirname, 'profileNode.js'),
		String(items),
		'1',
	]);
	const byPackage = selfTimeByPackage(dir).filter(([key]) => key !== '(idle)');
	say('## Where the time goes');
	say();
	say(
		`A CPU profile of ${items.toLocaleString('en')} items through the node, one at a time (\`npm run bench:profile\` prints the same), self time in µs per item by package (start-up included in the module loader):`,
	);
	say();
	say('| package or part of Node | µs per item |');
	say('|---|---|');
	for (const [key, ms] of byPackage.slice(0, 12))
		say(`| ${key} | ${((ms * 1000) / items).toFixed(0)} |`);
	say();
	say('What this shows, and what was done:');
	say(
		"- Sending (`writev`, undici) is the same code as the bare loop's. The node renders an envelope only when a call differs from the one before (fixed handles: once per client; figure 3 times a render that is not reused).",
	);
	say(
		'- Answers are read in one pass that checks well-formedness as it builds (nodes/Ips/ips/xmlReader.ts); fast-xml-parser read each twice (validate, then parse) before 2026-12-06.',
	);
	say('- n8n-core and n8n-workflow resolve the parameters of every item: not ours.');
	say(
		"- Fixed after earlier profiles: executeJob no longer asks for gzip (its answer is an empty element; compressing and unpacking it was the largest single cost), small gzip answers are unpacked synchronously (zlib's thread pool cost more than the work), undici is loaded on the first request instead of at n8n's start-up (figure 4), the run matcher groups runs by name instead of sorting per item, each request is undici's dispatch handler, gathering the answer's bytes itself, with one timer for its deadline and no stream, AbortController or promise per step of its own (undici's `request()` adds them; since 2026-12-07 the node takes less CPU per request than the bare loop at 8 in parallel, figure 1), one cancel listener per execution serves all its requests, and the same empty answer to the same operation is not read again (every item of an Execute Job gets the same).",
	);
	say();
}

async function main(): Promise<void> {
	say('# Benchmark results');
	say();
	say(
		`Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}. Ratios compare runs in the same process (or the same kind of child process); absolute numbers depend on the machine. Where a goal is not reached, what the profiles show: [PROFILES.md](PROFILES.md).`,
	);
	say();
	const sim = await startSimulatorProcess(0);
	try {
		await wireFigures(sim.url);
		await keepAliveFigure(sim.url);
		microFigure();
		startupFigure();
		await memoryFigure(sim.url);
		profileFigure();
	} finally {
		await sim.stop();
	}
	await waitFigure();
	await closeTransport();
	writeFileSync(join(__dirname, '..', '..', 'bench', 'RESULTS.md'), `${lines.join('\n')}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
