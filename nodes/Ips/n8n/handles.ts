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

type HandleField = keyof typeof HANDLE_FIELDS;

/**
 * Handles that hold no expression, read once per execution: n8n resolves a parameter for every
 * item it is asked for, and a constant field must not pay that per item.
 */
const constantHandles = new WeakMap<IExecuteFunctions, Map<HandleField, string>>();

/** The handle as typed in the node, when it holds no expression (list or By Handle mode, or text). */
function constantOf(context: IExecuteFunctions, name: HandleField): string | undefined {
	const raw = context.getNode().parameters[name] as unknown;
	let value = raw;
	if (raw && typeof raw === 'object') {
		const locator = raw as { __rl?: unknown; mode?: unknown; value?: unknown };
		const typedMode = locator.mode === 'list' || locator.mode === 'id';
		value = locator.__rl === true && typedMode ? locator.value : undefined;
	}
	return typeof value === 'string' && !value.startsWith('=') ? value : undefined;
}

/** A handle parameter of one item as text, or an error naming the item and the field. */
export function handleOf(context: IExecuteFunctions, name: HandleField, itemIndex: number): string {
	let known = constantHandles.get(context);
	const cached = known?.get(name);
	if (cached !== undefined) return cached;
	const handle = readHandle(context, name, itemIndex);
	if (constantOf(context, name) !== undefined) {
		if (!known) constantHandles.set(context, (known = new Map()));
		known.set(name, handle);
	}
	return handle;
}

function readHandle(context: IExecuteFunctions, name: HandleField, itemIndex: number): string {
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
