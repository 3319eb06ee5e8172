"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// `npm run bench`: every figure of bench/RESULTS.md, measured in one run, as ratios against a
// baseline measured in the same process (or the same kind of child process).
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const transport_1 = require("../nodes/Ips/ips/transport");
const files_1 = require("../simulator/files");
const micro_1 = require("./micro");
const simProcess_1 = require("./simProcess");
const stats_1 = require("./stats");
const waiting_1 = require("./waiting");
const wire_1 = require("./wire");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WIRE_ITEMS = Number(process.env.BENCH_WIRE_ITEMS ?? 2_000);
const MEMORY_ITEMS = Number(process.env.BENCH_MEMORY_ITEMS ?? 100_000);
const MEMORY_ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 2);
const WAIT_ITEMS = 200;
const lines = [];
const say = (line = '') => {
    lines.push(line);
    console.log(line);
};
const ratio = (a, b) => (a / b).toFixed(2);
async function wireFigures(url) {
    say('## 1. Node vs the wire, 2. node vs a generic SOAP client');
    say();
    say(`${WIRE_ITEMS} \`executeJob\` requests (pre-4.0 namespace, so the simulator does the same schema check for all), simulator in a child process; throughput in requests/s, CPU in ms per request of this process. Median of ${ROUNDS} rounds (min, max).`);
    say();
    say('| parallel | bare undici loop (limit) | this node | `soap` package | node / bare | node / soap | CPU/request: bare, node, soap |');
    say('|---|---|---|---|---|---|---|');
    const variants = { bare: wire_1.throughBareLoop, node: wire_1.throughNode, soap: wire_1.throughSoapPackage };
    for (const parallel of [1, 8]) {
        const throughput = {};
        const cpu = {};
        for (const [name, run] of Object.entries(variants)) {
            await run(url, 200, parallel); // warm-up: JIT, connections, the simulator's first requests
            const perRound = [];
            for (let round = 0; round < ROUNDS; round++)
                perRound.push(await (0, stats_1.timed)(() => run(url, WIRE_ITEMS, parallel)));
            throughput[name] = (0, stats_1.summarise)(perRound.map((r) => (WIRE_ITEMS / r.ms) * 1000));
            cpu[name] = (0, stats_1.summarise)(perRound.map((r) => r.cpuMs / WIRE_ITEMS));
        }
        say(`| ${parallel} | ${(0, stats_1.format)(throughput.bare)} | ${(0, stats_1.format)(throughput.node)} | ${(0, stats_1.format)(throughput.soap)} | **${ratio(throughput.node.median, throughput.bare.median)}** | **${ratio(throughput.node.median, throughput.soap.median)}** | ${cpu.bare.median.toFixed(3)}, ${cpu.node.median.toFixed(3)}, ${cpu.soap.median.toFixed(3)} |`);
    }
    say();
}
function microFigure() {
    say('## 3. Per-item cost of the SOAP core');
    say();
    say('µs per call, median of rounds of 20,000 calls; the baseline is the bare minimum (a template literal with no escaping; fast-xml-parser with no checks).');
    say();
    say('| work | this package | baseline | ratio |');
    say('|---|---|---|---|');
    const pairs = [
        ['build an executeJob envelope', micro_1.microCases.envelope, micro_1.microCases.envelopeBaseline],
        ['parse an executeJob answer', micro_1.microCases.parseOk, micro_1.microCases.parseOkBaseline],
        [
            'parse a fault answer (to a typed IpsFault)',
            micro_1.microCases.parseFault,
            micro_1.microCases.parseFaultBaseline,
        ],
    ];
    for (const [work, ours, baseline] of pairs) {
        const a = (0, stats_1.summarise)(Array.from({ length: 5 }, () => (0, micro_1.microsPerCall)(ours)));
        const b = (0, stats_1.summarise)(Array.from({ length: 5 }, () => (0, micro_1.microsPerCall)(baseline)));
        say(`| ${work} | ${(0, stats_1.format)(a, 2, ' µs')} | ${(0, stats_1.format)(b, 2, ' µs')} | ${ratio(a.median, b.median)} |`);
    }
    say();
}
function startupFigure() {
    say('## 4. Start-up');
    say();
    const root = (0, node_path_1.join)((0, files_1.findProjectFile)('package.json'), '..');
    const load = (modules) => {
        const code = `const t=process.hrtime.bigint();${modules.map((m) => `require(${JSON.stringify(m)});`).join('')}console.log(Number(process.hrtime.bigint()-t)/1e6)`;
        return Number((0, node_child_process_1.execFileSync)(process.execPath, ['-e', code], { cwd: root }).toString().trim());
    };
    const workflowOnly = (0, stats_1.summarise)(Array.from({ length: 7 }, () => load(['n8n-workflow'])));
    const withPackage = (0, stats_1.summarise)(Array.from({ length: 7 }, () => load([
        'n8n-workflow',
        './dist/nodes/Ips/IpsExecuteJob.node.js',
        './dist/credentials/IpsApi.credentials.js',
    ])));
    say('Cold `require` in a new process (built `dist/`), median of 7: n8n loads every installed package at start.');
    say();
    say('| load | ms | ratio |');
    say('|---|---|---|');
    say(`| n8n-workflow alone | ${(0, stats_1.format)(workflowOnly, 1)} | 1.00 |`);
    say(`| n8n-workflow + this node and credential | ${(0, stats_1.format)(withPackage, 1)} | ${ratio(withPackage.median, workflowOnly.median)} |`);
    say();
}
async function memoryFigure(url) {
    say('## 5. Memory');
    say();
    const child = (mode) => {
        const out = (0, node_child_process_1.execFileSync)(process.execPath, [(0, node_path_1.join)(__dirname, 'memoryChild.js'), url, String(MEMORY_ITEMS), mode], { maxBuffer: 1 << 20 });
        return JSON.parse(out.toString().trim().split('\n').pop() ?? '{}')
            .peakRssBytes;
    };
    const withNode = await (0, stats_1.rounds)(MEMORY_ROUNDS, async () => child('node'));
    const baseline = await (0, stats_1.rounds)(MEMORY_ROUNDS, async () => child('baseline'));
    const mb = (s) => ({
        median: s.median / 2 ** 20,
        min: s.min / 2 ** 20,
        max: s.max / 2 ** 20,
    });
    say(`Peak RSS of a process that passes ${MEMORY_ITEMS.toLocaleString('en')} items (16 in parallel) through n8n's engine, median of ${MEMORY_ROUNDS}; the baseline is the same process passing them through the trigger alone.`);
    say();
    say('| run | peak RSS | per item | ratio |');
    say('|---|---|---|---|');
    say(`| trigger only (baseline) | ${(0, stats_1.format)(mb(baseline), 0, ' MB')} | ${(baseline.median / MEMORY_ITEMS).toFixed(0)} B | 1.00 |`);
    say(`| trigger → IPS: Execute Job | ${(0, stats_1.format)(mb(withNode), 0, ' MB')} | ${(withNode.median / MEMORY_ITEMS).toFixed(0)} B | ${ratio(withNode.median, baseline.median)} |`);
    say(`| what the node adds | ${((withNode.median - baseline.median) / 2 ** 20).toFixed(0)} MB | ${((withNode.median - baseline.median) / MEMORY_ITEMS).toFixed(0)} B | |`);
    say();
}
async function waitFigure() {
    say('## 6. Waiting');
    say();
    const sim = await (0, simProcess_1.startSimulatorProcess)(3_000);
    try {
        const figure = await (0, waiting_1.waitingFigure)(sim.url, WAIT_ITEMS, 1);
        say(`${WAIT_ITEMS} items with Wait for Completion (poll every 1 s, runs of 3 s, one company):`);
        say();
        say('| figure | value | ratio to one poll per item |');
        say('|---|---|---|');
        say(`| getActiveJobs per poll round | ${figure.getActiveJobsPerRound.toFixed(2)} | ${ratio(figure.getActiveJobsPerRound, WAIT_ITEMS)} |`);
        say(`| requests per round (getActiveJobs + getJobLogs) | ${figure.requestsPerRound.toFixed(2)} | ${ratio(figure.requestsPerRound, WAIT_ITEMS)} |`);
        say(`| CPU per round (this process, waiting only) | ${figure.cpuMsPerRound.toFixed(1)} ms | |`);
        say();
    }
    finally {
        await sim.stop();
    }
}
async function main() {
    say('# Benchmark results');
    say();
    say(`Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${(0, node_os_1.cpus)().length} × ${(0, node_os_1.cpus)()[0]?.model ?? 'CPU'}, ${Math.round((0, node_os_1.totalmem)() / 2 ** 30)} GiB; Node ${process.version}. Ratios compare runs in the same process (or the same kind of child process); absolute numbers depend on the machine.`);
    say();
    const sim = await (0, simProcess_1.startSimulatorProcess)(0);
    try {
        await wireFigures(sim.url);
        microFigure();
        startupFigure();
        await memoryFigure(sim.url);
    }
    finally {
        await sim.stop();
    }
    await waitFigure();
    await (0, transport_1.closeTransport)();
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(__dirname, '..', '..', 'bench', 'RESULTS.md'), `${lines.join('\n')}\n`);
}
main().then(() => process.exit(0), (error) => {
    console.error(error);
    process.exit(1);
});
//# sourceMappingURL=run.js.map