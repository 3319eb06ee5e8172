import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { buildEnvelope } from '../../nodes/Ips/ips/envelope';
import { IpsFault, IpsTransportError } from '../../nodes/Ips/ips/faults';
import { IpsClient } from '../../nodes/Ips/ips/IpsClient';
import { ApiVersion, namespaceOf } from '../../nodes/Ips/ips/namespaces';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { DEMO_PASSWORD, DEMO_USER } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 0 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const auth = { user: DEMO_USER, password: DEMO_PASSWORD, appName: 'test', appVersion: '1' };
const client = (overrides: Partial<ConstructorParameters<typeof IpsClient>[0]> = {}) =>
	new IpsClient({ serviceUrl: sim.url, apiVersion: '2014-04-03', auth, ...overrides });

async function post(body: string, headers: Record<string, string> = {}) {
	const response = await request(sim.url, {
		method: 'POST',
		headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: 'executeJob', ...headers },
		body,
	});
	const raw = Buffer.from(await response.body.arrayBuffer());
	const text =
		response.headers['content-encoding'] === 'gzip'
			? gunzipSync(raw).toString('utf8')
			: raw.toString('utf8');
	return { status: response.statusCode, headers: response.headers, text };
}

async function faultOf(promise: Promise<unknown>): Promise<IpsFault> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(IpsFault);
	return error as IpsFault;
}

const executeJobBody = (version: ApiVersion, children: Array<[string, string]>, withAuth = true) =>
	buildEnvelope({
		operation: 'executeJob',
		namespace: namespaceOf(version),
		auth: withAuth ? auth : undefined,
		children,
	});

describe('authentication and authorization, as IPS does them', () => {
	it('answers 10000 without an authHeader, as a fault in the unversioned namespace with HTTP 500', async () => {
		const { status, text } = await post(
			executeJobBody(
				'2014-04-03',
				[
					['companyHandle', 'c|2101'],
					['jobHandle', 'x'],
				],
				false,
			),
		);
		expect(status).toBe(500);
		expect(text).toContain(
			'<authenticationFault xmlns="http://www.scene7.com/IpsApi/xsd"><code>10000</code>',
		);
	});

	it('answers 10001 for a wrong password and 10002 for an unknown user', async () => {
		expect((await faultOf(client({ auth: { ...auth, password: 'x' } }).getUserInfo())).code).toBe(
			10001,
		);
		expect(
			(await faultOf(client({ auth: { ...auth, user: 'ghost@example.com' } }).getUserInfo())).code,
		).toBe(10002);
	});

	it('answers 20003 when the role may not run the operation', async () => {
		const webservice = client({
			auth: { ...auth, user: 'webservice@example.com', password: 'webservice-password' },
		});
		const fault = await faultOf(webservice.executeJob('c|2101', 'j|2101|Nightly publish||'));
		expect(fault.kind).toBe('authorization');
		expect(fault.code).toBe(20003);
		expect(fault.reason).toBe("User does not have permission to access operation 'executeJob'");
		expect((await webservice.getUserInfo()).role).toBe('WebServiceUser');
	});

	it('answers 20000 for a company the user is not a member of', async () => {
		const fault = await faultOf(client().getScheduledJobs('c|9999'));
		expect([fault.kind, fault.code]).toEqual(['authorization', 20000]);
	});

	it('honours faultHttpStatusCode', async () => {
		const body = buildEnvelope({
			operation: 'getUserInfo',
			namespace: namespaceOf('2014-04-03'),
			auth: { ...auth, password: 'wrong', faultHttpStatusCode: 200 },
			children: [],
		});
		const { status, text } = await post(body, { soapaction: 'getUserInfo' });
		expect(status).toBe(200);
		expect(text).toContain('<code>10001</code>');
	});
});

