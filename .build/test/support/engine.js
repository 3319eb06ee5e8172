"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IPS_NODE_NAME = exports.IPS_NODE_TYPE = void 0;
exports.loadOptionsContext = loadOptionsContext;
exports.runIpsWorkflow = runIpsWorkflow;
// A slim harness that runs a workflow through n8n-core's own WorkflowExecute: a trigger node of
// its own that emits the given items, then "IPS: Execute Job", with credentials served from memory.
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const n8n_workflow_1 = require("n8n-workflow");
const IpsApi_credentials_1 = require("../../credentials/IpsApi.credentials");
const IpsExecuteJob_node_1 = require("../../nodes/Ips/IpsExecuteJob.node");
const secrets_1 = require("./secrets");
// n8n-core writes its config under N8N_USER_FOLDER when first loaded: never into the home folder.
process.env.N8N_USER_FOLDER ??= (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'n8n-ips-'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } = require('n8n-core');
exports.IPS_NODE_TYPE = 'n8n-nodes-scene7-ips.ipsExecuteJob';
const TRIGGER_TYPE = 'test.items';
exports.IPS_NODE_NAME = 'IPS: Execute Job';
const TRIGGER_NAME = 'Items';
/** The trigger of the harness: emits the items of its `items` parameter. */
class ItemsTrigger {
    description = {
        displayName: 'Items',
        name: TRIGGER_TYPE,
        group: ['trigger'],
        version: 1,
        description: 'Emits fixed items',
        defaults: { name: TRIGGER_NAME },
        inputs: [],
        outputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
    };
    async execute() {
        const raw = this.getNodeParameter('items', 0);
        const items = (typeof raw === 'string' ? JSON.parse(raw) : raw);
        return [items.map((item) => ('json' in item ? item : { json: item }))];
    }
}
const nodeTypes = {
    getByName: (type) => byName(type),
    getByNameAndVersion: (type) => byName(type),
    getKnownTypes: () => ({}),
};
const types = {
    [exports.IPS_NODE_TYPE]: new IpsExecuteJob_node_1.IpsExecuteJob(),
    [TRIGGER_TYPE]: new ItemsTrigger(),
};
function byName(type) {
    const found = types[type];
    if (!found)
        throw new Error(`Unknown node type ${type}`);
    return found;
}
class MemoryCredentialsHelper extends n8n_workflow_1.ICredentialsHelper {
    data;
    constructor(data) {
        super();
        this.data = data;
    }
    getParentTypes() {
        return [];
    }
    isCredentialUsableByNode() {
        return true;
    }
    async authenticate(_c, _t, options) {
        return options;
    }
    async preAuthentication() {
        return undefined;
    }
    async runPreAuthentication() {
        return undefined;
    }
    async getCredentials() {
        throw new Error('not used by these tests');
    }
    async getDecrypted() {
        return { ...this.data };
    }
    async updateCredentials() { }
    async updateCredentialsOauthTokenData() { }
    getCredentialsProperties() {
        return new IpsApi_credentials_1.IpsApi().properties;
    }
}
function ipsWorkflow(options) {
    const trigger = {
        id: 'trigger',
        name: TRIGGER_NAME,
        type: TRIGGER_TYPE,
        typeVersion: 1,
        position: [0, 0],
        parameters: { items: JSON.stringify(options.items) },
    };
    const ips = {
        id: 'ips',
        name: exports.IPS_NODE_NAME,
        type: exports.IPS_NODE_TYPE,
        typeVersion: 1,
        position: [200, 0],
        parameters: options.parameters,
        credentials: { ipsApi: { id: 'cred-1', name: 'IPS account' } },
        ...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
    };
    const workflow = new n8n_workflow_1.Workflow({
        id: 'wf-1',
        name: 'IPS test',
        nodes: options.withoutIpsNode ? [trigger] : [trigger, ips],
        connections: options.withoutIpsNode
            ? {}
            : {
                [TRIGGER_NAME]: {
                    main: [[{ node: exports.IPS_NODE_NAME, type: n8n_workflow_1.NodeConnectionTypes.Main, index: 0 }]],
                },
            },
        active: false,
        nodeTypes,
        settings: { executionOrder: 'v1' },
    });
    return { workflow, trigger, ips };
}
/** A new one per run: the engine mutates it. */
function additionalDataFor(credential, nodes) {
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
        }),
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
    };
}
/** The context n8n gives a "From list" search of the IPS node with these parameters. */
function loadOptionsContext(parameters, credential) {
    const { workflow, trigger, ips } = ipsWorkflow({ parameters, items: [] });
    return new LoadOptionsContext(workflow, ips, additionalDataFor(credential, [trigger, ips]), 'parameters');
}
async function runIpsWorkflow(options) {
    (0, secrets_1.registerSecret)(options.credential.password);
    const { workflow, trigger, ips } = ipsWorkflow(options);
    const additionalData = additionalDataFor(options.credential, [trigger, ips]);
    const execution = new WorkflowExecute(additionalData, 'manual').run({
        workflow,
        startNode: trigger,
    });
    const timer = options.cancelAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            options.onCancel?.();
            execution.cancel();
        }, options.cancelAfterMs);
    let run;
    try {
        run = await execution;
    }
    finally {
        clearTimeout(timer);
    }
    const taskData = run.data.resultData.runData[exports.IPS_NODE_NAME]?.[0];
    const error = (taskData?.error ?? run.data.resultData.error);
    // Everything the run produced is scanned for secrets after the test (scanForSecrets.ts).
    (0, secrets_1.recordProduced)('execution', run.data.resultData);
    return { run, output: taskData?.data?.main?.[0] ?? undefined, error };
}
//# sourceMappingURL=engine.js.map