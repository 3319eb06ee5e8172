"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_RUN_DURATION_MS = void 0;
exports.seedStatePath = seedStatePath;
exports.loadState = loadState;
exports.normaliseState = normaliseState;
exports.runState = runState;
exports.advance = advance;
exports.startRun = startRun;
// The simulator's world: companies, users, scheduled jobs, runs and logs, seeded from JSON, and
// how a run moves New → Running → Done as time passes.
const node_fs_1 = require("node:fs");
const files_1 = require("./files");
exports.DEFAULT_RUN_DURATION_MS = 3_000;
/** Share of a run spent in state New before it turns Running. */
const NEW_SHARE = 0.2;
function seedStatePath() {
    return (0, files_1.findProjectFile)('simulator/seed.json');
}
/** Reads a state file; missing arrays are empty, missing durations take the default. */
function loadState(file = seedStatePath()) {
    return normaliseState(JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8')));
}
function normaliseState(raw) {
    return {
        runDurationMs: raw.runDurationMs ?? exports.DEFAULT_RUN_DURATION_MS,
        companies: raw.companies ?? [],
        users: raw.users ?? [],
        scheduledJobs: (raw.scheduledJobs ?? []).map((job) => ({
            ...job,
            triggerState: job.triggerState ?? 'Normal',
        })),
        runs: raw.runs ?? [],
        jobLogs: raw.jobLogs ?? [],
    };
}
function runState(run, nowMs) {
    if (run.stopped || nowMs >= run.endsAtMs)
        return 'Done';
    const newUntil = run.startedAtMs + (run.endsAtMs - run.startedAtMs) * NEW_SHARE;
    return nowMs < newUntil ? 'New' : 'Running';
}
/** Moves every finished run into the job logs. Called before each request is answered. */
function advance(state, nowMs) {
    const finished = state.runs.filter((run) => runState(run, nowMs) === 'Done');
    if (!finished.length)
        return;
    state.runs = state.runs.filter((run) => !finished.includes(run));
    for (const run of finished)
        state.jobLogs.push(logOf(run, Math.min(nowMs, run.endsAtMs)));
}
function logOf(run, endMs) {
    const total = run.fileCount;
    const failed = run.outcome === 'failed' || run.stopped === true;
    const warnings = run.outcome === 'warnings' ? Math.max(1, Math.round(total / 5)) : 0;
    const errors = failed ? total : 0;
    return {
        companyHandle: run.companyHandle,
        jobHandle: run.jobHandle,
        jobName: run.name,
        submitUserEmail: run.submitUserEmail,
        logType: run.type,
        startDate: new Date(run.startedAtMs).toISOString(),
        endDate: new Date(endMs).toISOString(),
        fileSuccessCount: total - errors,
        fileErrorCount: errors,
        fileWarningCount: warnings,
        fileDuplicateCount: 0,
        fileUpdateCount: 0,
        totalFileCount: total,
        fatalError: failed,
        details: failed
            ? [
                {
                    logMessage: run.stopped ? 'Job stopped by user' : 'Source folder not found',
                    logType: 'Error',
                },
            ]
            : warnings
                ? [{ logMessage: 'Image has no color profile', logType: 'Warning', assetName: 'hero.jpg' }]
                : [],
    };
}
let runCounter = 0;
/** Starts a run of a scheduled job, as executeJob does. */
function startRun(state, job, nowMs) {
    const stamp = new Date(nowMs)
        .toISOString()
        .replace('T', '-')
        .replace(/\.(\d+)Z$/, '.$1');
    const name = `${job.name}_${stamp}`;
    const companyId = job.companyHandle.replace(/^c\|/, '');
    const duration = job.runDurationMs ?? state.runDurationMs;
    const run = {
        companyHandle: job.companyHandle,
        jobHandle: `j|${companyId}||${name}|${++runCounter}`,
        name,
        originalName: job.name,
        type: job.type,
        submitUserEmail: job.submitUserEmail,
        startedAtMs: nowMs,
        endsAtMs: nowMs + duration,
        outcome: job.outcome ?? 'succeeded',
        fileCount: job.fileCount ?? 10,
    };
    state.runs.push(run);
    return run;
}
//# sourceMappingURL=state.js.map