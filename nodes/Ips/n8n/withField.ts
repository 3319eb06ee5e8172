// A copy of an object with one field added: an item's json with the node's output field, an output
// item with its pairedItem. Not `{ ...base, [key]: value }`: on Node 20 (V8 11.3) an object literal
// that starts with a spread and goes on with more fields gets a hidden class of its own for every
// object it makes, held as long as the object is (a map and its descriptors, about 170 bytes more
// for each of an item's output objects) and built in 0.8-3.5 µs instead of 0.1-0.3 (bench/PROFILES.md).
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
