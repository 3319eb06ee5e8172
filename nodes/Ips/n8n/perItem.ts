// Runs one piece of work per input item, with bounded parallelism, and owns what every n8n node
// must get right: output in input order, pairedItem on every item, Continue On Fail, itemIndex.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ItemError } from './errors';

export interface ItemOutcome {
	json: IDataObject;
	binary?: INodeExecutionData['binary'];
}

/** Thrown by work that failed but has data worth keeping in the error item (a failed job run). */
export class ItemFailure extends Error {
	constructor(readonly itemError: ItemError) {
		super(itemError.error.message);
		this.name = 'ItemFailure';
	}
}

export interface PerItemOptions {
	/** How many items run at once (1 = strictly one after another). */
	concurrency: number;
	/** Maps whatever one item threw to the n8n error that names it, plus details for the item. */
	toError: (thrown: unknown, itemIndex: number) => ItemError;
	/** Stops starting new items; items already running finish. */
	signal?: AbortSignal;
}

export async function runPerItem(
	context: IExecuteFunctions,
	itemCount: number,
	work: (itemIndex: number) => Promise<ItemOutcome>,
	options: PerItemOptions,
): Promise<INodeExecutionData[]> {
	const output: Array<INodeExecutionData | undefined> = new Array(itemCount);
	const continueOnFail = context.continueOnFail();
	let next = 0;
	let firstFailure: { itemIndex: number; error: ItemError['error'] } | undefined;

	const runOne = async (itemIndex: number) => {
		const pairedItem = { item: itemIndex };
		try {
			output[itemIndex] = { ...(await work(itemIndex)), pairedItem };
		} catch (thrown) {
			const { error, details } =
				thrown instanceof ItemFailure ? thrown.itemError : options.toError(thrown, itemIndex);
			if (continueOnFail) {
				// Not `item.error`: n8n replaces the json of such items with the message alone, and the
				// details (fault code, the job run) are what the user needs to act on.
				output[itemIndex] = { json: { error: error.message, details }, pairedItem };
			} else if (!firstFailure || itemIndex < firstFailure.itemIndex) {
				firstFailure = { itemIndex, error };
			}
		}
	};

	// A fixed pool of lanes pulling the next index keeps at most `concurrency` items in flight;
	// after a failure (without Continue On Fail) or a cancel, no further item is started.
	const lane = async () => {
		while (next < itemCount && !firstFailure && !options.signal?.aborted) await runOne(next++);
	};
	const lanes = Math.max(1, Math.min(options.concurrency, itemCount));
	await Promise.all(Array.from({ length: lanes }, lane));

	if (firstFailure) throw firstFailure.error;
	// Holes remain only when the execution was cancelled; n8n discards that output anyway.
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}
