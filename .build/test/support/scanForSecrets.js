"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Runs after every test of the suite: fails the test if any output item, error, description or
// log line it produced holds a password or a SOAP auth header.
const secrets_1 = require("./secrets");
(0, secrets_1.startRecording)();
const methods = ['log', 'info', 'warn', 'error', 'debug'];
for (const method of methods) {
    const original = console[method].bind(console);
    console[method] = (...args) => {
        (0, secrets_1.recordProduced)(`console.${method}`, args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : a)));
        original(...args);
    };
}
for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk, ...rest) => {
        (0, secrets_1.recordProduced)(stream === process.stdout ? 'stdout' : 'stderr', String(chunk));
        return original(chunk, ...rest);
    });
}
afterEach(() => {
    const leaks = (0, secrets_1.findLeaks)((0, secrets_1.takeProduced)());
    expect(leaks).toEqual([]);
});
//# sourceMappingURL=scanForSecrets.js.map