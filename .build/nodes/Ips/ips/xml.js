"use strict";
// The only way this project writes XML: element names are constants from code, every text value
// is escaped here, and characters XML 1.0 cannot carry are refused instead of being sent.
Object.defineProperty(exports, "__esModule", { value: true });
exports.XmlValueError = void 0;
exports.xmlTextProblem = xmlTextProblem;
exports.escapeXmlText = escapeXmlText;
exports.renderElement = renderElement;
exports.renderChildren = renderChildren;
/** A value that cannot be sent as XML text; names the field so the user can find it. */
class XmlValueError extends Error {
    field;
    detail;
    constructor(field, detail) {
        super(`The value of "${field}" ${detail}`);
        this.field = field;
        this.detail = detail;
        this.name = 'XmlValueError';
    }
}
exports.XmlValueError = XmlValueError;
const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// Anything outside XML 1.0's Char production: C0 controls other than tab/LF/CR, lone surrogates,
// U+FFFE and U+FFFF.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&apos;',
    // A literal CR would be normalised to LF by the receiving parser: send it as a reference.
    '\r': '&#13;',
};
/** Why `value` cannot be XML text ("contains … U+0000 at position 3"), or undefined when it can. */
function xmlTextProblem(value) {
    const bad = NOT_XML_CHAR.exec(value);
    if (!bad)
        return undefined;
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `contains a character that XML cannot carry (U+${code} at position ${bad.index + 1}); remove it`;
}
function escapeXmlText(value, field) {
    const problem = xmlTextProblem(value);
    if (problem)
        throw new XmlValueError(field, problem);
    return value.replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch]);
}
/** Renders `<name xmlns="…">…</name>`; nested children inherit the default namespace. */
function renderElement(name, value, namespace) {
    if (!ELEMENT_NAME.test(name))
        throw new Error(`Invalid XML element name: ${name}`);
    const open = namespace === undefined ? name : `${name} xmlns="${escapeXmlText(namespace, name)}"`;
    if (value === undefined)
        return '';
    if (typeof value === 'string')
        return `<${open}>${escapeXmlText(value, name)}</${name}>`;
    return `<${open}>${renderChildren(value)}</${name}>`;
}
function renderChildren(children) {
    let xml = '';
    for (const [name, value] of children)
        xml += renderElement(name, value);
    return xml;
}
//# sourceMappingURL=xml.js.map