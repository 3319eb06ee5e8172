"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.XmlReadError = void 0;
exports.parseXmlTree = parseXmlTree;
exports.childOf = childOf;
exports.childText = childText;
// Parses an incoming request into elements with resolved namespaces, which the server needs to
// tell API versions apart and to validate bodies as IPS would.
const fast_xml_parser_1 = require("fast-xml-parser");
const parser = new fast_xml_parser_1.XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    htmlEntities: { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" },
});
class XmlReadError extends Error {
}
exports.XmlReadError = XmlReadError;
function parseXmlTree(text) {
    if (/<!DOCTYPE|<!ENTITY/i.test(text))
        throw new XmlReadError('DOCTYPE is not allowed');
    const valid = fast_xml_parser_1.XMLValidator.validate(text);
    if (valid !== true)
        throw new XmlReadError(`${valid.err.msg} (line ${valid.err.line})`);
    const nodes = parser.parse(text);
    const roots = convert(nodes, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
    if (roots.length !== 1)
        throw new XmlReadError('The document must have exactly one root element');
    return roots[0];
}
function convert(nodes, scope) {
    const out = [];
    for (const node of nodes) {
        const tag = Object.keys(node).find((key) => key !== ':@');
        if (!tag || tag === '#text' || tag.startsWith('?'))
            continue;
        const attrs = node[':@'] ?? {};
        const local = new Map(scope);
        for (const [attr, value] of Object.entries(attrs)) {
            if (attr === 'xmlns')
                local.set('', value);
            else if (attr.startsWith('xmlns:'))
                local.set(attr.slice(6), value);
        }
        const colon = tag.indexOf(':');
        const prefix = colon === -1 ? '' : tag.slice(0, colon);
        const ns = local.get(prefix);
        if (ns === undefined && prefix)
            throw new XmlReadError(`Undeclared namespace prefix "${prefix}"`);
        const content = node[tag] ?? [];
        const text = content
            .filter((c) => '#text' in c)
            .map((c) => String(c['#text']))
            .join('');
        out.push({
            name: tag.slice(colon + 1),
            ns: ns ?? '',
            attrs,
            children: convert(content, local),
            text,
        });
    }
    return out;
}
function childOf(element, name) {
    return element?.children.find((c) => c.name === name);
}
function childText(element, name) {
    const child = childOf(element, name);
    return child === undefined ? undefined : child.text;
}
//# sourceMappingURL=xmlTree.js.map