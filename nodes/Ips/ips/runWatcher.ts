// Follows the runs that executeJob started, for every item of an execution at once, and attributes
// each run to at most one item by the rules in runs.ts (the README's Wait for Completion): a run seen
// before an item's baseline (the last look at the company before its request; when that look was
// late, the first complete look after) is never that item's; a run belongs to a job only by its
// original name or `<job>_<IPS timestamp>`; items of one job are matched in send order; where more
// runs fit than items wait, or none appears by Max Wait, the answer is `unknown` with the reason
// and candidates. A run has ended only when its log row is final (isFinalLog): `Done` is not enough.
// One getActiveJobs per company per round; getJobLogs only while some run's end is not yet known.
import { BriefRead, LOOK_BEFORE_SEND_MAX_MS, Outcome } from './briefRead';
import { cancelledError, IpsFault, IpsTransportError } from './faults';
import type { RunProblemList } from './runProblems';
import { ActiveJob, IpsClient, JobLog } from './IpsClient';
import {
	countsOf,
	RunCounts,
	ENDED_ACTIVE_STATE,
	isFinalLog,
	isRunOfJob,
	LogSummary,
	parseIpsDate,
	summaryOfLog,
	unknownSummary,
} from './runs';
import { DeadlineQueue, timedOutAtDeadline } from './deadline';
import { nextTurn, sleep } from './sleep';

export type { RunStatus } from './runs';

/** How a followed run ended: the job log's summary, or `unknown` with the reason. */
export interface RunResult extends LogSummary {
	companyHandle: string;
	jobHandle: string;
	/** Why the status is what it is, when that is not obvious (always set for `unknown`). */
	message?: string;
	/** For `unknown` because several runs fit: their names. */
	candidates?: string[];
	/** For `unknown` with a log row that is not final yet: its counts, which may still change. */
	countsSoFar?: RunCounts;
	/** Added by the node for ended runs: how many files failed or warned, and the first of them. */
	problemCount?: number | null;
	problems?: RunProblemList['problems'] | null;
	problemsMessage?: string;
}

export interface RunWatcherOptions {
	pollIntervalMs: number;
	maxWaitMs: number;
	signal?: AbortSignal;
	/** How far IPS's clock may be from ours; bounds the log windows and the start-time check. */
	clockSkewMs?: number;
}

export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
/** Polls that may fail in a row (a proxy hiccup) before the runs of that company are given up on. */
export const MAX_CONSECUTIVE_POLL_FAILURES = 3;

/** What followers are told when the watcher is stopped (the node failed, or an internal error). */
export class FollowingStopped extends Error {
	constructor(readonly reason: unknown) {
		super('Following the job run was stopped');
		this.name = 'FollowingStopped';
	}
}

/** One run as seen in the active list and/or the logs. */
interface Sighting {
	name: string;
	handle: string;
	/** The watcher's event count when the answer that first showed it arrived. */
	firstSeenTick: number;
	startMs: number;
	active?: ActiveSeen;
	/** Whether it was in the latest active list of its company. */
	inActiveList: boolean;
	log?: JobLog;
	/** Before 4.0: the row as read the time before, when the run had already left the active list. */
	previousReadAfterLeaving?: JobLog;
	/** Before 4.0: the row as read last, when the run had already left the active list. */
	lastReadAfterLeaving?: JobLog;
	lastSeenState: string;
	/** The follower it was given to; `spoiled` when it fitted several and was given to none. */
	owner?: Follower | 'spoiled';
}

/**
 * What is kept of a run's latest row in the active list: the values the watcher reads. The rest
 * (progress, among others) changes on every poll and is not kept, so a row whose kept values did
 * not change is dropped as it is read (see observe).
 */
type ActiveSeen = Pick<ActiveJob, 'originalName' | 'type' | 'state' | 'startDate'>;

type Settled = { result: RunResult } | { error: unknown };

