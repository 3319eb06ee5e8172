// Job Run → Get Problems: the failed and warned files of one run (getJobLogDetails), one item each.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { ProblemKind } from '../../ips/logTypes';
import { JOB_LOG_DETAIL_ROLES } from '../../ips/roles';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { limitOf } from '../../n8n/parameters';
import { companyField, returnAllFields, runField } from '../common.fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['jobRun'], operation: ['getProblems'] } },
	[
		companyField,
		runField,
		{
			displayName: 'Show',
			name: 'problemKind',
			type: 'options',
			default: 'all',
			options: [
				{ name: 'Errors and Warnings', value: 'all' },
				{ name: 'Errors Only', value: 'errors' },
				{ name: 'Warnings Only', value: 'warnings' },
			],
		},
		...returnAllFields,
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runOperation(this, {
		ipsOperation: 'getJobLogDetails',
		sideEffect: 'read',
		roles: JOB_LOG_DETAIL_ROLES,
		action: (itemIndex) => `read the failed files of the job run of item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const runHandle = handleOf(this, 'runHandle', itemIndex);
			const kind = this.getNodeParameter('problemKind', itemIndex, 'all') as ProblemKind;
			const { problems, runName, runEnded } = await client.getProblems(companyHandle, runHandle, {
				kind,
				max: limitOf(this, itemIndex),
			});
			return problems.map((problem) => ({
				json: {
					companyHandle,
					runHandle,
					runName: runName || null,
					// false: the run's log is not final yet, so more files may still fail.
					runEnded,
					severity: problem.severity,
					assetName: problem.assetName || null,
					assetType: problem.assetType || null,
					logType: problem.logType,
					message: problem.logMessage,
				},
			}));
		},
	});
}
