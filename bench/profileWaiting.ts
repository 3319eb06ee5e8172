// `node --cpu-prof .build/bench/profileWaiting.js`: where waiting for 200 runs spends its time.
import { closeTransport } from '../nodes/Ips/ips/transport';
import { startSimulatorProcess } from './simProcess';
import { nodeRun } from './wire';

async function main() {
	const sim = await startSimulatorProcess(3_000);
	const parameters = {
		waitForCompletion: true,
		pollIntervalSeconds: 1,
		maxWaitSeconds: 60,
		options: { maxParallelRequests: 8 },
	};
	const { output } = await nodeRun(sim.url, 200, { parameters });
	console.log(`${output?.length} runs followed`);
	await sim.stop();
	await closeTransport();
}
void main();
