// Job Run → Stop (stopJob): safe to repeat. IPS says "Stopping" until it can stop safely; with
// Wait Until Stopped the item follows the run until it has ended and its log row is final, bounded
// by Max Wait.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { readBy } from '../../ips/deadline';
import { cancelledError } from '../../ips/faults';
import { IpsClient, JobLog } from '../../ips/IpsClient';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import {
	countsOf,
	ENDED_ACTIVE_STATE,
	isFinalLog,
	parseIpsDate,
	summaryOfLog,
} from '../../ips/runs';
import { DEFAULT_CLOCK_SKEW_MS } from '../../ips/runWatcher';
import { sleep } from '../../ips/sleep';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { numberSetting } from '../../n8n/parameters';
import { withField } from '../../n8n/withField';
import { companyField, runField } from '../common.fields';

/** How often a stopping run is looked at. */
const STOP_POLL_INTERVAL_MS = 2_000;
/**
 * How far back the stopped run's log row is looked for when the active list never gave the run's
 * start (it started no earlier, as a rule).
 */
const STOPPED_RUN_LOG_WINDOW_MS = 7 * 86_400_000;
const MAX_WAIT = { label: 'Max Wait (Seconds)', min: 1, max: 3600, fallback: 300 };

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['jobRun'], operation: ['stop'] } },
	[
		companyField,
		runField,
		{
			displayName: 'Wait Until Stopped',
			name: 'waitUntilStopped',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until the run has stopped and its job log is final (IPS stops a run only when it can do so safely), and output how it ended',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: MAX_WAIT.min, maxValue: MAX_WAIT.max },
			default: MAX_WAIT.fallback,
			description: 'How long to wait at most; a run still stopping then comes out as "stopping"',
			displayOptions: { show: { waitUntilStopped: [true] } },
		},
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal();
	return await runOperation(this, {
		ipsOperation: 'stopJob',
		sideEffect: 'change',
		roles: JOB_OPERATION_ROLES,
		action: (itemIndex) => `stop the job run of item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const runHandle = handleOf(this, 'runHandle', itemIndex);
			const wait = this.getNodeParameter('waitUntilStopped', itemIndex, false) === true;
			const maxWaitMs = wait
				? numberSetting(
						this.getNode(),
						this.getNodeParameter('maxWaitSeconds', itemIndex, MAX_WAIT.fallback),
						MAX_WAIT,
					) * 1000
				: 0;
			await client.changeJob('stopJob', companyHandle, runHandle);
			const stopped = wait
				? await untilStopped(client, companyHandle, runHandle, maxWaitMs, signal)
				: { state: 'stopRequested' as const };
			const { json, binary } = items[itemIndex];
			return {
				json: withField(json, 'ipsJobRun', { companyHandle, runHandle, ...stopped }),
				binary,
			};
		},
	});
}

/**
 * Follows a stopping run until it has ended (left the active list, or Done) and its log row is final
 * (isFinalLog: the same rule as Wait for Completion); Max Wait bounds it all, also a read that hangs.
 */
async function untilStopped(
	client: IpsClient,
	companyHandle: string,
	runHandle: string,
	maxWaitMs: number,
	signal?: AbortSignal,
) {
	const deadline = Date.now() + maxWaitMs;
	const preV4 = client.apiVersion === 'pre-4.0';
	let lastState = 'Stopping';
	let ended = false;
	let left = false;
	/** The run's row as read the round before (before 4.0: only reads after the run left count). */
	let row: JobLog | undefined;
	let logsFromMs = Date.now() - STOPPED_RUN_LOG_WINDOW_MS;
	for (;;) {
		const active = await readBy(deadline, (timeoutMs) =>
			client.getActiveJobs(companyHandle, undefined, { timeoutMs }),
		);
		const run = active?.find((candidate) => candidate.jobHandle === runHandle);
		if (run) {
			lastState = run.state || lastState;
			// The run's row starts when the run did: the logs are read from then (less the skew a log's
			// start may have, as when waiting for a run), not a week of them each round.
			const startMs = parseIpsDate(run.startDate);
			if (Number.isFinite(startMs)) logsFromMs = startMs - DEFAULT_CLOCK_SKEW_MS;
		}
		left ||= active !== undefined && !run;
		ended ||= left || run?.state === ENDED_ACTIVE_STATE;
		if (ended) {
			const logs = await readBy(deadline, (timeoutMs) =>
				client.getJobLogsInWindow(
					companyHandle,
					{
						startDate: new Date(logsFromMs),
						endDate: new Date(Date.now() + 3_600_000),
					},
					{ timeoutMs },
				),
			);
			// A log row's handle may lack the active run's `|<runId>`.
			const latest = logs?.logs.find(
				(candidate) =>
					candidate.jobHandle === runHandle || runHandle.startsWith(`${candidate.jobHandle}|`),
			);
			if (latest && isFinalLog(latest, { preV4, runLeftActiveList: left, previousRead: row }))
				return { state: 'stopped' as const, ...summaryOfLog(latest) };
			if (left || !preV4) row = latest ?? row;
		}
		const remainingMs = deadline - Date.now();
		if (remainingMs <= 0)
			return ended ? stoppedWithoutFinalLog(row, maxWaitMs) : stillStopping(lastState);
		if (!(await sleep(Math.min(STOP_POLL_INTERVAL_MS, remainingMs), signal)))
			throw cancelledError(' while waiting for the run to stop');
	}
}

function stillStopping(lastSeenState: string) {
	return { state: 'stopping' as const, lastSeenState };
}

function stoppedWithoutFinalLog(row: JobLog | undefined, maxWaitMs: number) {
	const seconds = Math.round(maxWaitMs / 1000);
	const message = row
		? `The run has stopped, but its job log was not final within ${seconds} s (no end date yet, or before API 4.0 still changing), so how it ended is not known yet. The counts read so far are in countsSoFar and are not final.`
		: `The run has stopped, but no job log for it appeared within ${seconds} s, so how it ended is not known.`;
	return {
		state: 'stopped' as const,
		status: 'unknown' as const,
		message,
		...(row ? { countsSoFar: countsOf(row) } : {}),
	};
}