interface Follower {
	companyHandle: string;
	jobHandle: string;
	/** Unset while the job's name is still being read (the lookup was late). */
	jobName?: string;
	/** Only runs of this kind are its (a submitted upload's post-publish can share its name). */
	kind?: JobKind;
	sentAtMs: number;
	/**
	 * The watcher's event count when the request was about to be sent. Events are counted, not timed:
	 * an answer and a send within one millisecond are still in order.
	 */
	sentTick: number;
	/**
	 * Runs first seen at or before this event count are not its own: its send, when the company had
	 * been looked at just before; otherwise the end of the first complete look after its send (unset
	 * until then, and it takes no run meanwhile).
	 */
	baselineTick?: number;
	/** When the item began waiting (the look before sending or the publish guard): Max Wait counts from here. */
	waitingSinceMs: number;
	/** Its late look's answer was searched for runs of its job (once: that answer does not change). */
	lateLookSearched?: boolean;
	/** Its request may have reached IPS but failed: it keeps its place in the send order only. */
	ghost: boolean;
	/** Set once the item waits for its run (after a sent request): Max Wait's end. */
	deadlineMs?: number;
	/** Its place in the watcher's deadlines (DeadlineQueue's own). */
	deadlineSlot?: number;
	/** How long a ghost's place is kept. */
	ghostTimer?: NodeJS.Timeout;
	run?: Sighting;
	settled?: Settled;
	/** Set while the item waits for its result: how it is handed over (see follow). */
	resolve?: (result: RunResult) => void;
	reject?: (error: unknown) => void;
}

interface CompanyView {
	runs: Sighting[];
	byHandle: Map<string, Sighting>;
	byName: Map<string, Sighting[]>;
	/** When the latest active list of this company arrived (our clock). */
	observedAtMs: number;
	failuresInARow: number;
	/**
	 * Jobs (by follower key) whose runs this execution can no longer tell apart: a late look listed
	 * runs of them that may be an item's own (see settleIfLateLookListedItsRun), with those runs.
	 */
	confusedJobs: Map<string, { names: string[]; message: string }>;
}

/** An item's place in the watcher, taken right before its executeJob is sent. */
export interface Reservation {
	/** The request reached IPS and was accepted: resolves when the run has ended (or `unknown`). */
	follow(): Promise<RunResult>;
	/** The request provably never reached IPS: the item leaves the matching. */
	withdraw(): void;
	/** The request may have reached IPS but failed: a run may still appear and must go to no one else. */
	keepPlace(): void;
}

/** What an item tells the watcher when it takes its place. */
export interface ReserveOptions {
	/** Only runs of this kind are its (a submitted upload's post-publish can share its name). */
	kind?: JobKind;
	/**
	 * When the item began waiting (before the look or the publish guard); Max Wait counts from
	 * here, so it bounds all the waiting. Default: the send.
	 */
	waitingSinceMs?: number;
	/**
	 * A submitted job's name is new: no run of it can predate the send, so no look is needed and the
	 * send is the baseline.
	 */
	uniqueName?: boolean;
}

export class RunWatcher {
	private readonly companies = new Map<string, CompanyView>();
	/** Looks before sending that are under way, shared by the items of a company. */
	private readonly looking = new Map<string, BriefRead<void>>();
	/** Followers not yet settled, by company; insertion order is send order. */
	private readonly pending = new Map<string, Set<Follower>>();
	private waiting = 0;
	/** Counts sends and arrived answers, to order them exactly. */
	private ticks = 0;
	private loop: Promise<void> | undefined;
	private stopped: FollowingStopped | undefined;
	/** Results settled but not yet handed to their items (see deliver). */
	private readonly deliveries: Array<() => void> = [];
	private readonly clockSkewMs: number;
	/** Max Wait is a hard bound: an item settles at its deadline even with a poll in flight. */
	private readonly deadlines = new DeadlineQueue<Follower>((follower) =>
		this.settle(follower, { result: this.overdue(follower) }),
	);

	constructor(
		private readonly client: IpsClient,
		private readonly options: RunWatcherOptions,
	) {
		this.clockSkewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
	}

	/**
	 * Looks at the company's active jobs and job logs before a request is sent: the runs seen then are
	 * never the request's. Once per company per execution, again only when the last look is older than
	 * a poll interval. Waits for the look at most LOOK_BEFORE_SEND_MAX_MS (counted from the look's
	 * start, so later items do not wait again): a slow IPS never holds the start back. A look that
	 * fails within that time fails the item (nothing is sent); a late one only moves the baseline of
	 * the items sent meanwhile (see Follower.baselineTick).
	 */
	async prepare(companyHandle: string): Promise<void> {
		const view = this.companies.get(companyHandle);
		let look = this.looking.get(companyHandle);
		if (!look && view && Date.now() - view.observedAtMs <= this.options.pollIntervalMs) return;
		if (!look) {
			const started = new BriefRead(
				this.observe(companyHandle, Date.now() - this.clockSkewMs, true),
			);
			void started.outcome.then(() => {
				if (this.looking.get(companyHandle) === started) this.looking.delete(companyHandle);
			});
			this.looking.set(companyHandle, (look = started));
		}
		await look.ready;
		look.valueNow();
	}

