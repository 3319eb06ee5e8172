"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.waitingFigure = waitingFigure;
// Figure 6: 200 runs waited for at once: how many requests each poll round costs, and how much CPU.
const node_diagnostics_channel_1 = require("node:diagnostics_channel");
const engine_1 = require("../test/support/engine");
const wire_1 = require("./wire");
/** Counts the SOAP operations this process sends, by SOAPAction, through undici's diagnostics channel. */
function countOperations() {
    const counts = new Map();
    const create = (0, node_diagnostics_channel_1.channel)('undici:request:create');
    const listener = (message) => {
        const headers = message.request.headers;
        const text = Array.isArray(headers) ? headers.join('\n') : headers;
        const operation = /soapaction\s*[:\n]\s*([^\r\n]+)/i.exec(text)?.[1] ?? '?';
        counts.set(operation, (counts.get(operation) ?? 0) + 1);
    };
    create.subscribe(listener);
    return { counts, stop: () => create.unsubscribe(listener) };
}
function run(url, items, wait) {
    return (0, engine_1.runIpsWorkflow)({
        parameters: {
            companyHandle: { __rl: true, mode: 'id', value: wire_1.COMPANY },
            jobHandle: { __rl: true, mode: 'id', value: wire_1.JOB },
            options: { maxParallelRequests: 8 },
            ...wait,
        },
        items: Array.from({ length: items }, (_, n) => ({ n })),
        credential: {
            user: wire_1.USER,
            password: wire_1.PASSWORD,
            role: 'IpsUser',
            region: 'custom',
            serviceUrl: url,
            apiVersion: '2014-04-03',
        },
    });
}
function cpuMsOf(usage) {
    return (usage.user + usage.system) / 1000;
}
async function waitingFigure(url, items, pollIntervalSeconds) {
    // The same items without waiting: their CPU is subtracted, leaving what the waiting costs.
    const startOnly = process.cpuUsage();
    await run(url, items, {});
    const startCpuMs = cpuMsOf(process.cpuUsage(startOnly));
    const counter = countOperations();
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    const { output, error } = await run(url, items, {
        waitForCompletion: true,
        pollIntervalSeconds,
        maxWaitSeconds: 120,
    });
    counter.stop();
    if (error ||
        output?.some((item) => item.json.ipsJob?.status !== 'succeeded')) {
        throw new Error(`waiting run failed: ${String(error?.message)}`);
    }
    const waitCpuMs = cpuMsOf(process.cpuUsage(cpuBefore)) - startCpuMs;
    const rounds = counter.counts.get('getActiveJobs') ?? 0;
    const pollRequests = rounds + (counter.counts.get('getJobLogs') ?? 0);
    const elapsedMs = Date.now() - started;
    return {
        items,
        rounds,
        getActiveJobsPerRound: rounds / Math.max(1, Math.round(elapsedMs / (pollIntervalSeconds * 1000))),
        requestsPerRound: pollRequests / Math.max(1, rounds),
        cpuMsPerRound: Math.max(0, waitCpuMs) / Math.max(1, rounds),
    };
}
//# sourceMappingURL=waiting.js.map