// n8n settings that could start jobs twice, numbers from expressions, and the texts users read.
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 300 });
});
afterEach(() => sim.stop());
afterAll(closeTransport);

const NIGHTLY = 'j|2101|Nightly publish||';
const start = (extra: Record<string, unknown> = {}) => ({
	companyHandle: byHandle('c|2101'),
	jobHandle: byHandle(NIGHTLY),
	...extra,
});

describe('Retry On Fail', () => {
	it.each([
		['without Continue On Fail', false],
		['with Continue On Fail', true],
	])('is refused before anything is sent, %s', async (_how, continueOnFail) => {
		const { output, error } = await runIpsWorkflow({
			parameters: start(),
			items: [{}, {}],
			credential: credentialFor(sim),
			continueOnFail,
			nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});
		expect(sim.requests).toHaveLength(0);
		// With Continue On Fail every item comes out as an error item: none passes as if started.
		if (continueOnFail)
			expect(output?.map((item) => item.json.error)).toEqual([
				expect.any(String),
				expect.any(String),
			]);
		const message = continueOnFail ? output?.[1].json.error : error?.message;
		expect(message).toMatch(
			/Retry On Fail is on, and a retry would start the IPS jobs of every item again/,
		);
		if (!continueOnFail)
			expect(error?.description).toMatch(/Nothing was sent to IPS\. Turn off "Retry On Fail"/);
	});

	it('leaves the node alone when off', async () => {
		const { error } = await runIpsWorkflow({
			parameters: start(),
			items: [{}],
			credential: credentialFor(sim),
			nodeSettings: { retryOnFail: false },
		});
		expect(error).toBeUndefined();
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});
});

describe('numbers from expressions', () => {
	const waiting = (extra: Record<string, unknown>) =>
		start({ waitForCompletion: true, pollIntervalSeconds: 1, maxWaitSeconds: 10, ...extra });

	it('takes numeric text and falls back on null or nothing', async () => {
		const { output, error } = await runIpsWorkflow({
			parameters: waiting({
				pollIntervalSeconds: '={{ "1" }}',
				maxWaitSeconds: '={{ null }}',
				options: { maxParallelRequests: '={{ "2" }}' },
			}),
			items: [{}, {}],
			credential: credentialFor(sim),
		});
		expect(error).toBeUndefined();
		expect(output?.map((item) => (item.json.ipsJob as { status: string }).status)).toEqual([
			'succeeded',
			'succeeded',
		]);
	});

	it.each([
		[
			'Poll Interval (Seconds)',
			{ pollIntervalSeconds: '={{ "soon" }}' },
			/Poll Interval \(Seconds\) must be a number from 1 to 3600, but it is "soon"/,
		],
		[
			'Max Wait (Seconds)',
			{ maxWaitSeconds: 0 },
			/Max Wait \(Seconds\) must be a number from 1 to 86400, but it is 0/,
		],
		[
			'Max Parallel Requests',
			{ options: { maxParallelRequests: '={{ "many" }}' } },
			/Max Parallel Requests must be a whole number from 1 to 32, but it is "many"/,
		],
		[
			'Request Timeout (Seconds)',
			{ options: { requestTimeoutSeconds: 3_000_000 } },
			/Request Timeout \(Seconds\) must be a number from 1 to 600, but it is 3000000/,
		],
	])(
		'refuses a bad %s before anything is sent, naming it and the value',
		async (_field, extra, text) => {
			const { error } = await runIpsWorkflow({
				parameters: waiting(extra),
				items: [{}],
				credential: credentialFor(sim),
			});
			expect(error?.message).toMatch(text);
			expect(sim.requests).toHaveLength(0);
		},
	);
});

