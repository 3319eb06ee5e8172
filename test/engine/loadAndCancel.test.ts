// Heavy load and cancellation: nothing lost, nothing run twice, nothing left open.
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 0 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

/** A small deterministic generator, so the 1% of faulted requests is the same on every run. */
function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

function addJobs(count: number): string[] {
	const handles: string[] = [];
	for (let n = 0; n < count; n++) {
		const name = `Load ${n}`;
		handles.push(`j|2101|${name}||`);
		sim.state.scheduledJobs.push({
			companyHandle: 'c|2101',
			jobHandle: handles[n],
			name,
			type: 'ImageServingPublish',
			submitUserEmail: 'admin@example.com',
			triggerState: 'Normal',
			runDurationMs: 0,
		});
	}
	return handles;
}

it('10,000 items, 8 in parallel, 1% faulted: every item out, in order, paired, each run exactly once', async () => {
	const ITEMS = 10_000;
	const handles = addJobs(ITEMS);
	const random = seededRandom(42);
	sim.inject(
		'executeJob',
		{ kind: 'fault', fault: { kind: 'ipsApi', code: 30000, reason: 'Injected failure' } },
		{ when: () => random() < 0.01 },
	);

	const { output, error } = await runIpsWorkflow({
		parameters: {
			companyHandle: byHandle('c|2101'),
			jobHandle: byHandle('={{ $json.job }}'),
			options: { maxParallelRequests: 8 },
		},
		items: handles.map((job, n) => ({ n, job })),
		credential: credentialFor(sim),
		continueOnFail: true,
	});

	expect(error).toBeUndefined();
	expect(output).toHaveLength(ITEMS);
	expect(output?.every((item, index) => (item.pairedItem as { item: number }).item === index)).toBe(
		true,
	);
	const sent = sim.requestsFor('executeJob');
	expect(sent).toHaveLength(ITEMS);
	expect(new Set(sent.map((r) => r.params.jobHandle)).size).toBe(ITEMS);

	const faulted = new Set(
		sent.filter((r) => r.injected === 'fault').map((r) => r.params.jobHandle),
	);
	expect(faulted.size).toBeGreaterThan(50);
	expect(faulted.size).toBeLessThan(150);
	const failed = new Set(
		output?.flatMap((item, index) => (item.json.error ? [handles[index]] : [])),
	);
	expect(failed).toEqual(faulted);
	for (const [index, item] of (output ?? []).entries()) {
		if (!item.json.error) expect(item.json).toEqual({ n: index, job: handles[index] });
	}
}, 120_000);

it('cancelling with 1,000 items in flight ends within a second, sends nothing more, leaves no socket open', async () => {
	const handles = addJobs(1_000);
	// Every request hangs, so the execution is cancelled with requests in flight.
	sim.inject('executeJob', { kind: 'delay', delayMs: 20_000 });
	let countAtCancel = -1;
	let cancelledAt = 0;
	const execution = runIpsWorkflow({
		parameters: {
			companyHandle: byHandle('c|2101'),
			jobHandle: byHandle('={{ $json.job }}'),
			options: { maxParallelRequests: 32 },
		},
		items: handles.map((job) => ({ job })),
		credential: credentialFor(sim),
		continueOnFail: true,
		// Once all 32 lanes hold a request (a fixed delay saw none yet when CPU was short).
		cancelWhen: () => sim.requests.length >= 32,
		onCancel: () => {
			countAtCancel = sim.requests.length;
			cancelledAt = Date.now();
		},
	});
	const { run } = await execution;
	const endedAfterMs = Date.now() - cancelledAt;
	expect(run.status).toBe('canceled');
	expect(countAtCancel).toBe(32);
	expect(endedAfterMs).toBeLessThan(1_000);
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(sim.requests).toHaveLength(countAtCancel);
	expect(sim.openConnections()).toBe(0);
});
