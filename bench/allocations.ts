// `npm run bench:alloc -- <node|waiting> [items] [outlived]`: what n8n's engine and the node allocate
// while `items` pass through Execute Job (16 in parallel; "waiting": with Wait for Completion, runs of
// 5 s, poll every 1 s), garbage included: V8's sampling heap profiler, keeping the samples of objects
// already collected. With "outlived", only what a scavenge did not collect: what was moved to the
// old generation, where it stays until a full collection (what the peak RSS is made of). Totals by
// package, then the functions that allocate most (bench/PROFILES.md).
import { Session } from 'node:inspector';
import { closeTransport } from '../nodes/Ips/ips/transport';
import { packageOf } from './profileSummary';
import { startSimulatorProcess } from './simProcess';
import { atScale } from './wire';

interface SamplingNode {
	callFrame: { functionName: string; url: string; lineNumber: number };
	selfSize: number;
	children: SamplingNode[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
	);
}

function add(totals: Map<string, number>, key: string, bytes: number): void {
	totals.set(key, (totals.get(key) ?? 0) + bytes);
}

function printLargest(totals: Map<string, number>, count: number): void {
	for (const [key, bytes] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, count))
		console.log(`${(bytes / 1e6).toFixed(1).padStart(8)} MB  ${key}`);
}

async function main(): Promise<void> {
	const mode = process.argv[2] ?? 'node';
	const items = Number(process.argv[3] ?? 10_000);
	const outlived = process.argv[4] === 'outlived';
	const sim = await startSimulatorProcess(5_000);
	const session = new Session();
	session.connect();
	await post(session, 'HeapProfiler.enable');
	await post(session, 'HeapProfiler.startSampling', {
		samplingInterval: 16_384,
		includeObjectsCollectedByMajorGC: true,
		includeObjectsCollectedByMinorGC: !outlived,
	});
	const { output, error } = await atScale(sim.url, items, mode === 'waiting' ? 'waiting' : 'node');
	const { profile } = await post<{ profile: { head: SamplingNode } }>(
		session,
		'HeapProfiler.stopSampling',
	);
	await sim.stop();
	await closeTransport();
	if (error) throw new Error(String(error.message));

	const byPackage = new Map<string, number>();
	const byFunction = new Map<string, number>();
	let total = 0;
	const walk = (node: SamplingNode) => {
		const { functionName, url, lineNumber } = node.callFrame;
		total += node.selfSize;
		add(byPackage, url ? packageOf(url, functionName) : '(V8 built-ins)', node.selfSize);
		const where = url.includes('/.build/') ? url.split('/.build/')[1] : url.split('/').pop();
		add(byFunction, `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`, node.selfSize);
		node.children.forEach(walk);
	};
	walk(profile.head);
	const count = output?.length ?? items;
	console.log(
		`${count} items (${mode}): ${(total / 1e6).toFixed(0)} MB ${outlived ? 'outlived a scavenge' : 'allocated'}, ${(total / count / 1024).toFixed(1)} KB per item`,
	);
	printLargest(byPackage, 10);
	console.log();
	printLargest(byFunction, 20);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
