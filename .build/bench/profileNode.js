"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// `node --cpu-prof .build/bench/profileNode.js [items] [parallel]`: where one run of the node spends its time.
const transport_1 = require("../nodes/Ips/ips/transport");
const engine_1 = require("../test/support/engine");
const simProcess_1 = require("./simProcess");
async function main() {
    const items = Number(process.argv[2] ?? 3000);
    const parallel = Number(process.argv[3] ?? 8);
    const sim = await (0, simProcess_1.startSimulatorProcess)();
    const started = process.hrtime.bigint();
    const { output } = await (0, engine_1.runIpsWorkflow)({
        parameters: {
            companyHandle: { __rl: true, mode: 'id', value: 'c|2101' },
            jobHandle: { __rl: true, mode: 'id', value: 'j|2101|Nightly publish||' },
            options: { maxParallelRequests: parallel },
        },
        items: Array.from({ length: items }, (_, n) => ({ n })),
        credential: {
            user: 'demo@example.com',
            password: 'demo-password',
            role: 'IpsUser',
            region: 'custom',
            serviceUrl: sim.url,
            apiVersion: 'pre-4.0',
        },
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${output?.length} items in ${ms.toFixed(0)} ms (${((ms * 1000) / items).toFixed(0)} µs/item)`);
    await sim.stop();
    await (0, transport_1.closeTransport)();
}
void main();
//# sourceMappingURL=profileNode.js.map