	/**
	 * Takes the item's place in the send order; call right before sending. `jobName` may still be
	 * on its way (a late lookup): the item takes no run until it is known, and comes out `unknown`
	 * when it cannot be.
	 */
	reserve(
		companyHandle: string,
		jobHandle: string,
		jobName: string | Promise<Outcome<string>>,
		options: ReserveOptions = {},
	): Reservation {
		const sentAtMs = Date.now();
		const sentTick = ++this.ticks;
		const lookedAtJustBefore =
			!this.looking.has(companyHandle) &&
			(this.companies.get(companyHandle)?.observedAtMs ?? 0) > 0;
		const follower: Follower = {
			companyHandle,
			jobHandle,
			jobName: typeof jobName === 'string' ? jobName : undefined,
			kind: options.kind,
			sentAtMs,
			sentTick,
			baselineTick: options.uniqueName || lookedAtJustBefore ? sentTick : undefined,
			waitingSinceMs: Math.min(options.waitingSinceMs ?? sentAtMs, sentAtMs),
			ghost: false,
		};
		if (typeof jobName !== 'string') {
			void jobName.then((outcome) => {
				if ('value' in outcome) {
					follower.jobName = outcome.value;
					return;
				}
				const { error } = outcome;
				const reason = error instanceof Error ? error.message : String(error);
				const message = `The job's name could not be read from IPS's scheduled jobs (${reason}), so its runs cannot be recognised. Check Jobs → Active Jobs / Job Logs in Dynamic Media Classic.`;
				this.settle(follower, { result: unknownResult(follower, message) });
			});
		}
		let followers = this.pending.get(companyHandle);
		if (!followers) this.pending.set(companyHandle, (followers = new Set()));
		followers.add(follower);
		return {
			follow: () => this.follow(follower),
			withdraw: () => {
				if (follower.run && follower.run.owner === follower) follower.run.owner = 'spoiled';
				this.remove(follower);
			},
			keepPlace: () => {
				follower.ghost = true;
				// A place kept for a failed request lasts as long as a run would be waited for.
				follower.ghostTimer = setTimeout(() => this.remove(follower), this.options.maxWaitMs);
				follower.ghostTimer.unref?.();
			},
		};
	}

	/** Settles every follower at once with `reason` (the node is failing, or the execution stops). */
	stop(reason: unknown): void {
		this.stopped ??= new FollowingStopped(reason);
		for (const followers of this.pending.values())
			for (const follower of followers) this.settle(follower, { error: this.stopped });
	}

	private follow(follower: Follower): Promise<RunResult> {
		const settled = follower.settled ?? (this.stopped && { error: this.stopped });
		if (settled)
			return 'result' in settled ? Promise.resolve(settled.result) : Promise.reject(settled.error);
		// The promise's own functions are kept on the follower: a function of ours around them would
		// be one more closure per waiting item.
		return new Promise<RunResult>((resolve, reject) => {
			follower.resolve = resolve;
			follower.reject = reject;
			this.deadlines.add(follower, follower.waitingSinceMs + this.options.maxWaitMs);
			this.waiting++;
			this.loop ??= this.run().finally(() => (this.loop = undefined));
		});
	}

	private async run(): Promise<void> {
		try {
			while (this.waiting > 0) {
				if (!(await sleep(this.options.pollIntervalMs, this.options.signal))) {
					this.settleAll({ error: cancelledError(' while waiting for the job run') });
					return;
				}
				const companies = [...this.pending.keys()].filter((company) => this.hasWaiting(company));
				await Promise.all(companies.map((company) => this.pollCompany(company)));
			}
		} catch (error) {
			// A mistake in this loop must not leave items waiting for ever.
			this.stop(error);
		}
	}

	private hasWaiting(companyHandle: string): boolean {
		for (const follower of this.pending.get(companyHandle) ?? []) if (follower.resolve) return true;
		return false;
	}