describe('request validation', () => {
	it('answers 30003 for XML that is not well-formed', async () => {
		const { status, text } = await post('<soapenv:Envelope><unclosed>');
		expect(status).toBe(500);
		expect(text).toMatch(/<code>30003<\/code><reason>Invalid request XML: /);
	});

	it('answers 30003 for a body in no known namespace (what the soap library sends with an unmerged WSDL)', async () => {
		const body = executeJobBody('2014-04-03', [
			['companyHandle', 'c|2101'],
			['jobHandle', 'x'],
		]).replace(' xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"', '');
		expect((await post(body)).text).toMatch(/30003.*unknown namespace/);
	});

	it.each([
		[
			'children in the wrong order',
			[
				['jobHandle', '47|My Test Job|'],
				['companyHandle', '47'],
			],
			/Unexpected element|Missing element companyHandle/,
		],
		['a missing jobHandle', [['companyHandle', '47']], /Missing element jobHandle/],
		[
			'an unknown child',
			[
				['companyHandle', '47'],
				['jobHandle', '47|My Test Job|'],
				['extra', 'x'],
			],
			/Unexpected element extra/,
		],
	] as Array<[string, Array<[string, string]>, RegExp]>)(
		'validates pre-4.0 bodies against the WSDL schema: %s',
		async (_what, children, reason) => {
			const { text } = await post(executeJobBody('pre-4.0', children));
			expect(text).toContain('<code>30003</code>');
			expect(text).toMatch(reason);
			expect(sim.state.runs).toHaveLength(0);
		},
	);

	it('accepts the valid pre-4.0 reference request', async () => {
		const { status, text } = await post(
			executeJobBody('pre-4.0', [
				['companyHandle', '47'],
				['jobHandle', '47|My Test Job|'],
			]),
		);
		expect(status).toBe(200);
		expect(text).toContain(
			'<executeJobReturn xmlns="http://www.scene7.com/IpsApi/xsd"></executeJobReturn>',
		);
	});

	it('gzips when the request accepts it', async () => {
		const body = executeJobBody('2014-04-03', [
			['companyHandle', 'c|2101'],
			['jobHandle', 'j|2101|Nightly publish||'],
		]);
		const zipped = await post(body, { 'accept-encoding': 'gzip' });
		expect(zipped.headers['content-encoding']).toBe('gzip');
		expect(zipped.text).toContain('<executeJobReturn');
		expect((await post(body)).headers['content-encoding']).toBeUndefined();
	});
});

