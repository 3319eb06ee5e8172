// What a model reads of each operation when an IPS node is an AI Agent's tool, worked out as n8n does
// at run time: the tool variant (type name ending in "Tool") fills in its displayed defaults, and
// n8n-workflow's getToolDescriptionForNode picks the description.
import type { INode, INodeParameters, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { Ips } from '../../nodes/Ips/Ips.node';
import { IpsExecuteJob } from '../../nodes/Ips/IpsExecuteJob.node';

function nodeOf(type: string, parameters: INodeParameters): INode {
	return { id: 'n', name: 'n', type, typeVersion: 1, position: [0, 0], parameters };
}

function toolDescription(nodeType: INodeType, set: INodeParameters, asTool = true): string {
	const description = {
		...nodeType.description,
		name: `${nodeType.description.name}${asTool ? 'Tool' : ''}`,
	};
	const node = nodeOf(description.name, set);
	const parameters = NodeHelpers.getNodeParameters(
		description.properties,
		set,
		true,
		false,
		node,
		description,
	);
	return NodeHelpers.getToolDescriptionForNode({ ...node, parameters: parameters! }, {
		description,
	} as INodeType);
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

describe('the IPS nodes as AI Agent tools', () => {
	it('has all twelve operations', () => expect(operations).toHaveLength(12));

	it.each(operations)('$resource → $operation tells a model what it changes', (parameters) => {
		const text = toolDescription(new Ips(), parameters);
		if (READS.includes(parameters.operation)) expect(text).toMatch(/IPS\b.*\. Changes nothing\.$/);
		else if (STARTS.includes(parameters.operation))
			expect(text).toMatch(/IPS\b.*\. Every call starts a new run: never call it again to check/);
		else expect(text).toMatch(/IPS\b.*: call it once per request\.$/);
	});

	it('a description the user wrote in the tool is the one the model reads', () => {
		const set = { resource: 'jobRun', operation: 'getActive', toolDescription: 'What runs now' };
		expect(toolDescription(new Ips(), set)).toBe('What runs now');
	});

	it('the node outside an agent has no such field', () => {
		const set = { resource: 'jobRun', operation: 'getActive' };
		const description = new Ips().description;
		const parameters = NodeHelpers.getNodeParameters(
			description.properties,
			set,
			true,
			false,
			nodeOf('ips', set),
			description,
		);
		expect(parameters).not.toHaveProperty('toolDescription');
	});

	it('IPS: Execute Job says that every call starts a run', () => {
		expect(toolDescription(new IpsExecuteJob(), {})).toBe(
			'Run an IPS job. Every call starts a new run: never call it again to check on a run.',
		);
	});
});
