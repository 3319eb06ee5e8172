// Figure 6: 200 runs waited for at once: how many requests each poll round costs, and how much CPU.
import { channel } from 'node:diagnostics_channel';
import { nodeRun } from './wire';

export interface WaitingFigure {
	items: number;
	rounds: number;
	getActiveJobsPerRound: number;
	requestsPerRound: number;
	cpuMsPerRound: number;
}

/** Counts the SOAP operations this process sends, by SOAPAction, through undici's diagnostics channel. */
function countOperations(): { counts: Map<string, number>; stop: () => void } {
	const counts = new Map<string, number>();
	const create = channel('undici:request:create');
	const listener = (message: unknown) => {
		const headers = (message as { request: { headers: string | string[] } }).request.headers;
		const text = Array.isArray(headers) ? headers.join('\n') : headers;
		const operation = /soapaction\s*[:\n]\s*([^\r\n]+)/i.exec(text)?.[1] ?? '?';
		counts.set(operation, (counts.get(operation) ?? 0) + 1);
	};
	create.subscribe(listener);
	return { counts, stop: () => create.unsubscribe(listener) };
}

function run(url: string, items: number, wait: Record<string, unknown>) {
	return nodeRun(url, items, { parameters: { options: { maxParallelRequests: 8 }, ...wait } });
}

function cpuMsOf(usage: NodeJS.CpuUsage): number {
	return (usage.user + usage.system) / 1000;
}

export async function waitingFigure(
	url: string,
	items: number,
	pollIntervalSeconds: number,
): Promise<WaitingFigure> {
	// The same items without waiting: their CPU is subtracted, leaving what the waiting costs
	// (after a first run that warms up the JIT, so both measured runs are warm).
	await run(url, items, {});
	const startOnly = process.cpuUsage();
	await run(url, items, {});
	const startCpuMs = cpuMsOf(process.cpuUsage(startOnly));

	const counter = countOperations();
	const cpuBefore = process.cpuUsage();
	const started = Date.now();
	const { output, error } = await run(url, items, {
		waitForCompletion: true,
		pollIntervalSeconds,
		maxWaitSeconds: 120,
	});
	counter.stop();
	if (
		error ||
		output?.some((item) => (item.json.ipsJob as { status?: string })?.status !== 'succeeded')
	) {
		throw new Error(`waiting run failed: ${String(error?.message)}`);
	}
	const waitCpuMs = cpuMsOf(process.cpuUsage(cpuBefore)) - startCpuMs;
	const rounds = counter.counts.get('getActiveJobs') ?? 0;
	const pollRequests = rounds + (counter.counts.get('getJobLogs') ?? 0);
	const elapsedMs = Date.now() - started;
	return {
		items,
		rounds,
		getActiveJobsPerRound:
			rounds / Math.max(1, Math.round(elapsedMs / (pollIntervalSeconds * 1000))),
		requestsPerRound: pollRequests / Math.max(1, rounds),
		cpuMsPerRound: Math.max(0, waitCpuMs) / Math.max(1, rounds),
	};
}
