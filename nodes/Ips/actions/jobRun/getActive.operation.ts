// Job Run → Get Active: the company's running and queued runs (getActiveJobs).
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { limitOf } from '../../n8n/parameters';
import { companyField, returnAllFields } from '../common.fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['jobRun'], operation: ['getActive'] } },
	[
		companyField,
		{
			displayName: 'Job Name',
			name: 'jobName',
			type: 'string',
			default: '',
			description: 'Only runs of the scheduled job with this exact name. Empty: all runs.',
		},
		...returnAllFields,
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runOperation(this, {
		ipsOperation: 'getActiveJobs',
		sideEffect: 'read',
		roles: JOB_OPERATION_ROLES,
		action: (itemIndex) => `list the active job runs for item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const jobName = String(this.getNodeParameter('jobName', itemIndex, '') ?? '').trim();
			const runs = await client.getActiveJobs(companyHandle, jobName || undefined);
			return runs.slice(0, limitOf(this, itemIndex)).map((run) => ({
				json: {
					companyHandle: run.companyHandle || companyHandle,
					runHandle: run.jobHandle,
					runName: run.name,
					jobName: run.originalName || null,
					type: run.type || null,
					state: run.state || null,
					startDate: run.startDate || null,
					progress: run.progress ?? null,
					progressMessage: run.progressMessage || null,
					submitUserEmail: run.submitUserEmail || null,
				},
			}));
		},
	});
}
