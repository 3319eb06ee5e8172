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
	/** Scenarios IPS's reference allows (see the README, Wait for Completion); each off unless set. */
	/** A run waits this long in WaitingCoordinator (listed only with includeWaitingJobs) first. */
	queueDelayMs?: number;
	/** executeJob is accepted, but no run ever shows up anywhere. */
	neverAppears?: boolean;
	/** A second run waits (queued, unlisted) until the running one has ended. */
	serialised?: boolean;
	/** How long stopping a run takes (default 1 s). */
	stopDelayMs?: number;
	/** After its end a run stays in the active list as Done this long. */
	doneLingerMs?: number;
	/** The log row exists from the run's start, without endDate until the run ends. */
	logWhileRunning?: boolean;
	/**
	 * The run is Done (and may leave the active list) at its end, but its final log row is written
	 * this much later; until then its row has no endDate and early counts: one file done, no error,
	 * no fatal error, so a run that fails looks successful. Default: the state's finalLogDelayMs.
	 */
	finalLogDelayMs?: number;
	/** Publish transfers that fail (transferErrorCount) in each run. */
	transferErrors?: number;
	/** Raw XML for the active run's progressMessage (CDATA, odd characters), sent as it is. */
	progressMessageXml?: string;
	/** Run names stamped to the minute (a recorded form): runs started close together share a name. */
	minuteNames?: boolean;
	/** A submitted job waiting for its start time: it leaves the list when its run starts. */
	oneOffStartMs?: number;
}

export interface SimRun {
	companyHandle: string;
	jobHandle: string;
	name: string;
	originalName: string;
	type: string;
	submitUserEmail: string;
	/** When executeJob asked for it (IPS's triggerTime), and who asked. */
	triggeredAtMs: number;
	triggeredBy?: string;
	/** When it left the queue and started (its startDate). */
	startedAtMs: number;
	endsAtMs: number;
	/** When it leaves the active list (later than its end when Done lingers). */
	leavesAtMs: number;
	outcome: RunOutcome;
	fileCount: number;
	transferErrors: number;
	logWhileRunning: boolean;
	/** How long after its end its final log row is written (an unfinished row stands until then). */
	finalLogDelayMs: number;
	progressMessageXml?: string;
	/** Its row in jobLogs, once written. */
	log?: SimJobLog;
	/** Set by stopJob: the run is Stopping until its (earlier) end. */
	stopped?: boolean;
	/** How long a stop takes (IPS stops a run only when it can do so safely). */
	stopDelayMs: number;
	/** A submitted upload's files, each with how it went. */
	files?: SimFile[];
	/** A submitted upload's publish, started when the upload has ended. */
	postPublish?: { publishType: string; started?: boolean };
}

/** One URL of a submitted upload. */
export interface SimFile {
	sourceUrl: string;
	destPath: string;
	ok: boolean;
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
	transferErrorCount?: number;
	details: SimLogDetail[];
}

export interface SimLogDetail {
	logMessage: string;
	logType: string;
	assetName?: string;
	assetType?: string;
}

/** The simulator's own copy of the reference's Job Log Types for each kind of job: begin, error, warning, end. */
const LOG_TYPES_BY_JOB: Record<string, [string, string, string, string]> = {
	ImageServingPublish: [
		'BeginImageServingPublish',
		'ImageServingPublishError',
		'ImageServingPublishWarning',
		'EndImageServingPublish',
	],
	ImageRenderingPublish: [
		'BeginImageRenderingPublish',
		'ImageRenderingPublishError',
		'ImageRenderingPublishError',
		'EndImageRenderingPublish',
	],
	VideoPublish: [
		'BeginVideoPublish',
		'VideoPublishError',
		'VideoPublishWarning',
		'EndVideoPublish',
	],
	ServerDirectoryPublish: [
		'BeginServerDirectoryPublish',
		'ServerDirectoryPublishError',
		'ServerDirectoryPublishWarning',
		'EndServerDirectoryPublish',
	],
	MetadataUpload: ['BeginMetadata', 'MetadataFailure', 'UploadWarning', 'EndMetadata'],
};
const UPLOAD_LOG_TYPES: [string, string, string, string] = [
	'BeginUpload',
	'UploadError',
	'UploadWarning',
	'EndUpload',
];

