// Description pieces shared by the operations of both nodes: the company, job and run locators,
// and Return All / Limit.
import type { INodeProperties } from 'n8n-workflow';

export const companyField: INodeProperties = {
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
};

export function jobField(description: string): INodeProperties {
	return {
		displayName: 'Job',
		name: 'jobHandle',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
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
	};
}

export const runField: INodeProperties = {
	displayName: 'Job Run',
	name: 'runHandle',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The run: its handle from Get Active, Get History or Wait for Completion (runHandle)',
	hint: 'From List shows the active runs of the company above.',
	typeOptions: { loadOptionsDependsOn: ['companyHandle.value'] },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchActiveRuns', searchable: true },
		},
		{
			displayName: 'By Handle',
			name: 'id',
			type: 'string',
			placeholder: 'j|2101||Nightly publish_2026-11-28-23:13:40.164|4',
		},
	],
};

/** The most a Get operation returns per item without Return All. */
export const DEFAULT_LIMIT = 50;

export const returnAllFields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100_000 },
		default: DEFAULT_LIMIT,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How a run ended, as a filter: the statuses the nodes output. */
export const RUN_STATUS_FILTER_OPTIONS = [
	{ name: 'Any', value: 'any' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Succeeded', value: 'succeeded' },
	{ name: 'With Warnings', value: 'succeededWithWarnings' },
];

export const CHANGES_NOTHING = 'Changes nothing.';
export const EVERY_CALL_STARTS_A_RUN =
	'Every call starts a new run: never call it again to check on a run';

/**
 * The description an AI Agent's model reads of this node as a tool: shown only in the node's tool
 * variant ('@tool'), where n8n sends it as the tool's description and the user may rewrite it.
 */
export function toolDescriptionField(
	text: string,
	show: Record<string, string[]> = {},
): INodeProperties {
	return {
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		default: text,
		typeOptions: { rows: 2 },
		displayOptions: { show: { '@tool': [true], ...show } },
		description: 'What the model reads of this tool: what it does and what it changes',
	};
}

/** Under Wait for Completion: when it fits, and what to use for runs of hours instead. */
export const WAIT_FOR_COMPLETION_HINT =
	"Holds this execution (in queue mode, a worker) until the run ends: for runs of minutes. For runs of hours, use n8n's Wait node and IPS → Job Run → Get in a loop, which holds nothing between checks.";
