// IPS node → Job Run → Get: one run's state by its handle, by Wait for Completion's rules, in one or
// two requests (three before 4.0).
import { startRun } from '../../simulator/state';
import { byHandle } from '../support/ips';
import { waitingHarness } from '../support/waitingHarness';

const { sim, job, run, ipsNode } = waitingHarness({ runDurationMs: 300 });

const BROKEN = 'j|2101|Broken metadata feed||';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(runHandle: string, extra: Record<string, unknown> = {}, credential = {}) {
	sim().requests.length = 0;
	const result = await ipsNode(
		'jobRun',
		'get',
		{ runHandle: byHandle(runHandle), ...extra },
		{ credential },
	);
	expect(result.error).toBeUndefined();
	return {
		json: result.output![0].json as Record<string, unknown>,
		operations: sim().requests.map((request) => request.operation),
	};
}

describe('Job Run → Get', () => {
	it('a running run: status running with its state, from one getActiveJobs', async () => {
		job().runDurationMs = 60_000;
		const started = startRun(sim().state, job(), Date.now() - 20_000)!;
		const { json, operations } = await get(started.jobHandle);
		expect(json).toMatchObject({
			companyHandle: 'c|2101',
			runHandle: started.jobHandle,
			runName: started.name,
			status: 'running',
			state: 'Running',
			endDate: null,
			fileSuccessCount: null,
		});
		expect(operations).toEqual(['getActiveJobs']);
	});

	it('an ended run: the same fields and status as Wait for Completion gives, in two requests (a third for the failed files)', async () => {
		const { runs } = await run({ extra: { jobHandle: byHandle(BROKEN), failOnJobErrors: false } });
		const waited = runs[0];
		const { json, operations } = await get(String(waited.runHandle), { includeFailedFiles: true });
		const { jobHandle: _scheduledJob, ...sameFields } = waited;
		expect(json).toEqual({ ...sameFields, companyHandle: 'c|2101', state: null, progress: null });
		expect(json).toMatchObject({ status: 'failed', fatalError: true, problemCount: 9 });
		expect(operations).toEqual(['getActiveJobs', 'getJobLogDetails', 'getJobLogDetails']);
	});

	it('a run listed as Done before its final log row: unknown with countsSoFar, then failed', async () => {
		job(BROKEN).finalLogDelayMs = 1_500;
		job(BROKEN).doneLingerMs = 5_000;
		const started = startRun(sim().state, job(BROKEN), Date.now())!;
		await wait(500);
		const early = await get(started.jobHandle);
		expect(early.json).toMatchObject({
			status: 'unknown',
			state: 'Done',
			fatalError: null,
			countsSoFar: { fatalError: false, fileSuccessCount: 1 },
		});
		expect(String(early.json.message)).toMatch(
			/no end date yet although IPS lists the run as Done/,
		);
		await wait(1_500);
		const final = await get(started.jobHandle);
		expect(final.json).toMatchObject({ status: 'failed', fatalError: true, fileErrorCount: 8 });
		expect(final.json.countsSoFar).toBeUndefined();
	});

	it('a log row’s handle (without the run id) finds its one active run; two that fit: unknown, naming both', async () => {
		job().runDurationMs = 60_000;
		job().minuteNames = true;
		const now = Date.now();
		const first = startRun(sim().state, job(), now)!;
		const logHandle = first.jobHandle.slice(0, first.jobHandle.lastIndexOf('|'));
		expect((await get(logHandle)).json).toMatchObject({
			status: 'running',
			runHandle: first.jobHandle,
		});
		// Started in the same minute: the same minute-stamped name, two handles.
		const second = startRun(sim().state, job(), now)!;
		expect(second.name).toBe(first.name);
		const both = (await get(logHandle)).json;
		expect(both).toMatchObject({ status: 'unknown', runName: null });
		expect(both.candidates).toEqual([first.jobHandle, second.jobHandle]);
	});

	it('a handle IPS does not know: unknown, saying so', async () => {
		const { json } = await get('j|2101||Nightly publish_2020-01-01-00:00:00.000|999');
		expect(json).toMatchObject({ status: 'unknown' });
		expect(String(json.message)).toMatch(
			/IPS lists no run with the handle .*not active and has no job log/,
		);
	});

	it('pre-4.0: an ended run is read twice before its row counts as final', async () => {
		job().runDurationMs = 0;
		const started = startRun(sim().state, job(), Date.now() - 1_000)!;
		const { json, operations } = await get(started.jobHandle, {}, { apiVersion: 'pre-4.0' });
		expect(json).toMatchObject({ status: 'succeeded', fileSuccessCount: 120 });
		expect(operations).toEqual(['getActiveJobs', 'getJobLogDetails', 'getJobLogDetails']);
	});

	it('pre-4.0: a row that changes between the two reads is not final', async () => {
		job(BROKEN).finalLogDelayMs = 1_000;
		const started = startRun(sim().state, job(BROKEN), Date.now() - 500)!;
		const { json } = await get(started.jobHandle, {}, { apiVersion: 'pre-4.0' });
		expect(json).toMatchObject({
			status: 'unknown',
			fatalError: null,
			countsSoFar: { fatalError: true },
		});
		expect(String(json.message)).toMatch(/changed between two reads 2 s apart/);
	});
});
