import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { companyField, RUN_STATUS_FILTER_OPTIONS } from './actions/common.fields';
import { JOB_TYPES, pollEndedRuns, TRIGGER_RANGES } from './actions/trigger/jobRunEnded';
import { ipsApiCredentialTest } from './methods/credentialTest';
import { searchCompanies } from './methods/listSearch';
import { ipsClientFor } from './n8n/client';

export class IpsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IPS Trigger',
		name: 'ipsTrigger',
		icon: { light: 'file:ips.svg', dark: 'file:ips.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{"Job run ended: " + ($parameter["companyHandle"].cachedResultName || $parameter["companyHandle"].value || "")}}',
		description: 'Starts the workflow when an IPS job run ends, whoever or whatever started it',
		defaults: { name: 'IPS Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ipsApi', required: true, testedBy: 'ipsApiCredentialTest' }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				default: 'jobRunEnded',
				options: [
					{
						name: 'Job Run Ended',
						value: 'jobRunEnded',
						description: 'A run of any job of the company has ended (its job log has an end)',
					},
				],
			},
			companyField,
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Job Names or IDs',
						name: 'jobs',
						type: 'multiOptions',
						typeOptions: {
							loadOptionsMethod: 'getJobNames',
							loadOptionsDependsOn: ['companyHandle.value'],
						},
						default: [],
						description:
							'Only runs of these scheduled jobs (none: every job). Choose from the list, or specify names using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Job Types',
						name: 'jobTypes',
						type: 'multiOptions',
						options: JOB_TYPES.map((type) => ({ name: type, value: type })),
						default: [],
						description: 'Only runs of jobs of these types (none: every type)',
					},
					{
						displayName: 'Outcome',
						name: 'outcome',
						type: 'options',
						default: 'any',
						options: RUN_STATUS_FILTER_OPTIONS,
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
						displayName: 'Include Failed Files',
						name: 'includeFailedFiles',
						type: 'boolean',
						default: false,
						description:
							'Whether a run with errors or warnings comes with its failed and warned files (problems, problemCount), as in Wait for Completion',
					},
					{
						displayName: 'Longest Run (Hours)',
						name: 'longestRunHours',
						type: 'number',
						typeOptions: {
							minValue: TRIGGER_RANGES.longestRunHours.min,
							maxValue: TRIGGER_RANGES.longestRunHours.max,
						},
						default: TRIGGER_RANGES.longestRunHours.fallback,
						description:
							'How far back each check looks for runs that started long ago and end now. A run that takes longer than this is missed.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchCompanies },
		loadOptions: {
			async getJobNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const companyHandle = this.getNodeParameter('companyHandle', '', { extractValue: true });
				if (typeof companyHandle !== 'string' || !companyHandle) return [];
				const { client } = await ipsClientFor(this, { requestTimeoutMs: 30_000 });
				const jobs = await client.getScheduledJobs(companyHandle);
				return jobs
					.map((job) => ({ name: job.name, value: job.name, description: job.type }))
					.sort((a, b) => a.name.localeCompare(b.name));
			},
		},
		credentialTest: { ipsApiCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const items = await pollEndedRuns(this, this.getWorkflowStaticData('node') as IDataObject);
		return items.length ? [items] : null;
	}
}
