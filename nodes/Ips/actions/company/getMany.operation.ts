// Company → Get Many: the companies the signed-in user belongs to (getCompanyMembership).
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { runOperation } from '../../n8n/operation';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['company'], operation: ['getMany'] } },
	[],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runOperation(this, {
		ipsOperation: 'getCompanyMembership',
		sideEffect: 'read',
		action: (itemIndex) => `list the companies for item ${itemIndex}`,
		work: async (client) =>
			(await client.getCompanyMembership()).map((company) => ({
				json: {
					companyHandle: company.companyHandle,
					name: company.name,
					role: company.role || null,
				},
			})),
	});
}
