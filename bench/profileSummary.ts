// Self time by package of the largest .cpuprofile in a folder (as `node --cpu-prof` writes it), to
// see where the node's time goes. `node .build/bench/profileSummary.js <dir>` prints it;
// `npm run bench:n8n:profile` prints the same for n8n's process, in the span while the node sends.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Profile {
	nodes: Array<{
		id: number;
		callFrame: { url: string; functionName: string };
		children?: number[];
	}>;
	samples: number[];
	timeDeltas: number[];
}

export function packageOf(url: string, functionName: string): string {
	if (url.includes('node_modules/')) {
		const parts = url.split('node_modules/').pop()!.split('/');
		return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
	}
	if (url.includes('/.build/'))
		return `ours: ${url.split('/.build/')[1].split('/').slice(0, 3).join('/')}`;
	return url || functionName;
}

function largestProfile(dir: string): Profile {
	const file = readdirSync(dir)
		.filter((name) => name.endsWith('.cpuprofile'))
		.map((name) => join(dir, name))
		.sort((a, b) => statSync(b).size - statSync(a).size)[0];
	return JSON.parse(readFileSync(file, 'utf8')) as Profile;
}

/** [package or built-in, self milliseconds], largest first, of the samples from `first` to `last`. */
function selfTime(profile: Profile, first = 0, last = profile.samples.length - 1) {
	const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
	const selfMs = new Map<string, number>();
	for (let index = first; index <= last; index++) {
		const frame = frames.get(profile.samples[index]);
		const key = frame ? packageOf(frame.url, frame.functionName) : '?';
		selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
	}
	return [...selfMs].sort((a, b) => b[1] - a[1]);
}

/** [package or built-in, self milliseconds] of the largest profile in `dir`, largest first. */
export function selfTimeByPackage(dir: string): Array<[string, number]> {
	return selfTime(largestProfile(dir));
}

/**
 * Self time by package (idle included) in the span from the first to the last sample taken inside
 * the package's transport (in n8n's process: while the node sends), and the span's length.
 */
export function sendWindow(dir: string) {
	const profile = largestProfile(dir);
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	// A named function of the transport: its module's top level runs when n8n loads the node.
	const isTransport = new Set(
		profile.nodes
			.filter(({ callFrame }) => callFrame.functionName && /ips[\\/]transport/.test(callFrame.url))
			.map((node) => node.id),
	);
	const inTransport = (id: number | undefined): boolean =>
		id !== undefined && (isTransport.has(id) || inTransport(parentOf.get(id)));
	const sending = profile.samples.map((id) => inTransport(id));
	const first = sending.indexOf(true);
	const last = sending.lastIndexOf(true);
	if (first < 0)
		throw new Error('no sample inside the transport: was the node run in this process?');
	const byPackage = selfTime(profile, first, last);
	const spanMs = byPackage.reduce((sum, [, ms]) => sum + ms, 0);
	return { spanMs, byPackage };
}

/** The 20 largest, one a line. */
export function printSelfTime(byPackage: Array<[string, number]>): void {
	for (const [key, ms] of byPackage.slice(0, 20))
		console.log(`${ms.toFixed(0).padStart(7)} ms  ${key}`);
}

if (require.main === module) printSelfTime(selfTimeByPackage(process.argv[2] ?? '.cache/profile'));
