// "IPS: Execute Job": its fields, and each item's work: resolve the handles, run the job once,
// optionally wait for the run to end, pass the item on.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { BriefRead, Outcome } from '../../ips/briefRead';
import { IpsTransportError } from '../../ips/faults';
import { IpsClient, ScheduledJob } from '../../ips/IpsClient';
import { ROLES_THAT_MAY_EXECUTE_JOBS } from '../../ips/roles';
import { problemsOfRun } from '../../ips/runProblems';
import { RunResult, RunStatus, RunWatcher } from '../../ips/runWatcher';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_REQUEST_TIMEOUT_SECONDS } from '../../ips/transport';
import {
	ErrorContext,
	ItemInputError,
	ItemPhase,
	jobRunFailed,
	toItemError,
} from '../../n8n/errors';
import { handleOf } from '../../n8n/handles';
import { clientOrProblem } from '../../n8n/operation';
import { NumberRange, numberParameter, numberSetting } from '../../n8n/parameters';
import { ItemOutcome, runPerItem } from '../../n8n/perItem';
import { withField } from '../../n8n/withField';
import { companyField, jobField, WAIT_FOR_COMPLETION_HINT } from '../common.fields';

export const MAX_PARALLEL_REQUESTS = 32;

/** The bounds of each number setting, shared by the UI (minValue/maxValue) and the check at run time. */
export const SETTING_RANGES = {
	pollIntervalSeconds: { label: 'Poll Interval (Seconds)', min: 1, max: 3600, fallback: 10 },
	maxWaitSeconds: { label: 'Max Wait (Seconds)', min: 1, max: 86_400, fallback: 3600 },
	maxParallelRequests: {
		label: 'Max Parallel Requests',
		min: 1,
		max: MAX_PARALLEL_REQUESTS,
		fallback: 1,
		integer: true,
	},
	requestTimeoutSeconds: {
		label: 'Request Timeout (Seconds)',
		min: 1,
		max: MAX_REQUEST_TIMEOUT_SECONDS,
		fallback: DEFAULT_REQUEST_TIMEOUT_MS / 1000,
	},
} satisfies Record<string, NumberRange>;

/** A number field of the operations that wait, from its range (label, bounds, default). */
function rangeField(name: keyof typeof SETTING_RANGES, description: string): INodeProperties {
	const { label, min, max, fallback } = SETTING_RANGES[name];
	return {
		displayName: label,
		name,
		type: 'number',
		typeOptions: { minValue: min, maxValue: max },
		default: fallback,
		description,
	};
}

export const pollIntervalField = (description: string) =>
	rangeField('pollIntervalSeconds', description);
export const maxWaitField = (description: string) => rangeField('maxWaitSeconds', description);

/** The option every operation that starts jobs has: how long one request may take. */
export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_REQUEST_TIMEOUT_SECONDS },
	default: DEFAULT_REQUEST_TIMEOUT_MS / 1000,
	description: 'How long to wait for IPS to answer one request',
};

/** The fields of Run Now, exactly those of "IPS: Execute Job" (their names are in saved workflows). */
export const properties: INodeProperties[] = [
	companyField,
	jobField('The scheduled job to run once, now'),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the job run has ended and output how it went (status and file counts)',
		hint: WAIT_FOR_COMPLETION_HINT,
	},
	{
		...pollIntervalField(
			'How often to ask IPS whether the run has ended. All items share these checks.',
		),
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		...maxWaitField(
			'How long to wait at most. A run that has not ended by then comes out with status "unknown" (it goes on in IPS).',
		),
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Fail on Job Errors',
		name: 'failOnJobErrors',
		type: 'boolean',
		default: true,
		description:
			'Whether a run that ended with a fatal error or failed files fails its item (with Continue On Fail: an error item that still holds the run)',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Max Parallel Requests',
				name: 'maxParallelRequests',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_REQUESTS },
				default: 1,
				description:
					'How many items are sent to IPS at once. Output order always equals input order.',
			},
			requestTimeoutOption,
			{
				displayName: 'Output Field',
				name: 'outputField',
				type: 'string',
				default: '',
				description:
					'If set, each output item gets this field with the company handle, job handle and the time the job was started (or, when waiting, how the run ended: default field ipsJob). Empty and not waiting: items pass through unchanged.',
			},
		],
	},
];

/** Run Now on the IPS node: the same fields, shown for its resource and operation. */
export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['scheduledJob'], operation: ['runNow'] } },
	properties,
);

interface ExecuteJobOptions {
	maxParallelRequests?: unknown;
	requestTimeoutSeconds?: unknown;
	outputField?: string;
}

/** Where the run's outcome goes when the user waits and left Output Field empty. */
export const DEFAULT_WAIT_OUTPUT_FIELD = 'ipsJob';

