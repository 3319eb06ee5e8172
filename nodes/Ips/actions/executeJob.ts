// "IPS: Execute Job": its fields, and each item's work: resolve the handles, run the job once,
// optionally wait for the run to end, pass the item on.
import type { IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { IpsClient, ScheduledJob } from '../ips/IpsClient';
import { RunWatcher } from '../ips/runWatcher';
import { mayExecuteJobs, ROLES_THAT_MAY_EXECUTE_JOBS } from '../ips/roles';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../ips/transport';
import { xmlTextProblem } from '../ips/xml';
import { ipsClientFor } from '../n8n/client';
import { credentialRole } from '../n8n/credentials';
import { ErrorContext, ItemInputError, jobRunFailed, toItemError } from '../n8n/errors';
import { ItemFailure, ItemOutcome, runPerItem } from '../n8n/perItem';

export const MAX_PARALLEL_REQUESTS = 32;
/** Handles are short identifiers; anything longer is a mapping mistake, not a handle. */
export const MAX_HANDLE_LENGTH = 4096;

const HANDLE_FIELDS = {
	companyHandle: 'Company',
	jobHandle: 'Job',
} as const;

export const executeJobProperties: INodeProperties[] = [
	{
		displayName: 'Company',
		name: 'companyHandle',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The company that owns the job',
		hint: 'From List shows the companies your IPS user belongs to. A handle looks like c|2101 or 47.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCompanies', searchable: true },
			},
			{
				displayName: 'By Handle',
				name: 'id',
				type: 'string',
				placeholder: 'c|2101',
			},
		],
	},
	{
		displayName: 'Job',
		name: 'jobHandle',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The scheduled job to run once, now',
		hint: 'From List shows the scheduled jobs of the company above. A handle looks like j|2101|Nightly publish|| and is what getScheduledJobs returns.',
		typeOptions: { loadOptionsDependsOn: ['companyHandle.value'] },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchJobs', searchable: true },
			},
			{
				displayName: 'By Handle',
				name: 'id',
				type: 'string',
				placeholder: 'j|2101|Nightly publish||',
			},
		],
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the job run has ended and output how it went (status and file counts)',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		description: 'How often to ask IPS whether the run has ended. All items share these checks.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 3600,
		description:
			'How long to wait at most. A run that has not ended by then comes out with status "unknown" (it goes on in IPS).',
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
			{
				displayName: 'Request Timeout (Seconds)',
				name: 'requestTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_REQUEST_TIMEOUT_MS / 1000,
				description: 'How long to wait for IPS to answer one request',
			},
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

