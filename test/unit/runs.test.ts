// The rules of runs.ts (the README's Wait for Completion) and the watcher's limits, without a server.
import { IpsTransportError } from '../../nodes/Ips/ips/faults';
import { ActiveJob, IpsClient, JobLog, JobLogPages } from '../../nodes/Ips/ips/IpsClient';
import {
	isFinalLog,
	isRunOfJob,
	parseIpsDate,
	RunLogRow,
	statusOf,
} from '../../nodes/Ips/ips/runs';
import { FollowingStopped, RunWatcher } from '../../nodes/Ips/ips/runWatcher';

describe('which job a run belongs to', () => {
	it.each([
		['Nightly_2010-11-09-16:49:18.190', true],
		['Nightly_2010-11-09-16:49:18', true],
		['Nightly_2010-11-09-16:49', true],
		['Nightly_EU_2010-11-09-16:49:18.190', false],
		['Nightly_2010-11-09', false],
		['Nightly', false],
		['Nightly2010-11-09-16:49:18', false],
	])('by name: %s is a run of "Nightly": %s', (name, expected) => {
		expect(isRunOfJob({ name }, 'Nightly')).toBe(expected);
	});

	it('by original name, when IPS gives one, whatever the name', () => {
		expect(isRunOfJob({ name: 'x', originalName: 'Nightly' }, 'Nightly')).toBe(true);
		expect(
			isRunOfJob({ name: 'Nightly_2010-11-09-16:49', originalName: 'Nightly_EU' }, 'Nightly'),
		).toBe(false);
		expect(isRunOfJob({ name: 'Nightly_2010-11-09-16:49', originalName: '' }, 'Nightly')).toBe(
			true,
		);
	});
});

describe('IPS dates', () => {
	it.each([
		['2011-03-30T14:32:08.858-05:00', Date.UTC(2011, 2, 30, 19, 32, 8, 858)],
		['2011-03-30T14:32:08Z', Date.UTC(2011, 2, 30, 14, 32, 8)],
		['2011-03-30T14:32:08.8+0100', Date.UTC(2011, 2, 30, 13, 32, 8, 800)],
		['2011-03-30T14:32', Date.UTC(2011, 2, 30, 14, 32)],
		['2011-03-30T14:32:08.123456789Z', Date.UTC(2011, 2, 30, 14, 32, 8, 123)],
	])('reads %s', (text, expected) => expect(parseIpsDate(text)).toBe(expected));

	it.each(['', 'Tuesday', '2011-13-30T14:32:08Z', '2011-03-30 14:32:08', '1301513528858'])(
		'refuses %p',
		(text) => expect(parseIpsDate(text)).toBeNaN(),
	);
});

describe('status of an ended run', () => {
	const clean = { fatalError: false, fileErrorCount: 0, fileWarningCount: 0 };
	it('failed on a fatal error, failed files or failed transfers; warnings likewise', () => {
		expect(statusOf(clean)).toBe('succeeded');
		expect(statusOf({ ...clean, fatalError: true })).toBe('failed');
		expect(statusOf({ ...clean, fileErrorCount: 1 })).toBe('failed');
		expect(statusOf({ ...clean, transferErrorCount: 1 })).toBe('failed');
		expect(statusOf({ ...clean, fileWarningCount: 1 })).toBe('succeededWithWarnings');
		expect(statusOf({ ...clean, transferWarningCount: 2 })).toBe('succeededWithWarnings');
	});
});

/** A client with a scripted active list and logs, counting its calls. */
function fakeClient(script: { active: () => ActiveJob[]; logs: () => JobLog[] }) {
	const calls = { active: 0, logs: 0 };
	const client = {
		apiVersion: '2014-04-03',
		readActiveJobs: async (_company: string, take: (job: ActiveJob) => void) => {
			calls.active++;
			for (const job of script.active()) take(job);
		},
		getJobLogsInWindow: async (): Promise<JobLogPages> => {
			calls.logs++;
			return { logs: script.logs(), truncated: false };
		},
	};
	return { client: client as unknown as IpsClient, calls };
}

/**
 * A watcher over a client whose active list and logs the test tells, look by look (`call` counts the
 * active lists asked for, from 1).
 */
function scriptedWatcher(script: {
	active: (take: (job: ActiveJob) => void, call: number) => Promise<void> | void;
	logs: (calls: number) => JobLog[];
	maxWaitMs?: number;
}) {
	let calls = 0;
	const client = {
		apiVersion: '2014-04-03',
		readActiveJobs: async (_company: string, take: (job: ActiveJob) => void) =>
			script.active(take, ++calls),
		getJobLogsInWindow: async (): Promise<JobLogPages> => ({
			logs: script.logs(calls),
			truncated: false,
		}),
	};
	const watcher = new RunWatcher(client as unknown as IpsClient, {
		pollIntervalMs: 5,
		maxWaitMs: script.maxWaitMs ?? 10_000,
	});
	return { watcher, lists: () => calls };
}

