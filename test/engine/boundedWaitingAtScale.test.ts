// The look before sending with 1,000 items of one job (boundedWaiting.test.ts has the rules one item
// at a time): a file of its own, so that npm test runs it beside the others.
import { LOOK_BEFORE_SEND_MAX_MS } from '../../nodes/Ips/ips/briefRead';
import { SLACK_MS, SLOW_READ_MS, waitingHarness } from '../support/waitingHarness';

const { sim, slow, timedRun } = waitingHarness({ runDurationMs: 400 });
const items = Array.from({ length: 1_000 }, (_, i) => ({ i }));
const executeJob = (extra: Record<string, unknown>) =>
	timedRun({ items, extra: { maxWaitSeconds: 3, ...extra } });

describe('the look before sending, 1,000 items', () => {
	it('every read slow: all starts go out at once, each item within its bound', async () => {
		slow('getActiveJobs', SLOW_READ_MS);
		slow('getJobLogs', SLOW_READ_MS);
		const { lookAt, endedAt, runs } = await executeJob({
			options: { maxParallelRequests: 8 },
		});
		const sends = sim().requestsFor('executeJob');
		expect(sends).toHaveLength(1_000);
		expect(sends[0].receivedAt - lookAt).toBeLessThan(LOOK_BEFORE_SEND_MAX_MS + SLACK_MS);
		// Only the first items waited for the look; the last start went out without delay.
		expect(endedAt - sends[sends.length - 1].receivedAt).toBeLessThan(3_000 + 1_000);
		expect(new Set(runs.map((run) => run.status))).toEqual(new Set(['unknown']));
	});

	it('the look late once (listing none of their runs): each item gets the run its own request started', async () => {
		// Just past the bound: the first items go out before the late answer comes. IPS made that
		// answer when the look arrived, before any item was sent, so it lists none of their runs and
		// nothing is uncertain. (With an answer made after the delay and runs queued 800 ms, a starved
		// CI run had the answer list the first runs: the items after it were then rightly `unknown`.)
		sim().inject(
			'getActiveJobs',
			{ kind: 'lateAnswer', delayMs: LOOK_BEFORE_SEND_MAX_MS + 100 },
			{ times: 1 },
		);
		// No other look while the items are sent: after a poll interval the next item looks again, and
		// on a busy machine that look can be late too and list the first runs (then the items after it
		// are rightly `unknown`). Max Wait counts from the look, before the first of the requests.
		const { runs } = await executeJob({ pollIntervalSeconds: 15, maxWaitSeconds: 60 });
		const sends = sim().requestsFor('executeJob');
		const [, secondLook] = sim().requestsFor('getActiveJobs');
		expect(secondLook.receivedAt).toBeGreaterThan(sends[sends.length - 1].receivedAt);
		// One request at a time: item i started the i-th run.
		const started = sim().state.runHistory.map((run) => run.jobHandle);
		expect(started).toHaveLength(1_000);
		expect(runs.map((run) => run.runHandle)).toEqual(started);
		expect(new Set(runs.map((run) => run.status))).toEqual(new Set(['succeeded']));
	}, 90_000);
});
