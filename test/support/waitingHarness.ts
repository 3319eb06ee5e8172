// What the Wait for Completion scenario files share: a fresh simulator for every test, and Execute
// Job with Wait for Completion against it (one job of company c|2101 unless a test says otherwise).
import { IpsClient } from '../../nodes/Ips/ips/IpsClient';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, SimulatorOptions, startIpsSimulator } from '../../simulator';
import { SimScheduledJob } from '../../simulator/state';
import { runIpsWorkflow } from './engine';
import { byHandle, credentialFor } from './ips';

export const NIGHTLY = 'j|2101|Nightly publish||';
export const ADMIN = { user: 'admin@example.com', password: 'admin-password', role: 'IpsAdmin' };

/** How slow a slow IPS read is in the tests: far past the 300 ms bound and Max Wait. */
export const SLOW_READ_MS = 8_000;
/** What n8n's engine and loopback may add to a stated time bound on this machine. */
export const SLACK_MS = 400;

export type Run = Record<string, unknown> & {
	status: string;
	runName: string | null;
	message?: string;
};

/** Registers a simulator started before each test of the file and stopped after it. */
export function waitingHarness(options: SimulatorOptions) {
	let current: IpsSimulator | undefined;
	beforeEach(async () => {
		current = await startIpsSimulator(options);
	});
	afterEach(() => current?.stop());
	afterAll(closeTransport);
	const sim = (): IpsSimulator => {
		if (!current) throw new Error('the simulator runs only inside a test');
		return current;
	};

	const job = (handle = NIGHTLY): SimScheduledJob =>
		sim().state.scheduledJobs.find((candidate) => candidate.jobHandle === handle)!;

	const waitFor = (extra: Record<string, unknown> = {}) => ({
		companyHandle: byHandle('c|2101'),
		jobHandle: byHandle(NIGHTLY),
		waitForCompletion: true,
		pollIntervalSeconds: 1,
		maxWaitSeconds: 8,
		...extra,
	});

	const run = async (
		runOptions: { extra?: Record<string, unknown>; items?: object[]; credential?: object } = {},
	) => {
		const result = await runIpsWorkflow({
			parameters: waitFor(runOptions.extra),
			items: (runOptions.items ?? [{}]) as never,
			credential: credentialFor(sim(), { ...runOptions.credential }),
		});
		return { ...result, runs: result.output?.map((item) => item.json.ipsJob as Run) ?? [] };
	};

	/**
	 * As `run`, for tests of time bounds, which count from `lookAt`: when IPS received the first
	 * request, the look before sending, where the node's 300 ms and Max Wait begin (not n8n's engine
	 * starting, nor the first load of the HTTP library, which a busy machine can stretch). An
	 * execution error fails the test.
	 */
	const timedRun = async (runOptions: Parameters<typeof run>[0] = {}) => {
		const { error, runs } = await run(runOptions);
		const endedAt = Date.now();
		expect(error).toBeUndefined();
		return { lookAt: sim().requests[0].receivedAt, endedAt, runs };
	};

	/** Someone else (another user) starts the job at IPS, `afterMs` from now. */
	const someoneStarts = (handle: string, afterMs: number): Promise<void> => {
		const other = new IpsClient({
			serviceUrl: sim().url,
			apiVersion: '2014-04-03',
			auth: { user: ADMIN.user, password: ADMIN.password, appName: 'test', appVersion: '1' },
		});
		return new Promise((resolve, reject) =>
			setTimeout(() => other.executeJob('c|2101', handle).then(resolve, reject), afterMs),
		);
	};

	/** Every answer to `operation` (or only the first `times`) comes `ms` late. */
	const slow = (operation: string, ms: number, times?: number) =>
		sim().inject(operation, { kind: 'delay', delayMs: ms }, times ? { times } : {});

	/** The IPS node, one operation, on company c|2101 with the demo credential. */
	const ipsNode = (
		resource: string,
		operation: string,
		parameters: Record<string, unknown> = {},
		more: { items?: object[]; credential?: object } = {},
	) =>
		runIpsWorkflow({
			node: 'ips',
			parameters: { resource, operation, companyHandle: byHandle('c|2101'), ...parameters },
			items: (more.items ?? [{}]) as never,
			credential: credentialFor(sim(), { ...more.credential }),
		});

	return { sim, job, waitFor, run, timedRun, someoneStarts, slow, ipsNode };
}
