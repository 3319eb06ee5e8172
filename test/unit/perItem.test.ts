// The per-item helper (runPerItem) on its own: slots, order, and a failure of the error mapping.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { ItemError } from '../../nodes/Ips/n8n/errors';
import { runPerItem } from '../../nodes/Ips/n8n/perItem';

const node = {
	id: '1',
	name: 'IPS',
	type: 'ipsExecuteJob',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const context = (continueOnFail: boolean) =>
	({ continueOnFail: () => continueOnFail }) as unknown as IExecuteFunctions;
const mapped = (thrown: unknown, itemIndex: number) =>
	new ItemError(
		new NodeOperationError(node as never, `item ${itemIndex}: ${String(thrown)}`, { itemIndex }),
		{},
	);

describe('runPerItem', () => {
	it('an item that frees its slot lets the next start; the output keeps the input order', async () => {
		const started: number[] = [];
		const finish: Array<() => void> = [];
		const output = runPerItem(
			context(false),
			5,
			async (itemIndex, releaseSlot) => {
				started.push(itemIndex);
				releaseSlot();
				await new Promise<void>((resolve) => (finish[itemIndex] = resolve));
				return { json: { itemIndex } };
			},
			{ concurrency: 2, toError: mapped },
		);
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1, 2, 3, 4]);
		for (const index of [4, 2, 0, 3, 1]) finish[index]();
		expect((await output).map((item) => [item.json.itemIndex, item.pairedItem])).toEqual(
			[0, 1, 2, 3, 4].map((index) => [index, { item: index }]),
		);
	});

	it('at most `concurrency` items run while none frees its slot', async () => {
		let running = 0;
		let most = 0;
		await runPerItem(
			context(false),
			6,
			async () => {
				most = Math.max(most, ++running);
				await new Promise((resolve) => setImmediate(resolve));
				running--;
				return { json: {} };
			},
			{ concurrency: 3, toError: mapped },
		);
		expect(most).toBe(3);
	});

	it('when mapping an error fails, the node fails with that, starts nothing more and leaves no rejection unhandled', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		const started: number[] = [];
		const firstFailures: unknown[] = [];
		try {
			const outcome = runPerItem(
				context(true),
				4,
				async (itemIndex) => {
					started.push(itemIndex);
					if (itemIndex === 1) throw new Error('IPS said no');
					return { json: {} };
				},
				{
					concurrency: 1,
					toError: () => {
						throw new Error('the mapping broke');
					},
					onFirstFailure: (error) => firstFailures.push(error),
				},
			);
			await expect(outcome).rejects.toThrow('the mapping broke');
			await new Promise((resolve) => setImmediate(resolve));
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
		expect(started).toEqual([0, 1]);
		expect(firstFailures.map((error) => (error as Error).message)).toEqual(['the mapping broke']);
		expect(unhandled).toEqual([]);
	});
});
