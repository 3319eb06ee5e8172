"use strict";
// Rounds, medians and the table rows of bench/RESULTS.md.
Object.defineProperty(exports, "__esModule", { value: true });
exports.summarise = summarise;
exports.rounds = rounds;
exports.format = format;
exports.timed = timed;
function summarise(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}
async function rounds(count, measure) {
    const values = [];
    for (let round = 0; round < count; round++)
        values.push(await measure());
    return summarise(values);
}
function format(sample, digits = 0, unit = '') {
    const f = (value) => value.toFixed(digits);
    return `${f(sample.median)}${unit} (min ${f(sample.min)}, max ${f(sample.max)})`;
}
/** Wall time and CPU time (user + system, this process) of `work`. */
async function timed(work) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await work();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000 };
}
//# sourceMappingURL=stats.js.map