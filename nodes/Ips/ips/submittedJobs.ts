// What a submit needs to know about a company's jobs: whether a publish is running (IPS runs one
// publish at a time; further jobs wait in standby), and, after a submit whose answer was lost,
// whether a job of that exact name exists.
import { readBy } from './deadline';
import { cancelledError } from './faults';
import { ActiveJob, IpsClient } from './IpsClient';
import { ENDED_ACTIVE_STATE, isRunOfJob } from './runs';
import { sleep } from './sleep';

/** The reference's job types that are publishes. */
export const PUBLISH_JOB_TYPES: readonly string[] = [
	'ImageServingPublish',
	'ImageRenderingPublish',
	'VideoPublish',
	'ServerDirectoryPublish',
	'ServerDirectoryPublishWithTemplate',
];

/** The publishes of a company that are active and not yet Done. */
export async function runningPublishes(
	client: IpsClient,
	companyHandle: string,
	options: { timeoutMs?: number } = {},
): Promise<ActiveJob[]> {
	const active = await client.getActiveJobs(companyHandle, undefined, options);
	return active.filter(
		(job) => PUBLISH_JOB_TYPES.includes(job.type) && job.state !== ENDED_ACTIVE_STATE,
	);
}

/**
 * Looks every `pollIntervalMs` until no publish is running or `deadlineMs` has come; answers the
 * publishes still running then (empty: the way is free). No look outlives the deadline: one that
 * has not answered by then leaves the publishes of the look before as the answer; when the very
 * first look has not answered, it fails as a timeout (nothing is known, so nothing is submitted).
 */
export async function waitWhilePublishing(
	client: IpsClient,
	companyHandle: string,
	options: { pollIntervalMs: number; deadlineMs: number; signal?: AbortSignal },
): Promise<ActiveJob[]> {
	let seenBefore: ActiveJob[] | undefined;
	for (;;) {
		const running = seenBefore
			? ((await readBy(options.deadlineMs, (timeoutMs) =>
					runningPublishes(client, companyHandle, { timeoutMs }),
				)) ?? seenBefore)
			: await runningPublishes(client, companyHandle, {
					timeoutMs: Math.max(1, options.deadlineMs - Date.now()),
				});
		seenBefore = running;
		const left = options.deadlineMs - Date.now();
		if (!running.length || left <= 0) return running;
		if (!(await sleep(Math.min(options.pollIntervalMs, left), options.signal)))
			throw cancelledError(' while waiting for a running publish to end');
	}
}

/** Where a job submitted under `jobName` was found, if anywhere. */
export interface SubmittedJobSighting {
	where: 'active' | 'scheduled' | 'logged';
	handle: string;
	name: string;
}

/**
 * Looks a submitted job up by its (unique) name: the active runs, the scheduled jobs (a job with a
 * start time waits there), then the job logs since `sentAtMs` (minus the allowed clock skew).
 * Undefined when none of the three holds it. Lookups that fail throw: then nothing can be told.
 */
export async function findSubmittedJob(
	client: IpsClient,
	companyHandle: string,
	jobName: string,
	sentAtMs: number,
	clockSkewMs: number,
): Promise<SubmittedJobSighting | undefined> {
	const active = await client.getActiveJobs(companyHandle, jobName);
	const run = active.find((job) => isRunOfJob(job, jobName));
	if (run) return { where: 'active', handle: run.jobHandle, name: run.name };
	const scheduled = await client.getScheduledJobs(companyHandle);
	const job = scheduled.find((one) => one.name === jobName || one.originalName === jobName);
	if (job) return { where: 'scheduled', handle: job.jobHandle, name: job.name };
	const { logs } = await client.getJobLogsInWindow(companyHandle, {
		startDate: new Date(sentAtMs - clockSkewMs),
		endDate: new Date(Date.now() + 86_400_000),
	});
	const log = logs.find(
		(row) => row.jobName === jobName || isRunOfJob({ name: row.jobName }, jobName),
	);
	if (log) return { where: 'logged', handle: log.jobHandle, name: log.jobName };
	return undefined;
}

/**
 * A submit whose answer was lost, after which the job could not be found by its name (`lookupError`
 * unset: IPS has no such job) or could not be looked up at all (`lookupError` set).
 */
export class SubmitUnconfirmed extends Error {
	constructor(
		readonly jobName: string,
		readonly sendError: unknown,
		readonly lookupError?: unknown,
	) {
		super(
			lookupError === undefined
				? `the submit failed and IPS has no job named "${jobName}"`
				: `the submit failed and whether IPS created the job "${jobName}" cannot be told`,
		);
		this.name = 'SubmitUnconfirmed';
	}
}
