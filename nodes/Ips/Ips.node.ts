import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { properties } from './actions/node.description';
import { route } from './actions/router';
import { ipsApiCredentialTest } from './methods/credentialTest';
import { searchActiveRuns, searchCompanies, searchJobs } from './methods/listSearch';

export class Ips implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IPS',
		name: 'ips',
		icon: { light: 'file:ips.svg', dark: 'file:ips.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Adobe Dynamic Media Classic (Scene7) IPS jobs: runs, history, stop, pause, resume',
		defaults: { name: 'IPS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ipsApi', required: true, testedBy: 'ipsApiCredentialTest' }],
		properties,
	};

	methods = {
		listSearch: { searchCompanies, searchJobs, searchActiveRuns },
		credentialTest: { ipsApiCredentialTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
