// Reading the node's settings: numbers within their range whatever an expression yields, and the
// guard against n8n settings that would start jobs twice.
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface NumberRange {
	/** The field's name as the user sees it. */
	label: string;
	min: number;
	max: number;
	/** Used when the field is empty, null or missing. */
	fallback: number;
	integer?: boolean;
}

/**
 * A number setting as a finite number within its range. Numeric text from an expression counts;
 * anything else fails before anything is sent, naming the field and the value it got.
 */
export function numberSetting(node: INode, raw: unknown, range: NumberRange): number {
	const { label, min, max, fallback, integer } = range;
	if (raw === undefined || raw === null || (typeof raw === 'string' && !raw.trim()))
		return fallback;
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
	const shown =
		typeof raw === 'string'
			? `"${raw.slice(0, 40)}"`
			: typeof raw === 'number'
				? String(raw)
				: typeof raw;
	if (
		!Number.isFinite(value) ||
		value < min ||
		value > max ||
		(integer && !Number.isInteger(value))
	) {
		const kind = integer ? 'a whole number' : 'a number';
		throw new NodeOperationError(
			node,
			`${label} must be ${kind} from ${min} to ${max}, but it is ${shown}`,
			{
				description: 'Nothing was sent to IPS. Correct the setting and run the node again.',
			},
		);
	}
	return value;
}

/** Reads a top-level number parameter (the same for every item) through `numberSetting`. */
export function numberParameter(
	context: IExecuteFunctions,
	name: string,
	range: NumberRange,
): number {
	return numberSetting(context.getNode(), context.getNodeParameter(name, 0, range.fallback), range);
}

/**
 * n8n's Retry On Fail runs the whole node again after a failure (and, with Continue On Fail, when the
 * first output item is an error), and every item that had started its job would start it again. A
 * node that starts jobs refuses to run with it on: this is the error every item fails with then.
 */
export function retryOnFailProblem(node: INode): NodeOperationError | undefined {
	if (node.retryOnFail !== true) return undefined;
	return new NodeOperationError(
		node,
		'Retry On Fail is on, and a retry would start the IPS jobs of every item again: the node does not run with it',
		{
			description:
				'Nothing was sent to IPS. Turn off "Retry On Fail" in this node\'s Settings. To handle failed items, ' +
				'set "On Error" to "Continue" or "Continue (using error output)": each failed item then says whether its job may have started.',
		},
	);
}

/** How many results one item may return: everything with Return All, else its Limit. */
export function limitOf(context: IExecuteFunctions, itemIndex: number): number {
	if (context.getNodeParameter('returnAll', itemIndex, false) === true) return Infinity;
	return numberSetting(context.getNode(), context.getNodeParameter('limit', itemIndex, 50), {
		label: 'Limit',
		min: 1,
		max: 100_000,
		fallback: 50,
		integer: true,
	});
}
