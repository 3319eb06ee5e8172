// Reads made while an item waits: none may outlive the item's deadline (Max Wait).
import { IpsTransportError } from './faults';

/**
 * A read given the time left until `deadlineMs`: undefined when it had not answered by then (the
 * caller answers with what it saw last); any other failure is thrown.
 */
export async function readBy<T>(
	deadlineMs: number,
	read: (timeoutMs: number) => Promise<T>,
): Promise<T | undefined> {
	try {
		return await read(Math.max(1, deadlineMs - Date.now()));
	} catch (error) {
		if (error instanceof IpsTransportError && error.kind === 'timeout' && Date.now() >= deadlineMs)
			return undefined;
		throw error;
	}
}
