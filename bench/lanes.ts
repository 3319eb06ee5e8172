// The benchmarks' send loop: `parallel` lanes, each taking the next of `count` jobs when its last
// one is done (as the node's Max Parallel Requests does). Its own module, so that the loop children
// load nothing else.

/** Runs `count` jobs with `work` in `parallel` lanes. */
export async function inLanes(
	count: number,
	parallel: number,
	work: (index: number) => Promise<unknown>,
): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: parallel }, async () => {
			while (next < count) await work(next++);
		}),
	);
}
