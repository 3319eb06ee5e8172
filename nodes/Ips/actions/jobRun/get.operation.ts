// Job Run → Get: the state of one run by its handle (ips/runState.ts), optionally with its failed
// files. With n8n's Wait node in a loop, it waits for runs of any length without holding a worker.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import { stateOfRun } from '../../ips/runState';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { withProblems } from '../scheduledJob/runNow.operation';
import { companyField, runField } from '../common.fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['jobRun'], operation: ['get'] } },
	[
		companyField,
		runField,
		{
			displayName: 'Include Failed Files',
			name: 'includeFailedFiles',
			type: 'boolean',
			default: false,
			description:
				'Whether a run that ended with errors or warnings also gets its failed and warned files (problems, problemCount): one more request',
		},
	],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal();
	return await runOperation(this, {
		ipsOperation: 'getActiveJobs',
		sideEffect: 'read',
		roles: JOB_OPERATION_ROLES,
		action: (itemIndex) => `read the state of the job run of item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const runHandle = handleOf(this, 'runHandle', itemIndex);
			const run = {
				companyHandle,
				...(await stateOfRun(client, companyHandle, runHandle, signal)),
			};
			const withFiles = this.getNodeParameter('includeFailedFiles', itemIndex, false) === true;
			const ended = run.status !== 'running' && run.status !== 'unknown';
			return { json: withFiles && ended ? await withProblems(client, run) : run };
		},
	});
}
