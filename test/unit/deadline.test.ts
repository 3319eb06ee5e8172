// The one timer behind every waiting item's Max Wait (DeadlineQueue), on Jest's fake clock.
import { DeadlineQueue, HasDeadline } from '../../nodes/Ips/ips/deadline';

interface Entry extends HasDeadline {
	name: string;
}

const START = 1_000_000;

function queueLoggingDue() {
	const due: string[] = [];
	const queue = new DeadlineQueue<Entry>((entry) => due.push(entry.name));
	const at = (name: string, ms: number): Entry => {
		const entry = { name };
		queue.add(entry, START + ms);
		return entry;
	};
	return { due, queue, at };
}

describe('the deadlines of waiting items (DeadlineQueue)', () => {
	beforeEach(() => {
		jest.useFakeTimers();
		jest.setSystemTime(START);
	});
	afterEach(() => jest.useRealTimers());

	it('hands each entry over once its deadline has passed, in deadline order, whatever the order they came in', () => {
		const { due, at } = queueLoggingDue();
		for (const [name, ms] of [
			['e', 500],
			['b', 200],
			['a', 100],
			['d', 400],
			['c', 300],
			['c2', 300],
		] as const)
			at(name, ms);
		jest.advanceTimersByTime(99);
		expect(due).toEqual([]);
		jest.advanceTimersByTime(1);
		expect(due).toEqual(['a']);
		jest.advanceTimersByTime(200);
		expect(due.slice(0, 2)).toEqual(['a', 'b']);
		expect(due.slice(2).sort()).toEqual(['c', 'c2']);
		jest.advanceTimersByTime(200);
		expect(due.slice(4)).toEqual(['d', 'e']);
		expect(jest.getTimerCount()).toBe(0);
	});

	it('an entry taken out is never handed over, and with none left no timer is kept', () => {
		const { due, queue, at } = queueLoggingDue();
		const first = at('first', 100);
		const middle = at('middle', 200);
		at('last', 300);
		queue.delete(first);
		queue.delete(middle);
		queue.delete(middle);
		expect(queue.size).toBe(1);
		jest.advanceTimersByTime(300);
		expect(due).toEqual(['last']);
		const again = at('again', 1_000);
		queue.delete(again);
		expect(queue.size).toBe(0);
		expect(jest.getTimerCount()).toBe(0);
	});

	it('an entry added with an earlier deadline than the timer is set for is handed over on time', () => {
		const { due, at } = queueLoggingDue();
		at('late', 10_000);
		at('soon', 50);
		jest.advanceTimersByTime(50);
		expect(due).toEqual(['soon']);
	});

	it('keeps the heap in order through many adds and deletes', () => {
		const { due, queue, at } = queueLoggingDue();
		const entries = Array.from({ length: 200 }, (_, i) => at(`n${i}`, ((i * 7919) % 200) + 1));
		const kept = entries.filter((_, i) => i % 3 !== 0);
		for (const [i, entry] of entries.entries()) if (i % 3 === 0) queue.delete(entry);
		jest.advanceTimersByTime(200);
		const deadlineOf = (name: string) => kept.find((entry) => entry.name === name)!.deadlineMs!;
		expect(due).toHaveLength(kept.length);
		for (let i = 1; i < due.length; i++)
			expect(deadlineOf(due[i])).toBeGreaterThanOrEqual(deadlineOf(due[i - 1]));
	});

	it('a timer that fires before the clock reaches the deadline hands nothing over early', () => {
		// Node counts a timer from the start of the loop's turn, so it can fire before Date.now()
		// reaches the deadline (deadline.ts, TIMER_LAG_MS): here the clock is put back under the timer.
		const { due, at } = queueLoggingDue();
		at('item', 1_000);
		jest.setSystemTime(START - 400);
		jest.advanceTimersByTime(1_000);
		expect(due).toEqual([]);
		expect(Date.now()).toBe(START + 600);
		jest.advanceTimersByTime(399);
		expect(due).toEqual([]);
		jest.advanceTimersByTime(1);
		expect(due).toEqual(['item']);
	});
});