	private async pollCompany(companyHandle: string): Promise<void> {
		const followers = [...(this.pending.get(companyHandle) ?? [])];
		// A poll serves every waiting item: it may last until the latest of their deadlines (each item
		// still comes out at its own, by its timer). Cut to the nearest one, a slow IPS would fail
		// poll after poll and count as broken for the items that still had time.
		let latestDeadline = 0;
		let earliestSent = Infinity;
		for (const follower of followers) {
			if (follower.resolve)
				latestDeadline = Math.max(latestDeadline, follower.deadlineMs ?? Infinity);
			earliestSent = Math.min(earliestSent, follower.sentAtMs);
		}
		const pollDeadline = latestDeadline || Infinity;
		try {
			await this.observe(companyHandle, earliestSent - this.clockSkewMs, false, pollDeadline);
			this.view(companyHandle).failuresInARow = 0;
		} catch (error) {
			// Cut to the latest deadline it served, the poll ran out of time with its items: their own
			// timers settle them (`unknown`), and one may not have fired yet (deadline.ts, TIMER_LAG_MS).
			if (timedOutAtDeadline(error, pollDeadline)) return;
			const view = this.view(companyHandle);
			view.failuresInARow++;
			const permanent = error instanceof IpsFault && error.isPermanent;
			const cancelled = error instanceof IpsTransportError && error.kind === 'cancelled';
			if (permanent || cancelled || view.failuresInARow >= MAX_CONSECUTIVE_POLL_FAILURES) {
				for (const follower of followers) if (follower.resolve) this.settle(follower, { error });
			}
			return;
		}
		// Each step goes over every run and item of the company: a turn of the event loop each, so that
		// a company with thousands of them does not hold the process up for all three at once.
		await nextTurn();
		this.attribute(companyHandle);
		await nextTurn();
		await this.settleEnded(companyHandle);
	}

	private view(companyHandle: string): CompanyView {
		let view = this.companies.get(companyHandle);
		if (!view) {
			view = {
				runs: [],
				byHandle: new Map(),
				byName: new Map(),
				observedAtMs: 0,
				failuresInARow: 0,
				confusedJobs: new Map(),
			};
			this.companies.set(companyHandle, view);
		}
		return view;
	}

	/**
	 * One look at a company: its active list, then its logs since `logsFromMs` (asked for at once
	 * when `withLogs`, the look before sending; otherwise only while some item needs them). A look
	 * that read the logs is complete: it is the baseline of the items still waiting for one.
	 */
	private async observe(
		companyHandle: string,
		logsFromMs: number,
		withLogs: boolean,
		deadlineMs = Infinity,
	): Promise<void> {
		const timeoutMs = this.timeoutUntil(deadlineMs);
		const view = this.view(companyHandle);
		// Runs are taken as the list is read and applied once all of it has been read, as a list read
		// whole would be. A known run whose kept values are the same is noted with the values it
		// matched (another look may apply its own meanwhile), and its row dies young; a run not known
		// yet is made ready as its row is read (most of the work of a long list's first look, which in
		// one turn held the loop up for 30-40 ms) and joins the view at the end, like a changed row. A
		// later row of a run listed twice wins.
		const unchanged = new Map<Sighting, ActiveSeen>();
		const listed: Array<Sighting | ActiveJob> = [];
		const changedHandles = new Set<string>();
		const take = (job: ActiveJob) => {
			const handle = job.jobHandle;
			const known = handle ? view.byHandle.get(handle) : undefined;
			if (known?.active && !changedHandles.has(handle) && sameSeen(known.active, job)) {
				unchanged.set(known, known.active);
				return;
			}
			if (handle) changedHandles.add(handle);
			listed.push(handle && !known ? newSighting(job) : job);
		};
		const activeRead = this.client.readActiveJobs(companyHandle, take, { timeoutMs });
		const [, logsRead] = withLogs
			? await Promise.all([activeRead, this.readLogs(companyHandle, logsFromMs, deadlineMs)])
			: [await activeRead, undefined];
		const arrivedAtMs = Date.now();
		const arrivedTick = ++this.ticks;
		const present = new Set<Sighting>();
		for (const [sighting, seen] of unchanged) {
			showActive(sighting, seen);
			present.add(sighting);
		}
		for (const entry of listed) {
			if ('firstSeenTick' in entry && !view.byHandle.has(entry.handle)) {
				entry.firstSeenTick = arrivedTick;
				this.addSighting(view, entry);
				present.add(entry);
				continue;
			}
			// A run listed twice, or first seen by another look meanwhile: the row applies to that run.
			const [handle, seen] =
				'firstSeenTick' in entry ? [entry.handle, entry.active!] : [entry.jobHandle, seenOf(entry)];
			const sighting = this.sighting(
				view,
				{ name: entry.name, handle, startDate: seen.startDate },
				arrivedTick,
				false,
			);
			if (!sighting) continue;
			showActive(sighting, seen);
			present.add(sighting);
		}
		for (const sighting of view.runs) sighting.inActiveList = present.has(sighting);
		view.observedAtMs = arrivedAtMs;
		const followers = this.pending.get(companyHandle) ?? new Set<Follower>();
		let logs = logsRead;
		if (!logs) {
			const needLogs = [...followers].some(
				(f) => f.baselineTick === undefined || (f.resolve && (!f.run || hasEnded(f.run))),
			);
			if (!needLogs) return;
			logs = await this.readLogs(companyHandle, logsFromMs, deadlineMs);
		}
		this.takeLogs(view, logs);
		const completedTick = ++this.ticks;
		for (const follower of followers) follower.baselineTick ??= completedTick;
	}