function run(name: string, startMs: number): ActiveJob {
	return {
		companyHandle: 'c|1',
		jobHandle: `c|1||${name}`,
		name,
		originalName: 'Nightly',
		type: 'ImageServingPublish',
		state: 'Running',
		submitUserEmail: '',
		startDate: new Date(startMs).toISOString(),
		progressMessage: '',
	};
}

function log(name: string, startMs: number): JobLog {
	return {
		companyHandle: 'c|1',
		jobHandle: `c|1||${name}`,
		jobName: name,
		submitUserEmail: '',
		logType: 'ImageServingPublish',
		startDate: new Date(startMs).toISOString(),
		endDate: new Date(startMs + 1).toISOString(),
		fileSuccessCount: 1,
		fileErrorCount: 0,
		fileWarningCount: 0,
		totalFileCount: 1,
		fatalError: false,
	};
}

describe('when a log row is final (isFinalLog)', () => {
	const row = (extra: Partial<RunLogRow> = {}): RunLogRow => ({
		jobHandle: 'j|1||Nightly_2026-01-01-00:00:00|4',
		jobName: 'Nightly_2026-01-01-00:00:00',
		startDate: '2026-01-01T00:00:00Z',
		endDate: '',
		fileSuccessCount: 1,
		fileErrorCount: 0,
		fileWarningCount: 0,
		totalFileCount: 8,
		fatalError: false,
		...extra,
	});

	it('4.0+: only with an end date, whatever the active list says', () => {
		expect(isFinalLog(row(), { preV4: false, runLeftActiveList: true, previousRead: row() })).toBe(
			false,
		);
		expect(
			isFinalLog(row({ endDate: '2026-01-01T00:01:00Z' }), {
				preV4: false,
				runLeftActiveList: false,
			}),
		).toBe(true);
	});

	it('before 4.0: only after the run left, and only when two reads after that are the same', () => {
		const early = row();
		const final = row({ fileSuccessCount: 0, fileErrorCount: 8, fatalError: true });
		const rule = (runLeftActiveList: boolean, previousRead?: RunLogRow) => ({
			preV4: true,
			runLeftActiveList,
			previousRead,
		});
		expect(isFinalLog(early, rule(false, early))).toBe(false);
		expect(isFinalLog(early, rule(true))).toBe(false);
		expect(isFinalLog(final, rule(true, early))).toBe(false);
		expect(isFinalLog(final, rule(true, { ...final }))).toBe(true);
		// A transfer count that appears between two reads is a change too.
		expect(isFinalLog({ ...final, transferErrorCount: 1 }, rule(true, final))).toBe(false);
	});
});

