// A slim harness that runs a workflow through n8n-core's own WorkflowExecute: a trigger node of
// its own that emits the given items, then "IPS: Execute Job", with credentials served from memory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	INodeTypeDescription,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { IpsApi } from '../../credentials/IpsApi.credentials';
import { Ips } from '../../nodes/Ips/Ips.node';
import { IpsTrigger } from '../../nodes/Ips/IpsTrigger.node';
import { IpsExecuteJob } from '../../nodes/Ips/IpsExecuteJob.node';
import { recordProduced, registerSecret } from './secrets';

// n8n-core writes its config under N8N_USER_FOLDER when first loaded: never into the home folder.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-ips-'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, WorkflowExecute } =
	require('n8n-core') as typeof import('n8n-core');

export const IPS_NODE_TYPE = 'n8n-nodes-scene7-ips.ipsExecuteJob';
const IPS_LIFECYCLE_NODE_TYPE = 'n8n-nodes-scene7-ips.ips';
const IPS_LIFECYCLE_NODE_NAME = 'IPS';
const TRIGGER_TYPE = 'test.items';
export const IPS_NODE_NAME = 'IPS: Execute Job';
const TRIGGER_NAME = 'Items';

/** The trigger of the harness: emits the items of its `items` parameter. */
class ItemsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items',
		name: TRIGGER_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: TRIGGER_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<
			IDataObject | INodeExecutionData
		>;
		return [items.map((item) => ('json' in item ? (item as INodeExecutionData) : { json: item }))];
	}
}

const nodeTypes: INodeTypes = {
	getByName: (type) => byName(type),
	getByNameAndVersion: (type) => byName(type) as INodeType,
	getKnownTypes: () => ({}),
};
const types: Record<string, INodeType> = {
	[IPS_NODE_TYPE]: new IpsExecuteJob(),
	[IPS_LIFECYCLE_NODE_TYPE]: new Ips(),
	[TRIGGER_TYPE]: new ItemsTrigger(),
};
function byName(type: string): INodeType | IVersionedNodeType {
	const found = types[type];
	if (!found) throw new Error(`Unknown node type ${type}`);
	return found;
}

class MemoryCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	async authenticate(_c: ICredentialDataDecryptedObject, _t: string, options: never) {
		return options;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}
	async getDecrypted() {
		return { ...this.data };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return new IpsApi().properties;
	}
}

export interface EngineRunOptions {
	/** Parameters of the IPS node (companyHandle, jobHandle, options…). */
	parameters: INodeParameters;
	/** The items the trigger emits (plain json objects, or full items with binary). */
	items: Array<IDataObject | INodeExecutionData>;
	credential: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** Which node runs: "IPS: Execute Job" (default) or the IPS node. */
	node?: 'ipsExecuteJob' | 'ips';
	/** n8n node settings (retryOnFail, maxTries, onError…) of the IPS node. */
	nodeSettings?: Partial<INode>;
	/** Cancels the execution this many ms after it started. */
	cancelAfterMs?: number;
	/** Cancels the execution once this is true (looked at every 10 ms): a state, not a guess of time. */
	cancelWhen?: () => boolean;
	/** Called right before the execution is cancelled. */
	onCancel?: () => void;
	/** Runs the trigger alone (the baseline of the memory benchmark). */
	withoutIpsNode?: boolean;
}

export interface EngineRunResult {
	run: IRun;
	/** The IPS node's output items (main output 0), when it produced any. */
	output: INodeExecutionData[] | undefined;
	/** The error the IPS node (or the execution) ended with, as n8n stores it. */
	error: (IDataObject & { message?: string; description?: string; name?: string }) | undefined;
}

