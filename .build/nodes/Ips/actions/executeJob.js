"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.executeJobProperties = exports.MAX_HANDLE_LENGTH = exports.MAX_PARALLEL_REQUESTS = void 0;
exports.executeJob = executeJob;
const n8n_workflow_1 = require("n8n-workflow");
const roles_1 = require("../ips/roles");
const transport_1 = require("../ips/transport");
const xml_1 = require("../ips/xml");
const client_1 = require("../n8n/client");
const credentials_1 = require("../n8n/credentials");
const errors_1 = require("../n8n/errors");
const perItem_1 = require("../n8n/perItem");
exports.MAX_PARALLEL_REQUESTS = 32;
/** Handles are short identifiers; anything longer is a mapping mistake, not a handle. */
exports.MAX_HANDLE_LENGTH = 4096;
const HANDLE_FIELDS = {
    companyHandle: 'Company',
    jobHandle: 'Job',
};
exports.executeJobProperties = [
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
                typeOptions: { minValue: 1, maxValue: exports.MAX_PARALLEL_REQUESTS },
                default: 1,
                description: 'How many items are sent to IPS at once. Output order always equals input order.',
            },
            {
                displayName: 'Request Timeout (Seconds)',
                name: 'requestTimeoutSeconds',
                type: 'number',
                typeOptions: { minValue: 1 },
                default: transport_1.DEFAULT_REQUEST_TIMEOUT_MS / 1000,
                description: 'How long to wait for IPS to answer one request',
            },
            {
                displayName: 'Output Field',
                name: 'outputField',
                type: 'string',
                default: '',
                description: 'If set, each output item gets this field with the company handle, job handle and the time the job was started. Empty: items pass through unchanged.',
            },
        ],
    },
];
async function executeJob() {
    const items = this.getInputData();
    const options = this.getNodeParameter('options', 0, {});
    const signal = this.getExecutionCancelSignal();
    const { client, credential } = await (0, client_1.ipsClientFor)(this, {
        requestTimeoutMs: Math.max(1, options.requestTimeoutSeconds ?? transport_1.DEFAULT_REQUEST_TIMEOUT_MS / 1000) * 1000,
        signal,
    });
    const role = (0, credentials_1.credentialRole)(credential);
    const roleError = (0, roles_1.mayExecuteJobs)(role)
        ? undefined
        : new n8n_workflow_1.NodeOperationError(this.getNode(), `The IPS API credential's role "${role}" may not run IPS jobs`, {
            description: `Nothing was sent to IPS. Roles that may run jobs: ${roles_1.ROLES_THAT_MAY_EXECUTE_JOBS.join(', ')}. Set the credential's Role to the account's role in IPS, or use an account with one of these roles.`,
        });
    const outputField = (options.outputField ?? '').trim();
    const concurrency = Math.min(exports.MAX_PARALLEL_REQUESTS, Math.max(1, Math.floor(options.maxParallelRequests ?? 1)));
    return await (0, perItem_1.runPerItem)(this, items.length, async (itemIndex) => {
        if (roleError)
            throw roleError;
        const companyHandle = handleOf(this, 'companyHandle', itemIndex);
        const jobHandle = handleOf(this, 'jobHandle', itemIndex);
        return await runJobForItem(client, items[itemIndex], { companyHandle, jobHandle }, outputField);
    }, {
        concurrency,
        signal,
        toError: (thrown, itemIndex) => (0, errors_1.toItemError)(this.getNode(), thrown, itemIndex, {
            operation: 'executeJob',
            action: `run the IPS job of item ${itemIndex}`,
        }),
    });
}
async function runJobForItem(client, item, handles, outputField) {
    const executedAt = new Date().toISOString();
    await client.executeJob(handles.companyHandle, handles.jobHandle);
    if (!outputField)
        return { json: item.json, binary: item.binary };
    const result = { ...handles, executedAt };
    return { json: { ...item.json, [outputField]: result }, binary: item.binary };
}
/** A handle parameter of one item as text, or an error naming the item and the field. */
function handleOf(context, name, itemIndex) {
    const field = HANDLE_FIELDS[name];
    const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true });
    let handle;
    if (typeof value === 'string')
        handle = value;
    else if (typeof value === 'number' && Number.isFinite(value))
        handle = String(value);
    else {
        const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
        throw new errors_1.ItemInputError(name, `The ${field} handle of item ${itemIndex} must be text, but it is ${got}`);
    }
    if (!handle.trim()) {
        throw new errors_1.ItemInputError(name, `The ${field} handle of item ${itemIndex} is empty`);
    }
    if (handle.length > exports.MAX_HANDLE_LENGTH) {
        throw new errors_1.ItemInputError(name, `The ${field} handle of item ${itemIndex} is ${handle.length} characters long; IPS handles are at most ${exports.MAX_HANDLE_LENGTH}`);
    }
    const problem = (0, xml_1.xmlTextProblem)(handle);
    if (problem)
        throw new errors_1.ItemInputError(name, `The ${field} handle of item ${itemIndex} ${problem}`);
    return handle;
}
//# sourceMappingURL=executeJob.js.map