interface JobSettings {
	outputField: string;
	failOnJobErrors: boolean;
	/** Present when the node waits for the runs to end. */
	watcher?: RunWatcher;
}

/** Per item: what it was doing (so its error says whether the job may have started). */
type Phases = Map<number, ItemPhase>;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const options = this.getNodeParameter('options', 0, {}) as ExecuteJobOptions;
	const signal = this.getExecutionCancelSignal();
	const requestTimeoutSeconds = numberSetting(
		node,
		options.requestTimeoutSeconds,
		SETTING_RANGES.requestTimeoutSeconds,
	);
	const concurrency = numberSetting(
		node,
		options.maxParallelRequests,
		SETTING_RANGES.maxParallelRequests,
	);
	const waiting = this.getNodeParameter('waitForCompletion', 0, false) === true;
	const pollIntervalMs = waiting
		? numberParameter(this, 'pollIntervalSeconds', SETTING_RANGES.pollIntervalSeconds) * 1000
		: 0;
	const maxWaitMs = waiting
		? numberParameter(this, 'maxWaitSeconds', SETTING_RANGES.maxWaitSeconds) * 1000
		: 0;
	// Retry On Fail, a credential that cannot work or a role that may not run jobs fails every item
	// before anything is sent (each one an error item with Continue On Fail).
	const setup = await clientOrProblem(this, {
		ipsOperation: 'executeJob',
		sideEffect: 'start',
		roles: ROLES_THAT_MAY_EXECUTE_JOBS,
		deniedAction: 'run IPS jobs',
		requestTimeoutMs: requestTimeoutSeconds * 1000,
	});
	const settings: JobSettings = {
		outputField: (options.outputField ?? '').trim() || (waiting ? DEFAULT_WAIT_OUTPUT_FIELD : ''),
		failOnJobErrors: waiting && this.getNodeParameter('failOnJobErrors', 0, true) !== false,
		watcher:
			waiting && setup.client
				? new RunWatcher(setup.client, { pollIntervalMs, maxWaitMs, signal })
				: undefined,
	};
	const phases: Phases = new Map();
	const { client, problem } = setup;
	const work =
		client && !problem
			? itemWork(this, client, settings, phases)
			: async () => {
					throw problem;
				};
	const credentialName = node.credentials?.ipsApi?.name;

	try {
		return await runPerItem(this, items.length, work, {
			concurrency,
			signal,
			toError: (thrown, itemIndex) =>
				toItemError(
					node,
					thrown,
					itemIndex,
					errorContext(itemIndex, phases.get(itemIndex) ?? 'lookup', credentialName),
				),
			// Without Continue On Fail the node fails at once: runs being followed are let go.
			onFirstFailure: (error) => settings.watcher?.stop(error),
		});
	} catch (error) {
		throw withRunsLeftGoing(error, phases);
	}
}

/** The error the node fails with, saying which items had started runs that go on in IPS. */
export function withRunsLeftGoing(error: unknown, phases: Phases): unknown {
	if (!(error instanceof Error) || !('description' in error)) return error;
	const failed = (error as { context?: { itemIndex?: number } }).context?.itemIndex;
	const followed = [...phases]
		.filter(([index, phase]) => phase === 'follow' && index !== failed)
		.map(([index]) => index);
	if (!followed.length) return error;
	const which =
		followed.length > 20
			? `${followed.slice(0, 20).join(', ')} and ${followed.length - 20} more`
			: followed.join(', ');
	const note =
		followed.length === 1
			? `Item ${which} had started a job run that goes on in IPS; it was not waited for.`
			: `Items ${which} had started job runs that go on in IPS; they were not waited for.`;
	const own =
		typeof error.description === 'string' && error.description ? `${error.description} ` : '';
	error.description = `${own}${note}`;
	return error;
}

/** What an item was doing when it failed, so the error says whether the job may have started. */
function errorContext(itemIndex: number, phase: ItemPhase, credentialName?: string): ErrorContext {
	const action =
		phase === 'follow'
			? `follow the job run of item ${itemIndex}`
			: phase === 'lookup'
				? `look up the IPS job of item ${itemIndex}`
				: `run the IPS job of item ${itemIndex}`;
	return { operation: 'executeJob', phase, sideEffect: 'start', action, credentialName };
}