describe('the text the user reads', () => {
	it('keeps a job name that holds a Node.js error code ("StorePermissions")', async () => {
		sim.state.scheduledJobs.push({
			...sim.state.scheduledJobs[0],
			jobHandle: 'j|2101|StorePermissions||',
			name: 'StorePermissions',
			outcome: 'failed',
			runDurationMs: 200,
		});
		const { error } = await runIpsWorkflow({
			parameters: start({
				jobHandle: byHandle('j|2101|StorePermissions||'),
				waitForCompletion: true,
				pollIntervalSeconds: 1,
			}),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error?.message).toMatch(
			/^The IPS job run StorePermissions_\S+ of item 0 failed with a fatal error/,
		);
	});

	it('a reset executeJob says the job may have started, not "retry immediately"', async () => {
		sim.inject('executeJob', { kind: 'drop' });
		const { error } = await runIpsWorkflow({
			parameters: start(),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(error?.message).toMatch(
			/^Could not run the IPS job of item 0: The connection to 127\.0\.0\.1:\d+ was closed before the answer was complete/,
		);
		expect(error?.message).not.toMatch(/retry/i);
		expect(error?.description).toMatch(/the job may have started/);
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});

	it('a failed job lookup says nothing was started, and is asked again for the next item', async () => {
		sim.inject('getScheduledJobs', { kind: 'html', status: 502 }, { times: 1 });
		const { output } = await runIpsWorkflow({
			parameters: start({ waitForCompletion: true, pollIntervalSeconds: 1 }),
			items: [{}, {}],
			credential: credentialFor(sim),
			continueOnFail: true,
		});
		expect(output?.[0].json.error).toMatch(
			/^Could not look up the IPS job of item 0: IPS answered HTTP 502/,
		);
		expect(output?.[0].json.details).toMatchObject({
			description: expect.stringMatching(/^Nothing was started\./),
		});
		expect(output?.[1].json.ipsJob).toMatchObject({ status: 'succeeded' });
		expect(sim.requestsFor('getScheduledJobs')).toHaveLength(2);
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});

	it('a password with a control character is the credential’s problem, named', async () => {
		const { error } = await runIpsWorkflow({
			parameters: start(),
			items: [{}],
			credential: credentialFor(sim, { password: 'demo-pass\u0007word' }),
		});
		expect(error?.message).toBe(
			'The password of the IPS API credential contains a character that XML cannot carry (a control character); retype it',
		);
		expect(error?.description).toMatch(
			/Fix the "password" field of the IPS API credential "IPS account"/,
		);
		expect(sim.requests).toHaveLength(0);
	});

	it("n8n's own expression errors reach the user as n8n wrote them", async () => {
		const { output } = await runIpsWorkflow({
			parameters: start({ jobHandle: byHandle('={{ $json.job.name.trim() }}') }),
			items: [{}],
			credential: credentialFor(sim),
			continueOnFail: true,
		});
		expect(output?.[0].json.error).not.toMatch(/^Could not/);
		expect(output?.[0].json.error).toMatch(
			/Cannot read properties of undefined|can't be used|undefined/i,
		);
		expect(sim.requestsFor('executeJob')).toHaveLength(0);
	});
});

describe('what reaches IPS', () => {
	it('trims spaces around handles; the simulator keeps what it receives', async () => {
		await runIpsWorkflow({
			parameters: start({
				companyHandle: byHandle('  c|2101 '),
				jobHandle: byHandle(` ${NIGHTLY}\t`),
			}),
			items: [{}],
			credential: credentialFor(sim),
		});
		expect(sim.requestsFor('executeJob')[0].params).toEqual({
			companyHandle: 'c|2101',
			jobHandle: NIGHTLY,
		});
	});

	it('lets an IpsCompanyAdmin run a job', async () => {
		sim.state.users.push({
			...sim.state.users[0],
			email: 'company-admin@example.com',
			userHandle: 'u|104',
			role: 'IpsCompanyAdmin',
		});
		const { error } = await runIpsWorkflow({
			parameters: start(),
			items: [{}],
			credential: credentialFor(sim, {
				user: 'company-admin@example.com',
				role: 'IpsCompanyAdmin',
			}),
		});
		expect(error).toBeUndefined();
		expect(sim.state.runHistory[0].triggeredBy).toBe('company-admin@example.com');
	});
});
