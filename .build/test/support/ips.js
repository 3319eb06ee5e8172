"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEMO_PASSWORD = exports.DEMO_USER = void 0;
exports.credentialFor = credentialFor;
exports.byHandle = byHandle;
exports.fromList = fromList;
exports.canonicalXml = canonicalXml;
exports.DEMO_USER = 'demo@example.com';
exports.DEMO_PASSWORD = 'demo-password';
function credentialFor(sim, overrides = {}) {
    return {
        user: exports.DEMO_USER,
        password: exports.DEMO_PASSWORD,
        role: 'IpsUser',
        region: 'custom',
        serviceUrl: sim.url,
        apiVersion: '2014-04-03',
        appName: 'n8n-nodes-scene7-ips',
        appVersion: 'test',
        ...overrides,
    };
}
function byHandle(value) {
    return { __rl: true, mode: 'id', value };
}
function fromList(value, cachedResultName) {
    return { __rl: true, mode: 'list', value, cachedResultName };
}
/** Whitespace between tags removed, runs of white space in text folded: for comparing XML. */
function canonicalXml(xml) {
    return xml
        .replace(/<\?xml[^>]*\?>/, '')
        .replace(/>\s+</g, '><')
        .replace(/\s+/g, ' ')
        .trim();
}
//# sourceMappingURL=ips.js.map