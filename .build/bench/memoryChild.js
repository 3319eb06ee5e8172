"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Figure 5, in a process of its own: peak RSS while N items pass through the node (or, with
// "baseline", through the trigger alone) against a simulator in another process.
const transport_1 = require("../nodes/Ips/ips/transport");
const engine_1 = require("../test/support/engine");
const wire_1 = require("./wire");
async function main() {
    const [url, countText, mode] = process.argv.slice(2);
    const count = Number(countText);
    const { output, error } = await (0, engine_1.runIpsWorkflow)({
        parameters: {
            companyHandle: { __rl: true, mode: 'id', value: wire_1.COMPANY },
            jobHandle: { __rl: true, mode: 'id', value: wire_1.JOB },
            options: { maxParallelRequests: 16 },
        },
        items: Array.from({ length: count }, (_, n) => ({ n, note: 'an ordinary item' })),
        credential: {
            user: wire_1.USER,
            password: wire_1.PASSWORD,
            role: 'IpsUser',
            region: 'custom',
            serviceUrl: url,
            apiVersion: '2014-04-03',
        },
        withoutIpsNode: mode === 'baseline',
    });
    if (error)
        throw new Error(String(error.message));
    await (0, transport_1.closeTransport)();
    process.stdout.write(`${JSON.stringify({ items: output?.length ?? count, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}
void main();
//# sourceMappingURL=memoryChild.js.map