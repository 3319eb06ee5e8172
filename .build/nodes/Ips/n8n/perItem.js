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
async function runPerItem(context, itemCount, 
/**
 * One item's work. Calling `releaseSlot` lets the next item start while this one goes on
 * (an item that has sent its request and now only waits for the job run to end).
 */
work, options) {
    const output = new Array(itemCount);
    const continueOnFail = context.continueOnFail();
    let next = 0;
    let firstFailure;
    const runOne = async (itemIndex, releaseSlot) => {
        const pairedItem = { item: itemIndex };
        try {
            output[itemIndex] = { ...(await work(itemIndex, releaseSlot)), pairedItem };
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
    // A fixed pool of lanes pulling the next index keeps at most `concurrency` items in their
    // request phase; after a failure (without Continue On Fail) or a cancel, no item is started.
    // Items that released their slot (waiting for a job run) are counted, not kept in a list, so
    // memory does not grow with the number of items.
    let stillRunning = 0;
    let allDone;
    const released = new Promise((resolve) => (allDone = resolve));
    const lane = async () => {
        while (next < itemCount && !firstFailure && !options.signal?.aborted) {
            let releaseSlot;
            const slotFreed = new Promise((resolve) => (releaseSlot = resolve));
            stillRunning++;
            const item = runOne(next++, releaseSlot).finally(() => {
                if (--stillRunning === 0 && lanesDone)
                    allDone();
            });
            await Promise.race([item, slotFreed]);
        }
    };
    let lanesDone = false;
    const lanes = Math.max(1, Math.min(options.concurrency, itemCount));
    await Promise.all(Array.from({ length: lanes }, lane));
    lanesDone = true;
    if (stillRunning > 0)
        await released;
    // A canceled execution ends as canceled in n8n only if the node does not throw; its output,
    // with holes for the items never started, is discarded anyway.
    if (options.signal?.aborted)
        return output.filter((item) => !!item);
    if (firstFailure)
        throw firstFailure.error;
    return output;
}
//# sourceMappingURL=perItem.js.map