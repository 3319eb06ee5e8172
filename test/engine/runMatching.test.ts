// Wait for Completion against what IPS's reference allows (see the README, Wait for Completion): each item gets its own
// run or an honest `unknown`, never another item's or an older run, within Max Wait.
import { simLogRow } from '../support/ips';
import { SOAP_OK } from '../support/loopback';
import { ADMIN, NIGHTLY, waitingHarness } from '../support/waitingHarness';

const { sim, job, run, someoneStarts } = waitingHarness({ runDurationMs: 600 });

const triggeredBy = (runName: string | null) =>
	sim().state.runHistory.find((r) => r.name === runName)?.triggeredBy;

describe('run matching', () => {
	it('waits for a run that IPS queues and lists late', async () => {
		job().queueDelayMs = 2_500;
		const { runs } = await run();
		expect(runs[0]).toMatchObject({ status: 'succeeded' });
		const simRun = sim().state.runHistory[0];
		expect(runs[0].runName).toBe(simRun.name);
		expect(Date.parse(runs[0].startDate as string)).toBe(simRun.startedAtMs);
	});

	it('says unknown, naming the job, when the run never appears; settles at Max Wait', async () => {
		job().neverAppears = true;
		const started = Date.now();
		const { runs } = await run({ extra: { maxWaitSeconds: 3 } });
		const elapsed = Date.now() - started;
		expect(runs[0].status).toBe('unknown');
		expect(runs[0].message).toMatch(/No run of "Nightly publish" that could be this item's/);
		expect(elapsed).toBeGreaterThanOrEqual(2_900);
		expect(elapsed).toBeLessThan(4_000);
	});

	it('never takes an older run of the same job, active or logged, nor a run someone started just before', async () => {
		job().runDurationMs = 2_000;
		const stamp = new Date(Date.now() - 60_000);
		sim().state.jobLogs.push(
			simLogRow({
				jobHandle: 'j|2101||Nightly publish_old|7',
				jobName: `Nightly publish_${stamp.toISOString().replace('T', '-').replace('Z', '')}`,
				startDate: stamp.toISOString(),
				endDate: new Date(stamp.getTime() + 1_000).toISOString(),
				fileSuccessCount: 0,
				fileErrorCount: 3,
				totalFileCount: 3,
				fatalError: true,
			}),
		);
		await someoneStarts(NIGHTLY, 0);
		job().neverAppears = true;
		const { runs } = await run({ extra: { maxWaitSeconds: 4 } });
		expect(runs[0].status).toBe('unknown');
		expect(runs[0].runName).toBeNull();
	});

	it('does not count a job whose name shares the prefix ("Nightly publish_EU") as a run of it', async () => {
		sim().state.scheduledJobs.push({
			...job(),
			jobHandle: 'j|2101|Nightly publish_EU||',
			name: 'Nightly publish_EU',
			runDurationMs: 0,
		});
		job().neverAppears = true;
		const other = someoneStarts('j|2101|Nightly publish_EU||', 300);
		const { runs } = await run({ extra: { maxWaitSeconds: 3 } });
		await other;
		expect(sim().state.jobLogs.some((l) => l.jobName.startsWith('Nightly publish_EU_'))).toBe(true);
		expect(runs[0]).toMatchObject({ status: 'unknown', runName: null });
	});

	it.each([
		['in parallel', false],
		['one after the other (serialised)', true],
	])('gives two runs of one job %s to their items in send order', async (_how, serialised) => {
		job().serialised = serialised;
		job().runDurationMs = 800;
		const { runs } = await run({
			items: [{ n: 0 }, { n: 1 }],
			extra: { options: { maxParallelRequests: 2 } },
		});
		const [first, second] = sim().state.runHistory;
		expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
		expect(runs.map((r) => r.runName)).toEqual([first.name, second.name]);
		if (serialised) expect(second.startedAtMs).toBeGreaterThanOrEqual(first.endsAtMs);
	});

	it('tells apart two runs that share a name (stamped to the minute) by their handles', async () => {
		job().minuteNames = true;
		job().runDurationMs = 800;
		const { runs } = await run({ items: [{}, {}], extra: { options: { maxParallelRequests: 2 } } });
		const [first, second] = sim().state.runHistory;
		expect(first.name).toBe(second.name);
		expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
		expect(runs.map((r) => r.runHandle)).toEqual([first.jobHandle, second.jobHandle]);
	});

	it('two executions that start one job at once each get their own run, or unknown', async () => {
		job().runDurationMs = 1_500;
		const [mine, theirs] = await Promise.all([
			run(),
			new Promise<Awaited<ReturnType<typeof run>>>((resolve) =>
				setTimeout(() => resolve(run({ credential: ADMIN })), 300),
			),
		]);
		expect(sim().state.runHistory).toHaveLength(2);
		for (const [result, user] of [
			[mine, 'demo@example.com'],
			[theirs, ADMIN.user],
		] as const) {
			const [ipsJob] = result.runs;
			if (ipsJob.status === 'unknown') expect(ipsJob.candidates ?? ipsJob.message).toBeTruthy();
			else expect(triggeredBy(ipsJob.runName)).toBe(user);
		}
		// The later execution saw the earlier run before it sent: it must know its own.
		expect(theirs.runs[0].status).toBe('succeeded');
		expect(mine.runs[0].runName).not.toBe(theirs.runs[0].runName);
	});

	it('says unknown, naming both, when another user starts the same job right after', async () => {
		job().runDurationMs = 1_500;
		const other = someoneStarts(NIGHTLY, 150);
		const { runs } = await run();
		await other;
		expect(runs[0].status).toBe('unknown');
		expect(runs[0].candidates).toEqual(
			sim()
				.state.runHistory.map((r) => r.name)
				.sort(),
		);
		expect(runs[0].message).toMatch(
			/2 runs of "Nightly publish" appeared after this item's request/,
		);
	});

	it('does not hand a run to a second item after the first item settled', async () => {
		job().runDurationMs = 0;
		// The second executeJob is accepted but starts nothing.
		sim().inject(
			'executeJob',
			{ kind: 'raw', status: 200, body: SOAP_OK('executeJob') },
			{ when: () => sim().requestsFor('executeJob').length > 1 },
		);
		const { runs } = await run({ items: [{}, {}], extra: { maxWaitSeconds: 3 } });
		expect(runs[0]).toMatchObject({ status: 'succeeded', runName: sim().state.runHistory[0].name });
		expect(runs[1]).toMatchObject({ status: 'unknown', runName: null });
	});
});
