// Max Wait bounds all the waiting of an item: its time in the node is at most the start request +
// Max Wait + 1 s, for Run Now, Publish, Upload From URLs and Stop, also when IPS answers slowly.
import { LOOK_BEFORE_SEND_MAX_MS } from '../../nodes/Ips/ips/briefRead';
import { startRun } from '../../simulator/state';
import { byHandle } from '../support/ips';
import { NIGHTLY, Run, SLACK_MS, SLOW_READ_MS, waitingHarness } from '../support/waitingHarness';

const { sim, job, slow, ipsNode } = waitingHarness({ runDurationMs: 400 });

describe('Max Wait bounds all the waiting', () => {
	const ips = (resource: string, operation: string, parameters: Record<string, unknown>) =>
		ipsNode(
			resource,
			operation,
			{ pollIntervalSeconds: 1, ...parameters },
			{ items: [{ url: 'https://cdn.example.com/a.jpg', path: 'products/a.jpg' }] },
		);

	it('Run Now on the IPS node: a slow look does not delay the start', async () => {
		slow('getActiveJobs', SLOW_READ_MS);
		const started = Date.now();
		const result = await ips('scheduledJob', 'runNow', {
			jobHandle: byHandle(NIGHTLY),
			waitForCompletion: true,
			maxWaitSeconds: 3,
		});
		// Counted from the look (the first request IPS received), as the node counts it.
		const lookAt = sim().requests[0].receivedAt;
		expect(sim().requestsFor('executeJob')[0].receivedAt - lookAt).toBeLessThan(
			LOOK_BEFORE_SEND_MAX_MS + SLACK_MS,
		);
		expect(Date.now() - started).toBeLessThan(4_000 + SLACK_MS);
		expect((result.output![0].json.ipsJob as Run).status).toBe('unknown');
	});

	it.each([
		['publish', {}],
		['uploadFromUrls', { sourceUrl: '={{ $json.url }}', destPath: '={{ $json.path }}' }],
	])('%s: Wait for It and the wait for the run share one Max Wait', async (operation, fields) => {
		// A publish runs for 1.6 s; Max Wait is 3 s: about 1 s is left for the run after the submit.
		const nightly = job();
		startRun(sim().state, { ...nightly, runDurationMs: 1_600 }, Date.now());
		sim().state.runDurationMs = 5_000;
		const started = Date.now();
		const result = await ips('job', operation, {
			...fields,
			ifPublishRunning: 'waitForIt',
			waitForCompletion: true,
			maxWaitSeconds: 3,
		});
		const elapsedMs = Date.now() - started;
		const submit = sim().requestsFor('submitJob')[0];
		expect(submit.receivedAt - started).toBeGreaterThanOrEqual(1_600);
		// Counted from the submit, Max Wait would end 5 s in.
		expect(elapsedMs).toBeLessThan(3_000 + 1_000 + SLACK_MS);
		const run = result.output![0].json.ipsJob as Run;
		expect(run.status).toBe('unknown');
		expect(run.message).toMatch(/within 3 s/);
	});

	it('Publish: a guard read slower than Max Wait fails the item at Max Wait, nothing submitted', async () => {
		slow('getActiveJobs', SLOW_READ_MS);
		const started = Date.now();
		const result = await ips('job', 'publish', {
			ifPublishRunning: 'waitForIt',
			maxWaitSeconds: 2,
		});
		expect(Date.now() - started).toBeLessThan(2_000 + 1_000 + SLACK_MS);
		expect(result.error?.message).toBe(
			'Could not publish for item 0: IPS did not answer within 2 s',
		);
		expect(sim().requestsFor('submitJob')).toHaveLength(0);
	});

	it('Stop with Wait Until Stopped: slow reads still end at Max Wait, as “stopping”', async () => {
		job().runDurationMs = 60_000;
		const run = startRun(sim().state, job(), Date.now())!;
		slow('getActiveJobs', SLOW_READ_MS);
		const started = Date.now();
		const result = await ips('jobRun', 'stop', {
			runHandle: byHandle(run.jobHandle),
			waitUntilStopped: true,
			maxWaitSeconds: 2,
		});
		expect(Date.now() - started).toBeLessThan(2_000 + 1_000 + SLACK_MS);
		expect(result.output![0].json.ipsJobRun).toMatchObject({
			state: 'stopping',
			lastSeenState: 'Stopping',
		});
	});
});