	private async readLogs(companyHandle: string, fromMs: number, deadlineMs: number) {
		const { logs } = await this.client.getJobLogsInWindow(
			companyHandle,
			// The end reaches a day ahead: IPS's clock may run ahead of ours, and it costs nothing.
			{ startDate: new Date(fromMs), endDate: new Date(Date.now() + 86_400_000) },
			{ timeoutMs: this.timeoutUntil(deadlineMs) },
		);
		return logs;
	}

	private takeLogs(view: CompanyView, logs: JobLog[]): void {
		const arrivedTick = ++this.ticks;
		for (const log of logs) {
			const sighting = this.sighting(
				view,
				{ name: log.jobName, handle: log.jobHandle, startDate: log.startDate },
				arrivedTick,
				true,
			);
			if (!sighting) continue;
			sighting.log = log;
			// Before 4.0 a row is final only when it read the same twice after the run had left; from
			// 4.0 on, the earlier reads are not kept (isFinalLog does not read them).
			if (this.client.apiVersion !== 'pre-4.0') continue;
			const left = !sighting.inActiveList;
			sighting.previousReadAfterLeaving = left ? sighting.lastReadAfterLeaving : undefined;
			sighting.lastReadAfterLeaving = left ? log : undefined;
		}
	}

	/** A poll's request may not outlive the items it serves. */
	private timeoutUntil(deadlineMs: number): number | undefined {
		return Number.isFinite(deadlineMs) ? Math.max(1, deadlineMs - Date.now()) : undefined;
	}

	/**
	 * The sighting of a run, new or known, by its handle; an entry with neither name nor handle is
	 * skipped. A log row's handle may lack the active run's `|<runId>` (see the README, Wait for Completion): such a row
	 * joins the one run of that name that has no log yet, and only when exactly one fits (two runs
	 * can share a name: some name forms stop at the minute).
	 */
	private sighting(
		view: CompanyView,
		entry: { name: string; handle: string; startDate: string },
		arrivedTick: number,
		fromLog: boolean,
	): Sighting | undefined {
		const { name, handle, startDate } = entry;
		if (!name && !handle) return undefined;
		let sighting = handle ? view.byHandle.get(handle) : undefined;
		if (!sighting && fromLog) {
			const sameName = (view.byName.get(name) ?? []).filter((run) => !run.log);
			if (sameName.length === 1) sighting = sameName[0];
		}
		if (!sighting && !handle) {
			const sameName = view.byName.get(name) ?? [];
			if (sameName.length === 1) sighting = sameName[0];
		}
		if (!sighting) {
			sighting = unseenRun(entry, arrivedTick);
			this.addSighting(view, sighting);
		}
		if (Number.isNaN(sighting.startMs)) sighting.startMs = parseIpsDate(startDate);
		return sighting;
	}

	private addSighting(view: CompanyView, sighting: Sighting): void {
		view.runs.push(sighting);
		if (sighting.handle) view.byHandle.set(sighting.handle, sighting);
		const sameName = view.byName.get(sighting.name);
		if (sameName) sameName.push(sighting);
		else view.byName.set(sighting.name, [sighting]);
	}

