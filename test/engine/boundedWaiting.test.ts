// A slow IPS read never holds a start back by more than LOOK_BEFORE_SEND_MAX_MS; results are right or
// `unknown`, never another run's (maxWait.test.ts: Max Wait bounds all the waiting).
import { LOOK_BEFORE_SEND_MAX_MS } from '../../nodes/Ips/ips/briefRead';
import { startRun } from '../../simulator/state';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';
import { NIGHTLY, Run, SLACK_MS, SLOW_READ_MS, waitingHarness } from '../support/waitingHarness';

const { sim, job, slow } = waitingHarness({ runDurationMs: 400 });

async function executeJob(items: object[], extra: Record<string, unknown> = {}) {
	const started = Date.now();
	const result = await runIpsWorkflow({
		parameters: {
			companyHandle: byHandle('c|2101'),
			jobHandle: byHandle(NIGHTLY),
			waitForCompletion: true,
			pollIntervalSeconds: 1,
			maxWaitSeconds: 3,
			...extra,
		},
		items: items as never,
		credential: credentialFor(sim()),
	});
	const elapsedMs = Date.now() - started;
	expect(result.error).toBeUndefined();
	const runs = result.output!.map((item) => item.json.ipsJob as Run);
	return { started, elapsedMs, runs };
}

describe('the look before sending', () => {
	it.each(['getActiveJobs', 'getJobLogs', 'getScheduledJobs'])(
		'a slow %s holds the start back at most the stated bound; Max Wait bounds the item',
		async (operation) => {
			slow(operation, SLOW_READ_MS);
			const { started, elapsedMs, runs } = await executeJob([{}]);
			const [sent] = sim().requestsFor('executeJob');
			expect(sent.receivedAt - started).toBeLessThan(LOOK_BEFORE_SEND_MAX_MS + SLACK_MS);
			expect(elapsedMs).toBeLessThan(3_000 + 1_000 + SLACK_MS);
			expect(runs[0].status).toBe('unknown');
			expect(runs[0].message).toMatch(/did not answer within 300 ms|within 3 s/);
			expect(sim().requestsFor('executeJob')).toHaveLength(1);
		},
	);

	it('a late look whose answer already lists the item’s run: unknown, naming it as a candidate', async () => {
		slow('getActiveJobs', 1_000, 1);
		// Still running when the late answer is made: the answer lists it.
		job().runDurationMs = 3_000;
		const { runs } = await executeJob([{}], { maxWaitSeconds: 4 });
		const ours = sim().state.runHistory[0].name;
		expect(runs[0]).toMatchObject({ status: 'unknown', runName: null, candidates: [ours] });
		expect(runs[0].message).toMatch(
			/The look at IPS before sending did not answer within 300 ms, so the request went ahead without it .*; its late answer listed/,
		);
	});

	it('a late look that does not list the item’s run yet: the run is still tied to the item', async () => {
		slow('getActiveJobs', 1_000, 1);
		// Queued runs are unlisted: the late look cannot show it; the polls after it do.
		job().queueDelayMs = 2_000;
		const { runs } = await executeJob([{}], { maxWaitSeconds: 8 });
		expect(runs[0]).toMatchObject({ status: 'succeeded', runName: sim().state.runHistory[0].name });
	});

	it('a late look never gives an item a run someone else started just before', async () => {
		job().runDurationMs = 3_000;
		startRun(sim().state, job(), Date.now() - 500, 'someone-else');
		slow('getActiveJobs', 1_000, 1);
		job().neverAppears = true;
		const { runs } = await executeJob([{}], { maxWaitSeconds: 3 });
		expect(runs[0]).toMatchObject({ status: 'unknown', runName: null });
	});

	it('1,000 items of one company, every read slow: all starts go out at once, each item within its bound', async () => {
		slow('getActiveJobs', SLOW_READ_MS);
		slow('getJobLogs', SLOW_READ_MS);
		const items = Array.from({ length: 1_000 }, (_, i) => ({ i }));
		const { started, elapsedMs, runs } = await executeJob(items, {
			options: { maxParallelRequests: 8 },
		});
		const sends = sim().requestsFor('executeJob');
		expect(sends).toHaveLength(1_000);
		expect(sends[0].receivedAt - started).toBeLessThan(LOOK_BEFORE_SEND_MAX_MS + SLACK_MS);
		// Only the first items waited for the look; the last start went out without delay.
		const sendPhaseMs = sends[sends.length - 1].receivedAt - started;
		expect(elapsedMs).toBeLessThan(sendPhaseMs + 3_000 + 1_000);
		expect(new Set(runs.map((run) => run.status))).toEqual(new Set(['unknown']));
	});

	it('1,000 items, the look late once (listing none of their runs): each item gets the run its own request started', async () => {
		// Just past the bound: the first items go out before the late answer comes. IPS made that
		// answer when the look arrived, before any item was sent, so it lists none of their runs and
		// nothing is uncertain. (With an answer made after the delay and runs queued 800 ms, a starved
		// CI run had the answer list the first runs: the items after it were then rightly `unknown`.)
		sim().inject(
			'getActiveJobs',
			{ kind: 'lateAnswer', delayMs: LOOK_BEFORE_SEND_MAX_MS + 100 },
			{ times: 1 },
		);
		const items = Array.from({ length: 1_000 }, (_, i) => ({ i }));
		// No other look while the items are sent: after a poll interval the next item looks again, and
		// on a busy machine that look can be late too and list the first runs (then the items after it
		// are rightly `unknown`). Max Wait counts from the look, before the first of the requests.
		const { runs } = await executeJob(items, { pollIntervalSeconds: 15, maxWaitSeconds: 60 });
		const sends = sim().requestsFor('executeJob');
		const [, secondLook] = sim().requestsFor('getActiveJobs');
		expect(secondLook.receivedAt).toBeGreaterThan(sends[sends.length - 1].receivedAt);
		// One request at a time: item i started the i-th run.
		const started = sim().state.runHistory.map((run) => run.jobHandle);
		expect(started).toHaveLength(1_000);
		expect(runs.map((run) => run.runHandle)).toEqual(started);
		expect(new Set(runs.map((run) => run.status))).toEqual(new Set(['succeeded']));
	}, 90_000);

	it('a late look that lists a run of the job: no item of that job takes any run after it', async () => {
		// The late answer lists the first item's run; the second item's run comes later and must not
		// be taken by the first item (nor may any later run be taken by the second).
		slow('getActiveJobs', LOOK_BEFORE_SEND_MAX_MS + 300, 1);
		job().runDurationMs = 2_000;
		const second = job('j|2101|Upload from FTP||');
		// Queued past the late answer: it lists no run of this job.
		second.queueDelayMs = 1_000;
		const { runs } = await executeJob(
			[{ job: NIGHTLY }, { job: NIGHTLY }, { job: second.jobHandle }],
			{ jobHandle: byHandle('={{ $json.job }}'), maxWaitSeconds: 6 },
		);
		const nightlyRuns = sim().state.runHistory.filter(
			(run) => run.originalName === 'Nightly publish',
		);
		expect(nightlyRuns).toHaveLength(2);
		for (const run of runs.slice(0, 2)) {
			expect(run).toMatchObject({ status: 'unknown', runName: null });
			expect(run.candidates).toContain(nightlyRuns[0].name);
			expect(run.message).toMatch(/which run of "Nightly publish" is this item's cannot be told/);
		}
		// Another job of the same execution is not affected.
		expect(runs[2]).toMatchObject({ status: 'succeededWithWarnings' });
	});
});
