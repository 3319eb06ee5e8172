import { ExecuteContext } from 'n8n-core';
import { API_VERSIONS, namespaceOf } from '../../nodes/Ips/ips/namespaces';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor, DEMO_PASSWORD, fromList } from '../support/ips';

let sim: IpsSimulator;
beforeAll(async () => {
	sim = await startIpsSimulator({ runDurationMs: 0 });
});
beforeEach(() => {
	sim.requests.length = 0;
	sim.clearInjections();
});
afterAll(async () => {
	await sim.stop();
	await closeTransport();
});

const NIGHTLY = 'j|2101|Nightly publish||';
const FTP = 'j|2101|Upload from FTP||';
const OUTLET = 'j|2102|Outlet publish||';

describe('IPS: Execute Job in n8n’s engine', () => {
	it('reads a handle without an expression once per execution, one with an expression per item', async () => {
		// n8n binds getNodeParameter per context; every read goes through this method.
		const reads = jest.spyOn(
			ExecuteContext.prototype as unknown as { _getNodeParameter: (name: string) => unknown },
			'_getNodeParameter',
		);
		try {
			const items = Array.from({ length: 50 }, () => ({ job: FTP }));
			const { error } = await runIpsWorkflow({
				parameters: { companyHandle: fromList('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
				items,
				credential: credentialFor(sim),
			});
			expect(error).toBeUndefined();
			const readsOf = (name: string) => reads.mock.calls.filter(([param]) => param === name).length;
			expect(readsOf('companyHandle')).toBe(1);
			expect(readsOf('jobHandle')).toBe(50);
			expect(sim.requestsFor('executeJob').map((r) => r.params)).toEqual(
				items.map(() => ({ companyHandle: 'c|2101', jobHandle: FTP })),
			);
		} finally {
			reads.mockRestore();
		}
	});

	it('passes three items through unchanged, each paired to its input, one executeJob each', async () => {
		const items = [
			{ id: 1, job: NIGHTLY, nested: { a: [1, 2] } },
			{ id: 2, job: FTP },
			{ id: 3, job: NIGHTLY },
		];
		const { output, error } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
			items,
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		expect(output?.map((item) => item.json)).toEqual(items);
		expect(output?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const sent = sim.requestsFor('executeJob');
		expect(sent.map((r) => r.params)).toEqual([
			{ companyHandle: 'c|2101', jobHandle: NIGHTLY },
			{ companyHandle: 'c|2101', jobHandle: FTP },
			{ companyHandle: 'c|2101', jobHandle: NIGHTLY },
		]);
		expect(sim.state.jobLogs.length + sim.state.runs.length).toBeGreaterThanOrEqual(3);
	});

	it('resolves both handles from per-item expressions, across companies', async () => {
		const { output } = await runIpsWorkflow({
			parameters: {
				companyHandle: byHandle('={{ $json.company }}'),
				jobHandle: byHandle('={{ $json.job }}'),
			},
			items: [
				{ company: 'c|2101', job: NIGHTLY },
				{ company: 'c|2102', job: OUTLET },
			],
			credential: credentialFor(sim),
		});
		expect(output).toHaveLength(2);
		expect(
			sim.requestsFor('executeJob').map((r) => [r.params.companyHandle, r.params.jobHandle]),
		).toEqual([
			['c|2101', NIGHTLY],
			['c|2102', OUTLET],
		]);
	});

	it('takes handles picked “From list” as they are', async () => {
		const { output, error } = await runIpsWorkflow({
			parameters: {
				companyHandle: fromList('c|2102', 'Acme Outlet'),
				jobHandle: fromList(OUTLET, 'Outlet publish'),
			},
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(sim.requestsFor('executeJob')[0].params).toEqual({
			companyHandle: 'c|2102',
			jobHandle: OUTLET,
		});
	});

	it('adds {companyHandle, jobHandle, executedAt} under the output field and keeps binary data', async () => {
		const before = Date.now();
		const { output } = await runIpsWorkflow({
			parameters: {
				companyHandle: byHandle('c|2101'),
				jobHandle: byHandle(NIGHTLY),
				options: { outputField: 'ipsJob' },
			},
			items: [
				{
					json: { keep: true },
					binary: { file: { data: 'aGVsbG8=', mimeType: 'text/plain', fileName: 'a.txt' } },
				},
			],
			credential: credentialFor(sim),
		});
		const json = output?.[0].json as {
			keep: boolean;
			ipsJob: { companyHandle: string; jobHandle: string; executedAt: string };
		};
		expect(json.keep).toBe(true);
		expect(json.ipsJob.companyHandle).toBe('c|2101');
		expect(json.ipsJob.jobHandle).toBe(NIGHTLY);
		expect(Date.parse(json.ipsJob.executedAt)).toBeGreaterThanOrEqual(before - 1000);
		expect(output?.[0].binary?.file.fileName).toBe('a.txt');
	});

	it.each(API_VERSIONS)(
		'speaks API version %s: namespace, auth header and app name',
		async (apiVersion) => {
			const { error } = await runIpsWorkflow({
				parameters: { companyHandle: byHandle('47'), jobHandle: byHandle('47|My Test Job|') },
				items: [{}],
				credential: credentialFor(sim, { apiVersion }),
			});
			expect(error).toBeUndefined();
			const [request] = sim.requestsFor('executeJob');
			expect(request.namespace).toBe(namespaceOf(apiVersion));
			expect(request.body).toContain(
				'<authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>demo@example.com</user>',
			);
			expect(request.body).toContain('<appName>n8n-nodes-scene7-ips</appName>');
			expect(request.headers.soapaction).toBe('executeJob');
		},
	);

	it('sends hostile handles escaped; the server receives them unchanged', async () => {
		const job = 'j|2101|Price & <Promo> "Q4" \'s\' ]]> Größe ||';
		const { error } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
			items: [{ job }],
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		expect(sim.requestsFor('executeJob')[0].params.jobHandle).toBe(job);
	});

	it('with Continue On Fail, keeps the good items and turns the bad one into an error item at its index', async () => {
		const { output, error } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
			items: [{ job: NIGHTLY }, { job: 'j|2101|No such job||' }, { job: FTP }],
			credential: credentialFor(sim),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(3);
		expect(output?.[0].json).toEqual({ job: NIGHTLY });
		expect(output?.[2].json).toEqual({ job: FTP });
		const failed = output?.[1];
		expect(failed?.pairedItem).toEqual({ item: 1 });
		expect(failed?.json.error).toMatch(
			/item 1.*no scheduled job with handle 'j\|2101\|No such job\|\|'/,
		);
		expect(failed?.json.details).toMatchObject({ kind: 'ipsApi', code: 30001, httpStatus: 500 });
		expect(sim.requestsFor('executeJob')).toHaveLength(3);
	});

	it('without Continue On Fail, fails the execution naming the item and the IPS reason', async () => {
		const { error, run } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
			items: [{ job: NIGHTLY }, { job: 'j|2101|Quarterly cleanup||' }, { job: FTP }],
			credential: credentialFor(sim),
		});
		expect(run.status).toBe('error');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toMatch(/item 1.*paused/);
		expect(error?.description).toMatch(/ipsApi fault 30000/);
		expect((error?.context as { itemIndex?: number } | undefined)?.itemIndex).toBe(1);
		// Item 2 was never started: a failed execution does not leave jobs running behind the user's back.
		expect(sim.requestsFor('executeJob').map((r) => r.params.jobHandle)).toEqual([
			NIGHTLY,
			'j|2101|Quarterly cleanup||',
		]);
	});

	it('refuses a company the user is not a member of, in plain words', async () => {
		const { error } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|9999'), jobHandle: byHandle('j|9999|Not yours||') },
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error?.message).toMatch(/not a member of this company/);
		expect(error?.httpCode).toBe('500');
	});

	it('stops before sending anything when the credential’s role may not run jobs', async () => {
		const { error, output } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle(NIGHTLY) },
			items: [{}, {}],
			credential: credentialFor(sim, {
				user: 'webservice@example.com',
				password: 'webservice-password',
				role: 'WebServiceUser',
			}),
		});
		expect(output).toBeUndefined();
		expect(error?.message).toMatch(/role "WebServiceUser" may not run IPS jobs/);
		expect(error?.description).toMatch(/IpsUser, IpsAdmin/);
		expect(sim.requests).toHaveLength(0);
	});

	it('with the wrong role and Continue On Fail, every item becomes an error item and nothing is sent', async () => {
		const { output } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle(NIGHTLY) },
			items: [{ a: 1 }, { a: 2 }],
			credential: credentialFor(sim, { role: 'ImagePortalUser' }),
			continueOnFail: true,
		});
		expect(output?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output?.every((item) => /ImagePortalUser/.test(String(item.json.error)))).toBe(true);
		expect(sim.requests).toHaveLength(0);
	});

	it.each([
		['an empty handle', '', /Job handle of item 0 is empty/],
		['white space', '   ', /Job handle of item 0 is empty/],
		[
			'a control character',
			'j|2101|A\u0000B||',
			/Job handle of item 0 contains a character that XML cannot carry \(U\+0000 at position 9\)/,
		],
	])('refuses %s before sending, naming the item and the field', async (_what, job, message) => {
		const { error } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
			items: [{ job }],
			credential: credentialFor(sim),
		});
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(message);
		expect(sim.requestsFor('executeJob')).toHaveLength(0);
	});

	it('sends a numeric company handle as text and refuses an object', async () => {
		const { output } = await runIpsWorkflow({
			parameters: {
				companyHandle: byHandle('={{ $json.company }}'),
				jobHandle: byHandle('={{ $json.job }}'),
			},
			items: [
				{ company: 47, job: '47|My Test Job|' },
				{ company: { handle: 'c|2101' }, job: NIGHTLY },
			],
			credential: credentialFor(sim),
			continueOnFail: true,
		});
		expect(output?.[0].json).toEqual({ company: 47, job: '47|My Test Job|' });
		expect(output?.[1].json.error).toMatch(
			/Company handle of item 1 must be text, but it is (object|\[object Object\])/,
		);
		expect(sim.requestsFor('executeJob').map((r) => r.params.companyHandle)).toEqual(['47']);
	});

	it('never puts the password into an error, an output item or a description', async () => {
		const wrong = 'W0ng-Secret!';
		const first = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle(NIGHTLY) },
			items: [{}],
			credential: credentialFor(sim, { password: wrong }),
			continueOnFail: true,
		});
		expect(first.output?.[0].json.error).toMatch(/rejected the password/);
		const second = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle(NIGHTLY) },
			items: [{}],
			credential: credentialFor(sim, { password: wrong }),
		});
		const text = JSON.stringify([
			first.output,
			first.error,
			second.error,
			second.run.data.resultData,
		]);
		expect(text).not.toContain(wrong);
		expect(text).not.toContain(DEMO_PASSWORD);
	});

	it('keeps input order with parallel requests', async () => {
		const items = Array.from({ length: 40 }, (_, i) => ({ i, job: i % 2 ? NIGHTLY : FTP }));
		sim.inject(
			'executeJob',
			{ kind: 'delay', delayMs: 30 },
			{ when: (r) => r.params.jobHandle === FTP },
		);
		const { output } = await runIpsWorkflow({
			parameters: {
				companyHandle: byHandle('c|2101'),
				jobHandle: byHandle('={{ $json.job }}'),
				options: { maxParallelRequests: 8 },
			},
			items,
			credential: credentialFor(sim),
		});
		expect(output?.map((item) => item.json.i)).toEqual(items.map((item) => item.i));
		expect(output?.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(sim.requestsFor('executeJob')).toHaveLength(40);
		// Parallelism really happened: the requests did not arrive in input order.
		const arrival = sim.requestsFor('executeJob').map((r) => r.params.jobHandle);
		expect(arrival).not.toEqual(items.map((item) => item.job));
	});
});