function ipsWorkflow(
	options: Pick<
		EngineRunOptions,
		'parameters' | 'items' | 'continueOnFail' | 'withoutIpsNode' | 'nodeSettings' | 'node'
	>,
) {
	const trigger: INode = {
		id: 'trigger',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items) },
	};
	const lifecycle = options.node === 'ips';
	const ips: INode = {
		id: 'ips',
		name: lifecycle ? IPS_LIFECYCLE_NODE_NAME : IPS_NODE_NAME,
		type: lifecycle ? IPS_LIFECYCLE_NODE_TYPE : IPS_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters,
		credentials: { ipsApi: { id: 'cred-1', name: 'IPS account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...options.nodeSettings,
	};
	const workflow = new Workflow({
		id: 'wf-1',
		name: 'IPS test',
		nodes: options.withoutIpsNode ? [trigger] : [trigger, ips],
		connections: options.withoutIpsNode
			? {}
			: {
					[TRIGGER_NAME]: {
						main: [[{ node: ips.name, type: NodeConnectionTypes.Main, index: 0 }]],
					},
				},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	return { workflow, trigger, ips };
}

/** A new one per run: the engine mutates it. */
function additionalDataFor(
	credential: ICredentialDataDecryptedObject,
	nodes: INode[],
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper: new MemoryCredentialsHelper(credential),
		hooks: new ExecutionLifecycleHooks('manual', 'exec-1', {
			id: 'wf-1',
			name: 'IPS test',
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes,
			connections: {},
		} as never),
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		userId: 'user-1',
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The context n8n gives a "From list" search of the IPS node with these parameters. */
export function loadOptionsContext(
	parameters: INodeParameters,
	credential: ICredentialDataDecryptedObject,
) {
	const { workflow, trigger, ips } = ipsWorkflow({ parameters, items: [] });
	return new LoadOptionsContext(
		workflow,
		ips,
		additionalDataFor(credential, [trigger, ips]),
		'parameters',
	);
}

export async function runIpsWorkflow(options: EngineRunOptions): Promise<EngineRunResult> {
	registerSecret(options.credential.password);
	const { workflow, trigger, ips } = ipsWorkflow(options);
	const additionalData = additionalDataFor(options.credential, [trigger, ips]);
	const execution = new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: trigger,
	});
	const cancel = () => {
		options.onCancel?.();
		execution.cancel();
	};
	const { cancelAfterMs, cancelWhen } = options;
	const timer = cancelAfterMs === undefined ? undefined : setTimeout(cancel, cancelAfterMs);
	const watch = cancelWhen
		? setInterval(() => {
				if (!cancelWhen()) return;
				clearInterval(watch);
				cancel();
			}, 10)
		: undefined;
	let run: IRun;
	try {
		run = await execution;
	} finally {
		clearTimeout(timer);
		clearInterval(watch);
	}
	const taskData = run.data.resultData.runData[ips.name]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as EngineRunResult['error'];
	// Everything the run produced is scanned for secrets after the test (scanForSecrets.ts).
	recordProduced('execution', run.data.resultData);
	return { run, output: taskData?.data?.main?.[0] ?? undefined, error };
}

const TRIGGER_NODE_TYPE = 'n8n-nodes-scene7-ips.ipsTrigger';
types[TRIGGER_NODE_TYPE] = new IpsTrigger();

export interface PollResult {
	items: INodeExecutionData[] | null;
	error?: Error & { description?: string | null };
	/** The workflow's static data after the poll, as n8n would save it (a JSON copy). */
	staticData: IDataObject;
}

/**
 * One poll of the IPS Trigger as n8n runs it: a PollContext over a workflow whose static data is
 * what the previous poll left (n8n saves it as JSON between polls, so it goes through JSON here).
 */
export async function pollIpsTrigger(options: {
	parameters: INodeParameters;
	credential: ICredentialDataDecryptedObject;
	staticData?: IDataObject;
	mode?: 'trigger' | 'manual';
}): Promise<PollResult> {
	registerSecret(options.credential.password);
	const node: INode = {
		id: 'ips-trigger',
		name: 'IPS Trigger',
		type: TRIGGER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { ipsApi: { id: 'cred-1', name: 'IPS account' } },
	};
	const workflow = new Workflow({
		id: 'wf-trigger',
		name: 'IPS trigger test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject,
		settings: { executionOrder: 'v1' },
	});
	const context = new PollContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalDataFor(options.credential, [node]),
		options.mode ?? 'trigger',
		'activate',
	);
	let items: INodeExecutionData[] | null = null;
	let error: PollResult['error'];
	try {
		const result = await (types[TRIGGER_NODE_TYPE] as IpsTrigger).poll.call(context);
		items = result?.[0] ?? null;
	} catch (thrown) {
		error = thrown as PollResult['error'];
	}
	recordProduced('poll', {
		items,
		error: error && { message: error.message, description: error.description },
	});
	return {
		items,
		error,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}