/** The details a run's log holds: begin, original name, client, one row per failed or warned file, end. */
function detailsOf(run: SimRun, errors: number, warnings: number, ended: boolean): SimLogDetail[] {
	const [begin, error, warning, end] = LOG_TYPES_BY_JOB[run.type] ?? UPLOAD_LOG_TYPES;
	const details: SimLogDetail[] = [
		{ logMessage: `${run.type} has begun`, logType: begin },
		{ logMessage: run.originalName, logType: 'OriginalJobName' },
		{ logMessage: 'ips-simulator-1', logType: 'JobClient' },
	];
	for (let i = 0; i < errors; i++) {
		const assetName = `file-${String(i + 1).padStart(4, '0')}.jpg`;
		details.push({
			logMessage: `Could not process ${assetName}: the source file is missing`,
			logType: error,
			assetName,
			assetType: 'Image',
		});
	}
	for (let i = 0; i < warnings; i++) {
		const assetName = `hero & <sale> ${i + 1}.jpg`;
		details.push({
			logMessage: `${assetName} has no color profile`,
			logType: warning,
			assetName,
			assetType: 'Image',
		});
	}
	if (run.stopped) details.push({ logMessage: 'Job stopped by user', logType: 'FatalError' });
	else if (errors) details.push({ logMessage: 'Source folder not found', logType: 'FatalError' });
	if (ended) details.push({ logMessage: `${run.type} has ended`, logType: end });
	return details;
}

/**
 * An upload's details: one row per file, named as IPS names assets (the file name without its
 * extension), the message quoting the source URL; a file that could not be fetched is an UploadError.
 */
function fileDetailsOf(run: SimRun, ended: boolean): SimLogDetail[] {
	const details: SimLogDetail[] = [
		{ logMessage: 'Upload has begun', logType: 'BeginUpload' },
		{ logMessage: run.originalName, logType: 'OriginalJobName' },
	];
	if (!ended) return details;
	for (const file of run.files ?? []) {
		const fileName = file.destPath.slice(file.destPath.lastIndexOf('/') + 1);
		const assetName = fileName.includes('.')
			? fileName.slice(0, fileName.lastIndexOf('.'))
			: fileName;
		details.push(
			file.ok
				? {
						logMessage: `Uploaded ${file.sourceUrl}`,
						logType: 'UploadSuccess',
						assetName,
						assetType: 'Image',
					}
				: {
						logMessage: `Could not get ${file.sourceUrl}: HTTP 404 Not Found`,
						logType: 'UploadError',
						assetName,
						assetType: 'Image',
					},
		);
	}
	details.push({ logMessage: 'Upload has ended', logType: 'EndUpload' });
	return details;
}

export interface SimState {
	runDurationMs: number;
	/** How far the simulated IPS's clock is ahead of the real one (negative: behind). */
	clockOffsetMs: number;
	companies: SimCompany[];
	users: SimUser[];
	scheduledJobs: SimScheduledJob[];
	runs: SimRun[];
	jobLogs: SimJobLog[];
	/** Every run ever started, also after it left the active list (for tests to check who got what). */
	runHistory: SimRun[];
	/** Source URLs an upload cannot fetch (a test marks them bad). */
	failingSourceUrls: string[];
	/** Active jobs come without their `type` (only the job element tells what they are). */
	activeJobsWithoutType?: boolean;
	/**
	 * getJobLogs leaves out the rows that start at its endDate itself. The reference does not say
	 * whether endDate is in the window: by default it is not, the harder case for a reader that pages.
	 */
	jobLogEndDateExclusive: boolean;
	/** Every run's final log row comes this long after its end (see SimScheduledJob). */
	finalLogDelayMs: number;
	/** Runs that left the active list before their final log row was written. */
	runsAwaitingFinalLog: SimRun[];
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
		clockOffsetMs: raw.clockOffsetMs ?? 0,
		companies: raw.companies ?? [],
		users: raw.users ?? [],
		scheduledJobs: (raw.scheduledJobs ?? []).map((job) => ({
			...job,
			triggerState: job.triggerState ?? 'Normal',
		})),
		runs: raw.runs ?? [],
		jobLogs: raw.jobLogs ?? [],
		runHistory: [],
		failingSourceUrls: raw.failingSourceUrls ?? [],
		activeJobsWithoutType: raw.activeJobsWithoutType,
		jobLogEndDateExclusive: raw.jobLogEndDateExclusive ?? true,
		finalLogDelayMs: raw.finalLogDelayMs ?? 0,
		runsAwaitingFinalLog: [],
	};
}

