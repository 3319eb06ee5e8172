"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// The acceptance run in a real n8n: imports a credential and workflows, runs each with
// `n8n execute`, and checks the execution JSON and what the IPS simulator received.
// Started by e2e/test-n8n.sh, which installed the packed package into N8N_USER_FOLDER.
const strict_1 = __importDefault(require("node:assert/strict"));
const simulator_1 = require("../simulator");
const n8nCli_1 = require("./n8nCli");
const workflows_1 = require("./workflows");
const NIGHTLY = 'j|2101|Nightly publish||';
const FTP = 'j|2101|Upload from FTP||';
const OUTLET_IN_2101 = 'j|2101|Price & <Promo> "Q4" \'s\' ]]> Größe ||';
function ipsOutput(execution) {
    return execution?.data?.resultData?.runData?.[workflows_1.IPS_NODE]?.[0]?.data?.main?.[0] ?? [];
}
const results = [];
async function check(name, body) {
    try {
        await body();
        results.push({ name, ok: true });
        console.log(`ok     ${name}`);
    }
    catch (error) {
        results.push({ name, ok: false, detail: error.message });
        console.log(`FAILED ${name}\n       ${error.message.split('\n').join('\n       ')}`);
    }
}
async function main() {
    const sim = await (0, simulator_1.startIpsSimulator)({ runDurationMs: 1_500 });
    try {
        const credential = (id, data) => ({
            id,
            name: `IPS ${id}`,
            type: 'ipsApi',
            data: { user: 'demo@example.com', password: 'demo-password', role: 'IpsUser', region: 'custom', serviceUrl: sim.url, apiVersion: '2014-04-03', ...data },
        });
        await (0, n8nCli_1.importInto)('credentials', 'credentials', [
            credential('ipsCredential0001', {}),
            credential('ipsCredential0002', { user: 'webservice@example.com', password: 'webservice-password', role: 'WebServiceUser' }),
        ]);
        const workflows = [
            (0, workflows_1.ipsWorkflow)({ id: 'ipsAcceptance0001', name: 'Three jobs', jobs: [NIGHTLY, FTP, OUTLET_IN_2101], credentialId: 'ipsCredential0001' }),
            (0, workflows_1.ipsWorkflow)({ id: 'ipsAcceptance0002', name: 'One unknown job, Continue On Fail', jobs: [NIGHTLY, 'j|2101|No such job||', FTP], credentialId: 'ipsCredential0001', continueOnFail: true }),
            (0, workflows_1.ipsWorkflow)({ id: 'ipsAcceptance0003', name: 'One unknown job', jobs: [NIGHTLY, 'j|2101|No such job||', FTP], credentialId: 'ipsCredential0001' }),
            (0, workflows_1.ipsWorkflow)({
                id: 'ipsAcceptance0004',
                name: 'Wait for Completion',
                jobs: [NIGHTLY, FTP],
                credentialId: 'ipsCredential0001',
                ipsParameters: { waitForCompletion: true, pollIntervalSeconds: 1, maxWaitSeconds: 60, options: { maxParallelRequests: 2 } },
            }),
            (0, workflows_1.ipsWorkflow)({ id: 'ipsAcceptance0005', name: 'Role may not run jobs', jobs: [NIGHTLY], credentialId: 'ipsCredential0002' }),
        ];
        for (const workflow of workflows)
            await (0, n8nCli_1.importInto)('workflow', workflow.id, workflow);
        const execute = (id) => {
            sim.requests.length = 0;
            return (0, n8nCli_1.executeWorkflow)(id);
        };
        await check('1. three items from expressions pass through unchanged, paired, one executeJob each', async () => {
            const { execution, stdout, stderr } = await execute('ipsAcceptance0001');
            const items = ipsOutput(execution);
            strict_1.default.equal(items.length, 3, `expected 3 items, got: ${stdout.slice(-800)} ${stderr.slice(-800)}`);
            strict_1.default.deepEqual(items.map((item) => item.json), [{ jobs: NIGHTLY }, { jobs: FTP }, { jobs: OUTLET_IN_2101 }]);
            strict_1.default.deepEqual(items.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
            strict_1.default.deepEqual(sim.requestsFor('executeJob').map((r) => r.params), [
                { companyHandle: 'c|2101', jobHandle: NIGHTLY },
                { companyHandle: 'c|2101', jobHandle: FTP },
                { companyHandle: 'c|2101', jobHandle: OUTLET_IN_2101 },
            ]);
        });
        await check('2a. with Continue On Fail: two good items and one error item naming the IPS reason', async () => {
            const { execution } = await execute('ipsAcceptance0002');
            const items = ipsOutput(execution);
            strict_1.default.equal(items.length, 3);
            strict_1.default.deepEqual(items[0].json, { jobs: NIGHTLY });
            strict_1.default.deepEqual(items[2].json, { jobs: FTP });
            strict_1.default.match(String(items[1].json.error), /item 1.*no scheduled job with handle 'j\|2101\|No such job\|\|'/);
            strict_1.default.equal(sim.requestsFor('executeJob').length, 3);
        });
        await check('2b. without Continue On Fail: the execution fails and names the item', async () => {
            const { execution, stdout, stderr } = await execute('ipsAcceptance0003');
            const message = execution?.data?.resultData?.error?.message ?? `${stdout}\n${stderr}`;
            strict_1.default.match(message, /item 1.*no scheduled job with handle/);
            strict_1.default.deepEqual(sim.requestsFor('executeJob').map((r) => r.params.jobHandle), [NIGHTLY, 'j|2101|No such job||']);
        });
        await check('3. Wait for Completion: the output holds each run’s status and counts', async () => {
            const { execution } = await execute('ipsAcceptance0004');
            const runs = ipsOutput(execution).map((item) => item.json.ipsJob);
            strict_1.default.equal(runs.length, 2);
            strict_1.default.deepEqual(runs.map((r) => [r.status, r.fileSuccessCount, r.totalFileCount]), [
                ['succeeded', 120, 120],
                ['succeededWithWarnings', 25, 25],
            ]);
            strict_1.default.ok(sim.requestsFor('getActiveJobs').length >= 1);
        });
        await check('4. a credential whose role may not run jobs: no request reaches the simulator', async () => {
            const { execution, stdout, stderr } = await execute('ipsAcceptance0005');
            const message = execution?.data?.resultData?.error?.message ?? `${stdout}\n${stderr}`;
            strict_1.default.match(message, /role "WebServiceUser" may not run IPS jobs/);
            strict_1.default.equal(sim.requests.length, 0);
        });
    }
    finally {
        await sim.stop();
    }
    const failed = results.filter((r) => !r.ok).length;
    console.log(`n8n acceptance: ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}
main().catch((error) => {
    console.error(error);
    process.exit(1);
});
//# sourceMappingURL=acceptance.js.map