	/** Gives new runs to the followers of their job, in send order, or to no one when it is unclear. */
	private attribute(companyHandle: string): void {
		const view = this.view(companyHandle);
		// An item takes no run before it has a baseline and knows its job's name.
		const unmatched = [...(this.pending.get(companyHandle) ?? [])].filter(
			(f) => !f.run && f.baselineTick !== undefined && f.jobName !== undefined,
		);
		const runsOfJobSeenBy = new Map<string, Sighting[]>();
		for (const follower of unmatched)
			this.settleIfLateLookListedItsRun(view, follower, runsOfJobSeenBy);
		const byJob = new Map<string, Follower[]>();
		for (const follower of unmatched) {
			if (follower.settled) continue;
			const key = jobKeyOf(follower);
			const group = byJob.get(key);
			if (group) group.push(follower);
			else byJob.set(key, [follower]);
		}
		for (const group of byJob.values()) {
			const { kind, baselineTick: earliestTick = 0, sentAtMs: earliestSent } = group[0];
			const jobName = group[0].jobName ?? '';
			const candidates = view.runs
				.filter(
					(run) =>
						!run.owner &&
						run.firstSeenTick > earliestTick &&
						run.startMs >= earliestSent - this.clockSkewMs &&
						kindFits(run, kind) &&
						isRunOfJob({ name: run.name, originalName: run.active?.originalName }, jobName),
				)
				.sort((a, b) => a.startMs - b.startMs || a.firstSeenTick - b.firstSeenTick);
			if (!candidates.length) continue;
			if (candidates.length > group.length) {
				this.ambiguous(group, candidates);
				continue;
			}
			// Both lists are in order (send order, start order; baselines rise with the send order) and a
			// run fit for a later request is fit for every earlier one: one pass gives each run to the
			// earliest waiting request it fits.
			let next = 0;
			for (const run of candidates) {
				const follower = group[next];
				if (!follower) break;
				if (
					run.firstSeenTick <= (follower.baselineTick ?? Infinity) ||
					run.startMs < follower.sentAtMs - this.clockSkewMs
				)
					continue;
				follower.run = run;
				run.owner = follower;
				next++;
			}
		}
	}

	private ambiguous(group: Follower[], candidates: Sighting[]): void {
		const names = candidates.map((run) => run.name || run.handle);
		for (const run of candidates) run.owner = 'spoiled';
		// One message for the group (a job's items): built once, however many items share it.
		const message =
			`${candidates.length} runs of "${group[0].jobName ?? ''}" appeared after this item's request, more than ` +
			`the ${group.length} item(s) of this execution waiting for one, so which is this item's cannot be ` +
			`told (another user, schedule or execution started the same job): ${listOfRuns(names)}. ` +
			'Check them in Dynamic Media Classic (Jobs → Active Jobs / Job Logs).';
		for (const follower of group)
			this.settle(follower, {
				result: Object.assign(unknownResult(follower, message), { candidates: names }),
			});
	}

	/**
	 * Settles the followers whose run's log row is final (isFinalLog). `Done`, or leaving the active
	 * list, only says the end is near: the log is read on every round until its row is final.
	 */
	private async settleEnded(companyHandle: string): Promise<void> {
		const preV4 = this.client.apiVersion === 'pre-4.0';
		let looked = 0;
		for (const follower of [...(this.pending.get(companyHandle) ?? [])]) {
			// Each item is settled on its own: thousands of them may take turns.
			if (++looked % FOLLOWERS_PER_TURN === 0) await nextTurn();
			const run = follower.run;
			if (!run?.log || follower.ghost) continue;
			const final = isFinalLog(run.log, {
				preV4,
				runLeftActiveList: !run.inActiveList,
				previousRead: run.previousReadAfterLeaving,
			});
			if (final) this.settle(follower, { result: resultFromLog(follower, run.log) });
		}
	}

	/** What an item that reached Max Wait comes out with: what was last known, never a guess. */
	private overdue(follower: Follower): RunResult {
		const seconds = Math.round(this.options.maxWaitMs / 1000);
		const run = follower.run;
		if (!run) return this.noRunBy(follower, seconds);
		const ended = hasEnded(run);
		const how = isDone(run) ? 'as Done' : 'no longer among the active jobs';
		let message: string;
		const notFinal =
			'so how it went is not known yet. The counts read so far are in countsSoFar and are not final; see Jobs → Job Logs in Dynamic Media Classic.';
		if (ended && run.log && this.client.apiVersion === 'pre-4.0') {
			// Job logs before API 4.0 have no end date: see isFinalLog.
			const what = run.inActiveList
				? `IPS listed the run ${run.name} as Done, but it had not left the active jobs within ${seconds} s`
				: `The run ${run.name} left the active jobs, but its job log had not read the same twice since within ${seconds} s`;
			message = `${what} (job logs before API 4.0 have no end date, so a row counts as final only once the run has left and the row reads the same twice), ${notFinal}`;
		} else if (ended && run.log) {
			message = `IPS listed the run ${run.name} ${how}, but its job log had not been written in full (no end date) within ${seconds} s, ${notFinal}`;
		} else if (ended) {
			message = `IPS listed the run ${run.name} ${how}, but no job log for it appeared within ${seconds} s, so how it went is not known. See Jobs → Job Logs in Dynamic Media Classic.`;
		} else {
			message = `The run ${run.name} was ${run.lastSeenState || 'active'} when last seen, ${seconds} s after the item began waiting; it goes on in IPS.`;
		}
		// Added to the result, not spread into a new one: on Node 20 a spread followed by fields gives
		// each object a hidden class of its own (unknownSummary, runs.ts), and Max Wait may pass for
		// thousands of items at once.
		const result = unknownResult(follower, message, run);
		if (run.log) result.countsSoFar = countsOf(run.log);
		return result;
	}

