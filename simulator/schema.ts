// Validates pre-4.0 request bodies against the schema in Adobe's WSDL (the subset it uses:
// elements, complexType, sequence, minOccurs/maxOccurs and xsd simple types).
import { readFileSync } from 'node:fs';
import { findProjectFile } from './files';
import { parseXmlTree, XmlElement } from './xmlTree';

const XSD = 'http://www.w3.org/2001/XMLSchema';

interface Particle {
	name: string;
	type: string;
	min: number;
	max: number;
	/** Inline anonymous type, when there is no `type` attribute. */
	inline?: Particle[];
}

interface Schema {
	namespace: string;
	elements: Map<string, Particle[]>;
	types: Map<string, Particle[]>;
}

const SIMPLE: Record<string, RegExp> = {
	string: /^[\s\S]*$/,
	int: /^[+-]?\d{1,10}$/,
	long: /^[+-]?\d{1,19}$/,
	double: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN)$/,
	boolean: /^(true|false|1|0)$/,
	dateTime: /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
};

let cached: Schema | undefined;

export function ipsSchema(): Schema {
	return (cached ??= loadSchema(findProjectFile('simulator/schema/IpsApi.wsdl')));
}

function loadSchema(file: string): Schema {
	const root = parseXmlTree(readFileSync(file, 'utf8'));
	const types = root.children.find((c) => c.name === 'types');
	const blocks = (types?.children ?? []).filter((c) => c.name === 'schema' && c.ns === XSD);
	const schema: Schema = {
		namespace: 'http://www.scene7.com/IpsApi/xsd',
		elements: new Map(),
		types: new Map(),
	};
	// Both blocks share one target namespace: merge them into one schema.
	for (const block of blocks) {
		for (const decl of block.children) {
			const name = attr(decl, 'name');
			if (decl.name === 'complexType') schema.types.set(name, sequenceOf(decl));
			if (decl.name === 'element') {
				const inline = decl.children.find((c) => c.name === 'complexType');
				schema.elements.set(name, inline ? sequenceOf(inline) : []);
			}
		}
	}
	return schema;
}

function attr(element: XmlElement, name: string): string {
	return element.attrs[name] ?? '';
}

function sequenceOf(complexType: XmlElement): Particle[] {
	const sequence = complexType.children.find((c) => c.name === 'sequence');
	return (sequence?.children ?? [])
		.filter((c) => c.name === 'element')
		.map((c) => {
			const max = attr(c, 'maxOccurs');
			const inline = c.children.find((x) => x.name === 'complexType');
			return {
				name: attr(c, 'name'),
				type: attr(c, 'type').replace(/^\w+:/, ''),
				min: attr(c, 'minOccurs') === '' ? 1 : Number(attr(c, 'minOccurs')),
				max: max === 'unbounded' ? Infinity : max === '' ? 1 : Number(max),
				inline: inline ? sequenceOf(inline) : undefined,
			};
		});
}

/** The first way `element` breaks the schema of the top-level element of its name, or undefined. */
export function validateAgainstSchema(element: XmlElement): string | undefined {
	const schema = ipsSchema();
	const particles = schema.elements.get(element.name);
	if (!particles) return `Unknown element ${element.name}`;
	if (element.ns !== schema.namespace)
		return `${element.name} is not in namespace ${schema.namespace}`;
	return validateChildren(element, particles, schema);
}

function validateChildren(
	element: XmlElement,
	particles: Particle[],
	schema: Schema,
): string | undefined {
	let index = 0;
	for (const particle of particles) {
		let count = 0;
		while (index < element.children.length && element.children[index].name === particle.name) {
			const child = element.children[index];
			if (child.ns !== schema.namespace) {
				return `Element ${child.name} in ${element.name} must be in namespace ${schema.namespace} (found "${child.ns}")`;
			}
			const problem = validateContent(child, particle, schema);
			if (problem) return problem;
			count++;
			index++;
		}
		if (count < particle.min) return `Missing element ${particle.name} in ${element.name}`;
		if (count > particle.max) return `Too many ${particle.name} elements in ${element.name}`;
	}
	if (index < element.children.length) {
		return `Unexpected element ${element.children[index].name} in ${element.name}`;
	}
	return undefined;
}

function validateContent(
	element: XmlElement,
	particle: Particle,
	schema: Schema,
): string | undefined {
	if (particle.inline) return validateChildren(element, particle.inline, schema);
	const simple = SIMPLE[particle.type];
	if (simple) {
		if (element.children.length) return `Element ${element.name} must hold text only`;
		return simple.test(element.text)
			? undefined
			: `Invalid ${particle.type} value in ${element.name}: "${element.text}"`;
	}
	const complex = schema.types.get(particle.type);
	if (!complex) return `Unknown type ${particle.type}`;
	return validateChildren(element, complex, schema);
}

/**
 * What later API versions added to the parts of submitJob the simulator checks, and where: the
 * simulator's own copy (Adobe's reference and the answers recorded from 2010-01-31), not the product's.
 */
const ADDED_SINCE: Array<{ parent: string; name: string; after: string; since: string }> = [
	{
		parent: 'uploadUrlsJob',
		name: 'preservePublishState',
		after: 'readyForPublish',
		since: '2010-01-31',
	},
];

/**
 * A newer version's submitJobParam, checked against the pre-4.0 schema once the elements that
 * version added are found in their place and taken out; the first problem, or undefined.
 */
export function checkSubmitJobOrder(param: XmlElement, version: string): string | undefined {
	const strip = (element: XmlElement): XmlElement | string => {
		const children: XmlElement[] = [];
		for (const [index, child] of element.children.entries()) {
			if (child.ns !== param.ns)
				return `Element ${child.name} in ${element.name} must be in namespace ${param.ns} (found "${child.ns}")`;
			const added = ADDED_SINCE.find((a) => a.parent === element.name && a.name === child.name);
			if (added) {
				if (version < added.since)
					return `Unexpected element ${child.name} in ${element.name} (API ${version})`;
				if (element.children[index - 1]?.name !== added.after)
					return `Element ${child.name} in ${element.name} must follow ${added.after}`;
				continue;
			}
			const inner = strip(child);
			if (typeof inner === 'string') return inner;
			children.push(inner);
		}
		return { ...element, ns: ipsSchema().namespace, children };
	};
	const stripped = strip(param);
	return typeof stripped === 'string' ? stripped : validateAgainstSchema(stripped);
}
