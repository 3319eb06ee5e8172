// One item's work for "IPS: Execute Job": resolve the handles, run the job once, pass the item on.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { IpsClient } from '../ips/IpsClient';
import { mayExecuteJobs, ROLES_THAT_MAY_EXECUTE_JOBS } from '../ips/roles';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../ips/transport';
import { xmlTextProblem } from '../ips/xml';
import { ipsClientFor } from '../n8n/client';
import { credentialRole } from '../n8n/credentials';
import { ItemInputError, toItemError } from '../n8n/errors';
import { ItemOutcome, runPerItem } from '../n8n/perItem';

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
					'If set, each output item gets this field with the company handle, job handle and the time the job was started. Empty: items pass through unchanged.',
			},
		],
	},
];

interface ExecuteJobOptions {
	maxParallelRequests?: number;
	requestTimeoutSeconds?: number;
	outputField?: string;
}

export async function executeJob(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('options', 0, {}) as ExecuteJobOptions;
	const signal = this.getExecutionCancelSignal();
	const { client, credential } = await ipsClientFor(this, {
		requestTimeoutMs:
			Math.max(1, options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_MS / 1000) * 1000,
		signal,
	});
	const role = credentialRole(credential);
	const roleError = mayExecuteJobs(role)
		? undefined
		: new NodeOperationError(
				this.getNode(),
				`The IPS API credential's role "${role}" may not run IPS jobs`,
				{
					description: `Nothing was sent to IPS. Roles that may run jobs: ${ROLES_THAT_MAY_EXECUTE_JOBS.join(', ')}. Set the credential's Role to the account's role in IPS, or use an account with one of these roles.`,
				},
			);
	const outputField = (options.outputField ?? '').trim();
	const concurrency = Math.min(
		MAX_PARALLEL_REQUESTS,
		Math.max(1, Math.floor(options.maxParallelRequests ?? 1)),
	);

	return await runPerItem(
		this,
		items.length,
		async (itemIndex) => {
			if (roleError) throw roleError;
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const jobHandle = handleOf(this, 'jobHandle', itemIndex);
			return await runJobForItem(
				client,
				items[itemIndex],
				{ companyHandle, jobHandle },
				outputField,
			);
		},
		{
			concurrency,
			signal,
			toError: (thrown, itemIndex) =>
				toItemError(this.getNode(), thrown, itemIndex, {
					operation: 'executeJob',
					action: `run the IPS job of item ${itemIndex}`,
				}),
		},
	);
}

async function runJobForItem(
	client: IpsClient,
	item: INodeExecutionData,
	handles: { companyHandle: string; jobHandle: string },
	outputField: string,
): Promise<ItemOutcome> {
	const executedAt = new Date().toISOString();
	await client.executeJob(handles.companyHandle, handles.jobHandle);
	if (!outputField) return { json: item.json, binary: item.binary };
	const result: IDataObject = { ...handles, executedAt };
	return { json: { ...item.json, [outputField]: result }, binary: item.binary };
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
