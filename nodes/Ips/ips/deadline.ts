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
