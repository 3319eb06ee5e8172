// The IPS node's router: resource + operation → the operation's execute. Adding an operation is one
// file and one line here.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import * as companyGetMany from './company/getMany.operation';
import * as jobPublish from './job/publish.operation';
import * as jobUploadFromUrls from './job/uploadFromUrls.operation';
import * as jobRunGet from './jobRun/get.operation';
import * as jobRunGetActive from './jobRun/getActive.operation';
import * as jobRunGetHistory from './jobRun/getHistory.operation';
import * as jobRunGetProblems from './jobRun/getProblems.operation';
import * as jobRunStop from './jobRun/stop.operation';
import * as scheduledJobGetMany from './scheduledJob/getMany.operation';
import * as scheduledJobPause from './scheduledJob/pause.operation';
import * as scheduledJobResume from './scheduledJob/resume.operation';
import * as scheduledJobRunNow from './scheduledJob/runNow.operation';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

export const OPERATIONS: Record<string, Record<string, { execute: Execute }>> = {
	company: { getMany: companyGetMany },
	scheduledJob: {
		getMany: scheduledJobGetMany,
		runNow: scheduledJobRunNow,
		pause: scheduledJobPause,
		resume: scheduledJobResume,
	},
	job: { publish: jobPublish, uploadFromUrls: jobUploadFromUrls },
	jobRun: {
		get: jobRunGet,
		getActive: jobRunGetActive,
		getHistory: jobRunGetHistory,
		getProblems: jobRunGetProblems,
		stop: jobRunStop,
	},
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const found =
		Object.hasOwn(OPERATIONS, resource) && Object.hasOwn(OPERATIONS[resource], operation);
	if (!found) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return [await OPERATIONS[resource][operation].execute.call(this)];
}
