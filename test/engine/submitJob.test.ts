// Job → Publish and Upload From URLs through n8n-core against the simulator: the bodies, exact
// run matching by the unique job name, the publish guard, per-file outcomes, batches, and a submit
// whose answer was lost (looked up by name, never sent twice).
import { API_VERSIONS } from '../../nodes/Ips/ips/namespaces';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { startRun } from '../../simulator/state';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 300 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const JOB_NAME = /^n8n_wf-1_[A-Za-z0-9-]+_\d+_[0-9a-f]{12}$/;

function job(
	operation: 'publish' | 'uploadFromUrls',
	parameters: Record<string, unknown> = {},
	more: {
		items?: object[];
		credential?: object;
		continueOnFail?: boolean;
		nodeSettings?: object;
	} = {},
) {
	return runIpsWorkflow({
		node: 'ips',
		parameters: {
			resource: 'job',
			operation,
			companyHandle: byHandle('c|2101'),
			pollIntervalSeconds: 1,
			...parameters,
		},
		items: (more.items ?? [{}]) as never,
		credential: credentialFor(sim, { ...more.credential }),
		continueOnFail: more.continueOnFail,
		nodeSettings: more.nodeSettings as never,
	});
}

const out = (result: Awaited<ReturnType<typeof job>>) =>
	result.output?.map((item) => item.json.ipsJob as Record<string, unknown>) ?? [];

/** A publish already running in company c|2101, ending `ms` from now. */
function runningPublish(ms: number) {
	const nightly = sim.state.scheduledJobs.find((j) => j.name === 'Nightly publish')!;
	return startRun(sim.state, { ...nightly, runDurationMs: ms }, Date.now())!;
}

const upload = (
	items: Array<{ url: string; path: string }>,
	parameters: Record<string, unknown> = {},
	more = {},
) =>
	job(
		'uploadFromUrls',
		{
			sourceUrl: '={{ $json.url }}',
			destPath: '={{ $json.path }}',
			ifPublishRunning: 'submitAnyway',
			...parameters,
		},
		{ items, ...more },
	);

const files = (n: number, from = 0) =>
	Array.from({ length: n }, (_, i) => ({
		url: `https://cdn.example.com/img/${from + i}.jpg`,
		path: `products/p-${from + i}.jpg`,
	}));

