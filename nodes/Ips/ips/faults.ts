// What can go wrong talking to IPS, as typed values the node layer maps to n8n errors in one place.

export type IpsFaultKind = 'authentication' | 'authorization' | 'ipsApi' | 'soap';

/** A SOAP fault answered by IPS (Adobe's IPS reference: Faults), classified by its detail element and code. */
export class IpsFault extends Error {
	constructor(
		readonly kind: IpsFaultKind,
		readonly code: number | undefined,
		readonly reason: string,
		readonly httpStatus: number,
		readonly faultCode: string,
		readonly faultString: string,
	) {
		super(`IPS ${kind} fault${code === undefined ? '' : ` ${code}`}: ${reason}`);
		this.name = 'IpsFault';
	}

	/** A copy whose texts went through `scrub` (used to remove secrets a server echoed). */
	scrubbed(scrub: (text: string) => string): IpsFault {
		const { kind, code, httpStatus } = this;
		return new IpsFault(
			kind,
			code,
			scrub(this.reason),
			httpStatus,
			scrub(this.faultCode),
			scrub(this.faultString),
		);
	}

	/** Codes 1xxxx and 2xxxx are permanent: retrying the same request cannot help. */
	get isPermanent(): boolean {
		return this.kind === 'authentication' || this.kind === 'authorization';
	}
}

export type TransportErrorKind =
	| 'connectionRefused'
	| 'dnsFailure'
	| 'connectTimeout'
	| 'tls'
	| 'timeout'
	| 'connectionReset'
	| 'cancelled'
	| 'responseTooLarge'
	| 'invalidEncoding'
	| 'redirect'
	| 'httpError'
	| 'emptyResponse'
	| 'notXml'
	| 'malformedXml'
	| 'doctypeRefused'
	| 'unexpectedResponse'
	| 'network'
	| 'proxy';

/** Kinds where the request provably never left this machine: nothing can have started on IPS. */
const NEVER_SENT: ReadonlySet<TransportErrorKind> = new Set([
	'proxy',
	'connectionRefused',
	'dnsFailure',
	'connectTimeout',
	'tls',
]);

/** A failure below the SOAP level: no connection, no answer in time, or an answer that is not SOAP. */
export class IpsTransportError extends Error {
	readonly requestMayHaveReachedServer: boolean;

	constructor(
		readonly kind: TransportErrorKind,
		message: string,
		readonly details: {
			httpStatus?: number;
			bodyStart?: string;
			location?: string;
			cause?: unknown;
		} = {},
		requestMayHaveReachedServer?: boolean,
	) {
		super(message);
		this.name = 'IpsTransportError';
		this.requestMayHaveReachedServer =
			requestMayHaveReachedServer ?? (kind !== 'cancelled' && !NEVER_SENT.has(kind));
	}

	scrubbed(scrub: (text: string) => string): IpsTransportError {
		const { bodyStart, location, httpStatus } = this.details;
		return new IpsTransportError(
			this.kind,
			scrub(this.message),
			{
				httpStatus,
				bodyStart: bodyStart && scrub(bodyStart),
				location: location && scrub(location),
			},
			this.requestMayHaveReachedServer,
		);
	}

	get httpStatus(): number | undefined {
		return this.details.httpStatus;
	}
}

/**
 * What every wait and request ends with when n8n cancels the execution. A request cancelled after
 * it was handed to the network may still have reached IPS.
 */
export function cancelledError(
	while_ = '',
	requestMayHaveReachedServer = false,
): IpsTransportError {
	return new IpsTransportError(
		'cancelled',
		`The execution was canceled${while_}`,
		{},
		requestMayHaveReachedServer,
	);
}

/** A credential setting that cannot work (no password, an http:// address to another machine). */
export class IpsConfigError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'IpsConfigError';
	}
}
