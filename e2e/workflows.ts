// The workflows of the acceptance run, as n8n stores them: Manual Trigger → Edit Fields (three job
// handles) → Split Out → IPS: Execute Job with handles from expressions.

export const PACKAGE_NODE_TYPE = 'n8n-nodes-scene7-ips.ipsExecuteJob';
export const IPS_NODE = 'IPS: Execute Job';

export interface WorkflowOptions {
	id: string;
	name: string;
	jobs: string[];
	credentialId: string;
	continueOnFail?: boolean;
	ipsParameters?: Record<string, unknown>;
}

export function ipsWorkflow(options: WorkflowOptions) {
	const nodes = [
		{
			id: 'a1b2c3d4-0001-4000-8000-000000000001',
			name: 'When clicking ‘Execute workflow’',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'a1b2c3d4-0001-4000-8000-000000000002',
			name: 'Jobs to run',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ jobs: options.jobs }), options: {} },
		},
		{
			id: 'a1b2c3d4-0001-4000-8000-000000000003',
			name: 'One item per job',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: 'jobs', options: {} },
		},
		{
			id: 'a1b2c3d4-0001-4000-8000-000000000004',
			name: IPS_NODE,
			type: PACKAGE_NODE_TYPE,
			typeVersion: 1,
			position: [660, 0],
			parameters: {
				companyHandle: { __rl: true, mode: 'id', value: 'c|2101' },
				jobHandle: { __rl: true, mode: 'id', value: '={{ $json.jobs }}' },
				...options.ipsParameters,
			},
			credentials: { ipsApi: { id: options.credentialId, name: `IPS ${options.credentialId}` } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		},
	];
	const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes,
		connections: {
			[nodes[0].name]: link(nodes[1].name),
			[nodes[1].name]: link(nodes[2].name),
			[nodes[2].name]: link(nodes[3].name),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export const IPS_LIFECYCLE_NODE_TYPE = 'n8n-nodes-scene7-ips.ips';

/**
 * Manual Trigger → (with `rows`: Edit Fields + Split Out, one item per row) → one IPS node per step
 * (resource/operation and fields), in a chain.
 */
export function ipsNodeChain(options: {
	id: string;
	name: string;
	credentialId: string;
	rows?: Array<Record<string, unknown>>;
	steps: Array<{ name: string; parameters: Record<string, unknown> }>;
}) {
	const rows = options.rows
		? [
				{
					id: `${options.id}-rows`,
					name: 'Rows',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [110, 0],
					parameters: {
						mode: 'raw',
						jsonOutput: JSON.stringify({ rows: options.rows }),
						options: {},
					},
				},
				{
					id: `${options.id}-split`,
					name: 'One item per row',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [160, 0],
					parameters: { fieldToSplitOut: 'rows', options: {} },
				},
			]
		: [];
	const nodes = [
		{
			id: `${options.id}-trigger`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...rows,
		...options.steps.map((step, index) => ({
			id: `${options.id}-step-${index}`,
			name: step.name,
			type: IPS_LIFECYCLE_NODE_TYPE,
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			parameters: step.parameters,
			credentials: { ipsApi: { id: options.credentialId, name: `IPS ${options.credentialId}` } },
		})),
	];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < nodes.length; i++)
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return {
		id: options.id,
		name: options.name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** IPS Trigger (every minute) → HTTP Request that reports each firing to `hookUrl`. */
export function ipsTriggerWorkflow(options: { id: string; credentialId: string; hookUrl: string }) {
	return {
		id: options.id,
		name: 'Tell me when a run ends',
		active: false,
		nodes: [
			{
				id: `${options.id}-trigger`,
				name: 'IPS Trigger',
				type: 'n8n-nodes-scene7-ips.ipsTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'jobRunEnded',
					companyHandle: { __rl: true, mode: 'id', value: 'c|2101' },
				},
				credentials: { ipsApi: { id: options.credentialId, name: `IPS ${options.credentialId}` } },
			},
			{
				id: `${options.id}-report`,
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: options.hookUrl,
					sendBody: true,
					bodyParameters: { parameters: [{ name: 'runName', value: '={{ $json.runName }}' }] },
					options: {},
				},
			},
		],
		connections: { 'IPS Trigger': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Webhook (POST, answers with the last node's output) → IPS: Execute Job, waiting for the run. */
export function webhookWaitWorkflow(options: { id: string; credentialId: string; path: string }) {
	return {
		id: options.id,
		name: 'Run a job on request',
		active: false,
		nodes: [
			{
				id: `${options.id}-webhook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${options.id}-hook`,
				parameters: {
					httpMethod: 'POST',
					path: options.path,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: `${options.id}-ips`,
				name: IPS_NODE,
				type: PACKAGE_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					companyHandle: { __rl: true, mode: 'id', value: 'c|2101' },
					jobHandle: { __rl: true, mode: 'id', value: '={{ $json.body.job }}' },
					waitForCompletion: true,
					pollIntervalSeconds: 1,
					maxWaitSeconds: 120,
				},
				credentials: { ipsApi: { id: options.credentialId, name: `IPS ${options.credentialId}` } },
			},
		],
		connections: { Webhook: { main: [[{ node: IPS_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const fromAi = (key: string, description: string) =>
	`={{ $fromAI('${key}', '${description}', 'string') }}`;
const COMPANY_FROM_AI = {
	__rl: true,
	mode: 'id',
	value: fromAi('companyHandle', 'The IPS company handle, such as c|2101'),
};
const RUN_FROM_AI = {
	__rl: true,
	mode: 'id',
	value: fromAi('runHandle', 'The handle of a job run, as Get Active or Get History give it'),
};

/** The tools of the AI Agent workflow: each node, the description a model reads, its arguments. */
export const AGENT_TOOLS = [
	{
		node: 'Companies',
		type: IPS_LIFECYCLE_NODE_TYPE,
		parameters: { resource: 'company', operation: 'getMany' },
		description: 'List the IPS companies the user belongs to, with their handles. Changes nothing.',
		arguments: [],
	},
	{
		node: 'Active runs',
		type: IPS_LIFECYCLE_NODE_TYPE,
		parameters: { resource: 'jobRun', operation: 'getActive', companyHandle: COMPANY_FROM_AI },
		description: 'List the running and queued IPS job runs of a company. Changes nothing.',
		arguments: ['companyHandle'],
	},
	{
		node: 'Run history',
		type: IPS_LIFECYCLE_NODE_TYPE,
		parameters: {
			resource: 'jobRun',
			operation: 'getHistory',
			companyHandle: COMPANY_FROM_AI,
			limit: 20,
		},
		description:
			'List ended IPS job runs, newest first, with their outcome and file counts. Changes nothing.',
		arguments: ['companyHandle'],
	},
	{
		node: 'Run state',
		type: IPS_LIFECYCLE_NODE_TYPE,
		parameters: {
			resource: 'jobRun',
			operation: 'get',
			companyHandle: COMPANY_FROM_AI,
			runHandle: RUN_FROM_AI,
		},
		description:
			'Get the state of one IPS job run by its handle: running, or how it ended. Changes nothing.',
		arguments: ['companyHandle', 'runHandle'],
	},
	{
		node: 'Failed files',
		type: IPS_LIFECYCLE_NODE_TYPE,
		parameters: {
			resource: 'jobRun',
			operation: 'getProblems',
			companyHandle: COMPANY_FROM_AI,
			runHandle: RUN_FROM_AI,
			limit: 20,
		},
		description: 'List the failed and warned files of an IPS job run. Changes nothing.',
		arguments: ['companyHandle', 'runHandle'],
	},
	{
		node: 'Run a job',
		type: PACKAGE_NODE_TYPE,
		parameters: {
			companyHandle: COMPANY_FROM_AI,
			jobHandle: {
				__rl: true,
				mode: 'id',
				value: fromAi('jobHandle', 'The handle of the scheduled job to run'),
			},
		},
		description:
			'Run an IPS job. Every call starts a new run: never call it again to check on a run.',
		arguments: ['companyHandle', 'jobHandle'],
	},
].map((tool) => ({ ...tool, toolName: tool.node.replace(/[^a-zA-Z0-9_-]+/g, '_') }));

/**
 * Manual Trigger → AI Agent with an OpenAI chat model (its credential's Base URL on loopback) and
 * the IPS nodes of AGENT_TOOLS as its tools.
 */
export function agentWorkflow(options: {
	id: string;
	credentialId: string;
	modelCredentialId: string;
}) {
	const ipsCredential = { ipsApi: { id: options.credentialId, name: 'IPS API account' } };
	const tools = AGENT_TOOLS.map((tool, index) => ({
		id: `${options.id}-tool-${index}`,
		name: tool.node,
		type: `${tool.type}Tool`,
		typeVersion: 1,
		position: [200 + 160 * index, 240],
		parameters: tool.parameters,
		credentials: ipsCredential,
	}));
	const toAgent = (type: string) => ({ [type]: [[{ node: 'AI Agent', type, index: 0 }]] });
	return {
		id: options.id,
		name: 'Ask an AI Agent about IPS',
		active: false,
		nodes: [
			{
				id: `${options.id}-start`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${options.id}-agent`,
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [220, 0],
				parameters: {
					promptType: 'define',
					text: 'Which job runs are active in company c|2101?',
					options: {},
				},
			},
			{
				id: `${options.id}-model`,
				name: 'Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				position: [0, 240],
				parameters: { model: { __rl: true, mode: 'id', value: 'stand-in' }, options: {} },
				credentials: { openAiApi: { id: options.modelCredentialId, name: 'Stand-in model' } },
			},
			...tools,
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			Model: toAgent('ai_languageModel'),
			...Object.fromEntries(tools.map((tool) => [tool.name, toAgent('ai_tool')])),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
