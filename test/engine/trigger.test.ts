// The IPS Trigger through n8n-core's poll path, with static data kept between polls as n8n keeps it.
import type { IDataObject } from 'n8n-workflow';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { SimScheduledJob, startRun } from '../../simulator/state';
import { pollIpsTrigger } from '../support/engine';
import { byHandle, credentialFor, simLogRow } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 200 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const job = (name: string): SimScheduledJob =>
	sim.state.scheduledJobs.find((candidate) => candidate.name === name)!;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls again and again, carrying the static data along as n8n does. */
function poller(parameters: Record<string, unknown> = {}, credential: object = {}) {
	let staticData: IDataObject = {};
	return {
		get staticData() {
			return staticData;
		},
		async poll(mode: 'trigger' | 'manual' = 'trigger') {
			const result = await pollIpsTrigger({
				parameters: { event: 'jobRunEnded', companyHandle: byHandle('c|2101'), ...parameters },
				credential: credentialFor(sim, { ...credential }),
				staticData,
				mode,
			});
			if (!result.error) staticData = result.staticData;
			return result;
		},
	};
}

const names = (items: Array<{ json: IDataObject }> | null) =>
	(items ?? []).map((item) => item.json.runName);

describe('IPS Trigger: Job Run Ended', () => {
	it('emits nothing from before activation, then each ended run once, however often it polls', async () => {
		startRun(sim.state, job('Nightly publish'), Date.now() - 10_000);
		const trigger = poller();
		expect((await trigger.poll()).items).toBeNull();
		const run = startRun(sim.state, job('Upload from FTP'), Date.now())!;
		expect((await trigger.poll()).items).toBeNull();
		await wait(300);
		const fired = await trigger.poll();
		expect(names(fired.items)).toEqual([run.name]);
		expect(fired.items?.[0].json).toMatchObject({
			companyHandle: 'c|2101',
			jobName: 'Upload from FTP',
			runHandle: run.jobHandle,
			status: 'succeededWithWarnings',
			fileWarningCount: 5,
			endDate: expect.any(String),
			durationSeconds: 0.2,
		});
		for (let i = 0; i < 3; i++) expect((await trigger.poll()).items).toBeNull();
		// Nothing new: one request per poll.
		sim.requests.length = 0;
		await trigger.poll();
		expect(sim.requests.map((r) => r.operation)).toEqual(['getJobLogs']);
	});

	it('a long run that ends after newer short ones is still seen, once (log without endDate until it ends)', async () => {
		const trigger = poller();
		await trigger.poll();
		job('Nightly publish').runDurationMs = 1_500;
		job('Nightly publish').logWhileRunning = true;
		const long = startRun(sim.state, job('Nightly publish'), Date.now())!;
		await wait(50);
		const short = startRun(sim.state, job('Upload from FTP'), Date.now())!;
		await wait(400);
		expect(names((await trigger.poll()).items)).toEqual([short.name]);
		expect(sim.state.jobLogs.find((l) => l.jobName === long.name)?.endDate).toBe('');
		await wait(1_300);
		expect(names((await trigger.poll()).items)).toEqual([long.name]);
		expect((await trigger.poll()).items).toBeNull();
	});

	it('filters by job, job type and outcome', async () => {
		const byJob = poller({ filters: { jobs: ['Broken metadata feed'] } });
		const byType = poller({ filters: { jobTypes: ['UploadFromServerDirectory'] } });
		const failed = poller({ filters: { outcome: 'failed' } });
		for (const trigger of [byJob, byType, failed]) await trigger.poll();
		const runs = ['Nightly publish', 'Upload from FTP', 'Broken metadata feed'].map((name) =>
			startRun(sim.state, job(name), Date.now())!,
		);
		await wait(300);
		expect(names((await byJob.poll()).items)).toEqual([runs[2].name]);
		expect(names((await byType.poll()).items)).toEqual([runs[1].name]);
		const failedItems = (await failed.poll()).items;
		expect(names(failedItems)).toEqual([runs[2].name]);
		expect(failedItems?.[0].json.status).toBe('failed');
	});

	it('a failed poll says what went wrong and leaves the cursor, so nothing is lost', async () => {
		const trigger = poller();
		await trigger.poll();
		const before = JSON.stringify(trigger.staticData);
		const run = startRun(sim.state, job('Nightly publish'), Date.now())!;
		await wait(300);
		sim.inject('getJobLogs', { kind: 'html', status: 502 }, { times: 1 });
		const failedPoll = await trigger.poll();
		expect(failedPoll.error?.message).toMatch(
			/^Could not check company "c\|2101" for ended job runs: IPS answered HTTP 502/,
		);
		expect(JSON.stringify(trigger.staticData)).toBe(before);
		expect(names((await trigger.poll()).items)).toEqual([run.name]);
	});

	it('an authentication fault says what to fix', async () => {
		const { error } = await poller({}, { password: 'wrong-password' }).poll();
		expect(error?.message).toBe(
			'Could not check company "c|2101" for ended job runs: IPS rejected the password',
		);
		expect(error?.description).toMatch(/Check the Password in the IPS API credential/);
	});

	it('"Fetch Test Event" gives the latest matching ended run, or says there is none', async () => {
		const empty = await poller().poll('manual');
		expect(empty.error?.message).toBe(
			'No job run of company "c|2101" that matches the filters ended in the last 24 hours',
		);
		startRun(sim.state, job('Nightly publish'), Date.now() - 5_000);
		const latest = startRun(sim.state, job('Upload from FTP'), Date.now() - 3_000)!;
		const test = await poller().poll('manual');
		expect(names(test.items)).toEqual([latest.name]);
		// The test event leaves the cursor alone.
		expect(test.staticData).toEqual({ 'node:IPS Trigger': {} });
	});

	it('1,200 runs that ended between two polls all come out, paged, once', async () => {
		const trigger = poller();
		await trigger.poll();
		const start = Date.now();
		for (let i = 0; i < 1_200; i++) {
			sim.state.jobLogs.push(
				simLogRow({
					jobHandle: `j|2101||Nightly publish_${i}|${i}`,
					jobName: `Nightly publish_2026-01-01-00:00:00.${i}`,
					startDate: new Date(start + i).toISOString(),
				}),
			);
		}
		sim.requests.length = 0;
		const { items } = await trigger.poll();
		expect(items).toHaveLength(1_200);
		expect(new Set(names(items)).size).toBe(1_200);
		expect(sim.requestsFor('getJobLogs')).toHaveLength(2);
		sim.requests.length = 0;
		expect((await trigger.poll()).items).toBeNull();
		// The window still holds 1,200 runs: two pages, and still nothing twice.
		expect(sim.requests.map((r) => r.operation)).toEqual(['getJobLogs', 'getJobLogs']);
	});

	it('with Include Failed Files, a failed run comes with its files', async () => {
		const trigger = poller({ options: { includeFailedFiles: true } });
		await trigger.poll();
		startRun(sim.state, job('Broken metadata feed'), Date.now());
		startRun(sim.state, job('Nightly publish'), Date.now());
		await wait(300);
		const { items } = await trigger.poll();
		const broken = items?.find((item) => item.json.status === 'failed')?.json;
		expect(broken).toMatchObject({ problemCount: 9 });
		expect((broken?.problems as IDataObject[])[0]).toMatchObject({ logType: 'FatalError' });
		expect(items?.find((item) => item.json.status === 'succeeded')?.json).toMatchObject({
			problemCount: 0,
			problems: [],
		});
		expect(sim.requestsFor('getJobLogDetails')).toHaveLength(1);
	});

	it('with IPS’s clock 10 minutes ahead, runs are still seen', async () => {
		sim.state.clockOffsetMs = 600_000;
		const trigger = poller();
		await trigger.poll();
		const run = startRun(sim.state, job('Nightly publish'), Date.now())!;
		await wait(300);
		expect(names((await trigger.poll()).items)).toEqual([run.name]);
	});
});
