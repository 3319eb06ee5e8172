// A run that IPS lists as Done (or drops from the active list) before its final log row is written:
// every reader of a run's end reports the final row, or `unknown` with the counts marked as not
// final, never the early row (see the README, "When a run has ended").
import type { IDataObject } from 'n8n-workflow';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { SimScheduledJob, startRun } from '../../simulator/state';
import { pollIpsTrigger, runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 400 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const NIGHTLY = 'j|2101|Nightly publish||';
const BROKEN = 'j|2101|Broken metadata feed||';
const NEVER_MS = 1e12;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const job = (handle: string): SimScheduledJob =>
	sim.state.scheduledJobs.find((candidate) => candidate.jobHandle === handle)!;

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
		credential: credentialFor(sim, { ...credential }),
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
		const brokenRun = sim.state.runHistory.find((r) => r.originalName === 'Broken metadata feed')!;
		const logReads = sim
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
		sim.state.finalLogDelayMs = 2_000;
		const result = await runIpsWorkflow({
			node: 'ips',
			parameters: {
				resource: 'job',
				operation: 'publish',
				companyHandle: byHandle('c|2101'),
				waitForCompletion: true,
				pollIntervalSeconds: 1,
				maxWaitSeconds: 10,
			},
			items: [{}],
			credential: credentialFor(sim),
		});
		const run = result.output![0].json.ipsJob as Run;
		expect(run).toMatchObject({
			status: 'succeeded',
			fileSuccessCount: 10,
			endDate: expect.any(String),
		});
		const simRun = sim.state.runHistory[0];
		expect(Date.now()).toBeGreaterThanOrEqual(simRun.endsAtMs + 2_000);
	});
});

describe('the other readers of a run’s end', () => {
	function ips(operation: string, parameters: Record<string, unknown>, credential: object = {}) {
		return runIpsWorkflow({
			node: 'ips',
			parameters: {
				resource: 'jobRun',
				operation,
				companyHandle: byHandle('c|2101'),
				...parameters,
			},
			items: [{}],
			credential: credentialFor(sim, { ...credential }),
		});
	}

	it('Stop with Wait Until Stopped reports the final row of the stopped run', async () => {
		job(NIGHTLY).runDurationMs = 60_000;
		job(NIGHTLY).finalLogDelayMs = 2_500;
		const run = startRun(sim.state, job(NIGHTLY), Date.now())!;
		const result = await ips('stop', {
			runHandle: byHandle(run.jobHandle),
			waitUntilStopped: true,
		});
		expect(result.output![0].json.ipsJobRun).toMatchObject({
			state: 'stopped',
			status: 'failed',
			fatalError: true,
			endDate: expect.any(String),
		});
	});

	it('Stop with Wait Until Stopped: a row that stays unfinished is unknown at Max Wait', async () => {
		job(NIGHTLY).runDurationMs = 60_000;
		job(NIGHTLY).finalLogDelayMs = NEVER_MS;
		const run = startRun(sim.state, job(NIGHTLY), Date.now())!;
		const started = Date.now();
		const result = await ips('stop', {
			runHandle: byHandle(run.jobHandle),
			waitUntilStopped: true,
			maxWaitSeconds: 3,
		});
		expect(Date.now() - started).toBeLessThan(4_000);
		const stopped = result.output![0].json.ipsJobRun as Run;
		expect(stopped).toMatchObject({
			state: 'stopped',
			status: 'unknown',
			countsSoFar: { fatalError: false },
		});
		expect(stopped.fatalError).toBeUndefined();
		expect(stopped.message).toMatch(/its job log was not final within 3 s/);
	});

	it('Get Problems says whether the run’s log is final', async () => {
		const FTP = 'j|2101|Upload from FTP||';
		job(FTP).runDurationMs = 300;
		job(FTP).finalLogDelayMs = 60_000;
		const run = startRun(sim.state, job(FTP), Date.now())!;
		await wait(600);
		const read = () => ips('getProblems', { runHandle: byHandle(run.jobHandle), returnAll: true });
		// The early row lists one warned file so far: it says the list is not final.
		const early = (await read()).output!.map((item) => item.json);
		expect(early).toHaveLength(1);
		expect(early[0]).toMatchObject({ severity: 'warning', runEnded: false });
		run.finalLogDelayMs = 0;
		const final = (await read()).output!.map((item) => item.json);
		expect(final).toHaveLength(5);
		expect(final.every((problem) => problem.runEnded === true)).toBe(true);
	});

	it('Get History before 4.0 leaves out the row of a run still active', async () => {
		job(NIGHTLY).runDurationMs = 60_000;
		job(NIGHTLY).logWhileRunning = true;
		const running = startRun(sim.state, job(NIGHTLY), Date.now() - 1_000)!;
		job(BROKEN).runDurationMs = 0;
		const ended = startRun(sim.state, job(BROKEN), Date.now() - 1_000)!;
		const result = await ips('getHistory', { returnAll: true }, { apiVersion: 'pre-4.0' });
		const names = result.output?.map((item) => item.json.runName);
		expect(names).toContain(ended.name);
		expect(names).not.toContain(running.name);
	});
});

describe('IPS Trigger and late final rows', () => {
	function poller(credential: object = {}) {
		let staticData: IDataObject = {};
		return async () => {
			const result = await pollIpsTrigger({
				parameters: { event: 'jobRunEnded', companyHandle: byHandle('c|2101') },
				credential: credentialFor(sim, { ...credential }),
				staticData,
				mode: 'trigger',
			});
			expect(result.error).toBeUndefined();
			staticData = result.staticData;
			return result.items ?? [];
		};
	}

	it('4.0+: fires once, with the final row, never with the unfinished one', async () => {
		const poll = poller();
		await poll();
		job(BROKEN).finalLogDelayMs = 1_500;
		const run = startRun(sim.state, job(BROKEN), Date.now())!;
		await wait(sim.state.runDurationMs + 300);
		expect(await poll()).toHaveLength(0);
		// The poll read the run's unfinished row (the simulator moves on when asked).
		expect(sim.state.jobLogs.find((row) => row.jobName === run.name)).toMatchObject({
			endDate: '',
			fatalError: false,
		});
		await wait(1_500);
		const fired = await poll();
		expect(fired.map((item) => item.json)).toEqual([
			expect.objectContaining({ runName: run.name, status: 'failed', fatalError: true }),
		]);
		expect(await poll()).toHaveLength(0);
	});

	it('pre-4.0: fires once the row of a run that left the active list reads the same twice', async () => {
		const poll = poller({ apiVersion: 'pre-4.0' });
		await poll();
		job(BROKEN).finalLogDelayMs = 1_000;
		const run = startRun(sim.state, job(BROKEN), Date.now())!;
		await wait(sim.state.runDurationMs + 200);
		// Left the active list, early row: seen once, not fired.
		expect(await poll()).toHaveLength(0);
		await wait(1_000);
		// The final row differs from the early one: seen once more, not fired.
		expect(await poll()).toHaveLength(0);
		const fired = await poll();
		expect(fired.map((item) => item.json)).toEqual([
			expect.objectContaining({ runName: run.name, status: 'failed', fatalError: true }),
		]);
		expect(await poll()).toHaveLength(0);
	});
});
