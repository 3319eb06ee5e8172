// What a model reads of each operation when an IPS node is an AI Agent's tool: n8n's own automatic
// tool description, built from the tool variant n8n makes of the node (usableAsTool.replacements).
import type { INode, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { Ips } from '../../nodes/Ips/Ips.node';
import { IpsExecuteJob } from '../../nodes/Ips/IpsExecuteJob.node';

function asTool(nodeType: INodeType): INodeType {
	const { usableAsTool } = nodeType.description;
	const replacements = typeof usableAsTool === 'object' ? usableAsTool.replacements : {};
	return { description: { ...nodeType.description, ...replacements } as INodeTypeDescription };
}

function toolDescription(nodeType: INodeType, parameters: INode['parameters']): string {
	const node = { name: 'tool', type: 't', typeVersion: 1, position: [0, 0], parameters } as INode;
	return NodeHelpers.getToolDescriptionForNode(node, asTool(nodeType));
}

const operations = new Ips().description.properties
	.filter((property) => property.name === 'operation')
	.flatMap((property) =>
		(property.options ?? []).map((option) => ({
			resource: String(property.displayOptions?.show?.resource?.[0]),
			operation: String((option as { value: string }).value),
		})),
	);

const READS = ['getMany', 'get', 'getActive', 'getHistory', 'getProblems'];
const STARTS = ['runNow', 'publish', 'uploadFromUrls'];

describe('the IPS node as an AI Agent tool', () => {
	it('has all twelve operations', () => expect(operations).toHaveLength(12));

	it.each(operations)('$resource → $operation tells a model what it changes', (parameters) => {
		const text = toolDescription(new Ips(), parameters);
		if (READS.includes(parameters.operation)) expect(text).toMatch(/; changes nothing in IPS$/);
		else if (STARTS.includes(parameters.operation))
			expect(text).toMatch(/every call starts a new .*run, so never call it again to check/);
		else expect(text).toMatch(/call it once per request in IPS$/);
	});

	it('keeps the short actions in the editor (the node itself is unchanged)', () => {
		const jobRun = new Ips().description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'jobRun',
		);
		expect(jobRun?.options?.map((o) => (o as { action: string }).action)).toEqual([
			'Get a job run',
			'Get active job runs',
			'Get the job run history',
			'Get the problems of a job run',
			'Stop a job run',
		]);
	});

	it('IPS: Execute Job says that every call starts a run', () => {
		expect(toolDescription(new IpsExecuteJob(), {})).toBe(
			'Run an IPS job: every call starts a new run, so never call it again to check on a run',
		);
	});
});
