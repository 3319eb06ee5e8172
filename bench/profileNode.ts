// `node --cpu-prof .build/bench/profileNode.js [items] [parallel]`: where one run of the node spends its time.
import { closeTransport } from '../nodes/Ips/ips/transport';
import { nodeRun } from './wire';
import { startSimulatorProcess } from './simProcess';

async function main() {
	const items = Number(process.argv[2] ?? 3000);
	const parallel = Number(process.argv[3] ?? 8);
	const sim = await startSimulatorProcess();
	const started = process.hrtime.bigint();
	const { output } = await nodeRun(sim.url, items, {
		parameters: { options: { maxParallelRequests: parallel } },
	});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	console.log(
		`${output?.length} items in ${ms.toFixed(0)} ms (${((ms * 1000) / items).toFixed(0)} µs/item)`,
	);
	await sim.stop();
	await closeTransport();
}
void main();
