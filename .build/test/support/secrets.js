"use strict";
// Every password a test hands to the node, and every text the suite produces (outputs, errors,
// descriptions, log lines), so that a check after each test can prove no secret got out.
Object.defineProperty(exports, "__esModule", { value: true });
exports.startRecording = startRecording;
exports.registerSecret = registerSecret;
exports.recordProduced = recordProduced;
exports.findLeaks = findLeaks;
exports.takeProduced = takeProduced;
const secrets = new Set(['demo-password', 'admin-password', 'webservice-password']);
const produced = [];
// Only the test suite scans (scanForSecrets.ts turns it on); the demo and benchmarks keep nothing.
let recording = false;
function startRecording() {
    recording = true;
}
function registerSecret(secret) {
    if (typeof secret === 'string' && secret.length >= 4)
        secrets.add(secret);
}
function recordProduced(source, value) {
    if (!recording)
        return;
    produced.push({
        source,
        text: typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
    });
}
/** The produced texts that hold a registered secret or an unredacted SOAP auth header. */
function findLeaks(texts = produced) {
    const leaks = [];
    for (const { source, text } of texts) {
        for (const secret of secrets)
            if (text.includes(secret))
                leaks.push({ source, leak: `password ${secret.slice(0, 2)}…` });
        if (/<password>(?!\*\*\*<)/.test(text))
            leaks.push({ source, leak: 'a <password> element' });
    }
    return leaks;
}
function takeProduced() {
    return produced.splice(0);
}
//# sourceMappingURL=secrets.js.map