/** One item's work: run the job once, then pass the item on (after the run ended, when waiting). */
function itemWork(
	context: IExecuteFunctions,
	client: IpsClient,
	{ outputField, failOnJobErrors, watcher }: JobSettings,
	phases: Phases,
) {
	const items = context.getInputData();
	const node = context.getNode();
	const jobNames = new ScheduledJobNames(client);
	return async (itemIndex: number, releaseSlot: () => void): Promise<ItemOutcome> => {
		const { json, binary } = items[itemIndex];
		phases.set(itemIndex, 'lookup');
		const companyHandle = handleOf(context, 'companyHandle', itemIndex);
		const jobHandle = handleOf(context, 'jobHandle', itemIndex);
		if (!watcher) {
			const sentAtMs = Date.now();
			phases.set(itemIndex, 'send');
			await client.executeJob(companyHandle, jobHandle);
			phases.delete(itemIndex);
			if (!outputField) return { json, binary };
			const started = { companyHandle, jobHandle, executedAt: new Date(sentAtMs).toISOString() };
			return { json: withField(json, outputField, started), binary };
		}
		// The job's name and the look at the company hold the start back briefly at most (briefRead.ts),
		// counted once the HTTP library is loaded: loading it is not IPS being slow, and no start can
		// go out before it (a late look on a new process's first request made runs `unknown`).
		const waitingSinceMs = Date.now();
		await client.ready();
		const [{ jobName }] = await Promise.all([
			jobNames.nameOf(companyHandle, jobHandle, itemIndex),
			watcher.prepare(companyHandle),
		]);
		phases.set(itemIndex, 'send');
		const reservation = watcher.reserve(companyHandle, jobHandle, jobName, { waitingSinceMs });
		try {
			await client.executeJob(companyHandle, jobHandle);
		} catch (error) {
			if (error instanceof IpsTransportError && !error.requestMayHaveReachedServer)
				reservation.withdraw();
			else reservation.keepPlace();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- the per-item helper maps every failure to an n8n error, in one place (n8n/errors.ts)
			throw error;
		}
		phases.set(itemIndex, 'follow');
		releaseSlot();
		const run = await withProblems(client, await reservation.follow());
		phases.delete(itemIndex);
		if (failOnJobErrors && run.status === 'failed') {
			throw jobRunFailed(node, run, itemIndex, outputField);
		}
		// withProblems made `run` for this item alone: it goes into the output as it is.
		return { json: withField(json, outputField, run), binary };
	};
}

type RunProblems = Pick<RunResult, 'problemCount' | 'problems' | 'problemsMessage'>;
type RunOfCompany = {
	companyHandle: string;
	status: RunStatus | 'running';
	runHandle: string | null;
};

/**
 * A run that ended with errors or warnings gets its failed and warned files; a run whose end is
 * unknown gets null. Reading them may fail without failing the item: the run's outcome is what counts.
 */
export async function withProblems<Run extends RunOfCompany>(
	client: IpsClient,
	run: Run,
): Promise<Run & RunProblems> {
	// Object.assign, not a spread followed by fields: see withField.
	return Object.assign({}, run, await problemsOf(client, run));
}

async function problemsOf(client: IpsClient, run: RunOfCompany): Promise<RunProblems> {
	if (run.status === 'unknown') return { problemCount: null, problems: null };
	try {
		return await problemsOfRun(client, run.companyHandle, run);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return {
			problemCount: null,
			problems: null,
			problemsMessage: `The failed files could not be read: ${reason}`,
		};
	}
}

/** The names of a company's scheduled jobs (a run's `originalName`), read once per execution. */
class ScheduledJobNames {
	private readonly byCompany = new Map<string, BriefRead<ScheduledJob[]>>();

	constructor(private readonly client: IpsClient) {}

	/**
	 * The job's name; when the lookup is late, a promise of it (the start does not wait). A lookup
	 * that answered in time without the job fails the item before anything is sent.
	 */
	async nameOf(
		companyHandle: string,
		jobHandle: string,
		itemIndex: number,
	): Promise<{ jobName: string | Promise<Outcome<string>> }> {
		let read = this.byCompany.get(companyHandle);
		if (!read) {
			const started = new BriefRead(this.client.getScheduledJobs(companyHandle));
			// A failed lookup is not kept: the next item of the company asks again.
			void started.outcome.then((outcome) => {
				if ('error' in outcome && this.byCompany.get(companyHandle) === started)
					this.byCompany.delete(companyHandle);
			});
			this.byCompany.set(companyHandle, (read = started));
		}
		await read.ready;
		const notFound = () =>
			new ItemInputError(
				'jobHandle',
				`Company "${companyHandle}" has no scheduled job with the handle of item ${itemIndex} ("${jobHandle}"); nothing was started`,
			);
		const nameIn = (jobs: ScheduledJob[]) =>
			jobs.find((candidate) => candidate.jobHandle === jobHandle)?.name;
		const jobs = read.valueNow();
		if (jobs) {
			const name = nameIn(jobs);
			if (name === undefined) throw notFound();
			return { jobName: name };
		}
		// Late: the name follows the send (an outcome, never a rejection nobody may be listening to).
		return {
			jobName: read.outcome.then((outcome): Outcome<string> => {
				if ('error' in outcome) return outcome;
				const name = nameIn(outcome.value);
				return name === undefined ? { error: notFound() } : { value: name };
			}),
		};
	}
}
