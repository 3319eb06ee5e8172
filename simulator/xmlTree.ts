// Parses an incoming request into elements with resolved namespaces, which the server needs to
// tell API versions apart and to validate bodies as IPS would.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
	/** Local name, without prefix. */
	name: string;
	/** Resolved namespace URI ('' when none). */
	ns: string;
	attrs: Record<string, string>;
	children: XmlElement[];
	text: string;
}

const parser = new XMLParser({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	parseTagValue: false,
	parseAttributeValue: false,
	// Never trim or repair what a client sent: IPS receives handles and passwords as they are.
	trimValues: false,
	htmlEntities: { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as unknown as boolean,
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

export class XmlReadError extends Error {}

export function parseXmlTree(text: string): XmlElement {
	if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlReadError('DOCTYPE is not allowed');
	const valid = XMLValidator.validate(text);
	if (valid !== true) throw new XmlReadError(`${valid.err.msg} (line ${valid.err.line})`);
	const nodes = parser.parse(text) as OrderedNode[];
	const roots = convert(nodes, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
	if (roots.length !== 1) throw new XmlReadError('The document must have exactly one root element');
	return roots[0];
}

function convert(nodes: OrderedNode[], scope: Map<string, string>): XmlElement[] {
	const out: XmlElement[] = [];
	for (const node of nodes) {
		const tag = Object.keys(node).find((key) => key !== ':@');
		if (!tag || tag === '#text' || tag.startsWith('?')) continue;
		const attrs = node[':@'] ?? {};
		const local = new Map(scope);
		for (const [attr, value] of Object.entries(attrs)) {
			if (attr === 'xmlns') local.set('', value);
			else if (attr.startsWith('xmlns:')) local.set(attr.slice(6), value);
		}
		const colon = tag.indexOf(':');
		const prefix = colon === -1 ? '' : tag.slice(0, colon);
		const ns = local.get(prefix);
		if (ns === undefined && prefix)
			throw new XmlReadError(`Undeclared namespace prefix "${prefix}"`);
		const content = (node[tag] as OrderedNode[]) ?? [];
		const children = convert(content, local);
		const text = content
			.filter((c) => '#text' in c)
			.map((c) => String(c['#text']))
			.join('');
		out.push({
			name: tag.slice(colon + 1),
			ns: ns ?? '',
			attrs,
			children,
			// Layout between child elements is not text.
			text: children.length ? text.trim() : text,
		});
	}
	return out;
}

export function childOf(element: XmlElement | undefined, name: string): XmlElement | undefined {
	return element?.children.find((c) => c.name === name);
}

export function childText(element: XmlElement | undefined, name: string): string | undefined {
	const child = childOf(element, name);
	return child === undefined ? undefined : child.text;
}
