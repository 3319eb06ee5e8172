// The IPS node, every operation, through n8n-core against the simulator.
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { SimJobLog } from '../../simulator/state';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor, simLogRow } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 400 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const NIGHTLY = 'j|2101|Nightly publish||';
const BROKEN = 'j|2101|Broken metadata feed||';

function ips(
	resource: string,
	operation: string,
	parameters: Record<string, unknown> = {},
	more: { items?: object[]; credential?: object; continueOnFail?: boolean } = {},
) {
	return runIpsWorkflow({
		node: 'ips',
		parameters: { resource, operation, companyHandle: byHandle('c|2101'), ...parameters },
		items: (more.items ?? [{}]) as never,
		credential: credentialFor(sim, { ...more.credential }),
		continueOnFail: more.continueOnFail,
	});
}

const json = (result: Awaited<ReturnType<typeof ips>>) =>
	result.output?.map((item) => item.json) ?? [];

/** Log rows start a second apart from an hour ago. */
const HISTORY_START = Date.now() - 3_600_000;

function logRow(i: number, extra: Partial<SimJobLog> = {}): SimJobLog {
	const start = new Date(HISTORY_START + i * 1000);
	return simLogRow({
		jobHandle: `j|2101||Nightly publish_${i}|${i}`,
		jobName: `Nightly publish_2026-01-01-00:00:${String(i % 60).padStart(2, '0')}.${i}`,
		startDate: start.toISOString(),
		endDate: new Date(start.getTime() + 500).toISOString(),
		fileErrorCount: i % 10 === 0 ? 1 : 0,
		...extra,
	});
}