describe('job runs', () => {
	it('moves a run New → Running → Done and then logs it', async () => {
		// New for the first 400 ms, Running until 2 s: room for a busy machine between the reads.
		sim.state.scheduledJobs[0].runDurationMs = 2_000;
		const started = Date.now();
		await client().executeJob('c|2101', 'j|2101|Nightly publish||');
		const [run] = await client().getActiveJobs('c|2101');
		expect(run).toMatchObject({
			originalName: 'Nightly publish',
			state: 'New',
			type: 'ImageServingPublish',
		});
		expect(run.name).toMatch(/^Nightly publish_\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2}\.\d{3}$/);
		expect(run.jobHandle).toBe(`j|2101||${run.name}|${run.jobHandle.split('|').pop()}`);
		expect(Date.parse(run.startDate)).toBeGreaterThanOrEqual(started - 5);
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect((await client().getActiveJobs('c|2101'))[0].state).toBe('Running');
		await new Promise((resolve) => setTimeout(resolve, 1_600));
		expect(await client().getActiveJobs('c|2101')).toEqual([]);
		const logs = await client().getJobLogs('c|2101', {
			startDate: new Date(started - 1000),
			endDate: new Date(Date.now() + 1000),
		});
		expect(logs).toEqual([
			expect.objectContaining({
				jobName: run.name,
				jobHandle: run.jobHandle,
				fatalError: false,
				fileSuccessCount: 120,
				totalFileCount: 120,
			}),
		]);
	});

	it('a busy company: runs another user started of another job, each named apart, going on', async () => {
		const busy = await startIpsSimulator({ runDurationMs: 0, otherRuns: 500 });
		try {
			const jobs = await new IpsClient({
				serviceUrl: busy.url,
				apiVersion: '2014-04-03',
				auth,
			}).getActiveJobs('c|2101');
			expect(jobs).toHaveLength(500);
			expect(new Set(jobs.map((job) => job.name)).size).toBe(500);
			for (const job of jobs)
				expect(job).toMatchObject({
					originalName: 'Upload from FTP',
					type: 'UploadFromServerDirectory',
					state: 'Running',
				});
			// Not a run any execution asked for: the scheduled job's own user is not who started them.
			expect(busy.state.runs.every((run) => run.triggeredBy === 'someone-else')).toBe(true);
		} finally {
			await busy.stop();
		}
	});

	it('ends a job marked to fail with fatalError and error counts, and one with warnings with warning counts', async () => {
		await client().executeJob('c|2101', 'j|2101|Broken metadata feed||');
		await client().executeJob('c|2101', 'j|2101|Upload from FTP||');
		const logs = await client().getJobLogs('c|2101', {
			startDate: new Date(Date.now() - 60_000),
			endDate: new Date(Date.now() + 1000),
		});
		const failed = logs.find((l) => l.jobName.startsWith('Broken metadata feed_'));
		const warned = logs.find((l) => l.jobName.startsWith('Upload from FTP_'));
		expect(failed).toMatchObject({ fatalError: true, fileErrorCount: 8, fileSuccessCount: 0 });
		expect(warned).toMatchObject({ fatalError: false, fileWarningCount: 5, fileErrorCount: 0 });
	});

	it('refuses a paused job and an unknown handle; pause, resume, stop and delete work', async () => {
		const c = client();
		expect((await faultOf(c.executeJob('c|2101', 'j|2101|Quarterly cleanup||'))).code).toBe(30000);
		expect((await faultOf(c.executeJob('c|2101', 'j|2101|Nope||'))).code).toBe(30001);
		await c.call('resumeJob', [
			['companyHandle', 'c|2101'],
			['jobHandle', 'j|2101|Quarterly cleanup||'],
		]);
		await c.executeJob('c|2101', 'j|2101|Quarterly cleanup||');
		await c.call('pauseJob', [
			['companyHandle', 'c|2101'],
			['jobHandle', 'j|2101|Nightly publish||'],
		]);
		expect(
			(await c.getScheduledJobs('c|2101')).find((j) => j.name === 'Nightly publish')?.triggerState,
		).toBe('Paused');
		sim.state.scheduledJobs.find((j) => j.name === 'Outlet publish')!.runDurationMs = 60_000;
		await c.executeJob('c|2102', 'j|2102|Outlet publish||');
		const [running] = await c.getActiveJobs('c|2102');
		await c.call('stopJob', [
			['companyHandle', 'c|2102'],
			['jobHandle', running.jobHandle],
		]);
		// IPS stops a run only when it can: Stopping first, then gone, logged as stopped.
		expect((await c.getActiveJobs('c|2102')).map((r) => r.state)).toEqual(['Stopping']);
		await new Promise((resolve) => setTimeout(resolve, 1_100));
		expect(await c.getActiveJobs('c|2102')).toEqual([]);
		const details = await c.call('getJobLogDetails', [
			['companyHandle', 'c|2102'],
			['jobHandle', running.jobHandle],
		]);
		expect(JSON.stringify(details)).toContain('Job stopped by user');
		await c.call('deleteJob', [
			['companyHandle', 'c|2101'],
			['jobHandle', 'j|2101|Nightly publish||'],
		]);
		expect((await c.getScheduledJobs('c|2101')).map((j) => j.name)).not.toContain(
			'Nightly publish',
		);
	});

	it('answers checkLogin and getCompanyInfo', async () => {
		const status = await client().call('checkLogin', [
			['email', DEMO_USER],
			['password', DEMO_PASSWORD],
		]);
		expect(status).toEqual({ status: 'ValidLogin' });
		const wrong = await client().call('checkLogin', [
			['email', DEMO_USER],
			['password', 'x'],
		]);
		expect(wrong).toEqual({ status: 'InvalidLogin' });
		const info = await client({ apiVersion: 'pre-4.0' }).call('getCompanyInfo', [
			['companyHandle', '47'],
		]);
		expect(info).toEqual({
			companyInfo: { companyHandle: '47', name: 'Example.com', rootPath: 'Example.com/' },
		});
	});
});

