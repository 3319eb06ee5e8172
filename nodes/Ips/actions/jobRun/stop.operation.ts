// Job Run → Stop (stopJob): safe to repeat. IPS says "Stopping" until it can stop safely; with
// Wait Until Stopped the item follows the run until it has left the active list, bounded by Max Wait.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { cancelledError } from '../../ips/faults';
import { IpsClient } from '../../ips/IpsClient';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import { summaryOfLog } from '../../ips/runs';
import { sleep } from '../../ips/sleep';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { numberSetting } from '../../n8n/parameters';
import { companyField, runField } from '../common.fields';

/** How often a stopping run is looked at. */
const STOP_POLL_INTERVAL_MS = 2_000;
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
				'Whether to wait until the run has left the active jobs (IPS stops a run only when it can do so safely) and output how it ended',
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
			return { json: { ...json, ipsJobRun: { companyHandle, runHandle, ...stopped } }, binary };
		},
	});
}

/** Follows a stopping run until it has left the active list, then reads how it ended. */
async function untilStopped(
	client: IpsClient,
	companyHandle: string,
	runHandle: string,
	maxWaitMs: number,
	signal?: AbortSignal,
) {
	const deadline = Date.now() + maxWaitMs;
	let lastState = 'Stopping';
	for (;;) {
		const timeoutMs = Math.max(1, deadline - Date.now());
		const active = await client.getActiveJobs(companyHandle, undefined, { timeoutMs });
		const run = active.find((candidate) => candidate.jobHandle === runHandle);
		if (!run || run.state === 'Done') {
			const { logs } = await client.getJobLogsInWindow(
				companyHandle,
				{
					startDate: new Date(Date.now() - 7 * 86_400_000),
					endDate: new Date(Date.now() + 3_600_000),
				},
				{ timeoutMs: Math.max(1, deadline - Date.now()) },
			);
			// A log row's handle may lack the active run's `|<runId>`.
			const log = logs.find(
				(row) => row.jobHandle === runHandle || runHandle.startsWith(`${row.jobHandle}|`),
			);
			return { state: 'stopped' as const, ...(log ? summaryOfLog(log) : {}) };
		}
		lastState = run.state || lastState;
		const left = deadline - Date.now();
		if (left <= 0) return { state: 'stopping' as const, lastSeenState: lastState };
		if (!(await sleep(Math.min(STOP_POLL_INTERVAL_MS, left), signal)))
			throw cancelledError(' while waiting for the run to stop');
	}
}
