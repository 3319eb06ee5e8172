// A copy of an object with one field added: an item's json with the node's output field, an output
// item with its pairedItem. Not `{ ...base, [key]: value }`: on Node 20 (V8 11.3) an object literal
// that starts with a spread and goes on with more fields gives every object it makes a hidden class
// of its own, held as long as the object is (a map and its descriptors: 170 bytes or more), and
// takes 0.7-3.6 µs an object instead of 0.1-0.3 (bench/PROFILES.md, the night of 2026-12-07).
// Object.assign onto a new object shares one hidden class on Node 20 and 24 alike.

/** `{ ...base, [key]: value }`, with the same fields in the same order. */
export function withField<T extends object, K extends string, V>(
	base: T,
	key: K,
	value: V,
): T & Record<K, V> {
	// Object.assign sets fields, and setting `__proto__` changes the prototype instead: a spread
	// defines it as a field of its own, as JSON.parse does for an item that came in as JSON.
	if (key === '__proto__' || Object.prototype.hasOwnProperty.call(base, '__proto__'))
		return { ...base, [key]: value } as T & Record<K, V>;
	const copy = Object.assign({}, base) as Record<string, unknown>;
	copy[key] = value;
	return copy as T & Record<K, V>;
}
