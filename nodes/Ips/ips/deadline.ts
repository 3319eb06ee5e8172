// Reads made while an item waits: none may outlive the item's deadline (Max Wait) by more than
// LAST_LOOK_GRACE_MS, which stays within the second the README allows beyond Max Wait.
import { IpsTransportError } from './faults';

/** A look that starts just before the deadline still gets this long to answer. */
export const LAST_LOOK_GRACE_MS = 500;

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
		if (error instanceof IpsTransportError && error.kind === 'timeout' && Date.now() >= deadlineMs)
			return undefined;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- below the n8n layer: mapped to an n8n error in one place (n8n/errors.ts)
		throw error;
	}
}
