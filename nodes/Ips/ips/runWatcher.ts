// Follows job runs started by executeJob until they end, for every item of an execution at once:
// one getActiveJobs per company per poll round however many runs are followed, and getJobLogs
// only when a run has left the active list (ips-api.md §7 says how runs show up; it is a guess,
// so unseen runs are also looked for in the logs, and nothing waits past its deadline).
import { cancelledError, IpsFault, IpsTransportError } from './faults';
import { ActiveJob, IpsClient, JobLog } from './IpsClient';
import { sleep } from './sleep';

export type RunStatus = 'succeeded' | 'succeededWithWarnings' | 'failed' | 'unknown';

export interface RunResult {
	companyHandle: string;
	jobHandle: string;
	runHandle: string | null;
	runName: string | null;
	status: RunStatus;
	startDate: string | null;
	endDate: string | null;
	durationSeconds: number | null;
	fileSuccessCount: number | null;
	fileErrorCount: number | null;
	fileWarningCount: number | null;
	totalFileCount: number | null;
	fatalError: boolean | null;
	/** Why the status is what it is, when that is not obvious (always set for `unknown`). */
	message?: string;
}

export interface RunWatcherOptions {
	pollIntervalMs: number;
	maxWaitMs: number;
	signal?: AbortSignal;
	/** How far IPS's clock may be behind ours. */
	clockSkewMs?: number;
}

export interface FollowRequest {
	companyHandle: string;
	jobHandle: string;
	/** The scheduled job's name: what a run's `originalName` holds. */
	jobName: string;
	/** When executeJob was sent (our clock). */
	sentAtMs: number;
}

export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
/** Polls that may fail in a row (a proxy hiccup) before the runs of that company are given up on. */
export const MAX_CONSECUTIVE_POLL_FAILURES = 3;

interface Followed {
	request: FollowRequest;
	deadlineMs: number;
	run?: ActiveJob;
	resolve: (result: RunResult) => void;
	reject: (error: unknown) => void;
}

export class RunWatcher {
	private readonly pending: Followed[] = [];
	private readonly failuresInARow = new Map<string, number>();
	private loop: Promise<void> | undefined;
	private readonly clockSkewMs: number;

	constructor(
		private readonly client: IpsClient,
		private readonly options: RunWatcherOptions,
	) {
		this.clockSkewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
	}

	/** Resolves when the run started by `request` has ended, or with `unknown` at the deadline. */
	follow(request: FollowRequest): Promise<RunResult> {
		return new Promise<RunResult>((resolve, reject) => {
			this.pending.push({
				request,
				deadlineMs: Date.now() + this.options.maxWaitMs,
				resolve,
				reject,
			});
			this.loop ??= this.run().finally(() => (this.loop = undefined));
		});
	}

	private async run(): Promise<void> {
		while (this.pending.length) {
			const nextDeadline = Math.min(...this.pending.map((f) => f.deadlineMs));
			const wait = Math.max(0, Math.min(this.options.pollIntervalMs, nextDeadline - Date.now()));
			const cancelled = !(await sleep(wait, this.options.signal));
			if (cancelled) {
				const error = cancelledError(' while waiting for the job run');
				for (const followed of this.pending.splice(0)) followed.reject(error);
				return;
			}
			const companies = [...new Set(this.pending.map((f) => f.request.companyHandle))];
			await Promise.all(companies.map((company) => this.pollCompany(company)));
			this.expireOverdue();
		}
	}

	private async pollCompany(companyHandle: string): Promise<void> {
		const followed = () => this.pending.filter((f) => f.request.companyHandle === companyHandle);
		try {
			const active = await this.client.getActiveJobs(companyHandle);
			this.claimRuns(followed(), active);
			const ended = followed().filter(
				(f) => !f.run || !active.some((a) => a.jobHandle === f.run?.jobHandle),
			);
			if (ended.length) {
				const since = Math.min(...ended.map((f) => f.request.sentAtMs)) - this.clockSkewMs;
				const logs = await this.client.getJobLogs(companyHandle, { startDate: new Date(since) });
				this.settleFromLogs(ended, logs);
			}
			this.failuresInARow.delete(companyHandle);
		} catch (error) {
			const failures = (this.failuresInARow.get(companyHandle) ?? 0) + 1;
			this.failuresInARow.set(companyHandle, failures);
			const permanent = error instanceof IpsFault && error.isPermanent;
			const cancelled = error instanceof IpsTransportError && error.kind === 'cancelled';
			if (permanent || cancelled || failures >= MAX_CONSECUTIVE_POLL_FAILURES) {
				for (const f of followed()) this.settle(f, undefined, error);
			}
		}
	}

