"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildEnvelope = buildEnvelope;
exports.soapHttpHeaders = soapHttpHeaders;
// A SOAP 1.1 request for any IPS operation: authHeader in the unversioned namespace, the body's
// `<operation>Param` in the chosen API version's namespace (ips-api.md §2, §3).
const namespaces_1 = require("./namespaces");
const xml_1 = require("./xml");
function buildEnvelope({ operation, namespace, auth, children }) {
    const header = auth ? `<soapenv:Header>${renderAuthHeader(auth)}</soapenv:Header>` : '';
    return ('<?xml version="1.0" encoding="UTF-8"?>' +
        `<soapenv:Envelope xmlns:soapenv="${namespaces_1.SOAP_ENVELOPE_NAMESPACE}">` +
        header +
        `<soapenv:Body>${(0, xml_1.renderElement)(`${operation}Param`, children, namespace)}</soapenv:Body>` +
        '</soapenv:Envelope>');
}
/** Operations whose answer is an empty element: compressing it would only cost time on both sides. */
const EMPTY_ANSWER_OPERATIONS = new Set([
    'executeJob',
    'pauseJob',
    'resumeJob',
    'stopJob',
    'deleteJob',
]);
function soapHttpHeaders(operation) {
    const headers = {
        'content-type': 'text/xml; charset=UTF-8',
        soapaction: operation,
    };
    // Lists (jobs, logs, companies) can be large: those answers may come gzip-compressed.
    if (!EMPTY_ANSWER_OPERATIONS.has(operation))
        headers['accept-encoding'] = 'gzip';
    return headers;
}
function renderAuthHeader(auth) {
    // The schema's order: user, password, locale, appName, appVersion, gzipResponse, faultHttpStatusCode.
    const children = [
        ['user', auth.user],
        ['password', auth.password],
        ['locale', auth.locale || undefined],
        ['appName', auth.appName],
        ['appVersion', auth.appVersion],
        ['gzipResponse', auth.gzipResponse === undefined ? undefined : String(auth.gzipResponse)],
        [
            'faultHttpStatusCode',
            auth.faultHttpStatusCode === undefined ? undefined : String(auth.faultHttpStatusCode),
        ],
    ];
    for (const [field, value] of children) {
        // Name only the credential field: the builder's message gives a position inside the value.
        if (typeof value === 'string' && (0, xml_1.xmlTextProblem)(value)) {
            throw new xml_1.XmlValueError(`credential ${field}`, 'contains a character that XML cannot carry');
        }
    }
    return (0, xml_1.renderElement)('authHeader', children, namespaces_1.UNVERSIONED_NAMESPACE);
}
//# sourceMappingURL=envelope.js.map