// Reads made while an item waits: none may outlive the item's deadline (Max Wait) by more than
// LAST_LOOK_GRACE_MS, which stays within the second the README allows beyond Max Wait.
import { IpsTransportError } from './faults';

/** A look that starts just before the deadline still gets this long to answer. */
export const LAST_LOOK_GRACE_MS = 500;

/**
 * How much earlier than `Date.now()` says a request's timer can fire: Node counts a timer from the
 * event loop's time, taken when the loop's current turn began, so a timer set late in a long turn
 * (or while the process waited for a core) is due that much early. A read cut to a deadline that
 * times out this close to it timed out because of the deadline, not because IPS failed.
 */
export const TIMER_LAG_MS = 1_000;

export function timedOutAtDeadline(error: unknown, deadlineMs: number): boolean {
	return (
		error instanceof IpsTransportError &&
		error.kind === 'timeout' &&
		Date.now() >= deadlineMs - TIMER_LAG_MS
	);
}

/**
 * A read given the time left until `deadlineMs` (at least LAST_LOOK_GRACE_MS): undefined when it
 * had not answered by then (the caller answers with what it saw last); any other failure is thrown.
 */
export async function readBy<T>(
	deadlineMs: number,
	read: (timeoutMs: number) => Promise<T>,
): Promise<T | undefined> {
	try {
		return await read(Math.max(LAST_LOOK_GRACE_MS, deadlineMs - Date.now()));
	} catch (error) {
		if (timedOutAtDeadline(error, deadlineMs)) return undefined;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- below the n8n layer: mapped to an n8n error in one place (n8n/errors.ts)
		throw error;
	}
}

/** What a DeadlineQueue holds: its deadline, and its place in the queue (kept by the queue). */
export interface HasDeadline {
	deadlineMs?: number;
	deadlineSlot?: number;
}

/**
 * Things that each come due at their own deadline, behind one timer: a min-heap by deadline, its
 * earliest armed. Ten thousand waiting items with a timer each held 10,000 of Node's timer objects
 * and their closures for the whole wait (bench/PROFILES.md); here an item costs a place in an array.
 * `onDue` gets each thing once its deadline has passed by `Date.now()`, in deadline order; a timer
 * that fires early (TIMER_LAG_MS) is set again for the rest.
 */
export class DeadlineQueue<T extends HasDeadline> {
	private readonly heap: T[] = [];
	private timer: NodeJS.Timeout | undefined;
	private timerDueMs = Infinity;

	constructor(private readonly onDue: (due: T) => void) {}

	get size(): number {
		return this.heap.length;
	}

	add(entry: T, deadlineMs: number): void {
		if (entry.deadlineSlot !== undefined) this.delete(entry);
		entry.deadlineMs = deadlineMs;
		entry.deadlineSlot = this.heap.length;
		this.heap.push(entry);
		this.siftUp(entry.deadlineSlot);
		this.arm();
	}

	/** Takes `entry` out (it has settled otherwise); nothing when it is not in the queue. */
	delete(entry: T): void {
		const slot = entry.deadlineSlot;
		if (slot === undefined || this.heap[slot] !== entry) return;
		entry.deadlineSlot = undefined;
		const last = this.heap.pop()!;
		if (last !== entry) {
			this.heap[slot] = last;
			last.deadlineSlot = slot;
			this.siftDown(this.siftUp(slot));
		}
		if (!this.heap.length) this.disarm();
	}

	private readonly fire = (): void => {
		this.timer = undefined;
		this.timerDueMs = Infinity;
		const now = Date.now();
		while (this.heap.length && this.heap[0].deadlineMs! <= now) {
			const due = this.heap[0];
			this.delete(due);
			this.onDue(due);
		}
		this.arm();
	};

	/** The timer set for the earliest deadline (or none when nothing waits). */
	private arm(): void {
		const earliest = this.heap[0]?.deadlineMs;
		if (earliest === undefined) return this.disarm();
		if (this.timer && this.timerDueMs <= earliest) return;
		clearTimeout(this.timer);
		this.timerDueMs = earliest;
		this.timer = setTimeout(this.fire, Math.max(0, earliest - Date.now()));
	}

	private disarm(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.timerDueMs = Infinity;
	}

	private earlier(a: number, b: number): boolean {
		return this.heap[a].deadlineMs! < this.heap[b].deadlineMs!;
	}

	private swap(a: number, b: number): void {
		const { heap } = this;
		[heap[a], heap[b]] = [heap[b], heap[a]];
		heap[a].deadlineSlot = a;
		heap[b].deadlineSlot = b;
	}

	/** Moves the entry at `slot` up while it is due before its parent; returns where it ends. */
	private siftUp(slot: number): number {
		while (slot > 0) {
			const parent = (slot - 1) >> 1;
			if (!this.earlier(slot, parent)) break;
			this.swap(slot, parent);
			slot = parent;
		}
		return slot;
	}

	private siftDown(slot: number): void {
		for (;;) {
			const left = 2 * slot + 1;
			const right = left + 1;
			let first = slot;
			if (left < this.heap.length && this.earlier(left, first)) first = left;
			if (right < this.heap.length && this.earlier(right, first)) first = right;
			if (first === slot) return;
			this.swap(slot, first);
			slot = first;
		}
	}
}