	/** Gives each followed request the unclaimed run of its job that started closest after it was sent. */
	private claimRuns(followed: Followed[], active: ActiveJob[]): void {
		const claimed = new Set(this.pending.map((f) => f.run?.jobHandle).filter(Boolean));
		const byJobName = new Map<string, ActiveJob[]>();
		for (const run of active) {
			const runs = byJobName.get(run.originalName);
			if (runs) runs.push(run);
			else byJobName.set(run.originalName, [run]);
		}
		for (const f of [...followed].sort((a, b) => a.request.sentAtMs - b.request.sentAtMs)) {
			if (f.run) continue;
			const candidates = (byJobName.get(f.request.jobName) ?? []).filter(
				(run) => !claimed.has(run.jobHandle),
			);
			const run = this.closestTo(f.request.sentAtMs, candidates);
			if (run) {
				f.run = run;
				claimed.add(run.jobHandle);
			}
		}
	}

	/**
	 * The candidate whose start is nearest to when we sent executeJob: one that started after it
	 * (IPS's clock may run ahead) before one that started before it (IPS's clock may lag, up to
	 * the allowed skew), so a run that another execution started just before ours is not taken.
	 */
	private closestTo<T extends { startDate: string }>(
		sentAtMs: number,
		candidates: T[],
	): T | undefined {
		let best: T | undefined;
		let bestDistance = Infinity;
		for (const candidate of candidates) {
			const start = Date.parse(candidate.startDate);
			if (start < sentAtMs - this.clockSkewMs) continue;
			const distance = Number.isNaN(start)
				? this.clockSkewMs * 4
				: start >= sentAtMs
					? start - sentAtMs
					: (sentAtMs - start) * 2;
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	private settleFromLogs(ended: Followed[], logs: JobLog[]): void {
		const used = new Set<string>();
		const claimedRuns = new Set(this.pending.map((p) => p.run?.jobHandle).filter(Boolean));
		for (const f of [...ended].sort((a, b) => a.request.sentAtMs - b.request.sentAtMs)) {
			const log = f.run
				? logs.find((l) => l.jobHandle === f.run?.jobHandle || l.jobName === f.run?.name)
				: this.closestTo(
						f.request.sentAtMs,
						logs.filter(
							(l) =>
								!used.has(l.jobHandle) &&
								!claimedRuns.has(l.jobHandle) &&
								isRunOf(l.jobName, f.request.jobName),
						),
					);
			if (log) {
				used.add(log.jobHandle);
				this.settle(f, resultFromLog(f.request, log));
			}
		}
	}

	private expireOverdue(): void {
		const now = Date.now();
		for (const f of this.pending.filter((p) => p.deadlineMs <= now)) {
			const seconds = Math.round(this.options.maxWaitMs / 1000);
			const message = f.run
				? `The run ${f.run.name} was still ${f.run.state || 'active'} after ${seconds} s; it goes on in IPS.`
				: `No run of "${f.request.jobName}" appeared in the active jobs or the job logs within ${seconds} s.`;
			this.settle(f, emptyResult(f.request, message, f.run));
		}
	}

	private settle(f: Followed, result: RunResult | undefined, error?: unknown): void {
		const index = this.pending.indexOf(f);
		if (index === -1) return;
		this.pending.splice(index, 1);
		if (result) f.resolve(result);
		else f.reject(error);
	}
}

/** A run is named after its job plus a time suffix ("Nightly_2026-11-28-02:00:00.000"). */
function isRunOf(runName: string, jobName: string): boolean {
	return runName === jobName || runName.startsWith(`${jobName}_`);
}

export function statusOf(
	log: Pick<JobLog, 'fatalError' | 'fileErrorCount' | 'fileWarningCount'>,
): RunStatus {
	if (log.fatalError || log.fileErrorCount > 0) return 'failed';
	if (log.fileWarningCount > 0) return 'succeededWithWarnings';
	return 'succeeded';
}

function resultFromLog(request: FollowRequest, log: JobLog): RunResult {
	const start = Date.parse(log.startDate);
	const end = Date.parse(log.endDate);
	return {
		companyHandle: request.companyHandle,
		jobHandle: request.jobHandle,
		runHandle: log.jobHandle || null,
		runName: log.jobName || null,
		status: statusOf(log),
		startDate: log.startDate || null,
		endDate: log.endDate || null,
		durationSeconds:
			Number.isNaN(start) || Number.isNaN(end) ? null : Math.round((end - start) / 100) / 10,
		fileSuccessCount: log.fileSuccessCount,
		fileErrorCount: log.fileErrorCount,
		fileWarningCount: log.fileWarningCount,
		totalFileCount: log.totalFileCount,
		fatalError: log.fatalError,
	};
}

function emptyResult(request: FollowRequest, message: string, run?: ActiveJob): RunResult {
	return {
		companyHandle: request.companyHandle,
		jobHandle: request.jobHandle,
		runHandle: run?.jobHandle ?? null,
		runName: run?.name ?? null,
		status: 'unknown',
		startDate: run?.startDate ?? null,
		endDate: null,
		durationSeconds: null,
		fileSuccessCount: null,
		fileErrorCount: null,
		fileWarningCount: null,
		totalFileCount: null,
		fatalError: null,
		message,
	};
}
