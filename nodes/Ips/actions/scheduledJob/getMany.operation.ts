// Scheduled Job → Get Many: a company's scheduled jobs (getScheduledJobs), optionally by name.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { limitOf } from '../../n8n/parameters';
import { companyField, returnAllFields } from '../common.fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['scheduledJob'], operation: ['getMany'] } },
	[
		companyField,
		{
			displayName: 'Name Contains',
			name: 'nameContains',
			type: 'string',
			default: '',
			description: 'Only jobs whose name contains this text (not case-sensitive). Empty: all.',
		},
		...returnAllFields,
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runOperation(this, {
		ipsOperation: 'getScheduledJobs',
		sideEffect: 'read',
		roles: JOB_OPERATION_ROLES,
		action: (itemIndex) => `list the scheduled jobs for item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const needle = String(this.getNodeParameter('nameContains', itemIndex, '') ?? '')
				.trim()
				.toLowerCase();
			const limit = limitOf(this, itemIndex);
			const jobs = (await client.getScheduledJobs(companyHandle)).filter(
				(job) => !needle || job.name.toLowerCase().includes(needle),
			);
			return jobs.slice(0, limit).map((job) => ({
				json: {
					companyHandle: job.companyHandle || companyHandle,
					jobHandle: job.jobHandle,
					name: job.name,
					type: job.type || null,
					schedule: job.execSchedule || null,
					nextFireTime: job.nextFireTime || null,
					timeZone: job.timeZone || null,
					state: job.triggerState || null,
					submitUserEmail: job.submitUserEmail || null,
				},
			}));
		},
	});
}
