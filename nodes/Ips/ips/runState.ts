// The state of one run, by its handle (Job Run → Get): running, how it ended, or `unknown` with the
// reason, by the rules Wait for Completion uses (runs.ts): the handle is the run's identity, and an
// outcome comes only from a final log row (isFinalLog). One or two requests; before 4.0 a third,
// since a row is final there only when two reads agree.
import { ActiveJob, IpsClient, JobLog } from './IpsClient';
import {
	countsOf,
	ENDED_ACTIVE_STATE,
	isFinalLog,
	LogSummary,
	RunCounts,
	summaryOfLog,
	unknownSummary,
} from './runs';
import { sleep } from './sleep';

/** Before 4.0, how far apart the two reads of a run's row are. */
export const PRE_V4_SECOND_READ_MS = 2_000;

export type RunState = Omit<LogSummary, 'status'> & {
	status: LogSummary['status'] | 'running';
	/** The active list's state (Running, Stopping, Done, …), or null when the run is not listed. */
	state: string | null;
	progress: number | null;
	/** Why the status is what it is, when that is not obvious (always set for `unknown`). */
	message?: string;
	/** For `unknown`: the active runs the handle could mean. */
	candidates?: string[];
	/** For a row that is not final yet: its counts, which may still change. */
	countsSoFar?: RunCounts;
};

/**
 * An active run is the handle's when its handle is the same, or when the given handle is a log row's
 * (without the active run's `|<runId>`) and exactly one active run extends it.
 */
function activeRunsOf(active: ActiveJob[], runHandle: string): ActiveJob[] {
	const same = active.filter((run) => run.jobHandle === runHandle);
	return same.length ? same : active.filter((run) => run.jobHandle.startsWith(`${runHandle}|`));
}

export async function stateOfRun(
	client: IpsClient,
	companyHandle: string,
	runHandle: string,
	signal?: AbortSignal,
): Promise<RunState> {
	const listed = activeRunsOf(await client.getActiveJobs(companyHandle), runHandle);
	if (listed.length > 1) {
		const names = listed.map((run) => run.name);
		return unknown(
			runHandle,
			`The handle ${runHandle} fits ${listed.length} active runs (${names.join(', ')}); give the handle of one of them (with its |<run id>, as Get Active outputs it).`,
			{ candidates: listed.map((run) => run.jobHandle) },
		);
	}
	const run = listed[0];
	if (run && run.state !== ENDED_ACTIVE_STATE) {
		return {
			...nothingKnown(run.jobHandle),
			status: 'running',
			runName: run.name || null,
			startDate: run.startDate || null,
			state: run.state || null,
			progress: run.progress ?? null,
		};
	}
	const preV4 = client.apiVersion === 'pre-4.0';
	const handle = run?.jobHandle ?? runHandle;
	let log = await client.getRunLog(companyHandle, handle);
	let previousRead: JobLog | undefined;
	// Before 4.0 a run gone from the active list has a final row only when a second read agrees.
	if (preV4 && log && !run) {
		if (!(await sleep(PRE_V4_SECOND_READ_MS, signal)))
			return unknown(
				handle,
				'The execution was cancelled before the run’s log could be read twice.',
			);
		previousRead = log;
		log = await client.getRunLog(companyHandle, handle);
	}
	const state = run?.state || null;
	if (log && isFinalLog(log, { preV4, runLeftActiveList: !run, previousRead }))
		return { ...summaryOfLog(log), state, progress: null };
	if (!log) {
		const message = run
			? `IPS lists the run ${run.name} as Done, but it has no job log yet, so how it went is not known yet.`
			: `IPS lists no run with the handle ${runHandle}: it is not active and has no job log (check the handle, and the company).`;
		return { ...unknown(handle, message), state, runName: run?.name || null };
	}
	const why = preV4
		? run
			? `IPS lists the run as Done, but before API 4.0 its log counts as final only once the run has left the active list`
			: `Its job log changed between two reads ${PRE_V4_SECOND_READ_MS / 1000} s apart (before API 4.0 logs have no end date), so it is not final yet`
		: `Its job log has no end date yet${run ? ' although IPS lists the run as Done' : ''}, so it is not final`;
	return {
		...unknown(
			log.jobHandle || handle,
			`${why}; the counts read so far are in countsSoFar and may still change.`,
		),
		state,
		runName: log.jobName || null,
		startDate: log.startDate || null,
		countsSoFar: countsOf(log),
	};
}

function unknown(runHandle: string, message: string, extra: Partial<RunState> = {}): RunState {
	return { ...nothingKnown(runHandle), message, ...extra };
}

function nothingKnown(runHandle: string): RunState {
	return {
		...unknownSummary({ runHandle, runName: null, startDate: null }),
		state: null,
		progress: null,
	};
}
