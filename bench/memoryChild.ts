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
	// With --expose-gc: what stays on the heap once garbage is collected, the output still held.
	(globalThis as { gc?: () => void }).gc?.();
	const retainedHeapBytes = process.memoryUsage().heapUsed;
	const peakRssBytes = process.resourceUsage().maxRSS * 1024;
	const items = output?.length ?? count;
	process.stdout.write(`${JSON.stringify({ items, peakRssBytes, retainedHeapBytes })}\n`);
}
void main();
