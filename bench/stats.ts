// Rounds, medians and the table rows of bench/RESULTS.md.

export interface Sample {
	median: number;
	min: number;
	max: number;
}

export function summarise(values: number[]): Sample {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

export async function rounds(count: number, measure: () => Promise<number>): Promise<Sample> {
	const values: number[] = [];
	for (let round = 0; round < count; round++) values.push(await measure());
	return summarise(values);
}

export function format(sample: Sample, digits = 0, unit = ''): string {
	const f = (value: number) => value.toFixed(digits);
	return `${f(sample.median)}${unit} (min ${f(sample.min)}, max ${f(sample.max)})`;
}

/** Wall time and CPU time (user + system, this process) of `work`. */
export async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
	const cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	await work();
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const used = process.cpuUsage(cpu);
	return { ms, cpuMs: (used.user + used.system) / 1000 };
}
