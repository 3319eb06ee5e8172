// The simulator's world: companies, users, scheduled jobs, runs and logs, seeded from JSON, and
// how a run moves New → Running → Done as time passes.
import { readFileSync } from 'node:fs';
import { findProjectFile } from './files';

export type RunOutcome = 'succeeded' | 'warnings' | 'failed';

export interface SimCompany {
	companyHandle: string;
	name: string;
	rootPath?: string;
}

export interface SimUser {
	userHandle: string;
	email: string;
	password: string;
	firstName: string;
	lastName: string;
	role: string;
	/** Handles of the companies this user is a member of. */
	companies: string[];
}

export interface SimScheduledJob {
	companyHandle: string;
	jobHandle: string;
	name: string;
	type: string;
	submitUserEmail: string;
	execSchedule?: string;
	timeZone?: string;
	triggerState: string;
	/** How long a run takes (default: the state's runDurationMs). 0 = done at once. */
	runDurationMs?: number;
	outcome?: RunOutcome;
	fileCount?: number;
}

export interface SimRun {
	companyHandle: string;
	jobHandle: string;
	name: string;
	originalName: string;
	type: string;
	submitUserEmail: string;
	startedAtMs: number;
	endsAtMs: number;
	outcome: RunOutcome;
	fileCount: number;
	/** Set by stopJob. */
	stopped?: boolean;
}

export interface SimJobLog {
	companyHandle: string;
	jobHandle: string;
	jobName: string;
	submitUserEmail: string;
	logType: string;
	startDate: string;
	endDate: string;
	fileSuccessCount: number;
	fileErrorCount: number;
	fileWarningCount: number;
	fileDuplicateCount: number;
	fileUpdateCount: number;
	totalFileCount: number;
	fatalError: boolean;
	details: Array<{ logMessage: string; logType: string; assetName?: string }>;
}

export interface SimState {
	runDurationMs: number;
	companies: SimCompany[];
	users: SimUser[];
	scheduledJobs: SimScheduledJob[];
	runs: SimRun[];
	jobLogs: SimJobLog[];
}

export const DEFAULT_RUN_DURATION_MS = 3_000;

/** Share of a run spent in state New before it turns Running. */
const NEW_SHARE = 0.2;

export function seedStatePath(): string {
	return findProjectFile('simulator/seed.json');
}

/** Reads a state file; missing arrays are empty, missing durations take the default. */
export function loadState(file = seedStatePath()): SimState {
	return normaliseState(JSON.parse(readFileSync(file, 'utf8')) as Partial<SimState>);
}

export function normaliseState(raw: Partial<SimState>): SimState {
	return {
		runDurationMs: raw.runDurationMs ?? DEFAULT_RUN_DURATION_MS,
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

export function runState(run: SimRun, nowMs: number): 'New' | 'Running' | 'Done' {
	if (run.stopped || nowMs >= run.endsAtMs) return 'Done';
	const newUntil = run.startedAtMs + (run.endsAtMs - run.startedAtMs) * NEW_SHARE;
	return nowMs < newUntil ? 'New' : 'Running';
}

/** Moves every finished run into the job logs. Called before each request is answered. */
export function advance(state: SimState, nowMs: number): void {
	const finished = state.runs.filter((run) => runState(run, nowMs) === 'Done');
	if (!finished.length) return;
	state.runs = state.runs.filter((run) => !finished.includes(run));
	for (const run of finished) state.jobLogs.push(logOf(run, Math.min(nowMs, run.endsAtMs)));
}

function logOf(run: SimRun, endMs: number): SimJobLog {
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
export function startRun(state: SimState, job: SimScheduledJob, nowMs: number): SimRun {
	const stamp = new Date(nowMs)
		.toISOString()
		.replace('T', '-')
		.replace(/\.(\d+)Z$/, '.$1');
	const name = `${job.name}_${stamp}`;
	const companyId = job.companyHandle.replace(/^c\|/, '');
	const duration = job.runDurationMs ?? state.runDurationMs;
	const run: SimRun = {
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