describe('request bodies', () => {
	it('a publish is submitted once, in schema order, under a unique name, for every API version', async () => {
		for (const apiVersion of API_VERSIONS) {
			const result = await job(
				'publish',
				{
					publishType: 'FullWithSearch',
					emailSetting: 'ErrorAndWarning',
					ifPublishRunning: 'submitAnyway',
				},
				{ credential: { apiVersion } },
			);
			expect(result.error).toBeUndefined();
			const [sent] = sim.requestsFor('submitJob').slice(-1);
			// The simulator answers 30003 to a body that breaks the schema (pre-4.0 WSDL, and its own
			// list of later additions): an answer with a job handle means the body was valid.
			expect(sent.injected).toBeUndefined();
			expect(sent.body).toContain(
				'<imageServingPublishJob><publishType>FullWithSearch</publishType><emailSetting>ErrorAndWarning</emailSetting></imageServingPublishJob>',
			);
			const [item] = out(result);
			expect(item.status).toBe('submitted');
			expect(item.jobName).toMatch(JOB_NAME);
			expect(sent.params.jobName).toBe(item.jobName);
			expect(item.jobHandle).toBe(`j|2101|${item.jobName}||`);
		}
		expect(sim.requestsFor('submitJob')).toHaveLength(API_VERSIONS.length);
	});

	it('Image Rendering and Video publishes carry no publish type; a start time goes out as execTime', async () => {
		const rendering = await job('publish', {
			publishTarget: 'imageRendering',
			options: { startTime: '2030-01-02T03:04:05+01:00' },
		});
		expect(rendering.error).toBeUndefined();
		const [sent] = sim.requestsFor('submitJob');
		expect(sent.body).toContain(
			'<execTime>2030-01-02T02:04:05.000Z</execTime><imageRenderingPublishJob><emailSetting>None</emailSetting></imageRenderingPublishJob>',
		);
		expect(out(rendering)[0].startTime).toBe('2030-01-02T02:04:05.000Z');
		// Until its start time, IPS holds the job among the scheduled jobs.
		expect(sim.state.scheduledJobs.some((j) => j.name === out(rendering)[0].jobName)).toBe(true);
		const video = await job(
			'publish',
			{ publishTarget: 'video' },
			{ credential: { apiVersion: 'pre-4.0' } },
		);
		expect(video.error).toBeUndefined();
		expect(sim.requestsFor('submitJob')[1].body).toContain(
			'<videoPublishJob><emailSetting>None</emailSetting></videoPublishJob>',
		);
	});

	it('an upload escapes URLs and paths, and is valid in every version; Preserve Publish State only where the version has it', async () => {
		const odd = [
			{ url: 'https://cdn.example.com/a.jpg?x=1&y=<2>', path: 'Spring & "Summer"/a <1>.jpg' },
			{ url: 'ftp://files.example.com/b.tif', path: "products/b'.tif" },
		];
		for (const apiVersion of API_VERSIONS) {
			const result = await upload(
				odd,
				{ publishAfterUpload: true, postPublishType: 'Full' },
				{ credential: { apiVersion } },
			);
			expect(result.error).toBeUndefined();
		}
		const bodies = sim.requestsFor('submitJob').map((r) => r.body);
		expect(bodies).toHaveLength(API_VERSIONS.length);
		for (const body of bodies) {
			expect(body).toContain(
				'<urlArray><items><sourceUrl>https://cdn.example.com/a.jpg?x=1&amp;y=&lt;2&gt;</sourceUrl><destPath>Spring &amp; &quot;Summer&quot;/a &lt;1&gt;.jpg</destPath></items><items><sourceUrl>ftp://files.example.com/b.tif</sourceUrl><destPath>products/b&apos;.tif</destPath></items></urlArray><overwrite>true</overwrite><readyForPublish>true</readyForPublish><createMask>false</createMask><emailSetting>None</emailSetting><postImageServingPublishJob><publishType>Full</publishType><emailSetting>None</emailSetting></postImageServingPublishJob>',
			);
		}
		const newer = await upload(
			odd,
			{ options: { preservePublishState: false } },
			{ credential: { apiVersion: '2010-01-31' } },
		);
		expect(newer.error).toBeUndefined();
		expect(sim.requestsFor('submitJob')[API_VERSIONS.length].body).toContain(
			'<readyForPublish>true</readyForPublish><preservePublishState>false</preservePublishState><createMask>',
		);
		const older = await upload(
			odd,
			{ options: { preservePublishState: true } },
			{ credential: { apiVersion: '2009-07-31' } },
		);
		expect(older.error?.message).toBe(
			'Item 0: Preserve Publish State is not part of IPS API 4.4 (2009-07-31) (it is from 4.5 (2010-01-31) on); remove the option or choose a newer API version in the credential',
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(API_VERSIONS.length + 1);
	});

	it('the simulator refuses an element out of the schema order (so the checks above can fail)', async () => {
		const { IpsClient } = await import('../../nodes/Ips/ips/IpsClient');
		const client = new IpsClient({
			serviceUrl: sim.url,
			apiVersion: '2014-04-03',
			auth: {
				user: 'demo@example.com',
				password: 'demo-password',
				appName: 'test',
				appVersion: '1',
			},
		});
		await expect(
			client.call('submitJob', [
				['companyHandle', 'c|2101'],
				['jobName', 'x'],
				[
					'uploadUrlsJob',
					[
						['urlArray', []],
						['overwrite', 'true'],
						['preservePublishState', 'true'],
						['readyForPublish', 'true'],
						['createMask', 'false'],
						['emailSetting', 'None'],
					],
				],
			]),
		).rejects.toThrow('Element preservePublishState in uploadUrlsJob must follow readyForPublish');
		await expect(
			client.call('submitJob', [
				['jobName', 'x'],
				['companyHandle', 'c|2101'],
				[
					'imageServingPublishJob',
					[
						['publishType', 'Full'],
						['emailSetting', 'None'],
					],
				],
			]),
		).rejects.toThrow('30003');
	});
});

describe('runs matched by name', () => {
	it('two executions submitting at once each get their own run, and the upload ignores its own post-publish run', async () => {
		const [a, b] = await Promise.all([
			upload(files(2, 0), { waitForCompletion: true, publishAfterUpload: true }),
			upload(files(2, 10), { waitForCompletion: true, publishAfterUpload: true }),
		]);
		for (const result of [a, b]) expect(result.error).toBeUndefined();
		const jobOf = (result: typeof a) =>
			out(result)[0].job as { jobName: string; run: { runName: string; status: string } };
		expect(jobOf(a).jobName).not.toBe(jobOf(b).jobName);
		for (const result of [a, b]) {
			const { jobName, run } = jobOf(result);
			expect(run.runName.startsWith(`${jobName}_`)).toBe(true);
			expect(run.status).toBe('succeeded');
			const ours = sim.state.runHistory.find((r) => r.name === run.runName)!;
			expect(ours.type).toBe('UrlUpload');
		}
		expect(sim.requestsFor('submitJob')).toHaveLength(2);
	});

	it('publish items wait one after another and each gets its run, with Wait for It', async () => {
		const result = await job('publish', { waitForCompletion: true }, { items: [{}, {}] });
		expect(result.error).toBeUndefined();
		const [first, second] = out(result);
		expect(first.runName).toMatch(new RegExp(`^${first.jobName}_`));
		expect(second.runName).toMatch(new RegExp(`^${second.jobName}_`));
		const [s1, s2] = sim.requestsFor('submitJob');
		const firstRun = sim.state.runHistory.find((r) => r.name === first.runName)!;
		// The second item's guard saw the first publish running and waited for its end.
		expect(s2.receivedAt).toBeGreaterThanOrEqual(firstRun.endsAtMs);
		expect(s1.params.jobName).toBe(first.jobName);
	});
});

describe('If a Publish Is Running', () => {
	it('Wait for It submits once the running publish has ended', async () => {
		const running = runningPublish(1500);
		const result = await job('publish', {});
		expect(result.error).toBeUndefined();
		expect(sim.requestsFor('submitJob')[0].receivedAt).toBeGreaterThanOrEqual(running.endsAtMs);
	});

	it('Wait for It fails the item when the publish still runs after Max Wait; nothing is submitted', async () => {
		runningPublish(20_000);
		const result = await job('publish', { maxWaitSeconds: 1 });
		expect(result.error?.message).toMatch(
			/^A publish is running in company c\|2101 still, after waiting 1 s: Nightly publish_\S+ \((New|Running)\)\. Nothing was submitted for item 0\.$/,
		);
		expect(result.error?.description).toBe(
			'Raise Max Wait, or run the item again when the publish has ended.',
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});

	it('Skip puts out the item marked skipped, with the running publish', async () => {
		const running = runningPublish(20_000);
		const result = await job('publish', { ifPublishRunning: 'skip' }, { items: [{ sku: 1 }] });
		expect(result.error).toBeUndefined();
		const [item] = result.output!;
		expect(item.json.sku).toBe(1);
		expect(item.json.ipsJob).toMatchObject({
			status: 'skipped',
			companyHandle: 'c|2101',
			runningPublishes: [
				{ name: running.name, runHandle: running.jobHandle, type: 'ImageServingPublish' },
			],
		});
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});

	it('sees a publish whose active entry lacks its type, by the job element it carries', async () => {
		sim.state.activeJobsWithoutType = true;
		const running = runningPublish(20_000);
		const result = await job('publish', { ifPublishRunning: 'skip' });
		expect(out(result)[0]).toMatchObject({
			status: 'skipped',
			runningPublishes: [{ name: running.name, type: 'ImageServingPublish' }],
		});
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});

	it('Fail fails at once (Continue On Fail: an error item); nothing is submitted', async () => {
		runningPublish(20_000);
		const failed = await job('publish', { ifPublishRunning: 'fail' });
		expect(failed.error?.message).toMatch(
			/^A publish is running in company c\|2101: Nightly publish_/,
		);
		expect(failed.error?.description).toContain('If a Publish Is Running is set to Fail');
		const kept = await job('publish', { ifPublishRunning: 'fail' }, { continueOnFail: true });
		expect(kept.output?.[0].json.error).toMatch(/^A publish is running in company c\|2101: /);
		// An upload job's items each read the job's failure with their own number first.
		const uploads = await upload(files(2), { ifPublishRunning: 'fail' }, { continueOnFail: true });
		const errors = uploads.output?.map((o) => o.json.error as string) ?? [];
		expect(errors).toHaveLength(2);
		errors.forEach((error, index) =>
			expect(error).toMatch(
				new RegExp(
					`^Item ${index}: A publish is running in company c\\|2101: .+\\. Nothing was submitted for the 2 URL\\(s\\) of its upload job\\.$`,
				),
			),
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});

	it("Fail on an item whose predecessor's publish runs: the node's error says that run goes on", async () => {
		const result = await job(
			'publish',
			{ ifPublishRunning: 'fail', waitForCompletion: true, maxWaitSeconds: 30 },
			{ items: [{}, {}] },
		);
		expect(result.error?.message).toMatch(
			/^A publish is running in company c\|2101: n8n_\S+ \((New|Running)\)\. Nothing was submitted for item 1\.$/,
		);
		expect(result.error?.description).toBe(
			'If a Publish Is Running is set to Fail. Run the item again when the publish has ended, or choose Wait for It. Item 0 had started a job run that goes on in IPS; it was not waited for.',
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
	});

	it('Submit Anyway submits now; IPS holds the new publish in standby until the running one ends', async () => {
		const running = runningPublish(1000);
		const result = await job('publish', {
			ifPublishRunning: 'submitAnyway',
			waitForCompletion: true,
		});
		expect(result.error).toBeUndefined();
		expect(sim.requestsFor('submitJob')[0].receivedAt).toBeLessThan(running.endsAtMs);
		const ours = sim.state.runHistory.find((r) => r.name === out(result)[0].runName)!;
		expect(ours.startedAtMs).toBeGreaterThanOrEqual(running.endsAtMs);
		expect(out(result)[0].status).toBe('succeeded');
	});
});

describe('Upload From URLs: one outcome per file', () => {
	it('one bad URL among good ones: that item fails with its message, the others are uploaded', async () => {
		const items = files(3);
		sim.state.failingSourceUrls.push(items[1].url);
		const passed = await upload(items, { waitForCompletion: true, failOnJobErrors: false });
		expect(passed.error).toBeUndefined();
		expect(out(passed).map((o) => [o.status, o.destPath, o.assetName])).toEqual([
			['uploaded', 'products/p-0.jpg', 'p-0'],
			['failed', 'products/p-1.jpg', 'p-1'],
			['uploaded', 'products/p-2.jpg', 'p-2'],
		]);
		expect(out(passed)[1].message).toBe(`Could not get ${items[1].url}: HTTP 404 Not Found`);
		expect(passed.output!.map((o) => o.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);

		const kept = await upload(items, { waitForCompletion: true }, { continueOnFail: true });
		expect(kept.output?.[1].json.error).toBe(
			`The file of item 1 (${items[1].url} → products/p-1.jpg) was not uploaded: Could not get ${items[1].url}: HTTP 404 Not Found`,
		);
		expect((kept.output?.[0].json.ipsJob as { status: string }).status).toBe('uploaded');
		const stopped = await upload(items, { waitForCompletion: true });
		expect(stopped.error?.message).toBe(kept.output?.[1].json.error);
		expect(sim.requestsFor('submitJob')).toHaveLength(3);
	});

	it('without waiting: one item per input item with the job name and handle', async () => {
		const result = await upload(files(2));
		expect(out(result).map((o) => o.status)).toEqual(['submitted', 'submitted']);
		const jobs = out(result).map(
			(o) => o.job as { jobName: string; jobHandle: string; urlCount: number },
		);
		expect(jobs[0]).toEqual(jobs[1]);
		expect(jobs[0].jobName).toMatch(JOB_NAME);
		expect(jobs[0].urlCount).toBe(2);
	});

	it('batches at the limit: URLs per Job splits the items into jobs in input order', async () => {
		const result = await upload(files(5), { urlsPerJob: 2, waitForCompletion: true });
		expect(result.error).toBeUndefined();
		const sent = sim.requestsFor('submitJob');
		expect(sent.map((r) => (r.body.match(/<items>/g) ?? []).length)).toEqual([2, 2, 1]);
		const names = out(result).map((o) => (o.job as { jobName: string }).jobName);
		expect(names[0]).toBe(names[1]);
		expect(names[2]).toBe(names[3]);
		expect(new Set(names).size).toBe(3);
		expect(names.map((n) => n.split('_')[3])).toEqual(['0', '0', '1', '1', '2']);
		expect(out(result).every((o) => o.status === 'uploaded')).toBe(true);

		const tooMany = await upload(files(1), { urlsPerJob: 1001 });
		expect(tooMany.error?.message).toBe(
			'URLs per Job must be a whole number from 1 to 1000, but it is 1001',
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(3);
	});

	it('a bad URL or path is named with its item; nothing is sent, or (Continue On Fail) the rest goes', async () => {
		const items = [
			...files(1),
			{ url: 'not a url', path: 'x.jpg' },
			{ url: 'https://cdn.example.com/ok.jpg', path: '' },
		];
		const failed = await upload(items);
		expect(failed.error?.message).toBe(
			'The Source URL of item 1 is not an http, https or ftp URL: "not a url"',
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
		const kept = await upload(items, {}, { continueOnFail: true });
		expect(
			kept.output?.map((o) => o.json.error ?? (o.json.ipsJob as { status: string }).status),
		).toEqual([
			'submitted',
			'The Source URL of item 1 is not an http, https or ftp URL: "not a url"',
			'The Destination Path of item 2 is empty',
		]);
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
		expect(sim.requestsFor('submitJob')[0].body.match(/<items>/g)).toHaveLength(1);
	});
});

describe('a submit is never sent twice', () => {
	it('an answer lost after IPS created the job: found by its name, followed, not re-sent', async () => {
		sim.inject('submitJob', { kind: 'dropAfterHandling' }, { times: 1 });
		const result = await job('publish', { waitForCompletion: true });
		expect(result.error).toBeUndefined();
		const [item] = out(result);
		expect(item.status).toBe('succeeded');
		expect(item.runName).toMatch(new RegExp(`^${item.jobName}_`));
		expect(item.message).toMatch(
			/^The answer to the submit was lost \(.+\); IPS has the job "n8n_\S+" \(active\), so it was created once and not sent again\.$/,
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
	});

	it('a send cut before IPS acted: the name is not found, the item says it was not created', async () => {
		sim.inject('submitJob', { kind: 'drop' }, { times: 1 });
		const result = await upload(files(2));
		expect(result.error?.message).toMatch(
			/^Could not upload the file of item 0: the submit failed on its way \(.+\) and IPS has no job named "n8n_\S+" \(not active, not scheduled, not in the job logs\), so it was not created$/,
		);
		expect(result.error?.description).toContain('it was not sent a second time');
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
		expect(sim.state.runHistory).toHaveLength(0);
	});

	it('when the lookup fails too, the item says it cannot be told', async () => {
		sim.inject('submitJob', { kind: 'drop' }, { times: 1 });
		sim.inject('getActiveJobs', { kind: 'html', status: 502 }, { times: 2 });
		const result = await job(
			'publish',
			{ ifPublishRunning: 'submitAnyway' },
			{ continueOnFail: true },
		);
		expect(result.output?.[0].json.error).toMatch(
			/^Could not publish for item 0: the submit failed on its way \(.+\), and whether IPS created the job "n8n_\S+" cannot be told: looking it up failed too \(.+\)$/,
		);
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
	});

	it('Retry On Fail is refused before anything is sent', async () => {
		const result = await job('publish', {}, { nodeSettings: { retryOnFail: true, maxTries: 3 } });
		expect(result.error?.message).toContain('Retry On Fail');
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});
});

describe('settings and expressions', () => {
	it("a Start Time without offset is read in the workflow's time zone", async () => {
		const result = await job('publish', { options: { startTime: '2030-06-01T12:00:00' } });
		expect(result.error).toBeUndefined();
		const sent = sim.requestsFor('submitJob')[0].params.execTime;
		// n8n's default time zone (no workflow setting, no GENERIC_TIMEZONE) is America/New_York: EDT in June.
		expect(sent).toBe('2030-06-01T16:00:00.000Z');
		const bad = await job('publish', { options: { startTime: 'next tuesday' } });
		expect(bad.error?.message).toBe('The Start Time of item 0 is not a date: "next tuesday"');
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
	});

	it('expressions that yield a number, null or nothing for the URL are named with their item', async () => {
		const result = await upload(
			[
				{ url: 42 as never, path: 'a.jpg' },
				{ url: null as never, path: 'b.jpg' },
				{ path: 'c.jpg' } as never,
			],
			{},
			{ continueOnFail: true },
		);
		expect(result.output?.map((o) => o.json.error)).toEqual([
			'The Source URL of item 0 is not an http, https or ftp URL: "42"',
			'The Source URL of item 1 is empty (its expression gave null)',
			'The Source URL of item 2 is empty (its expression gave nothing)',
		]);
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});

	it('a run that does not show by Max Wait leaves every file unknown, with the reason, and fails no item', async () => {
		runningPublish(20_000);
		const result = await upload(files(2), { waitForCompletion: true, maxWaitSeconds: 2 });
		expect(result.error).toBeUndefined();
		for (const file of out(result)) {
			expect(file.status).toBe('unknown');
			expect(file.message).toMatch(
				/^No run of "n8n_\S+" that could be this item's appeared in the active jobs or the job logs within 2 s\./,
			);
		}
		// The upload waits in standby behind the publish: IPS has it, it was submitted once.
		expect(sim.requestsFor('submitJob')).toHaveLength(1);
	});

	it('cancelling while Wait for It waits submits nothing and ends the execution as canceled', async () => {
		runningPublish(20_000);
		const { run } = await runIpsWorkflow({
			node: 'ips',
			parameters: {
				resource: 'job',
				operation: 'publish',
				companyHandle: byHandle('c|2101'),
				pollIntervalSeconds: 30,
			},
			items: [{}],
			credential: credentialFor(sim),
			cancelAfterMs: 300,
		});
		expect(run.status).toBe('canceled');
		expect(sim.requestsFor('submitJob')).toHaveLength(0);
	});

	it('pre-4.0: log details come at once, and each file still gets its own outcome', async () => {
		const items = files(3);
		sim.state.failingSourceUrls.push(items[2].url);
		const result = await upload(
			items,
			{ waitForCompletion: true, failOnJobErrors: false },
			{ credential: { apiVersion: 'pre-4.0' } },
		);
		expect(result.error).toBeUndefined();
		expect(out(result).map((o) => o.status)).toEqual(['uploaded', 'uploaded', 'failed']);
		expect(
			sim.requestsFor('getJobLogDetails').every((r) => !r.body.includes('recordsPerPage')),
		).toBe(true);
	});
});

describe('n8n settings', () => {
	it('Continue On Fail (error output): a failed file goes to the error output with its row, the others to the main one', async () => {
		const items = files(3);
		sim.state.failingSourceUrls.push(items[0].url);
		const { run } = await upload(
			items,
			{ waitForCompletion: true },
			{
				nodeSettings: { onError: 'continueErrorOutput' },
			},
		);
		const [main, errors] = run.data.resultData.runData.IPS[0].data!.main;
		expect(main!.map((item) => (item.json.ipsJob as { destPath: string }).destPath)).toEqual([
			'products/p-1.jpg',
			'products/p-2.jpg',
		]);
		expect(errors!.map((item) => [item.json.error, item.json.path])).toEqual([
			[
				`The file of item 0 (${items[0].url} → products/p-0.jpg) was not uploaded: Could not get ${items[0].url}: HTTP 404 Not Found`,
				'products/p-0.jpg',
			],
		]);
	});

	it('batching at the limit: 1,001 items with URLs per Job 1,000 make two jobs, each submitted once', async () => {
		const result = await upload(files(1001), { urlsPerJob: 1000 });
		expect(result.error).toBeUndefined();
		const sent = sim.requestsFor('submitJob');
		expect(sent.map((r) => (r.body.match(/<sourceUrl>/g) ?? []).length)).toEqual([1000, 1]);
		expect(result.output).toHaveLength(1001);
		const last = out(result)[1000];
		expect(last).toMatchObject({ status: 'submitted', destPath: 'products/p-1000.jpg' });
		expect((last.job as { urlCount: number }).urlCount).toBe(1);
	});
});
