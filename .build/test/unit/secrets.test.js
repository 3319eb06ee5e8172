"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const secrets_1 = require("../support/secrets");
// The scan that runs after every test must be able to fail.
describe('the secret scan', () => {
    it('finds a registered password anywhere in a produced text', () => {
        (0, secrets_1.registerSecret)('correct horse battery');
        const leaks = (0, secrets_1.findLeaks)([
            { source: 'execution', text: '{"error":"bad: correct horse battery staple"}' },
        ]);
        expect(leaks).toEqual([{ source: 'execution', leak: 'password co…' }]);
    });
    it('finds an unredacted password element, and lets a redacted one pass', () => {
        expect((0, secrets_1.findLeaks)([{ source: 'stdout', text: '<authHeader><user>u</user><password>x</password>' }])).toHaveLength(1);
        expect((0, secrets_1.findLeaks)([
            { source: 'stdout', text: '<authHeader>***</authHeader> <password>***</password>' },
        ])).toEqual([]);
    });
});
//# sourceMappingURL=secrets.test.js.map