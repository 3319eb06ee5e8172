// Figure 5, in a process of its own: peak RSS while N items pass through the node (or, with
// "baseline", through the trigger alone) against a simulator in another process.
import { closeTransport } from '../nodes/Ips/ips/transport';
import { nodeRun } from './wire';

async function main() {
	const [url, countText, mode] = process.argv.slice(2);
	const count = Number(countText);
	const { output, error } = await nodeRun(url, count, {
		parameters: { options: { maxParallelRequests: 16 } },
		item: { note: 'an ordinary item' },
		withoutIpsNode: mode === 'baseline',
	});
	if (error) throw new Error(String(error.message));
	await closeTransport();
	process.stdout.write(
		`${JSON.stringify({ items: output?.length ?? count, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
	);
}
void main();