export type SimRunState = 'WaitingCoordinator' | 'New' | 'Running' | 'Stopping' | 'Done';

export function runState(run: SimRun, nowMs: number): SimRunState {
	if (nowMs >= run.endsAtMs) return 'Done';
	if (run.stopped) return 'Stopping';
	if (nowMs < run.startedAtMs) return 'WaitingCoordinator';
	const newUntil = run.startedAtMs + (run.endsAtMs - run.startedAtMs) * NEW_SHARE;
	return nowMs < newUntil ? 'New' : 'Running';
}

/**
 * Moves time on: a started run gets its log row early when its job says so, an ended run gets its
 * final row (with endDate), and a run leaves the active list when its Done time is over.
 * Called before each request is answered.
 */
export function advance(state: SimState, nowMs: number): void {
	// An upload that has ended starts its publish first, so both can show in the same answer.
	for (const run of [...state.runs]) {
		if (run.postPublish && !run.postPublish.started && runState(run, nowMs) === 'Done') {
			run.postPublish.started = true;
			startSubmittedRun(state, {
				companyHandle: run.companyHandle,
				jobName: run.originalName,
				type: 'ImageServingPublish',
				submitUserEmail: run.submitUserEmail,
				nowMs: run.endsAtMs,
			});
		}
	}
	for (const run of [...state.runs, ...state.runsAwaitingFinalLog]) {
		if (run.logWhileRunning && !run.log && nowMs >= run.startedAtMs) {
			run.log = logOf(run, undefined, state.clockOffsetMs);
			state.jobLogs.push(run.log);
		}
		if (runState(run, nowMs) === 'Done' && !run.log?.endDate) {
			const finalLogDue = nowMs >= run.endsAtMs + run.finalLogDelayMs;
			const row = finalLogDue
				? logOf(run, Math.min(nowMs, run.endsAtMs), state.clockOffsetMs)
				: earlyLogOf(run, state.clockOffsetMs);
			if (run.log) Object.assign(run.log, row);
			else state.jobLogs.push((run.log = row));
		}
	}
	state.runsAwaitingFinalLog = state.runsAwaitingFinalLog.filter((run) => !run.log?.endDate);
	for (const run of state.runs)
		if (nowMs >= run.leavesAtMs && !run.log?.endDate) state.runsAwaitingFinalLog.push(run);
	state.runs = state.runs.filter((run) => nowMs < run.leavesAtMs);
	// A submitted job with a start time is a scheduled job until its run has started.
	state.scheduledJobs = state.scheduledJobs.filter(
		(job) => job.oneOffStartMs === undefined || nowMs < job.oneOffStartMs,
	);
}

