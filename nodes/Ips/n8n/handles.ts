// Reading a handle parameter of one item: text, trimmed, short enough, and XML-safe, or an error
// naming the item and the field.
import type { IExecuteFunctions } from 'n8n-workflow';
import { xmlTextProblem } from '../ips/xml';
import { ItemInputError } from './errors';

/** Handles are short identifiers; anything longer is a mapping mistake, not a handle. */
export const MAX_HANDLE_LENGTH = 4096;

const HANDLE_FIELDS = {
	companyHandle: 'Company',
	jobHandle: 'Job',
	runHandle: 'Job Run',
} as const;

/** A handle parameter of one item as text, or an error naming the item and the field. */
export function handleOf(
	context: IExecuteFunctions,
	name: keyof typeof HANDLE_FIELDS,
	itemIndex: number,
): string {
	const field = HANDLE_FIELDS[name];
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	let handle: string;
	if (typeof value === 'string') handle = value;
	else if (typeof value === 'number' && Number.isFinite(value)) handle = String(value);
	else {
		const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
		throw new ItemInputError(
			name,
			`The ${field} handle of item ${itemIndex} must be text, but it is ${got}`,
		);
	}
	// Spaces around a handle come from typing or mapping, never from IPS: they are not sent.
	handle = handle.trim();
	if (!handle) {
		throw new ItemInputError(name, `The ${field} handle of item ${itemIndex} is empty`);
	}
	if (handle.length > MAX_HANDLE_LENGTH) {
		throw new ItemInputError(
			name,
			`The ${field} handle of item ${itemIndex} is ${handle.length} characters long; IPS handles are at most ${MAX_HANDLE_LENGTH}`,
		);
	}
	const problem = xmlTextProblem(handle);
	if (problem)
		throw new ItemInputError(name, `The ${field} handle of item ${itemIndex} ${problem}`);
	return handle;
}