	/**
	 * An item sent while the look before sending was late has that look's late answer as its
	 * baseline. A run of its job in that answer may be its own or may have started before its
	 * request: then no later run can be given to it either (its own may be the listed one, and a
	 * later one may be the next item's), so it is `unknown` at once, naming the runs.
	 */
	private settleIfLateLookListedItsRun(
		view: CompanyView,
		follower: Follower,
		/**
		 * The runs of a job first seen by a tick, shared by the items whose late look ended at it: each
		 * item then searches those few, not every run of the company (thousands in a busy one).
		 */
		runsOfJobSeenBy: Map<string, Sighting[]>,
	): void {
		const key = jobKeyOf(follower);
		const baselineTick = follower.baselineTick ?? 0;
		if (baselineTick > follower.sentTick && !follower.lateLookSearched) {
			follower.lateLookSearched = true;
			// Once the job is confused, every later item of it is too: nothing more to search.
			if (!view.confusedJobs.has(key)) {
				const seenBy = `${key}\n${baselineTick}`;
				let ofJob = runsOfJobSeenBy.get(seenBy);
				if (!ofJob) {
					ofJob = view.runs.filter(
						(run) =>
							run.firstSeenTick <= baselineTick &&
							kindFits(run, follower.kind) &&
							isRunOfJob(
								{ name: run.name, originalName: run.active?.originalName },
								follower.jobName ?? '',
							),
					);
					runsOfJobSeenBy.set(seenBy, ofJob);
				}
				const uncertain = ofJob.filter(
					(run) =>
						run.firstSeenTick > follower.sentTick &&
						run.startMs >= follower.sentAtMs - this.clockSkewMs,
				);
				// Its own run may be one of them, or may come later and be taken for another item's: from
				// here on this execution cannot tell the runs of this job apart.
				if (uncertain.length) {
					const names = uncertain.map((run) => run.name || run.handle);
					view.confusedJobs.set(key, {
						names,
						message: `${LATE_LOOK} (for this item or an earlier one of this execution); its late answer listed ${listOfRuns(names)}, which may be runs these items started or may have started before, so which run of "${follower.jobName}" is this item's cannot be told. Check Jobs → Active Jobs / Job Logs in Dynamic Media Classic.`,
					});
				}
			}
		}
		const confused = view.confusedJobs.get(key);
		if (!confused) return;
		const { names, message } = confused;
		this.settle(follower, {
			result: Object.assign(unknownResult(follower, message), { candidates: names }),
		});
	}

	/** Max Wait passed and no run was given to the item: why. */
	private noRunBy(follower: Follower, seconds: number): RunResult {
		if (follower.baselineTick === undefined) {
			const message = `${LATE_LOOK}, and no later look at the active jobs and job logs answered within ${seconds} s, so runs that existed before this item's request cannot be told from its own. Check Jobs → Active Jobs / Job Logs in Dynamic Media Classic.`;
			return unknownResult(follower, message);
		}
		const message = `No run of "${follower.jobName ?? follower.jobHandle}" that could be this item's appeared in the active jobs or the job logs within ${seconds} s. IPS may have queued it; check Jobs → Active Jobs in Dynamic Media Classic.`;
		return unknownResult(follower, message);
	}

	private settle(follower: Follower, settled: Settled): void {
		if (follower.settled) return;
		follower.settled = settled;
		const { resolve, reject } = follower;
		follower.resolve = follower.reject = undefined;
		this.remove(follower);
		if (!resolve || !reject) return;
		this.waiting--;
		this.deliver(() => ('result' in settled ? resolve(settled.result) : reject(settled.error)));
	}

	/**
	 * Hands results to the waiting items, DELIVERIES_PER_TURN per turn of the event loop: each item's
	 * own code goes on from there (its output, its failed files), and 10,000 items whose runs ended
	 * in one round would otherwise hold the loop up for the whole process.
	 */
	private deliver(delivery: () => void): void {
		this.deliveries.push(delivery);
		if (this.deliveries.length > 1) return;
		const drain = () => {
			const batch = this.deliveries.slice(0, DELIVERIES_PER_TURN);
			for (const next of batch) next();
			this.deliveries.splice(0, batch.length);
			if (this.deliveries.length) setImmediate(drain);
		};
		setImmediate(drain);
	}