interface ExecuteJobOptions {
	maxParallelRequests?: number;
	requestTimeoutSeconds?: number;
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

export async function executeJob(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const options = this.getNodeParameter('options', 0, {}) as ExecuteJobOptions;
	const signal = this.getExecutionCancelSignal();
	const requestTimeoutSeconds = options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_MS / 1000;
	// A credential that cannot work fails every item (each one an error item with Continue On Fail).
	const setup = await ipsClientFor(this, {
		requestTimeoutMs: Math.max(1, requestTimeoutSeconds) * 1000,
		signal,
	}).then(
		(ready) => ({ ...ready, problem: roleProblem(node, credentialRole(ready.credential)) }),
		(problem: unknown) => ({ client: undefined, problem }),
	);
	const waiting = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	const settings: JobSettings = {
		outputField: (options.outputField ?? '').trim() || (waiting ? DEFAULT_WAIT_OUTPUT_FIELD : ''),
		failOnJobErrors: waiting && (this.getNodeParameter('failOnJobErrors', 0, true) as boolean),
		watcher:
			waiting && setup.client
				? new RunWatcher(setup.client, {
						pollIntervalMs:
							Math.max(1, this.getNodeParameter('pollIntervalSeconds', 0, 10) as number) * 1000,
						maxWaitMs:
							Math.max(1, this.getNodeParameter('maxWaitSeconds', 0, 3600) as number) * 1000,
						signal,
					})
				: undefined,
	};
	// Items whose job was started and that now follow the run: their errors say so.
	const following = new Set<number>();
	const { client, problem } = setup;
	const work =
		client && !problem
			? itemWork(this, client, settings, following)
			: async () => {
					throw problem;
				};

	return await runPerItem(this, items.length, work, {
		concurrency: Math.min(
			MAX_PARALLEL_REQUESTS,
			Math.max(1, Math.floor(options.maxParallelRequests ?? 1)),
		),
		signal,
		toError: (thrown, itemIndex) =>
			toItemError(node, thrown, itemIndex, errorContext(itemIndex, following.has(itemIndex))),
	});
}

/** What an item was doing when it failed, so the error says whether the job may have started. */
function errorContext(itemIndex: number, followingRun: boolean): ErrorContext {
	return followingRun
		? {
				operation: 'getActiveJobs',
				action: `follow the job run of item ${itemIndex} (the job was started)`,
			}
		: { operation: 'executeJob', action: `run the IPS job of item ${itemIndex}` };
}

function roleProblem(node: INode, role: string): NodeOperationError | undefined {
	if (mayExecuteJobs(role)) return undefined;
	return new NodeOperationError(
		node,
		`The IPS API credential's role "${role}" may not run IPS jobs`,
		{
			description: `Nothing was sent to IPS. Roles that may run jobs: ${ROLES_THAT_MAY_EXECUTE_JOBS.join(', ')}. Set the credential's Role to the account's role in IPS, or use an account with one of these roles.`,
		},
	);
}

/** One item's work: run the job once, then pass the item on (after the run ended, when waiting). */
function itemWork(
	context: IExecuteFunctions,
	client: IpsClient,
	{ outputField, failOnJobErrors, watcher }: JobSettings,
	following: Set<number>,
) {
	const items = context.getInputData();
	const node = context.getNode();
	const jobNames = new ScheduledJobNames(client);
	return async (itemIndex: number, releaseSlot: () => void): Promise<ItemOutcome> => {
		const { json, binary } = items[itemIndex];
		const companyHandle = handleOf(context, 'companyHandle', itemIndex);
		const jobHandle = handleOf(context, 'jobHandle', itemIndex);
		const jobName = watcher ? await jobNames.nameOf(companyHandle, jobHandle, itemIndex) : '';
		const sentAtMs = Date.now();
		await client.executeJob(companyHandle, jobHandle);
		if (!watcher) {
			if (!outputField) return { json, binary };
			const started = { companyHandle, jobHandle, executedAt: new Date(sentAtMs).toISOString() };
			return { json: { ...json, [outputField]: started }, binary };
		}
		following.add(itemIndex);
		releaseSlot();
		const run = await watcher.follow({ companyHandle, jobHandle, jobName, sentAtMs });
		following.delete(itemIndex);
		if (failOnJobErrors && run.status === 'failed') {
			throw new ItemFailure(jobRunFailed(node, run, itemIndex, outputField));
		}
		return { json: { ...json, [outputField]: { ...run } }, binary };
	};
}

/** The names of a company's scheduled jobs (a run's `originalName`), read once per execution. */
class ScheduledJobNames {
	private readonly byCompany = new Map<string, Promise<ScheduledJob[]>>();

	constructor(private readonly client: IpsClient) {}

	async nameOf(companyHandle: string, jobHandle: string, itemIndex: number): Promise<string> {
		let jobs = this.byCompany.get(companyHandle);
		if (!jobs) {
			jobs = this.client.getScheduledJobs(companyHandle);
			this.byCompany.set(companyHandle, jobs);
		}
		const job = (await jobs).find((candidate) => candidate.jobHandle === jobHandle);
		if (!job) {
			throw new ItemInputError(
				'jobHandle',
				`Company "${companyHandle}" has no scheduled job with the handle of item ${itemIndex} ("${jobHandle}"); nothing was started`,
			);
		}
		return job.name;
	}
}

/** A handle parameter of one item as text, or an error naming the item and the field. */
function handleOf(
	context: IExecuteFunctions,
	name: keyof typeof HANDLE_FIELDS,
	itemIndex: number,
): string {
	const field = HANDLE_FIELDS[name];
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	let handle: string;
	if (typeof value === 'string') handle = value;
	else if (typeof value === 'number' && Number.isFinite(value)) handle = String(value);
	else {
		const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
		throw new ItemInputError(
			name,
			`The ${field} handle of item ${itemIndex} must be text, but it is ${got}`,
		);
	}
	if (!handle.trim()) {
		throw new ItemInputError(name, `The ${field} handle of item ${itemIndex} is empty`);
	}
	if (handle.length > MAX_HANDLE_LENGTH) {
		throw new ItemInputError(
			name,
			`The ${field} handle of item ${itemIndex} is ${handle.length} characters long; IPS handles are at most ${MAX_HANDLE_LENGTH}`,
		);
	}
	const problem = xmlTextProblem(handle);
	if (problem)
		throw new ItemInputError(name, `The ${field} handle of item ${itemIndex} ${problem}`);
	return handle;
}
