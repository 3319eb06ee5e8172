"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ipsSchema = ipsSchema;
exports.validateAgainstSchema = validateAgainstSchema;
// Validates pre-4.0 request bodies against the schema in Adobe's WSDL (the subset it uses:
// elements, complexType, sequence, minOccurs/maxOccurs and xsd simple types).
const node_fs_1 = require("node:fs");
const files_1 = require("./files");
const xmlTree_1 = require("./xmlTree");
const XSD = 'http://www.w3.org/2001/XMLSchema';
const SIMPLE = {
    string: /^[\s\S]*$/,
    int: /^[+-]?\d{1,10}$/,
    long: /^[+-]?\d{1,19}$/,
    double: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN)$/,
    boolean: /^(true|false|1|0)$/,
    dateTime: /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
};
let cached;
function ipsSchema() {
    return (cached ??= loadSchema((0, files_1.findProjectFile)('simulator/schema/IpsApi.wsdl')));
}
function loadSchema(file) {
    const root = (0, xmlTree_1.parseXmlTree)((0, node_fs_1.readFileSync)(file, 'utf8'));
    const types = root.children.find((c) => c.name === 'types');
    const blocks = (types?.children ?? []).filter((c) => c.name === 'schema' && c.ns === XSD);
    const schema = {
        namespace: 'http://www.scene7.com/IpsApi/xsd',
        elements: new Map(),
        types: new Map(),
    };
    // Both blocks share one target namespace: merge them into one schema.
    for (const block of blocks) {
        for (const decl of block.children) {
            const name = attr(decl, 'name');
            if (decl.name === 'complexType')
                schema.types.set(name, sequenceOf(decl));
            if (decl.name === 'element') {
                const inline = decl.children.find((c) => c.name === 'complexType');
                schema.elements.set(name, inline ? sequenceOf(inline) : []);
            }
        }
    }
    return schema;
}
function attr(element, name) {
    return element.attrs[name] ?? '';
}
function sequenceOf(complexType) {
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
function validateAgainstSchema(element) {
    const schema = ipsSchema();
    const particles = schema.elements.get(element.name);
    if (!particles)
        return `Unknown element ${element.name}`;
    if (element.ns !== schema.namespace)
        return `${element.name} is not in namespace ${schema.namespace}`;
    return validateChildren(element, particles, schema);
}
function validateChildren(element, particles, schema) {
    let index = 0;
    for (const particle of particles) {
        let count = 0;
        while (index < element.children.length && element.children[index].name === particle.name) {
            const child = element.children[index];
            if (child.ns !== schema.namespace) {
                return `Element ${child.name} in ${element.name} must be in namespace ${schema.namespace} (found "${child.ns}")`;
            }
            const problem = validateContent(child, particle, schema);
            if (problem)
                return problem;
            count++;
            index++;
        }
        if (count < particle.min)
            return `Missing element ${particle.name} in ${element.name}`;
        if (count > particle.max)
            return `Too many ${particle.name} elements in ${element.name}`;
    }
    if (index < element.children.length) {
        return `Unexpected element ${element.children[index].name} in ${element.name}`;
    }
    return undefined;
}
function validateContent(element, particle, schema) {
    if (particle.inline)
        return validateChildren(element, particle.inline, schema);
    const simple = SIMPLE[particle.type];
    if (simple) {
        if (element.children.length)
            return `Element ${element.name} must hold text only`;
        return simple.test(element.text)
            ? undefined
            : `Invalid ${particle.type} value in ${element.name}: "${element.text}"`;
    }
    const complex = schema.types.get(particle.type);
    if (!complex)
        return `Unknown type ${particle.type}`;
    return validateChildren(element, complex, schema);
}
//# sourceMappingURL=schema.js.map