// Scheduled Job → Resume (resumeJob): safe to repeat.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { changeState, stateChangeDescription } from './changeState';

export const description = stateChangeDescription('resume');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await changeState(this, 'resumeJob');
}
