// How Wait for Completion reads a run's end (a lingering Done, a log row before the end, pre-4.0 logs,
// transfer errors, clocks apart, odd answers) and the time bounds it keeps, against the simulator.
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor, simLogRow } from '../support/ips';
import { NIGHTLY, waitingHarness } from '../support/waitingHarness';

const { sim, job, waitFor, run, someoneStarts } = waitingHarness({ runDurationMs: 600 });

describe('the end of a run', () => {
	it('ends a run that lingers in the active list as Done without waiting for Max Wait', async () => {
		job().doneLingerMs = 20_000;
		const started = Date.now();
		const { runs } = await run({ extra: { maxWaitSeconds: 15 } });
		expect(runs[0]).toMatchObject({ status: 'succeeded', fileSuccessCount: 120 });
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('does not take a log row without endDate for the end of the run', async () => {
		job().logWhileRunning = true;
		job().runDurationMs = 2_500;
		const started = Date.now();
		const { runs } = await run();
		expect(runs[0]).toMatchObject({ status: 'succeeded', fileSuccessCount: 120 });
		expect(runs[0].endDate).toEqual(expect.any(String));
		expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
	});

	it('pre-4.0: a run that left the active list and has a log (which never has endDate) has ended', async () => {
		const { runs } = await run({ credential: { apiVersion: 'pre-4.0' } });
		expect(runs[0]).toMatchObject({
			status: 'succeeded',
			runName: sim().state.runHistory[0].name,
			endDate: null,
			durationSeconds: null,
		});
	});

	it('counts failed transfers as a failed run', async () => {
		job().transferErrors = 2;
		const { runs } = await run({ extra: { failOnJobErrors: false } });
		expect(runs[0]).toMatchObject({
			status: 'failed',
			transferErrorCount: 2,
			fileErrorCount: 0,
			fatalError: false,
		});
	});

	it.each([
		['10 s behind', -10_000],
		['10 s ahead', 10_000],
	])('with IPS clock %s, two items of one job keep their own runs', async (_how, offset) => {
		sim().state.clockOffsetMs = offset;
		job().runDurationMs = 1_000;
		const { runs } = await run({ items: [{}, {}] });
		const [first, second] = sim().state.runHistory;
		expect(runs.map((r) => r.runName)).toEqual([first.name, second.name]);
		expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
	});

	it('a DOCTYPE and odd characters in another run’s CDATA progress message spoil nothing', async () => {
		const ftp = job('j|2101|Upload from FTP||');
		ftp.runDurationMs = 30_000;
		ftp.progressMessageXml =
			'<![CDATA[<!DOCTYPE x [<!ENTITY a "b">]> &a; ]]]]><![CDATA[> ü 🚀 <b>]]>';
		await someoneStarts('j|2101|Upload from FTP||', 0);
		const { runs, error } = await run();
		expect(error).toBeUndefined();
		expect(runs[0]).toMatchObject({ status: 'succeeded' });
	});

	it('never matches a log whose start date cannot be read', async () => {
		job().neverAppears = true;
		setTimeout(() => {
			sim().state.jobLogs.push(
				simLogRow({
					jobHandle: 'j|2101||Nightly publish_2026-01-01-00:00:00.000|9',
					jobName: 'Nightly publish_2026-01-01-00:00:00.000',
					startDate: 'Tuesday',
					endDate: new Date().toISOString(),
				}),
			);
		}, 500);
		const { runs } = await run({ extra: { maxWaitSeconds: 3 } });
		expect(runs[0]).toMatchObject({ status: 'unknown', runName: null });
	});
});

describe('time bounds', () => {
	it('settles at Max Wait even while a poll hangs', async () => {
		job().runDurationMs = 60_000;
		// The look before sending answers; every later getActiveJobs hangs for 30 s.
		sim().inject(
			'getActiveJobs',
			{ kind: 'delay', delayMs: 30_000 },
			{ when: () => sim().requestsFor('executeJob').length > 0 },
		);
		const started = Date.now();
		const { runs } = await run({ extra: { maxWaitSeconds: 3 } });
		const elapsed = Date.now() - started;
		expect(runs[0].status).toBe('unknown');
		expect(elapsed).toBeLessThan(4_000);
	});

	it('without Continue On Fail, an immediate failure surfaces at once while another run is followed', async () => {
		job().runDurationMs = 60_000;
		const started = Date.now();
		const { error } = await runIpsWorkflow({
			parameters: waitFor({ jobHandle: byHandle('={{ $json.job }}'), maxWaitSeconds: 120 }),
			items: [{ job: NIGHTLY }, { job: 'j|2101|No such job||' }],
			credential: credentialFor(sim()),
		});
		expect(Date.now() - started).toBeLessThan(1_500);
		expect(error?.message).toMatch(/no scheduled job with the handle of item 1/);
		expect(error?.description).toMatch(
			/Item 0 had started a job run that goes on in IPS; it was not waited for/,
		);
		expect(sim().requestsFor('executeJob')).toHaveLength(1);
	});
});
