// A read that the items about to start a job wait for only briefly: a slow IPS must not delay the
// start. Every item shares one moment after which nobody waits, so a slow read costs the first
// item at most the bound and the items after it nothing.

/** How long a read made before sending may hold a start back (the README states this bound). */
export const LOOK_BEFORE_SEND_MAX_MS = 300;

export type Outcome<T> = { value: T } | { error: unknown };

export class BriefRead<T> {
	/** The read's outcome, whenever it comes (never rejects). */
	readonly outcome: Promise<Outcome<T>>;
	/** Resolves when the outcome is known or the bound has passed, whichever is first. */
	readonly ready: Promise<void>;
	private known: Outcome<T> | undefined;

	constructor(read: Promise<T>, boundMs = LOOK_BEFORE_SEND_MAX_MS) {
		this.outcome = read.then(
			(value) => (this.known = { value }),
			(error: unknown) => (this.known = { error }),
		);
		let timer: NodeJS.Timeout | undefined;
		const bound = new Promise<void>((resolve) => {
			timer = setTimeout(resolve, boundMs);
			timer.unref?.();
		});
		this.ready = Promise.race([this.outcome.then(() => clearTimeout(timer)), bound]);
	}

	/** What is known now: the value, undefined while the read is late; a failure is thrown. */
	valueNow(): T | undefined {
		if (!this.known) return undefined;
		if ('error' in this.known) throw this.known.error;
		return this.known.value;
	}
}