/** The log row of a run; without `endMs` the row of a run still going (no endDate, no counts yet). */
function logOf(run: SimRun, endMs: number | undefined, clockOffsetMs: number): SimJobLog {
	const total = endMs === undefined ? 0 : run.fileCount;
	const badFiles = endMs === undefined ? 0 : (run.files ?? []).filter((file) => !file.ok).length;
	const failed = endMs !== undefined && (run.outcome === 'failed' || run.stopped === true);
	const warnings = run.outcome === 'warnings' ? Math.max(1, Math.round(total / 5)) : 0;
	const errors = failed ? total : badFiles;
	return {
		companyHandle: run.companyHandle,
		jobHandle: run.jobHandle,
		jobName: run.name,
		submitUserEmail: run.submitUserEmail,
		logType: run.type,
		startDate: new Date(run.startedAtMs + clockOffsetMs).toISOString(),
		endDate: endMs === undefined ? '' : new Date(endMs + clockOffsetMs).toISOString(),
		fileSuccessCount: total - errors,
		fileErrorCount: errors,
		fileWarningCount: warnings,
		fileDuplicateCount: 0,
		fileUpdateCount: 0,
		totalFileCount: total,
		fatalError: failed,
		transferErrorCount: endMs === undefined ? undefined : run.transferErrors || undefined,
		details: run.files
			? fileDetailsOf(run, endMs !== undefined)
			: detailsOf(run, errors, warnings, endMs !== undefined),
	};
}

/** The row of a run that IPS lists as Done before writing its log in full: early, hopeful counts. */
function earlyLogOf(run: SimRun, clockOffsetMs: number): SimJobLog {
	const row = logOf(run, undefined, clockOffsetMs);
	return {
		...row,
		fileSuccessCount: Math.min(1, run.fileCount),
		fileErrorCount: 0,
		fileWarningCount: 0,
		totalFileCount: run.fileCount,
		fatalError: false,
	};
}

let runCounter = 0;

/**
 * Starts a run of a scheduled job, as executeJob does: queued first when the job says so (or behind
 * the running one for a serialised job), named after the job and the (simulated) IPS time.
 * Returns undefined for a job whose runs never show up.
 */
export function startRun(
	state: SimState,
	job: SimScheduledJob,
	nowMs: number,
	triggeredBy?: string,
): SimRun | undefined {
	if (job.neverAppears) return undefined;
	const iso = new Date(nowMs + state.clockOffsetMs).toISOString().replace('T', '-');
	const stamp = job.minuteNames ? iso.slice(0, 16) : iso.replace(/\.(\d+)Z$/, '.$1');
	const name = `${job.name}_${stamp}`;
	const companyId = job.companyHandle.replace(/^c\|/, '');
	const duration = job.runDurationMs ?? state.runDurationMs;
	const ahead = job.serialised
		? state.runs.filter((r) => r.originalName === job.name && !r.stopped)
		: [];
	const startedAtMs = Math.max(nowMs + (job.queueDelayMs ?? 0), ...ahead.map((r) => r.endsAtMs));
	const run: SimRun = {
		companyHandle: job.companyHandle,
		jobHandle: `j|${companyId}||${name}|${++runCounter}`,
		name,
		originalName: job.name,
		type: job.type,
		submitUserEmail: job.submitUserEmail,
		triggeredAtMs: nowMs,
		triggeredBy,
		startedAtMs,
		endsAtMs: startedAtMs + duration,
		leavesAtMs: startedAtMs + duration + (job.doneLingerMs ?? 0),
		outcome: job.outcome ?? 'succeeded',
		fileCount: job.fileCount ?? 10,
		transferErrors: job.transferErrors ?? 0,
		logWhileRunning: job.logWhileRunning ?? false,
		finalLogDelayMs: job.finalLogDelayMs ?? state.finalLogDelayMs,
		progressMessageXml: job.progressMessageXml,
		stopDelayMs: job.stopDelayMs ?? 1_000,
	};
	state.runs.push(run);
	state.runHistory.push(run);
	return run;
}

/** The runs of startOtherRuns started an hour ago and go on for another: longer than any wait here. */
const OTHER_RUN_HALF_MS = 3_600_000;

/**
 * A busy company: `count` runs that another user started of the first company's first job that is
 * not a publish (publishes run one at a time), running, for another hour. Its active list is then
 * long, and nearly none of it is the runs an execution waits for.
 */
