// A run that IPS lists as Done (or drops from the active list) before its final log row is written:
// Wait for Completion reports the final row, or `unknown` with the counts marked as not final, never
// the early row (see the README, "How a run is matched"; finalLogReaders.test.ts: the other readers).
import type { IDataObject } from 'n8n-workflow';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';
import { NIGHTLY, waitingHarness } from '../support/waitingHarness';

const { sim, job, ipsNode } = waitingHarness({ runDurationMs: 400 });

const BROKEN = 'j|2101|Broken metadata feed||';
const NEVER_MS = 1e12;

/** Both jobs are listed Done at their end; their final log rows come `delayMs` later. */
function lateFinalRows(delayMs: number, doneLingerMs: number) {
	for (const handle of [NIGHTLY, BROKEN]) {
		job(handle).finalLogDelayMs = delayMs;
		job(handle).doneLingerMs = doneLingerMs;
	}
}

type Run = IDataObject & { status: string; message?: string };

async function executeBoth(extra: Record<string, unknown> = {}, credential: object = {}) {
	const result = await runIpsWorkflow({
		parameters: {
			companyHandle: byHandle('c|2101'),
			jobHandle: byHandle('={{ $json.job }}'),
			waitForCompletion: true,
			pollIntervalSeconds: 1,
			maxWaitSeconds: 10,
			failOnJobErrors: false,
			...extra,
		},
		items: [{ job: NIGHTLY }, { job: BROKEN }],
		credential: credentialFor(sim(), { ...credential }),
	});
	expect(result.error).toBeUndefined();
	return result.output!.map((item) => item.json.ipsJob as Run);
}

describe('Wait for Completion reads only a final log row', () => {
	it.each([
		['stays listed as Done', 4_000],
		['leaves the active list', 0],
	])(
		'a run that %s before its final row: the fatal run is failed, the counts are final',
		async (_how, doneLingerMs) => {
			lateFinalRows(2_500, doneLingerMs);
			const [nightly, broken] = await executeBoth();
			expect(broken).toMatchObject({
				status: 'failed',
				fatalError: true,
				fileErrorCount: 8,
				fileSuccessCount: 0,
				endDate: expect.any(String),
			});
			expect(nightly).toMatchObject({
				status: 'succeeded',
				fileSuccessCount: 120,
				endDate: expect.any(String),
			});
			expect(nightly.countsSoFar).toBeUndefined();
		},
	);

	it('a row that never gets its end date: unknown at Max Wait, the early counts only under countsSoFar', async () => {
		lateFinalRows(NEVER_MS, 60_000);
		const started = Date.now();
		const [nightly, broken] = await executeBoth({ maxWaitSeconds: 3 });
		expect(Date.now() - started).toBeLessThan(4_000);
		for (const run of [nightly, broken]) {
			expect(run).toMatchObject({
				status: 'unknown',
				fatalError: null,
				fileSuccessCount: null,
				endDate: null,
				countsSoFar: { fileSuccessCount: 1, fileErrorCount: 0, fatalError: false },
			});
			expect(run.message).toMatch(
				/IPS listed the run .* as Done, but its job log had not been written in full \(no end date\) within 3 s.*countsSoFar and are not final/,
			);
		}
	});

	it('pre-4.0: a run still listed as Done is not over; once it has left, its row must read the same twice', async () => {
		lateFinalRows(1_500, 2_500);
		const [nightly, broken] = await executeBoth({}, { apiVersion: 'pre-4.0' });
		expect(broken).toMatchObject({ status: 'failed', fatalError: true, fileErrorCount: 8 });
		expect(nightly).toMatchObject({ status: 'succeeded', fileSuccessCount: 120 });
		const brokenRun = sim().state.runHistory.find(
			(r) => r.originalName === 'Broken metadata feed',
		)!;
		const logReads = sim()
			.requestsFor('getJobLogs')
			.filter((r) => r.receivedAt >= brokenRun.leavesAtMs);
		// Settled only on the second read after the run had left the active list.
		expect(logReads.length).toBeGreaterThanOrEqual(2);
	});

	it('pre-4.0: a run that lingers as Done with an early row is unknown at Max Wait', async () => {
		lateFinalRows(NEVER_MS, 60_000);
		const [, broken] = await executeBoth({ maxWaitSeconds: 3 }, { apiVersion: 'pre-4.0' });
		expect(broken).toMatchObject({ status: 'unknown', countsSoFar: { fatalError: false } });
		expect(broken.message).toMatch(/had not left the active jobs/);
	});

	it('Publish (a submitted job) waits for the final row too', async () => {
		sim().state.finalLogDelayMs = 2_000;
		const result = await ipsNode('job', 'publish', {
			waitForCompletion: true,
			pollIntervalSeconds: 1,
			maxWaitSeconds: 10,
		});
		const run = result.output![0].json.ipsJob as Run;
		expect(run).toMatchObject({
			status: 'succeeded',
			fileSuccessCount: 10,
			endDate: expect.any(String),
		});
		const simRun = sim().state.runHistory[0];
		expect(Date.now()).toBeGreaterThanOrEqual(simRun.endsAtMs + 2_000);
	});
});
