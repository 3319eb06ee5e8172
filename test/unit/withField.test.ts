// withField: an object with one field added, as `{ ...base, [key]: value }` gives it, but with one
// hidden class shared by every object it makes (on Node 20 the spread gave each its own).
import { setFlagsFromString } from 'node:v8';
import { withField } from '../../nodes/Ips/n8n/withField';

/** V8's own answer to whether two objects share a hidden class. */
function sameHiddenClass(a: object, b: object): boolean {
	setFlagsFromString('--allow-natives-syntax');
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- natives syntax parses only in code compiled after the flag is set (a test, never in the package)
	const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
		a: object,
		b: object,
	) => boolean;
	return haveSameMap(a, b);
}

describe('an object with one field added (withField)', () => {
	it('has the fields of the original, in their order, then the new one, and leaves the original as it was', () => {
		const item = JSON.parse('{"note":"a","n":1,"nested":{"x":[1,2]}}') as Record<string, unknown>;
		const out = withField(item, 'ipsJob', { status: 'succeeded' });
		expect(Object.keys(out)).toEqual(['note', 'n', 'nested', 'ipsJob']);
		expect(out).toEqual({
			note: 'a',
			n: 1,
			nested: { x: [1, 2] },
			ipsJob: { status: 'succeeded' },
		});
		expect(out.nested).toBe(item.nested);
		expect(item).toEqual({ note: 'a', n: 1, nested: { x: [1, 2] } });
	});

	it('replaces a field of the same name where it stands, as the spread did', () => {
		const out = withField({ a: 1, ipsJob: 'old', z: 2 }, 'ipsJob', 'new');
		expect(Object.entries(out)).toEqual([
			['a', 1],
			['ipsJob', 'new'],
			['z', 2],
		]);
	});

	it('keeps a field named __proto__ as a field, whether the item has one or it is the field added', () => {
		const item = JSON.parse('{"__proto__":{"polluted":true},"note":"a"}') as object;
		const out = withField(item, 'ipsJob', 1);
		expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
		expect((out as { polluted?: boolean }).polluted).toBeUndefined();
		expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"note":"a","ipsJob":1}');

		const added = withField({ note: 'a' }, '__proto__', { polluted: true });
		expect(Object.getPrototypeOf(added)).toBe(Object.prototype);
		expect(JSON.stringify(added)).toBe('{"note":"a","__proto__":{"polluted":true}}');
	});

	it('gives every object it makes from items of one shape the same hidden class', () => {
		const items = JSON.parse(
			JSON.stringify(Array.from({ length: 50 }, (_, n) => ({ note: 'an item', n }))),
		) as object[];
		const outputs = items.map((item, n) => withField(item, 'ipsJob', { n }));
		const paired = outputs.map((json, n) => withField({ json }, 'pairedItem', { item: n }));
		for (const list of [outputs, paired])
			expect(list.filter((one) => !sameHiddenClass(one, list[0]))).toEqual([]);
	});
});
