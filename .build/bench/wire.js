"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PASSWORD = exports.USER = exports.JOB = exports.COMPANY = void 0;
exports.throughNode = throughNode;
exports.throughBareLoop = throughBareLoop;
exports.throughSoapPackage = throughSoapPackage;
// Figures 1 and 2: the same executeJob requests through the node (n8n's engine), through a bare
// undici loop (the limit) and through the generic `soap` client, at the same parallelism.
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const undici_1 = require("undici");
const soap_1 = require("soap");
const envelope_1 = require("../nodes/Ips/ips/envelope");
const namespaces_1 = require("../nodes/Ips/ips/namespaces");
const engine_1 = require("../test/support/engine");
const files_1 = require("../simulator/files");
exports.COMPANY = 'c|2101';
exports.JOB = 'j|2101|Nightly publish||';
exports.USER = 'demo@example.com';
exports.PASSWORD = 'demo-password';
/** Runs `count` jobs with `work` in `parallel` lanes. */
async function inLanes(count, parallel, work) {
    let next = 0;
    await Promise.all(Array.from({ length: parallel }, async () => {
        while (next < count)
            await work(next++);
    }));
}
async function throughNode(url, count, parallel) {
    const { output, error } = await (0, engine_1.runIpsWorkflow)({
        parameters: {
            companyHandle: { __rl: true, mode: 'id', value: exports.COMPANY },
            jobHandle: { __rl: true, mode: 'id', value: exports.JOB },
            options: { maxParallelRequests: parallel },
        },
        items: Array.from({ length: count }, (_, n) => ({ n })),
        credential: {
            user: exports.USER,
            password: exports.PASSWORD,
            role: 'IpsUser',
            region: 'custom',
            serviceUrl: url,
            apiVersion: 'pre-4.0',
        },
    });
    if (error || output?.length !== count)
        throw new Error(`node run failed: ${String(error?.message)}`);
}
const bareAgent = new undici_1.Agent({ keepAliveTimeout: 30_000 });
/** The limit: a prebuilt envelope POSTed with undici, the answer read as text and checked by eye. */
async function throughBareLoop(url, count, parallel) {
    const body = (0, envelope_1.buildEnvelope)({
        operation: 'executeJob',
        namespace: (0, namespaces_1.namespaceOf)('pre-4.0'),
        auth: { user: exports.USER, password: exports.PASSWORD, appName: 'bench', appVersion: '1' },
        children: [
            ['companyHandle', exports.COMPANY],
            ['jobHandle', exports.JOB],
        ],
    });
    const headers = (0, envelope_1.soapHttpHeaders)('executeJob');
    delete headers['accept-encoding'];
    await inLanes(count, parallel, async () => {
        const response = await (0, undici_1.request)(url, { method: 'POST', headers, body, dispatcher: bareAgent });
        const text = await response.body.text();
        if (response.statusCode !== 200 || !text.includes('executeJobReturn'))
            throw new Error(`bare loop: ${response.statusCode}`);
    });
}
/** Adobe's WSDL with its two same-namespace schema blocks merged: the soap package keeps only one. */
function mergedWsdl() {
    const wsdl = (0, node_fs_1.readFileSync)((0, files_1.findProjectFile)('simulator/schema/IpsApi.wsdl'), 'utf8');
    const blocks = [...wsdl.matchAll(/(<schema [^>]*>)([\s\S]*?)<\/schema>/g)];
    const merged = `${blocks[0][1]}${blocks.map((b) => b[2]).join('')}</schema>`;
    const out = wsdl.replace(/<types>[\s\S]*<\/types>/, `<types>${merged}</types>`);
    const dir = (0, node_path_1.join)((0, files_1.findProjectFile)('package.json'), '..', '.cache', 'bench');
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    const file = (0, node_path_1.join)(dir, 'IpsApi.merged.wsdl');
    (0, node_fs_1.writeFileSync)(file, out);
    return file;
}
async function throughSoapPackage(url, count, parallel) {
    const client = await (0, soap_1.createClientAsync)(mergedWsdl(), { endpoint: url });
    client.addSoapHeader(`<authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>${exports.USER}</user><password>${exports.PASSWORD}</password><appName>bench</appName><appVersion>1</appVersion></authHeader>`);
    await inLanes(count, parallel, async () => {
        await client.executeJobAsync({ companyHandle: exports.COMPANY, jobHandle: exports.JOB });
    });
}
//# sourceMappingURL=wire.js.map