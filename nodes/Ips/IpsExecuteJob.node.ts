import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { EVERY_CALL_STARTS_A_RUN, toolDescriptionField } from './actions/common.fields';
import * as runNow from './actions/scheduledJob/runNow.operation';
import { ipsApiCredentialTest } from './methods/credentialTest';
import { searchCompanies, searchJobs } from './methods/listSearch';

export class IpsExecuteJob implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IPS: Execute Job',
		name: 'ipsExecuteJob',
		icon: { light: 'file:ips.svg', dark: 'file:ips.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{"Run " + ($parameter["jobHandle"].cachedResultName || $parameter["jobHandle"].value || $parameter["jobHandle"] || "a job")}}',
		description: 'Run an Adobe Dynamic Media Classic (Scene7) IPS job',
		defaults: { name: 'IPS: Execute Job' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ipsApi', required: true, testedBy: 'ipsApiCredentialTest' }],
		properties: [
			...runNow.properties,
			toolDescriptionField(`Run an IPS job. ${EVERY_CALL_STARTS_A_RUN}.`),
		],
	};

	methods = {
		listSearch: { searchCompanies, searchJobs },
		credentialTest: { ipsApiCredentialTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await runNow.execute.call(this)];
	}
}