describe('Company', () => {
	it('Get Many lists the companies with the role in each', async () => {
		const result = await ips('company', 'getMany');
		expect(json(result)).toEqual([
			{ companyHandle: 'c|2101', name: 'Acme Retail', role: 'IpsUser' },
			{ companyHandle: 'c|2102', name: 'Acme Outlet', role: 'IpsUser' },
			{ companyHandle: '47', name: 'Example.com', role: 'IpsUser' },
		]);
		expect(result.output?.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
	});
});

describe('Scheduled Job', () => {
	it('Get Many lists the jobs, filtered by name, with schedule and state', async () => {
		const all = json(await ips('scheduledJob', 'getMany', { returnAll: true }));
		expect(all.length).toBe(
			sim.state.scheduledJobs.filter((j) => j.companyHandle === 'c|2101').length,
		);
		const nightly = json(await ips('scheduledJob', 'getMany', { nameContains: 'NIGHTLY' }));
		expect(nightly).toEqual([
			{
				companyHandle: 'c|2101',
				jobHandle: NIGHTLY,
				name: 'Nightly publish',
				type: 'ImageServingPublish',
				schedule: '0 0 2 * * ?',
				nextFireTime: null,
				timeZone: 'America/Chicago',
				state: 'Normal',
				submitUserEmail: 'admin@example.com',
			},
		]);
		expect(json(await ips('scheduledJob', 'getMany', { limit: 2 }))).toHaveLength(2);
	});

	it('Pause and Resume change the job and say its state after; a paused job cannot run', async () => {
		const paused = json(
			await ips(
				'scheduledJob',
				'pause',
				{ jobHandle: byHandle(NIGHTLY) },
				{ items: [{ keep: 1 }] },
			),
		);
		expect(paused).toEqual([
			{
				keep: 1,
				ipsJob: {
					companyHandle: 'c|2101',
					jobHandle: NIGHTLY,
					name: 'Nightly publish',
					state: 'Paused',
				},
			},
		]);
		const run = await ips('scheduledJob', 'runNow', { jobHandle: byHandle(NIGHTLY) });
		expect(run.error?.message).toBe(
			"Could not run the IPS job of item 0: Job 'Nightly publish' is paused; resume it before running it",
		);
		const resumed = json(await ips('scheduledJob', 'resume', { jobHandle: byHandle(NIGHTLY) }));
		expect(resumed[0].ipsJob).toMatchObject({ state: 'Normal' });
		expect(sim.requestsFor('pauseJob')).toHaveLength(1);
		expect(sim.requestsFor('resumeJob')).toHaveLength(1);
	});

	it('Run Now is "IPS: Execute Job": waits and reports the run', async () => {
		const result = json(
			await ips('scheduledJob', 'runNow', {
				jobHandle: byHandle(NIGHTLY),
				waitForCompletion: true,
				pollIntervalSeconds: 1,
			}),
		);
		expect(result[0].ipsJob).toMatchObject({
			status: 'succeeded',
			runName: sim.state.runHistory[0].name,
		});
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});
});

describe('Job Run', () => {
	it('Get Active lists running runs, per job name', async () => {
		sim.state.scheduledJobs.forEach((job) => (job.runDurationMs = 30_000));
		await ips(
			'scheduledJob',
			'runNow',
			{ jobHandle: byHandle('={{ $json.job }}') },
			{
				items: [{ job: NIGHTLY }, { job: 'j|2101|Upload from FTP||' }],
			},
		);
		const all = json(await ips('jobRun', 'getActive'));
		expect(all.map((run) => run.jobName).sort()).toEqual(['Nightly publish', 'Upload from FTP']);
		expect(all[0]).toMatchObject({
			companyHandle: 'c|2101',
			runHandle: expect.stringContaining('||'),
			state: expect.any(String),
		});
		const one = json(await ips('jobRun', 'getActive', { jobName: 'Upload from FTP' }));
		expect(one.map((run) => run.jobName)).toEqual(['Upload from FTP']);
	});

	it('Get History pages past 1,000 rows, newest first; filters by status, job and dates', async () => {
		for (let i = 0; i < 2_500; i++) sim.state.jobLogs.push(logRow(i));
		sim.state.jobLogs.push(logRow(9_999, { endDate: '', startDate: new Date().toISOString() }));
		const all = json(await ips('jobRun', 'getHistory', { returnAll: true }));
		expect(all).toHaveLength(2_500);
		expect(all[0].runHandle).toBe('j|2101||Nightly publish_2499|2499');
		expect(all[2_499].runHandle).toBe('j|2101||Nightly publish_0|0');
		expect(sim.requestsFor('getJobLogs').length).toBeGreaterThanOrEqual(3);
		for (const request of sim.requestsFor('getJobLogs'))
			expect(request.params).toMatchObject({
				sortBy: 'StartDate',
				sortDirection: 'Descending',
				numRows: '1000',
			});
		const failed = json(
			await ips('jobRun', 'getHistory', { returnAll: true, filters: { status: 'failed' } }),
		);
		expect(failed).toHaveLength(250);
		expect(failed.every((run) => run.status === 'failed')).toBe(true);
		const limited = json(await ips('jobRun', 'getHistory', { limit: 3 }));
		expect(limited.map((run) => run.runHandle)).toEqual(
			all.slice(0, 3).map((run) => run.runHandle),
		);
		const window = json(
			await ips('jobRun', 'getHistory', {
				returnAll: true,
				filters: {
					from: new Date(HISTORY_START + 10_000).toISOString(),
					to: new Date(HISTORY_START + 19_500).toISOString(),
				},
			}),
		);
		expect(window).toHaveLength(10);
		expect(
			json(await ips('jobRun', 'getHistory', { filters: { jobName: 'Upload from FTP' } })),
		).toEqual([]);
		const bad = await ips('jobRun', 'getHistory', { filters: { from: 'yesterday-ish' } });
		expect(bad.error?.message).toBe('The From date of item 0 is not a date: "yesterday-ish"');
	});

	it.each([
		['includes', false],
		['leaves out', true],
	])(
		'Get History loses no run where a page of 1,000 ends among runs that started at the same moment (IPS %s a run that starts at endDate)',
		async (_, exclusive) => {
			sim.state.jobLogEndDateExclusive = exclusive;
			const tied = new Date(HISTORY_START + 1_498_000).toISOString();
			for (let i = 0; i < 2_500; i++)
				sim.state.jobLogs.push(logRow(i, i >= 1_498 && i <= 1_502 ? { startDate: tied } : {}));
			const all = json(await ips('jobRun', 'getHistory', { returnAll: true }));
			expect(new Set(all.map((run) => run.runHandle)).size).toBe(2_500);
			expect(all).toHaveLength(2_500);
			expect(all.some((run) => 'windowTruncated' in run)).toBe(false);
			const pageEnds = sim.requestsFor('getJobLogs').map((request) => request.params.endDate);
			expect(pageEnds).toContain(new Date(Date.parse(tied) + 1).toISOString());
		},
	);

	it('Get History marks every row when more runs start at one moment than a page can hold', async () => {
		const tied = new Date(HISTORY_START).toISOString();
		for (let i = 0; i < 1_200; i++) sim.state.jobLogs.push(logRow(i, { startDate: tied }));
		const all = json(await ips('jobRun', 'getHistory', { returnAll: true }));
		expect(all).toHaveLength(1_000);
		expect(all.every((run) => run.windowTruncated === true)).toBe(true);
	});

	it('Get Problems pages past IPS’s 1,000 rows and filters errors and warnings', async () => {
		const broken = sim.state.scheduledJobs.find((job) => job.jobHandle === BROKEN)!;
		broken.fileCount = 2_500;
		broken.runDurationMs = 0;
		await ips('scheduledJob', 'runNow', { jobHandle: byHandle(BROKEN) });
		const runHandle = sim.state.runHistory[0].jobHandle;
		const all = json(
			await ips('jobRun', 'getProblems', { runHandle: byHandle(runHandle), returnAll: true }),
		);
		expect(all).toHaveLength(2_501);
		expect(all.filter((p) => p.severity === 'error')).toHaveLength(2_501);
		expect(all[0]).toMatchObject({
			runHandle,
			severity: 'error',
			logType: 'FatalError',
			message: 'Source folder not found',
		});
		expect(all.find((p) => p.assetName === 'file-2500.jpg')).toMatchObject({
			logType: 'MetadataFailure',
			assetType: 'Image',
		});
		expect(sim.requestsFor('getJobLogDetails').length).toBe(3);
		expect(
			json(
				await ips('jobRun', 'getProblems', {
					runHandle: byHandle(runHandle),
					problemKind: 'warnings',
				}),
			),
		).toEqual([]);
		expect(
			json(await ips('jobRun', 'getProblems', { runHandle: byHandle(runHandle), limit: 5 })),
		).toHaveLength(5);
	});

	it('Get Problems on pre-4.0 (no paging there): every problem, none of the other details', async () => {
		await ips(
			'scheduledJob',
			'runNow',
			{ jobHandle: byHandle('j|2101|Upload from FTP||') },
			{ credential: { apiVersion: 'pre-4.0' } },
		);
		await new Promise((resolve) => setTimeout(resolve, 500));
		const problems = json(
			await ips(
				'jobRun',
				'getProblems',
				{ runHandle: byHandle(sim.state.runHistory[0].jobHandle), returnAll: true },
				{ credential: { apiVersion: 'pre-4.0' } },
			),
		);
		expect(problems).toHaveLength(5);
		expect(problems.every((p) => p.severity === 'warning' && p.logType === 'UploadWarning')).toBe(
			true,
		);
		expect(problems[0].assetName).toBe('hero & <sale> 5.jpg');
	});

	it('Stop: asks IPS to stop; with Wait Until Stopped, follows Stopping to the end', async () => {
		sim.state.scheduledJobs.forEach((job) => (job.runDurationMs = 60_000));
		await ips('scheduledJob', 'runNow', { jobHandle: byHandle(NIGHTLY) });
		const runHandle = sim.state.runHistory[0].jobHandle;
		const asked = json(await ips('jobRun', 'stop', { runHandle: byHandle(runHandle) }));
		expect(asked[0].ipsJobRun).toEqual({
			companyHandle: 'c|2101',
			runHandle,
			state: 'stopRequested',
		});
		await ips('scheduledJob', 'runNow', { jobHandle: byHandle(NIGHTLY) });
		const second = sim.state.runHistory[1].jobHandle;
		const started = Date.now();
		const waited = json(
			await ips('jobRun', 'stop', { runHandle: byHandle(second), waitUntilStopped: true }),
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(waited[0].ipsJobRun).toMatchObject({
			runHandle: second,
			state: 'stopped',
			status: 'failed',
			fatalError: true,
		});
		// The logs are read from the run's start (less 5 minutes' skew), not from a week back.
		const runStartMs = sim.state.runHistory[1].startedAtMs;
		const logReads = sim.requestsFor('getJobLogs');
		expect(logReads.length).toBeGreaterThan(0);
		for (const read of logReads)
			expect(Date.parse(String(read.params.startDate))).toBe(runStartMs - 5 * 60_000);
	});

	it('Stop of a run that has ended says so in plain words; Continue On Fail keeps the others', async () => {
		sim.state.scheduledJobs.forEach((job) => (job.runDurationMs = 60_000));
		await ips('scheduledJob', 'runNow', { jobHandle: byHandle(NIGHTLY) });
		const live = sim.state.runHistory[0].jobHandle;
		const result = await ips(
			'jobRun',
			'stop',
			{ runHandle: byHandle('={{ $json.run }}') },
			{
				items: [{ run: 'j|2101||gone_2020-01-01-00:00|1' }, { run: live }],
				continueOnFail: true,
			},
		);
		expect(result.output?.[0].json.error).toMatch(
			/^Could not stop the job run of item 0: the run is not active/,
		);
		expect(result.output?.[0].json.details).toMatchObject({
			description: expect.stringMatching(/already ended cannot be stopped/),
		});
		expect(result.output?.[1].json.ipsJobRun).toMatchObject({
			runHandle: live,
			state: 'stopRequested',
		});
	});
});

describe('roles, per operation', () => {
	it('refuses before sending what the role may not do, and lets through what it may', async () => {
		sim.state.users.push({
			...sim.state.users[0],
			email: 'portal@example.com',
			userHandle: 'u|105',
			role: 'ImagePortalUser',
		});
		const credential = { user: 'portal@example.com', role: 'ImagePortalUser' };
		const active = await ips('jobRun', 'getActive', {}, { credential });
		expect(active.error?.message).toBe(
			'The IPS API credential\'s role "ImagePortalUser" may not use getActiveJobs',
		);
		expect(sim.requests).toHaveLength(0);
		// getJobLogDetails' own list has ImagePortalUser: sent, and answered.
		const problems = await ips(
			'jobRun',
			'getProblems',
			{ runHandle: byHandle('j|2101||x|1') },
			{ credential },
		);
		expect(problems.error).toBeUndefined();
		expect(sim.requestsFor('getJobLogDetails')).toHaveLength(1);
	});
});