	private remove(follower: Follower): void {
		clearTimeout(follower.ghostTimer);
		this.deadlines.delete(follower);
		const followers = this.pending.get(follower.companyHandle);
		followers?.delete(follower);
		if (followers && !followers.size) this.pending.delete(follower.companyHandle);
	}

	private settleAll(settled: Settled): void {
		for (const followers of [...this.pending.values()])
			for (const follower of [...followers]) this.settle(follower, settled);
	}
}

const DELIVERIES_PER_TURN = 250;
/** Items whose run's log settleEnded looks at in one turn of the event loop. */
const FOLLOWERS_PER_TURN = 1_000;

const LATE_LOOK = `The look at IPS before sending did not answer within ${LOOK_BEFORE_SEND_MAX_MS} ms, so the request went ahead without it`;

/** What a job (or run) does, as far as its type or log type says: publish, upload, or not known. */
export type JobKind = 'publish' | 'upload';

export function jobKindOf(type: string | undefined): JobKind | undefined {
	if (!type) return undefined;
	if (type.includes('Publish')) return 'publish';
	if (type.includes('Upload')) return 'upload';
	return undefined;
}

/** A run whose type says another kind is not a candidate; an untyped run may be any kind. */
function kindFits(run: Sighting, kind: JobKind | undefined): boolean {
	if (!kind) return true;
	const seen = jobKindOf(run.active?.type) ?? jobKindOf(run.log?.logType);
	return seen === undefined || seen === kind;
}

/** Run names for a message: all of them up to ten, else the first ten and how many more. */
function listOfRuns(names: string[]): string {
	const shown = names.slice(0, 10).join(', ');
	return names.length > 10 ? `${shown} and ${names.length - 10} more (all in candidates)` : shown;
}

/** Followers of one job name but of different kinds compete for different runs. */
function jobKeyOf(follower: Follower): string {
	return `${follower.kind ?? ''}\u0000${follower.jobName}`;
}

function seenOf({ originalName, type, state, startDate }: ActiveJob): ActiveSeen {
	return { originalName, type, state, startDate };
}

/** A run not in the view yet, first seen in the answer that arrived at `firstSeenTick`. */
function unseenRun(
	{ name, handle, startDate }: { name: string; handle: string; startDate: string },
	firstSeenTick: number,
): Sighting {
	return {
		name,
		handle,
		firstSeenTick,
		startMs: parseIpsDate(startDate),
		inActiveList: false,
		lastSeenState: '',
	};
}

/**
 * A run first listed in the active list being read: made ready as its row is read, it joins the
 * view (with the answer's tick) once all of the list has been read.
 */
function newSighting(job: ActiveJob): Sighting {
	const sighting = unseenRun(
		{ name: job.name, handle: job.jobHandle, startDate: job.startDate },
		0,
	);
	showActive(sighting, seenOf(job));
	return sighting;
}

/** What the latest active list says of a run. */
function showActive(sighting: Sighting, seen: ActiveSeen): void {
	sighting.active = seen;
	sighting.lastSeenState = seen.state || 'active';
}

function sameSeen(seen: ActiveSeen, job: ActiveJob): boolean {
	return (
		seen.state === job.state &&
		seen.type === job.type &&
		seen.originalName === job.originalName &&
		seen.startDate === job.startDate
	);
}

function isDone(run: Sighting): boolean {
	return run.inActiveList && run.active?.state === ENDED_ACTIVE_STATE;
}

/** The run does no more work as far as the active list tells: Done, or no longer listed. */
function hasEnded(run: Sighting): boolean {
	return !run.inActiveList || isDone(run);
}

function resultFromLog(follower: Follower, log: JobLog): RunResult {
	return {
		companyHandle: follower.companyHandle,
		jobHandle: follower.jobHandle,
		...summaryOfLog(log),
	};
}

function unknownResult(follower: Follower, message: string, run?: Sighting): RunResult {
	return {
		companyHandle: follower.companyHandle,
		jobHandle: follower.jobHandle,
		...unknownSummary({
			runHandle: run?.handle || null,
			runName: run?.name || null,
			startDate: run?.active?.startDate || run?.log?.startDate || null,
		}),
		message,
	};
}
