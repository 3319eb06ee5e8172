// Self time by package of the largest .cpuprofile in a folder (as `node --cpu-prof` writes it), to
// see where the node's time goes. `node .build/bench/profileSummary.js <dir>` prints it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Profile {
	nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>;
	samples: number[];
	timeDeltas: number[];
}

function packageOf(url: string, functionName: string): string {
	if (url.includes('node_modules/')) {
		const parts = url.split('node_modules/').pop()!.split('/');
		return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
	}
	if (url.includes('/.build/'))
		return `ours: ${url.split('/.build/')[1].split('/').slice(0, 3).join('/')}`;
	return url || functionName;
}

/** [package or built-in, self milliseconds], largest first. */
export function selfTimeByPackage(dir: string): Array<[string, number]> {
	const file = readdirSync(dir)
		.filter((name) => name.endsWith('.cpuprofile'))
		.map((name) => join(dir, name))
		.sort((a, b) => statSync(b).size - statSync(a).size)[0];
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
	const selfMs = new Map<string, number>();
	profile.samples.forEach((id, index) => {
		const frame = frames.get(id);
		const key = frame ? packageOf(frame.url, frame.functionName) : '?';
		selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
	});
	return [...selfMs].sort((a, b) => b[1] - a[1]);
}

if (require.main === module) {
	for (const [key, ms] of selfTimeByPackage(process.argv[2] ?? '.cache/profile').slice(0, 20)) {
		console.log(`${ms.toFixed(0).padStart(7)} ms  ${key}`);
	}
}
