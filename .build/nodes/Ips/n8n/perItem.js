"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ItemFailure = void 0;
exports.runPerItem = runPerItem;
/** Thrown by work that failed but has data worth keeping in the error item (a failed job run). */
class ItemFailure extends Error {
    itemError;
    constructor(itemError) {
        super(itemError.error.message);
        this.itemError = itemError;
        this.name = 'ItemFailure';
    }
}
exports.ItemFailure = ItemFailure;
async function runPerItem(context, itemCount, work, options) {
    const output = new Array(itemCount);
    const continueOnFail = context.continueOnFail();
    let next = 0;
    let firstFailure;
    const runOne = async (itemIndex) => {
        const pairedItem = { item: itemIndex };
        try {
            output[itemIndex] = { ...(await work(itemIndex)), pairedItem };
        }
        catch (thrown) {
            const { error, details } = thrown instanceof ItemFailure ? thrown.itemError : options.toError(thrown, itemIndex);
            if (continueOnFail) {
                // Not `item.error`: n8n replaces the json of such items with the message alone, and the
                // details (fault code, the job run) are what the user needs to act on.
                output[itemIndex] = { json: { error: error.message, details }, pairedItem };
            }
            else if (!firstFailure || itemIndex < firstFailure.itemIndex) {
                firstFailure = { itemIndex, error };
            }
        }
    };
    // A fixed pool of lanes pulling the next index keeps at most `concurrency` items in flight;
    // after a failure (without Continue On Fail) or a cancel, no further item is started.
    const lane = async () => {
        while (next < itemCount && !firstFailure && !options.signal?.aborted)
            await runOne(next++);
    };
    const lanes = Math.max(1, Math.min(options.concurrency, itemCount));
    await Promise.all(Array.from({ length: lanes }, lane));
    if (firstFailure)
        throw firstFailure.error;
    // Holes remain only when the execution was cancelled; n8n discards that output anyway.
    return output.filter((item) => item !== undefined);
}
//# sourceMappingURL=perItem.js.map