import { findLeaks, registerSecret } from '../support/secrets';

// The scan that runs after every test must be able to fail.
describe('the secret scan', () => {
	it('finds a registered password anywhere in a produced text', () => {
		registerSecret('correct horse battery');
		const leaks = findLeaks([
			{ source: 'execution', text: '{"error":"bad: correct horse battery staple"}' },
		]);
		expect(leaks).toEqual([{ source: 'execution', leak: 'password co…' }]);
	});

	it('finds a password holding quotes and backslashes inside JSON, and its encoded echoes', () => {
		const secret = 'a"b\\c<d';
		registerSecret(secret);
		const json = JSON.stringify({ error: `echo ${secret}` });
		expect(json).not.toContain(secret);
		for (const text of [
			json,
			`x ${encodeURIComponent(secret)} y`,
			`x ${Buffer.from(secret).toString('base64')} y`,
			'x a&quot;b\\c&lt;d y',
		])
			expect(findLeaks([{ source: 'execution', text }])).toHaveLength(1);
	});

	it('finds an unredacted password element, and lets a redacted one pass', () => {
		expect(
			findLeaks([{ source: 'stdout', text: '<authHeader><user>u</user><password>x</password>' }]),
		).toHaveLength(1);
		expect(
			findLeaks([
				{ source: 'stdout', text: '<authHeader>***</authHeader> <password>***</password>' },
			]),
		).toEqual([]);
	});
});
