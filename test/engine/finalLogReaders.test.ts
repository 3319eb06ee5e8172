// The readers of a run's end other than Wait for Completion (Stop, Get Problems, Get History, the IPS
// Trigger) report a final log row or say it is not final (see finalLog.test.ts).
import type { IDataObject } from 'n8n-workflow';
import { startRun } from '../../simulator/state';
import { pollIpsTrigger } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';
import { NIGHTLY, Run, waitingHarness } from '../support/waitingHarness';

const { sim, job, ipsNode } = waitingHarness({ runDurationMs: 400 });

const BROKEN = 'j|2101|Broken metadata feed||';
const NEVER_MS = 1e12;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the other readers of a run’s end', () => {
	const ips = (operation: string, parameters: Record<string, unknown>, credential = {}) =>
		ipsNode('jobRun', operation, parameters, { credential });

	/** Starts a run of Nightly publish that would last a minute and stops it, waiting until stopped. */
	const stopLongRun = async (parameters: Record<string, unknown> = {}) => {
		job(NIGHTLY).runDurationMs = 60_000;
		const run = startRun(sim().state, job(NIGHTLY), Date.now())!;
		const result = await ips('stop', {
			runHandle: byHandle(run.jobHandle),
			waitUntilStopped: true,
			...parameters,
		});
		return { run, stopped: result.output![0].json.ipsJobRun as Run };
	};

	it('Stop with Wait Until Stopped reports the final row of the stopped run', async () => {
		job(NIGHTLY).finalLogDelayMs = 2_500;
		const { stopped } = await stopLongRun();
		expect(stopped).toMatchObject({
			state: 'stopped',
			status: 'failed',
			fatalError: true,
			endDate: expect.any(String),
		});
	});

	it('Stop with Wait Until Stopped: a run already gone from the active list is looked for in a week of logs', async () => {
		job(NIGHTLY).stopDelayMs = 0;
		const { run, stopped } = await stopLongRun();
		expect(stopped).toMatchObject({ state: 'stopped', status: 'failed', fatalError: true });
		expect(sim().requestsFor('getActiveJobs')[0].receivedAt).toBeGreaterThan(run.endsAtMs);
		const [read] = sim().requestsFor('getJobLogs');
		expect(read.receivedAt - Date.parse(String(read.params.startDate))).toBeGreaterThan(
			6 * 86_400_000,
		);
	});

	it('Stop with Wait Until Stopped: a row that stays unfinished is unknown at Max Wait', async () => {
		job(NIGHTLY).finalLogDelayMs = NEVER_MS;
		const started = Date.now();
		const { stopped } = await stopLongRun({ maxWaitSeconds: 3 });
		expect(Date.now() - started).toBeLessThan(4_000);
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
		const run = startRun(sim().state, job(FTP), Date.now())!;
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
		const running = startRun(sim().state, job(NIGHTLY), Date.now() - 1_000)!;
		job(BROKEN).runDurationMs = 0;
		const ended = startRun(sim().state, job(BROKEN), Date.now() - 1_000)!;
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
				credential: credentialFor(sim(), { ...credential }),
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
		const run = startRun(sim().state, job(BROKEN), Date.now())!;
		await wait(sim().state.runDurationMs + 300);
		expect(await poll()).toHaveLength(0);
		// The poll read the run's unfinished row (the simulator moves on when asked).
		expect(sim().state.jobLogs.find((row) => row.jobName === run.name)).toMatchObject({
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
		const run = startRun(sim().state, job(BROKEN), Date.now())!;
		await wait(sim().state.runDurationMs + 200);
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
