// Pause and Resume: the same call shape, and the job's state read back after the change.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { companyField, jobField } from '../common.fields';

export function stateChangeDescription(operation: 'pause' | 'resume'): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['scheduledJob'], operation: [operation] } }, [
		companyField,
		jobField(
			operation === 'pause'
				? 'The scheduled job to pause: its schedule stops firing until it is resumed'
				: 'The paused scheduled job to resume',
		),
	]);
}

/** Pauses or resumes each item's job; the item comes out with `ipsJob` holding the job's state after. */
export async function changeState(
	context: IExecuteFunctions,
	ipsOperation: 'pauseJob' | 'resumeJob',
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const verb = ipsOperation === 'pauseJob' ? 'pause' : 'resume';
	return await runOperation(context, {
		ipsOperation,
		sideEffect: 'change',
		roles: JOB_OPERATION_ROLES,
		action: (itemIndex) => `${verb} the IPS job of item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(context, 'companyHandle', itemIndex);
			const jobHandle = handleOf(context, 'jobHandle', itemIndex);
			await client.changeJob(ipsOperation, companyHandle, jobHandle);
			const job = (await client.getScheduledJobs(companyHandle)).find(
				(candidate) => candidate.jobHandle === jobHandle,
			);
			const { json, binary } = items[itemIndex];
			return {
				json: {
					...json,
					ipsJob: {
						companyHandle,
						jobHandle,
						name: job?.name ?? null,
						state: job?.triggerState || null,
					},
				},
				binary,
			};
		},
	});
}
