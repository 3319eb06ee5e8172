// Scheduled Job → Pause (pauseJob): safe to repeat; a paused job's schedule does not fire.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { changeState, stateChangeDescription } from './changeState';

export const description = stateChangeDescription('pause');

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await changeState(this, 'pauseJob');
}
