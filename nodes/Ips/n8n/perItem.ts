// Runs one piece of work per input item, with bounded parallelism, and owns what every n8n node
// must get right: output in input order, pairedItem on every item, Continue On Fail, itemIndex.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { ItemError } from './errors';
import { withField } from './withField';

// A type, not an interface: n8n's INodeExecutionData has an index signature, which only a type's
// fields meet (withField returns the outcome with pairedItem added).
export type ItemOutcome = {
	json: IDataObject;
	binary?: INodeExecutionData['binary'];
};

export interface PerItemOptions {
	/** How many items run at once (1 = strictly one after another). */
	concurrency: number;
	/** Maps whatever one item threw to the n8n error that names it, plus details for the item. */
	toError: (thrown: unknown, itemIndex: number) => ItemError;
	/** Stops starting new items; items already running finish. */
	signal?: AbortSignal;
	/** Called once, without Continue On Fail, when the first item fails (the node will throw it). */
	onFirstFailure?: (error: unknown) => void;
}

export async function runPerItem(
	context: IExecuteFunctions,
	itemCount: number,
	/**
	 * One item's work. Calling `releaseSlot` lets the next item start while this one goes on
	 * (an item that has sent its request and now only waits for the job run to end).
	 */
	work: (itemIndex: number, releaseSlot: () => void) => Promise<ItemOutcome | ItemOutcome[]>,
	options: PerItemOptions,
): Promise<INodeExecutionData[]> {
	// One entry per input item: its output item, or its output items (a list operation).
	const output: Array<INodeExecutionData | INodeExecutionData[] | undefined> = new Array(itemCount);
	const continueOnFail = context.continueOnFail();
	let next = 0;
	let firstFailure: { itemIndex: number; error: unknown } | undefined;
	// Items started and not yet ended (those waiting for a job run included): counted, not kept in a
	// list, so that memory does not grow with the number of items.
	let stillRunning = 0;
	let lanesDone = false;
	let everyItemDone!: () => void;
	const allItemsDone = new Promise<void>((resolve) => (everyItemDone = resolve));

	/** The first failure in time is the node's error; items it lets go fail after it. */
	const failNode = (itemIndex: number, error: unknown) => {
		if (firstFailure) return;
		firstFailure = { itemIndex, error };
		options.onFirstFailure?.(error);
	};

	const recordFailure = (itemIndex: number, thrown: unknown, pairedItem: { item: number }) => {
		let mapped: ItemError;
		try {
			mapped = options.toError(thrown, itemIndex);
		} catch (mistake) {
			// Mapping the error failed (a mistake of ours): the node fails with that instead.
			return failNode(itemIndex, mistake);
		}
		const { error, details } = mapped;
		// Not `item.error`: n8n replaces the json of such items with the message alone, and the
		// details (fault code, the job run) are what the user needs to act on.
		if (continueOnFail) output[itemIndex] = { json: { error: error.message, details }, pairedItem };
		else failNode(itemIndex, error);
	};

	/**
	 * One item from start to end. It frees its slot when it ends, if its work did not free it before,
	 * and it never rejects: nothing else waits on it, so that an item waiting for a job run holds no
	 * more than its own work (a promise race and a `finally` per item would each keep a reaction and
	 * closures for the whole wait: bench/PROFILES.md).
	 */
	const runOne = async (itemIndex: number, releaseSlot: () => void) => {
		const pairedItem = { item: itemIndex };
		try {
			const outcome = await work(itemIndex, releaseSlot);
			output[itemIndex] = Array.isArray(outcome)
				? outcome.map((one) => withField(one, 'pairedItem', pairedItem))
				: withField(outcome, 'pairedItem', pairedItem);
		} catch (thrown) {
			recordFailure(itemIndex, thrown, pairedItem);
		} finally {
			releaseSlot();
			if (--stillRunning === 0 && lanesDone) everyItemDone();
		}
	};

	// A fixed pool of lanes pulling the next index keeps at most `concurrency` items in their
	// request phase; after a failure (without Continue On Fail) or a cancel, no item is started.
	const lane = async () => {
		while (next < itemCount && !firstFailure && !options.signal?.aborted) {
			await new Promise<void>((slotFreed) => {
				stillRunning++;
				void runOne(next++, slotFreed);
			});
		}
	};
	const lanes = Math.max(1, Math.min(options.concurrency, itemCount));
	await Promise.all(Array.from({ length: lanes }, lane));
	lanesDone = true;
	if (stillRunning > 0) await allItemsDone;

	// A canceled execution ends as canceled in n8n only if the node does not throw; its output,
	// with holes for the items never started, is discarded anyway.
	if (firstFailure && !options.signal?.aborted) throw firstFailure.error;
	return output.flat().filter((item): item is INodeExecutionData => !!item);
}