describe('the watcher', () => {
	it('follows 130,000 runs of one job at once, each to its own run', async () => {
		const count = 130_000;
		let logs: JobLog[] = [];
		const { client, calls } = fakeClient({ active: () => [], logs: () => logs });
		const watcher = new RunWatcher(client, { pollIntervalMs: 5, maxWaitMs: 60_000 });
		await watcher.prepare('c|1');
		const base = Date.now();
		const followed = Array.from({ length: count }, () =>
			watcher.reserve('c|1', 'j', 'Nightly').follow(),
		);
		// One distinct IPS-style name each; they appear only after every request was sent.
		logs = Array.from({ length: count }, (_, i) =>
			log(`Nightly_2026-01-01-00:00:00.${i}`, base + i),
		);
		const results = await Promise.all(followed);
		const names = new Set(results.map((r) => r.runName));
		expect(results.every((r) => r.status === 'succeeded')).toBe(true);
		expect(names.size).toBe(count);
		expect(results[0].runName).toBe(logs[0].jobName);
		expect(results[count - 1].runName).toBe(logs[count - 1].jobName);
		expect(calls.active).toBeLessThan(10);
	}, 60_000);

	it('hands thousands of results that end in one round over a few hundred at a time', async () => {
		const count = 3_000;
		let logs: JobLog[] = [];
		const { client } = fakeClient({ active: () => [], logs: () => logs });
		const watcher = new RunWatcher(client, { pollIntervalMs: 5, maxWaitMs: 60_000 });
		await watcher.prepare('c|1');
		const base = Date.now();
		// Per result: how many other turns of the event loop had run when it arrived.
		let turns = 0;
		let counting = true;
		const tick = () => {
			turns++;
			if (counting) setImmediate(tick);
		};
		const arrivedAtTurn: number[] = [];
		const followed = Array.from({ length: count }, () =>
			watcher
				.reserve('c|1', 'j', 'Nightly')
				.follow()
				.then((result) => {
					arrivedAtTurn.push(turns);
					return result;
				}),
		);
		logs = Array.from({ length: count }, (_, i) =>
			log(`Nightly_2026-01-01-00:00:00.${i}`, base + i),
		);
		setImmediate(tick);
		const results = await Promise.all(followed);
		counting = false;
		expect(results.every((r) => r.status === 'succeeded')).toBe(true);
		// All ended in one round; delivered over at least count / 250 turns, never all in one.
		const perTurn = new Map<number, number>();
		for (const turn of arrivedAtTurn) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
		expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(250);
		expect(perTurn.size).toBeGreaterThanOrEqual(count / 250);
	});

	it('a poll whose timer fires a little before the deadline it was cut to leaves the item unknown, not failed', async () => {
		// Node's timers count from the event loop's time, which lags Date.now() on a busy machine: here
		// every poll after the look before sending times out 300 ms before the time it was given.
		let looks = 0;
		const client = {
			apiVersion: '2014-04-03',
			readActiveJobs: async (_company: string, _take: unknown, options: { timeoutMs: number }) => {
				if (looks++ === 0) return;
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.timeoutMs - 300)));
				throw new IpsTransportError('timeout', 'IPS did not answer within 1.5 s');
			},
			getJobLogsInWindow: async (): Promise<JobLogPages> => ({ logs: [], truncated: false }),
		};
		const watcher = new RunWatcher(client as unknown as IpsClient, {
			pollIntervalMs: 5,
			maxWaitMs: 1_500,
		});
		await watcher.prepare('c|1');
		const result = await watcher.reserve('c|1', 'j', 'Nightly').follow();
		// Three polls cut short in a row would otherwise count as IPS failing, and fail the item.
		expect(looks).toBeGreaterThan(3);
		expect(result).toMatchObject({ status: 'unknown', runName: null });
		expect(result.message).toMatch(/^No run of "Nightly" that could be this item's appeared/);
	});

	it('takes none of the runs of an active list that broke off before its end', async () => {
		const base = Date.now();
		// The broken answer's first row: if it were taken, two runs would fit the one item.
		const unread = run('Nightly_2026-01-01-00:00:00.1', base + 1);
		const listed = run('Nightly_2026-01-01-00:00:00.2', base + 2);
		const { watcher, lists } = scriptedWatcher({
			active: (take, call) => {
				if (call === 1) return;
				if (call === 2) {
					take(unread);
					throw new IpsTransportError(
						'malformedXml',
						'IPS answered HTTP 200 with XML that is not well-formed',
					);
				}
				take(listed);
			},
			logs: (calls) => (calls > 2 ? [log(listed.name, base + 2)] : []),
		});
		await watcher.prepare('c|1');
		const result = await watcher.reserve('c|1', 'j', 'Nightly').follow();
		expect(lists()).toBeGreaterThan(2);
		expect(result).toMatchObject({ status: 'succeeded', runName: listed.name });
	});

	it('a late look does not hold against an item a run an earlier look had already listed', async () => {
		const base = Date.now();
		// Someone else's run, listed by the look before the item and still running.
		const before = run('Nightly_2026-01-01-00:00:00.1', base - 1_000);
		const own = run('Nightly_2026-01-01-00:00:00.2', base + 1);
		const { watcher } = scriptedWatcher({
			active: async (take, call) => {
				// The second look answers after the item was sent: late.
				if (call === 2) await new Promise((resolve) => setTimeout(resolve, 50));
				take(before);
				if (call > 2) take(own);
			},
			logs: (calls) => (calls > 2 ? [log(own.name, base + 1)] : []),
		});
		await watcher.prepare('c|1');
		await new Promise((resolve) => setTimeout(resolve, 10));
		const lateLook = watcher.prepare('c|1');
		const reservation = watcher.reserve('c|1', 'j', 'Nightly');
		await lateLook;
		const result = await reservation.follow();
		expect(result).toMatchObject({ status: 'succeeded', runName: own.name });
	});

	it.each([
		[['Running', 'Done'], /as Done, but no job log for it appeared/],
		[['Done', 'Running'], /was Running when last seen/],
	])('a run listed twice in one answer (%j) is as its later row says', async (states, told) => {
		const own = run('Nightly_2026-01-01-00:00:00.1', Date.now());
		const { watcher, lists } = scriptedWatcher({
			// Nothing before the send; then the same run twice, in every answer.
			active: (take, call) => {
				if (call > 1) for (const state of states) take({ ...own, state });
			},
			logs: () => [],
			maxWaitMs: 300,
		});
		await watcher.prepare('c|1');
		const result = await watcher.reserve('c|1', 'j', 'Nightly').follow();
		expect(lists()).toBeGreaterThan(2);
		expect(result).toMatchObject({ status: 'unknown', runName: own.name });
		expect(result.message).toMatch(told);
	});

	it('settles every follower with an error when its own loop throws', async () => {
		const { client } = fakeClient({ active: () => [], logs: () => [] });
		const watcher = new RunWatcher(client, { pollIntervalMs: 5, maxWaitMs: 60_000 });
		Object.defineProperty(client, 'apiVersion', {
			get: () => {
				throw new Error('broken');
			},
		});
		const results = await Promise.allSettled(
			[1, 2, 3].map(() => watcher.reserve('c|1', 'j', 'Nightly').follow()),
		);
		for (const result of results) {
			expect(result.status).toBe('rejected');
			const reason = (result as PromiseRejectedResult).reason as FollowingStopped;
			expect(reason).toBeInstanceOf(FollowingStopped);
			expect((reason.reason as Error).message).toBe('broken');
		}
	});
});
