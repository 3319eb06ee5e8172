// A slow IPS read never holds a start back by more than LOOK_BEFORE_SEND_MAX_MS; results are right or
// `unknown`, never another run's (maxWait.test.ts: Max Wait bounds all the waiting; the same with
// 1,000 items: boundedWaitingAtScale.test.ts).
import { LOOK_BEFORE_SEND_MAX_MS } from '../../nodes/Ips/ips/briefRead';
import { SoapTransport, undiciTransport } from '../../nodes/Ips/ips/transport';
import { startRun } from '../../simulator/state';
import { byHandle } from '../support/ips';
import { NIGHTLY, SLACK_MS, SLOW_READ_MS, waitingHarness } from '../support/waitingHarness';

const { sim, job, slow, timedRun } = waitingHarness({ runDurationMs: 400 });

// Max Wait 3 s unless a test says otherwise.
const executeJob = (items: object[], extra: Record<string, unknown> = {}) =>
	timedRun({ items, extra: { maxWaitSeconds: 3, ...extra } });

describe('the look before sending', () => {
	it.each(['getActiveJobs', 'getJobLogs', 'getScheduledJobs'])(
		'a slow %s holds the start back at most the stated bound; Max Wait bounds the item',
		async (operation) => {
			slow(operation, SLOW_READ_MS);
			const { lookAt, endedAt, runs } = await executeJob([{}]);
			const [sent] = sim().requestsFor('executeJob');
			expect(sent.receivedAt - lookAt).toBeLessThan(LOOK_BEFORE_SEND_MAX_MS + SLACK_MS);
			expect(endedAt - lookAt).toBeLessThan(3_000 + 1_000 + SLACK_MS);
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

	it('loading the HTTP library for a process’s first request does not make the look late', async () => {
		// Loading it takes longer than the whole bound (a new n8n process on a busy machine), and the
		// first request waits for it, as the transport's own requests do.
		let loaded: Promise<void> | undefined;
		const load = () =>
			(loaded ??= new Promise((resolve) => setTimeout(resolve, 2 * LOOK_BEFORE_SEND_MAX_MS)));
		const post = undiciTransport.post.bind(undiciTransport);
		jest.spyOn(undiciTransport as Required<SoapTransport>, 'ready').mockImplementation(load);
		jest.spyOn(undiciTransport, 'post').mockImplementation(async (request) => {
			await load();
			return post(request);
		});
		try {
			// A run someone started just before: a late look would list it, and the item's own run
			// could then not be told from it.
			job().runDurationMs = 1_000;
			startRun(sim().state, job(), Date.now() - 200, 'someone-else');
			const { runs } = await executeJob([{}]);
			const ours = sim().state.runHistory.find((run) => run.triggeredBy !== 'someone-else');
			expect(runs[0]).toMatchObject({ status: 'succeeded', runName: ours?.name });
		} finally {
			jest.restoreAllMocks();
		}
	});

	it('a late look never gives an item a run someone else started just before', async () => {
		job().runDurationMs = 3_000;
		startRun(sim().state, job(), Date.now() - 500, 'someone-else');
		slow('getActiveJobs', 1_000, 1);
		job().neverAppears = true;
		const { runs } = await executeJob([{}], { maxWaitSeconds: 3 });
		expect(runs[0]).toMatchObject({ status: 'unknown', runName: null });
	});

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
