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
