// The named checks of a real-n8n suite: each runs, says ok or FAILED with why, and the suite ends
// with a count and an exit code.

const results: Array<{ name: string; ok: boolean }> = [];

export async function check(name: string, body: () => Promise<void>): Promise<void> {
	const started = Date.now();
	// How long each check took: where a suite's time goes (mostly n8n's start-ups and schedules).
	const took = () => `(${Math.round((Date.now() - started) / 1000)} s)`;
	try {
		await body();
		results.push({ name, ok: true });
		console.log(`ok     ${name} ${took()}`);
	} catch (error) {
		results.push({ name, ok: false });
		console.log(
			`FAILED ${name} ${took()}\n       ${(error as Error).message.split('\n').join('\n       ')}`,
		);
	}
}

/**
 * The line e2e/test-n8n.sh waits for, from every suite, before it starts another suite beside them:
 * from here on a suite sends no executeJob (whose look at IPS before sending is bounded to 300 ms,
 * the bound three n8n suites starting at once on two cores break) and waits on n8n's schedules.
 */
export const ONLY_SCHEDULES_LEFT = 'what is left waits on n8n’s schedules';

export function sayOnlySchedulesLeft(): void {
	console.log(`       (${ONLY_SCHEDULES_LEFT})`);
}

/** Runs the suite's `main`: prints how many checks passed and exits 1 if any failed (or it threw). */
export function runSuite(suite: string, main: () => Promise<void>): void {
	main().then(
		() => {
			const failed = results.filter((r) => !r.ok).length;
			console.log(`${suite}: ${results.length - failed} passed, ${failed} failed`);
			process.exit(failed ? 1 : 0);
		},
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