export function startOtherRuns(state: SimState, count: number, nowMs: number): void {
	const company = state.companies[0]?.companyHandle;
	const job = state.scheduledJobs.find(
		(candidate) => candidate.companyHandle === company && !PUBLISH_TYPES.has(candidate.type),
	);
	if (!job) throw new Error(`the first company (${company}) has no job that is not a publish`);
	const long = {
		...job,
		runDurationMs: 2 * OTHER_RUN_HALF_MS,
		queueDelayMs: 0,
		neverAppears: false,
	};
	// A millisecond apart, so that each has a name of its own.
	const firstMs = nowMs - OTHER_RUN_HALF_MS - count;
	for (let i = 0; i < count; i++) startRun(state, long, firstMs + i, 'someone-else');
}

/** stopJob: the run says Stopping until it can stop, then ends as a failure (fatal "stopped by user"). */
export function stopRun(run: SimRun, nowMs: number): void {
	run.stopped = true;
	run.endsAtMs = Math.min(run.endsAtMs, nowMs + run.stopDelayMs);
	run.leavesAtMs = Math.min(run.leavesAtMs, run.endsAtMs);
}

/** Job types that are publishes: IPS runs one of them at a time; later jobs wait in standby. */
const PUBLISH_TYPES = new Set([
	'ImageServingPublish',
	'ImageRenderingPublish',
	'VideoPublish',
	'ServerDirectoryPublish',
	'ServerDirectoryPublishWithTemplate',
]);

export interface SubmittedJob {
	companyHandle: string;
	jobName: string;
	type: string;
	submitUserEmail: string;
	nowMs: number;
	/** When IPS should run it; later than now = waits as a scheduled job. */
	execTimeMs?: number;
	files?: SimFile[];
	postPublish?: { publishType: string };
}

/**
 * Creates the run of a submitted job, named `<job name>_<IPS time>` like every run: it waits for
 * its start time, and in standby behind every publish still running.
 */
export function startSubmittedRun(state: SimState, job: SubmittedJob): SimRun {
	const start = Math.max(job.nowMs, job.execTimeMs ?? 0);
	const publishesAhead = state.runs.filter(
		(r) => PUBLISH_TYPES.has(r.type) && !r.stopped && r.endsAtMs > job.nowMs,
	);
	const startedAtMs = Math.max(start, ...publishesAhead.map((r) => r.endsAtMs));
	const iso = new Date(startedAtMs + state.clockOffsetMs).toISOString().replace('T', '-');
	const name = `${job.jobName}_${iso.replace(/\.(\d+)Z$/, '.$1')}`;
	const companyId = job.companyHandle.replace(/^c\|/, '');
	const files = job.files;
	const run: SimRun = {
		companyHandle: job.companyHandle,
		jobHandle: `j|${companyId}||${name}|${++runCounter}`,
		name,
		originalName: job.jobName,
		type: job.type,
		submitUserEmail: job.submitUserEmail,
		triggeredAtMs: job.nowMs,
		startedAtMs,
		endsAtMs: startedAtMs + state.runDurationMs,
		leavesAtMs: startedAtMs + state.runDurationMs,
		// An upload's bad files are its own failures (in its counts), not a fatal error.
		outcome: 'succeeded',
		fileCount: files ? files.length : 10,
		transferErrors: 0,
		logWhileRunning: false,
		finalLogDelayMs: state.finalLogDelayMs,
		stopDelayMs: 1_000,
		files,
		postPublish: job.postPublish,
	};
	state.runs.push(run);
	state.runHistory.push(run);
	if (job.execTimeMs !== undefined && job.execTimeMs > job.nowMs) {
		state.scheduledJobs.push({
			companyHandle: job.companyHandle,
			jobHandle: `j|${companyId}|${job.jobName}||`,
			name: job.jobName,
			type: job.type,
			submitUserEmail: job.submitUserEmail,
			triggerState: 'Normal',
			oneOffStartMs: startedAtMs,
		});
	}
	return run;
}