describe('recording and fault injection', () => {
	it('records operation, headers, body and parameters of every request', async () => {
		await client().executeJob('c|2101', 'j|2101|Nightly publish||');
		const [recorded] = sim.requests;
		expect(recorded.operation).toBe('executeJob');
		expect(recorded.headers.soapaction).toBe('executeJob');
		expect(recorded.params).toEqual({
			companyHandle: 'c|2101',
			jobHandle: 'j|2101|Nightly publish||',
		});
		expect(recorded.body).toContain('<password>demo-password</password>');
		expect(recorded.receivedAt).toBeLessThanOrEqual(Date.now());
	});

	it('injects a fault a set number of times, then behaves', async () => {
		sim.inject(
			'executeJob',
			{ kind: 'fault', fault: { kind: 'ipsApi', code: 30000, reason: 'Injected' } },
			{ times: 1 },
		);
		expect((await faultOf(client().executeJob('c|2101', 'j|2101|Nightly publish||'))).reason).toBe(
			'Injected',
		);
		await expect(
			client().executeJob('c|2101', 'j|2101|Nightly publish||'),
		).resolves.toBeUndefined();
		expect(sim.requests.map((r) => r.injected)).toEqual(['fault', undefined]);
		expect(sim.state.runs.length + sim.state.jobLogs.length).toBe(1);
	});

	it('injects an HTML error page, a dropped connection and a delay', async () => {
		sim.inject('getUserInfo', { kind: 'html', status: 502 }, { times: 1 });
		// Two drops: a read is sent once more after a reset connection, and no more.
		sim.inject('getUserInfo', { kind: 'drop' }, { times: 2 });
		sim.inject('getUserInfo', { kind: 'delay', delayMs: 300 }, { times: 1 });
		const html = await client()
			.getUserInfo()
			.catch((e: unknown) => e);
		expect(html).toMatchObject({ kind: 'httpError', details: { httpStatus: 502 } });
		const dropped = await client()
			.getUserInfo()
			.catch((e: unknown) => e);
		expect(dropped).toBeInstanceOf(IpsTransportError);
		expect((dropped as IpsTransportError).kind).toBe('connectionReset');
		expect(sim.requests.map((r) => r.injected)).toEqual(['html', 'drop', 'drop']);
		const before = Date.now();
		await client().getUserInfo();
		expect(Date.now() - before).toBeGreaterThanOrEqual(290);
	});

	it('a delayed answer tells the state after the delay; a late answer, the state when the request came', async () => {
		const job = 'j|2101|Nightly publish||';
		sim.state.scheduledJobs.find((j) => j.jobHandle === job)!.runDurationMs = 10_000;
		const runsListed = async (kind: 'delay' | 'lateAnswer') => {
			sim.inject('getActiveJobs', { kind, delayMs: 1_000 }, { times: 1 });
			const looks = sim.requestsFor('getActiveJobs').length;
			const listing = client().getActiveJobs('c|2101');
			// Started once IPS has the look, while its answer is on its way.
			while (sim.requestsFor('getActiveJobs').length === looks)
				await new Promise((resolve) => setTimeout(resolve, 10));
			await client().executeJob('c|2101', job);
			return (await listing).length;
		};
		expect(await runsListed('lateAnswer')).toBe(0);
		expect(await runsListed('delay')).toBe(2);
	});
});
