import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';
import { SOAP_OK } from '../support/loopback';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 1_200 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const NIGHTLY = 'j|2101|Nightly publish||';
const FTP = 'j|2101|Upload from FTP||';
const BROKEN = 'j|2101|Broken metadata feed||';
const OUTLET = 'j|2102|Outlet publish||';

function waitFor(job: string, extra: Record<string, unknown> = {}, company = 'c|2101') {
	return {
		companyHandle: byHandle(company),
		jobHandle: byHandle(job),
		waitForCompletion: true,
		pollIntervalSeconds: 1,
		maxWaitSeconds: 10,
		...extra,
	};
}

type Run = Record<string, unknown> & { status: string };

describe('Wait for Completion', () => {
	it('comes back with a succeeded run, its handle, dates and counts', async () => {
		const started = Date.now();
		const { output, error } = await runIpsWorkflow({
			parameters: waitFor(NIGHTLY),
			items: [{ keep: 'me' }],
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		const json = output?.[0].json as { keep: string; ipsJob: Run };
		expect(json.keep).toBe('me');
		const log = sim.state.jobLogs[0];
		expect(json.ipsJob).toEqual({
			companyHandle: 'c|2101',
			jobHandle: NIGHTLY,
			runHandle: log.jobHandle,
			runName: log.jobName,
			status: 'succeeded',
			startDate: log.startDate,
			endDate: log.endDate,
			durationSeconds: 1.2,
			fileSuccessCount: 120,
			fileErrorCount: 0,
			fileWarningCount: 0,
			totalFileCount: 120,
			transferErrorCount: null,
			transferWarningCount: null,
			fatalError: false,
			problemCount: 0,
			problems: [],
		});
		expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});

	it('reports warnings as succeededWithWarnings, under a chosen output field', async () => {
		const { output } = await runIpsWorkflow({
			parameters: waitFor(FTP, { options: { outputField: 'run' } }),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(output?.[0].json.run).toMatchObject({
			status: 'succeededWithWarnings',
			fileWarningCount: 5,
			fileErrorCount: 0,
		});
	});

	it('fails the item of a failed run, naming the run', async () => {
		const { error } = await runIpsWorkflow({
			parameters: waitFor(BROKEN),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error?.message).toMatch(
			/IPS job run Broken metadata feed_.* of item 0 failed with a fatal error: 8 of 8 files failed/,
		);
	});

	it('with Continue On Fail, a failed run becomes an error item that still carries the run', async () => {
		const { output } = await runIpsWorkflow({
			parameters: waitFor('={{ $json.job }}'),
			items: [{ job: NIGHTLY }, { job: BROKEN }],
			credential: credentialFor(sim),
			continueOnFail: true,
		});
		expect((output?.[0].json.ipsJob as Run).status).toBe('succeeded');
		expect(output?.[1].json.error).toMatch(/failed with a fatal error/);
		expect(output?.[1].json.details).toMatchObject({
			kind: 'jobRunFailed',
			ipsJob: { status: 'failed', fatalError: true, fileErrorCount: 8 },
		});
		expect(output?.[1].pairedItem).toEqual({ item: 1 });
	});

	it('lists the failed and warned files of a run that had problems: at most 100, all counted', async () => {
		const broken = sim.state.scheduledJobs.find((job) => job.jobHandle === BROKEN)!;
		broken.fileCount = 250;
		const { output } = await runIpsWorkflow({
			parameters: waitFor('={{ $json.job }}', { failOnJobErrors: false }),
			items: [{ job: BROKEN }, { job: FTP }],
			credential: credentialFor(sim),
		});
		const [failed, warned] = output!.map((item) => item.json.ipsJob as Run & { problems: Run[] });
		expect(failed.problemCount).toBe(251);
		expect(failed.problems).toHaveLength(100);
		expect(failed.problems[0]).toEqual({
			assetName: null,
			severity: 'error',
			logType: 'FatalError',
			message: 'Source folder not found',
		});
		expect(failed.problems[1]).toMatchObject({
			assetName: 'file-0250.jpg',
			logType: 'MetadataFailure',
		});
		expect(warned.problemCount).toBe(5);
		expect(warned.problems.map((p) => p.severity)).toEqual(Array(5).fill('warning'));
		// One getJobLogDetails per run with problems, asking only for the problem log types.
		const asked = sim.requestsFor('getJobLogDetails');
		expect(asked).toHaveLength(2);
		expect(asked[0].body).toContain('<items>FatalError</items>');
		expect(asked[0].body).not.toContain('<items>BeginUpload</items>');
	});

	it('without Fail on Job Errors, a failed run is an ordinary item', async () => {
		const { output, error } = await runIpsWorkflow({
			parameters: waitFor(BROKEN, { failOnJobErrors: false }),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		expect(output?.[0].json.ipsJob).toMatchObject({ status: 'failed', fatalError: true });
	});

	it('does not take a run of the same job that someone started just before', async () => {
		await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle(NIGHTLY) },
			items: [{}],
			credential: credentialFor(sim),
		});
		const { output } = await runIpsWorkflow({
			parameters: waitFor(NIGHTLY),
			items: [{}],
			credential: credentialFor(sim),
		});
		const [earlier, ours] = [...sim.state.jobLogs].sort(
			(a, b) => Date.parse(a.startDate) - Date.parse(b.startDate),
		);
		expect(earlier.jobHandle).not.toBe(ours.jobHandle);
		expect((output?.[0].json.ipsJob as Run).runHandle).toBe(ours.jobHandle);
	});

	it('finds a run that was never seen active through its job log', async () => {
		sim.state.scheduledJobs.find((job) => job.jobHandle === NIGHTLY)!.runDurationMs = 0;
		const { output } = await runIpsWorkflow({
			parameters: waitFor(NIGHTLY),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(output?.[0].json.ipsJob).toMatchObject({
			status: 'succeeded',
			runName: sim.state.jobLogs[0].jobName,
		});
	});

	it('says "unknown", and why, when no run ever shows up', async () => {
		// IPS accepts the request but no run appears (the documented behaviour is a guess).
		sim.inject('executeJob', { kind: 'raw', status: 200, body: SOAP_OK('executeJob') });
		const started = Date.now();
		const { output, error } = await runIpsWorkflow({
			parameters: waitFor(NIGHTLY, { maxWaitSeconds: 2 }),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		const run = output?.[0].json.ipsJob as Run;
		expect(run.status).toBe('unknown');
		expect(run.message).toMatch(
			/No run of "Nightly publish" that could be this item's appeared .* within 2 s/,
		);
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(1_900);
		expect(elapsed).toBeLessThan(5_000);
	});

	it('shares polling: 20 items in two companies, one getActiveJobs per company per round', async () => {
		const items = Array.from({ length: 20 }, (_, i) =>
			i % 2 ? { company: 'c|2101', job: NIGHTLY } : { company: 'c|2102', job: OUTLET },
		);
		const { output } = await runIpsWorkflow({
			parameters: {
				...waitFor('={{ $json.job }}'),
				companyHandle: byHandle('={{ $json.company }}'),
				options: { maxParallelRequests: 4 },
			},
			items,
			credential: credentialFor(sim),
		});
		expect(
			output?.map((item) => {
				const run = item.json.ipsJob as Run;
				return run.status === 'succeeded' ? run.status : `${run.status}: ${String(run.message)}`;
			}),
		).toEqual(Array(20).fill('succeeded'));
		// Every item got its own run: no two items claimed the same one.
		expect(new Set(output?.map((item) => (item.json.ipsJob as Run).runHandle)).size).toBe(20);
		expect(sim.requestsFor('executeJob')).toHaveLength(20);
		for (const company of ['c|2101', 'c|2102']) {
			const polls = sim
				.requestsFor('getActiveJobs')
				.filter((r) => r.params.companyHandle === company);
			// The first is the look before anything was sent (its runs are never an item's); then rounds.
			const firstExecute = sim
				.requestsFor('executeJob')
				.find((r) => r.params.companyHandle === company)!;
			expect(polls[0].receivedAt).toBeLessThanOrEqual(firstExecute.receivedAt);
			expect(polls.filter((r) => r.receivedAt <= firstExecute.receivedAt)).toHaveLength(1);
			const rounds = polls.slice(1);
			expect(rounds.length).toBeGreaterThan(0);
			expect(rounds.length).toBeLessThanOrEqual(4);
			for (let i = 1; i < rounds.length; i++)
				expect(rounds[i].receivedAt - rounds[i - 1].receivedAt).toBeGreaterThanOrEqual(900);
		}
		// One scheduled-job lookup per company, not per item.
		expect(sim.requestsFor('getScheduledJobs')).toHaveLength(2);
	});

	it('stops waiting at once when the execution is cancelled', async () => {
		sim.state.scheduledJobs.find((job) => job.jobHandle === NIGHTLY)!.runDurationMs = 60_000;
		const started = Date.now();
		const { run } = await runIpsWorkflow({
			parameters: waitFor(NIGHTLY, { maxWaitSeconds: 120, pollIntervalSeconds: 30 }),
			items: [{}],
			credential: credentialFor(sim),
			cancelAfterMs: 500,
		});
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(run.status).toBe('canceled');
	});

	it('refuses a job handle the company does not have, before starting anything', async () => {
		const { error } = await runIpsWorkflow({
			parameters: waitFor('j|2101|Nope||'),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error?.message).toMatch(/no scheduled job with the handle of item 0/);
		expect(sim.requestsFor('executeJob')).toHaveLength(0);
	});
});
