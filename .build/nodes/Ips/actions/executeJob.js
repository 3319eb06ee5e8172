"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_WAIT_OUTPUT_FIELD = exports.executeJobProperties = exports.MAX_HANDLE_LENGTH = exports.MAX_PARALLEL_REQUESTS = void 0;
exports.executeJob = executeJob;
const n8n_workflow_1 = require("n8n-workflow");
const runWatcher_1 = require("../ips/runWatcher");
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
        displayName: 'Wait for Completion',
        name: 'waitForCompletion',
        type: 'boolean',
        default: false,
        description: 'Whether to wait until the job run has ended and output how it went (status and file counts)',
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
        description: 'How long to wait at most. A run that has not ended by then comes out with status "unknown" (it goes on in IPS).',
        displayOptions: { show: { waitForCompletion: [true] } },
    },
    {
        displayName: 'Fail on Job Errors',
        name: 'failOnJobErrors',
        type: 'boolean',
        default: true,
        description: 'Whether a run that ended with a fatal error or failed files fails its item (with Continue On Fail: an error item that still holds the run)',
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
                description: 'If set, each output item gets this field with the company handle, job handle and the time the job was started (or, when waiting, how the run ended: default field ipsJob). Empty and not waiting: items pass through unchanged.',
            },
        ],
    },
];
/** Where the run's outcome goes when the user waits and left Output Field empty. */
exports.DEFAULT_WAIT_OUTPUT_FIELD = 'ipsJob';
async function executeJob() {
    const items = this.getInputData();
    const node = this.getNode();
    const options = this.getNodeParameter('options', 0, {});
    const signal = this.getExecutionCancelSignal();
    const requestTimeoutSeconds = options.requestTimeoutSeconds ?? transport_1.DEFAULT_REQUEST_TIMEOUT_MS / 1000;
    // A credential that cannot work fails every item (each one an error item with Continue On Fail).
    const setup = await (0, client_1.ipsClientFor)(this, {
        requestTimeoutMs: Math.max(1, requestTimeoutSeconds) * 1000,
        signal,
    }).then((ready) => ({ ...ready, problem: roleProblem(node, (0, credentials_1.credentialRole)(ready.credential)) }), (problem) => ({ client: undefined, problem }));
    const waiting = this.getNodeParameter('waitForCompletion', 0, false);
    const settings = {
        outputField: (options.outputField ?? '').trim() || (waiting ? exports.DEFAULT_WAIT_OUTPUT_FIELD : ''),
        failOnJobErrors: waiting && this.getNodeParameter('failOnJobErrors', 0, true),
        watcher: waiting && setup.client
            ? new runWatcher_1.RunWatcher(setup.client, {
                pollIntervalMs: Math.max(1, this.getNodeParameter('pollIntervalSeconds', 0, 10)) * 1000,
                maxWaitMs: Math.max(1, this.getNodeParameter('maxWaitSeconds', 0, 3600)) * 1000,
                signal,
            })
            : undefined,
    };
    // Items whose job was started and that now follow the run: their errors say so.
    const following = new Set();
    const { client, problem } = setup;
    const work = client && !problem
        ? itemWork(this, client, settings, following)
        : async () => {
            throw problem;
        };
    return await (0, perItem_1.runPerItem)(this, items.length, work, {
        concurrency: Math.min(exports.MAX_PARALLEL_REQUESTS, Math.max(1, Math.floor(options.maxParallelRequests ?? 1))),
        signal,
        toError: (thrown, itemIndex) => (0, errors_1.toItemError)(node, thrown, itemIndex, errorContext(itemIndex, following.has(itemIndex))),
    });
}
/** What an item was doing when it failed, so the error says whether the job may have started. */
function errorContext(itemIndex, followingRun) {
    return followingRun
        ? {
            operation: 'getActiveJobs',
            action: `follow the job run of item ${itemIndex} (the job was started)`,
        }
        : { operation: 'executeJob', action: `run the IPS job of item ${itemIndex}` };
}
function roleProblem(node, role) {
    if ((0, roles_1.mayExecuteJobs)(role))
        return undefined;
    return new n8n_workflow_1.NodeOperationError(node, `The IPS API credential's role "${role}" may not run IPS jobs`, {
        description: `Nothing was sent to IPS. Roles that may run jobs: ${roles_1.ROLES_THAT_MAY_EXECUTE_JOBS.join(', ')}. Set the credential's Role to the account's role in IPS, or use an account with one of these roles.`,
    });
}
/** One item's work: run the job once, then pass the item on (after the run ended, when waiting). */
function itemWork(context, client, { outputField, failOnJobErrors, watcher }, following) {
    const items = context.getInputData();
    const node = context.getNode();
    const jobNames = new ScheduledJobNames(client);
    return async (itemIndex, releaseSlot) => {
        const { json, binary } = items[itemIndex];
        const companyHandle = handleOf(context, 'companyHandle', itemIndex);
        const jobHandle = handleOf(context, 'jobHandle', itemIndex);
        const jobName = watcher ? await jobNames.nameOf(companyHandle, jobHandle, itemIndex) : '';
        const sentAtMs = Date.now();
        await client.executeJob(companyHandle, jobHandle);
        if (!watcher) {
            if (!outputField)
                return { json, binary };
            const started = { companyHandle, jobHandle, executedAt: new Date(sentAtMs).toISOString() };
            return { json: { ...json, [outputField]: started }, binary };
        }
        following.add(itemIndex);
        releaseSlot();
        const run = await watcher.follow({ companyHandle, jobHandle, jobName, sentAtMs });
        following.delete(itemIndex);
        if (failOnJobErrors && run.status === 'failed') {
            throw new perItem_1.ItemFailure((0, errors_1.jobRunFailed)(node, run, itemIndex, outputField));
        }
        return { json: { ...json, [outputField]: { ...run } }, binary };
    };
}
/** The names of a company's scheduled jobs (a run's `originalName`), read once per execution. */
class ScheduledJobNames {
    client;
    byCompany = new Map();
    constructor(client) {
        this.client = client;
    }
    async nameOf(companyHandle, jobHandle, itemIndex) {
        let jobs = this.byCompany.get(companyHandle);
        if (!jobs) {
            jobs = this.client.getScheduledJobs(companyHandle);
            this.byCompany.set(companyHandle, jobs);
        }
        const job = (await jobs).find((candidate) => candidate.jobHandle === jobHandle);
        if (!job) {
            throw new errors_1.ItemInputError('jobHandle', `Company "${companyHandle}" has no scheduled job with the handle of item ${itemIndex} ("${jobHandle}"); nothing was started`);
        }
        return job.name;
    }
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