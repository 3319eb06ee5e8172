// The only file that knows undici: one pooled keep-alive agent per process, exact timeouts, bounded
// bodies, gzip, proxies from the environment, and every failure turned into an IpsTransportError.
import {
	brotliDecompressSync,
	createBrotliDecompress,
	createGunzip,
	createInflate,
	gunzipSync,
	inflateSync,
	InputType,
	ZlibOptions,
} from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import type { Readable, Transform } from 'node:stream';
import type { Agent, Dispatcher } from 'undici';
import { cancelledError, IpsTransportError, TransportErrorKind } from './faults';
import { isLoopbackHost, proxyFor } from './endpoints';
import type { TextParts } from './xmlReader';
// Only through a proxy: node:tls and node:net are not loaded at n8n's start-up for nothing.
type ProxyTunnel = typeof import('./proxyTunnel');
let proxyTunnel: ProxyTunnel | undefined;

export const CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** Beyond this a timer cannot hold (Node caps timers near 24.8 days) and no answer is worth it. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 600;
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/**
 * An idle socket is not reused after this long: load balancers often close idle connections after a
 * few seconds without a word, and a request sent on such a socket fails as a reset although it never
 * left. A short idle life keeps that window small (bench/RESULTS.md measures the cost).
 */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

export interface SoapHttpRequest {
	url: string;
	headers: Record<string, string>;
	body: string;
	/** The whole exchange, from connecting to the last byte of the answer. */
	timeoutMs: number;
	signal?: AbortSignal;
	maxResponseBytes?: number;
	/**
	 * An answer of more than LARGE_ANSWER_BYTES may come as parts (its body is then TextParts): its
	 * bytes (unpacked) are decoded a chunk at a time as it is read, and it never becomes one string.
	 */
	inParts?: boolean;
}

export interface SoapHttpResponse {
	status: number;
	body: string | TextParts;
}

/** The transport seam: tests and benchmarks may pass their own. */
export interface SoapTransport {
	post(request: SoapHttpRequest): Promise<SoapHttpResponse>;
	/** Resolves once a request can go out without loading anything first. */
	ready?(): Promise<void>;
}

let directAgent: Agent | undefined;
/** One agent per proxy address, each opening its connections through our own tunnel. */
const proxyAgents = new Map<string, Agent>();
/** Tunnels open right now, per proxy agent: none open at a deadline means nothing was sent. */
const openTunnels = new WeakMap<Agent, { count: number }>();
type Undici = typeof import('undici');
/** An answer's headers as undici gives them to a dispatch handler: names in lower case. */
type IncomingHttpHeaders = Record<string, string | string[] | undefined>;
let undici: Undici | undefined;

/**
 * undici is loaded on the first request, not when n8n loads the node at start-up (n8n loads every
 * installed package then; bench figure 4 measures what this saves).
 */
async function loadUndici(): Promise<Undici> {
	return (undici ??= await import('undici'));
}

const AGENT_OPTIONS = {
	keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
	keepAliveMaxTimeout: KEEP_ALIVE_TIMEOUT_MS,
};

function dispatcherFor({ Agent }: Undici, proxy: URL | undefined, tunnel?: ProxyTunnel): Agent {
	if (!proxy)
		return (directAgent ??= new Agent({
			...AGENT_OPTIONS,
			connect: { timeout: CONNECT_TIMEOUT_MS },
		}));
	let agent = proxyAgents.get(proxy.href);
	if (!agent) {
		const tunnels = { count: 0 };
		agent = new Agent({
			...AGENT_OPTIONS,
			connect: (options, callback) =>
				tunnel!.openTunnel(
					proxy,
					{ hostname: options.hostname, port: options.port || 443, servername: options.servername },
					CONNECT_TIMEOUT_MS,
					(error, socket) => {
						if (error || !socket) return callback(error ?? new Error('no socket'), null);
						tunnels.count++;
						socket.once('close', () => tunnels.count--);
						callback(null, socket);
					},
				),
		});
		openTunnels.set(agent, tunnels);
		proxyAgents.set(proxy.href, agent);
	}
	return agent;
}

/**
 * A request that outlived its deadline or the cancel signal although undici was told to stop: its
 * agent is destroyed (every socket of it) and the next request builds a new one.
 */
function abandon(agent: Agent): void {
	if (agent === directAgent) directAgent = undefined;
	for (const [key, value] of proxyAgents) if (value === agent) proxyAgents.delete(key);
	void agent.destroy().catch((error: unknown) => error);
}

/** How long undici gets to honour an abort before its agent is abandoned. */
const ABANDON_GRACE_MS = 1_000;

/** Closes the pooled sockets (tests and command-line tools call it before they exit). */
export async function closeTransport(): Promise<void> {
	const agents = [directAgent, ...proxyAgents.values()];
	directAgent = undefined;
	proxyAgents.clear();
	await Promise.all(agents.map((agent) => agent?.close()));
}

export const undiciTransport: SoapTransport = {
	post(req: SoapHttpRequest): Promise<SoapHttpResponse> {
		return new Promise<SoapHttpResponse>((resolve, reject) =>
			new Exchange(req, resolve, reject).start(),
		);
	},
	async ready(): Promise<void> {
		await loadUndici();
	},
};

/**
 * The exchanges in flight per cancel signal (an execution's): one listener on the signal serves them
 * all (adding and removing a listener on Node's EventTarget costs a few µs per request).
 */
const exchangesWatching = new WeakMap<AbortSignal, Set<Exchange>>();

function watchCancel(signal: AbortSignal, exchange: Exchange): void {
	let exchanges = exchangesWatching.get(signal);
	if (!exchanges) {
		const watching = (exchanges = new Set());
		exchangesWatching.set(signal, watching);
		signal.addEventListener('abort', () => watching.forEach((each) => each.cancel()), {
			once: true,
		});
	}
	exchanges.add(exchange);
}

/**
 * One request, from its start to the last byte of its answer, as undici's dispatch handler: the
 * answer's bytes are gathered here, with no stream, no promise per step and no AbortController
 * (undici's `request()` adds all three to every request: bench/PROFILES.md). The deadline and the
 * cancel signal hold outside undici too: the caller gets its error at the deadline whatever undici
 * does, and an agent that has not let go a second later is destroyed.
 */
class Exchange implements Dispatcher.DispatchHandler {
	private readonly url: URL;
	private readonly loopback: boolean;
	private readonly maxBytes: number;
	private timer: NodeJS.Timeout | undefined;
	/** Given by undici when the request starts: how it is stopped. */
	private controller: Dispatcher.DispatchController | undefined;
	/** Set once the request is handed to an agent (it may then have reached IPS). */
	private agent: Agent | undefined;
	/** Why the request was given up (deadline or cancel), to stop it with once undici starts it. */
	private givenUp: IpsTransportError | undefined;
	/** The caller has its answer or its error. */
	private settled = false;
	/** undici is done with the request (answer read, or its error reported). */
	private ended = false;
	private status = 0;
	private encoding = '';
	private readonly chunks: Buffer[] = [];
	private received = 0;
	private abandonTimer: NodeJS.Timeout | undefined;

	constructor(
		private readonly req: SoapHttpRequest,
		private readonly resolve: (response: SoapHttpResponse) => void,
		private readonly reject: (error: IpsTransportError) => void,
	) {
		({ url: this.url, loopback: this.loopback } = parsedUrl(req.url));
		this.maxBytes = req.maxResponseBytes ?? MAX_RESPONSE_BYTES;
	}

	start(): void {
		const { req } = this;
		if (req.signal?.aborted) return this.fail(cancelledError());
		this.timer = setTimeout(this.onDeadline, req.timeoutMs);
		if (req.signal) watchCancel(req.signal, this);
		// Loopback never goes through a proxy: a plain-HTTP request to this machine must stay on it.
		const proxy = this.loopback ? undefined : proxyFor(this.url);
		if (undici && (!proxy || proxyTunnel)) return this.dispatch(undici, proxy);
		void (async () => {
			const lib = undici ?? (await loadUndici());
			if (proxy) proxyTunnel ??= await import('./proxyTunnel');
			return lib;
		})().then(
			(lib) => this.settled || this.dispatch(lib, proxy),
			(error: unknown) => this.fail(this.asTransportError(error)),
		);
	}

	private dispatch(lib: Undici, proxy: URL | undefined): void {
		const { req, url } = this;
		try {
			const dispatcher = dispatcherFor(lib, proxy, proxyTunnel);
			this.agent = dispatcher;
			// undici reports a request it refuses through onResponseError, even from within dispatch.
			dispatcher.dispatch(
				{
					origin: url.origin,
					path: `${url.pathname}${url.search}`,
					method: 'POST',
					headers: req.headers,
					body: req.body,
					headersTimeout: req.timeoutMs,
					bodyTimeout: req.timeoutMs,
				},
				this,
			);
		} catch (error) {
			this.fail(this.asTransportError(error));
		}
	}

	onRequestStart(controller: Dispatcher.DispatchController): void {
		this.controller = controller;
		if (this.givenUp) controller.abort(this.givenUp);
	}

	onResponseStart(
		_controller: Dispatcher.DispatchController,
		status: number,
		headers: IncomingHttpHeaders,
	): void {
		// An informational answer (1xx) comes before the real one.
		if (status < 200 || this.settled) return;
		this.status = status;
		if (status >= 300 && status < 400) {
			const location = safeLocation(String(headers.location ?? ''));
			return this.stop(
				new IpsTransportError(
					'redirect',
					`IPS answered HTTP ${status} redirecting to ${location}; redirects are not followed, so the password is not sent to another address. Check the region or Service URL.`,
					{ httpStatus: status, location },
				),
			);
		}
		if (Number(headers['content-length'] ?? NaN) > this.maxBytes)
			return this.stop(tooLarge(status, this.maxBytes));
		this.encoding = String(headers['content-encoding'] ?? '').toLowerCase();
	}

	onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
		if (this.settled) return;
		this.received += chunk.length;
		if (this.received > this.maxBytes) return this.stop(tooLarge(this.status, this.maxBytes));
		this.chunks.push(chunk);
	}

	onResponseEnd(): void {
		this.end();
		if (this.settled) return;
		const { chunks, received, status, encoding } = this;
		const identity = !encoding || encoding === 'identity';
		if (identity && this.req.inParts && received > LARGE_ANSWER_BYTES)
			return this.succeed(decodedParts(chunks, received, status));
		const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
		if (identity || raw.length === 0) return this.succeed(raw);
		decompress(raw, encoding, this.maxBytes, status, this.req.inParts === true).then(
			(unpacked) => this.succeed(unpacked),
			(error: IpsTransportError) => this.fail(error),
		);
	}

	onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
		this.end();
		if (!this.settled) this.fail(this.asTransportError(error));
	}

	private readonly onDeadline = (): void => {
		this.giveUp(deadlineError(this.agent, this.url, secondsOf(this.req.timeoutMs)));
	};

	/** The execution was cancelled. */
	cancel(): void {
		this.giveUp(cancelledError('', this.agent !== undefined));
	}

	/** The deadline or the cancel: the caller is answered now, undici is told to stop. */
	private giveUp(error: IpsTransportError): void {
		if (this.settled) return;
		this.givenUp = error;
		this.stop(error);
		if (this.ended) return;
		this.abandonTimer = setTimeout(() => {
			if (this.agent && !this.ended) abandon(this.agent);
		}, ABANDON_GRACE_MS);
	}

	/** Answers the caller with `error` and stops the request (its socket is not reused). */
	private stop(error: IpsTransportError): void {
		this.fail(error);
		this.controller?.abort(error);
	}

	private succeed(bytes: Buffer | TextParts): void {
		try {
			const body = Buffer.isBuffer(bytes) ? decodeText(bytes, this.status) : bytes;
			this.settle();
			this.resolve({ status: this.status, body });
		} catch (error) {
			this.fail(error as IpsTransportError);
		}
	}

	private fail(error: IpsTransportError): void {
		if (this.settled) return;
		this.settle();
		this.reject(error);
	}

	private settle(): void {
		this.settled = true;
		clearTimeout(this.timer);
		if (this.req.signal) exchangesWatching.get(this.req.signal)?.delete(this);
	}

	private end(): void {
		this.ended = true;
		clearTimeout(this.abandonTimer);
	}

	/**
	 * What undici (or loading it) failed with, typed. Only asked while the request is not given up: a
	 * deadline or a cancel answers the caller itself (giveUp), and what undici reports after is moot.
	 */
	private asTransportError(error: unknown): IpsTransportError {
		if (error instanceof IpsTransportError) return error;
		return classifyNetworkError(error, this.url, secondsOf(this.req.timeoutMs));
	}
}

function secondsOf(timeoutMs: number): string {
	return `${Math.round(timeoutMs / 100) / 10} s`;
}

/** The last address asked for, parsed: every request of a client goes to the same one. */
let lastUrl: { text: string; url: URL; loopback: boolean } | undefined;

function parsedUrl(text: string): { url: URL; loopback: boolean } {
	if (lastUrl?.text !== text) {
		const url = new URL(text);
		lastUrl = { text, url, loopback: isLoopbackHost(url.hostname) };
	}
	return lastUrl;
}

/**
 * The error of a request that reached its deadline. Through a proxy with no tunnel open (a silent
 * proxy) the request cannot have left, and the error says so.
 */
function deadlineError(agent: Agent | undefined, url: URL, seconds: string): IpsTransportError {
	if (agent && openTunnels.get(agent)?.count === 0) {
		return new IpsTransportError(
			'connectTimeout',
			`Could not connect to ${url.host} within ${seconds}`,
		);
	}
	return new IpsTransportError('timeout', `IPS did not answer within ${seconds}`);
}

function tooLarge(status: number, maxBytes: number): IpsTransportError {
	return new IpsTransportError(
		'responseTooLarge',
		`IPS answered HTTP ${status} with more than ${sizeInWords(maxBytes)}; the answer was refused`,
		{ httpStatus: status },
	);
}

function sizeInWords(bytes: number): string {
	return bytes >= 1024 * 1024
		? `${Math.round(bytes / 1024 / 1024)} MB`
		: `${Math.round(bytes / 1024)} KB`;
}

/**
 * What a large answer unpacks to, in the stream's chunks, stopped as soon as it passes the cap. Read
 * through the stream's events: an async iterator over it cost more than the rest of a small answer's
 * reading.
 */
function readBounded(
	stream: Readable,
	maxBytes: number,
	status: number,
	asError: (error: unknown) => IpsTransportError,
): Promise<{ chunks: Buffer[]; total: number }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let total = 0;
		stream.on('data', (chunk: Buffer) => {
			total += chunk.length;
			if (total > maxBytes) {
				stream.destroy();
				reject(tooLarge(status, maxBytes));
				return;
			}
			chunks.push(chunk);
		});
		stream.once('error', (error) => reject(asError(error)));
		stream.once('end', () => resolve({ chunks, total }));
	});
}

/**
 * An answer that unpacks to at most this much is unpacked at once (zlib's thread pool costs more
 * than the work); a larger one is unpacked as a stream, a chunk at a time, so the event loop is never
 * held for long and the cap stops it as soon as it is passed. Asked for in parts (`inParts`), an
 * answer larger than this comes as parts.
 */
export const LARGE_ANSWER_BYTES = 1024 * 1024;

const DECOMPRESSORS: Record<
	string,
	{ sync: (input: InputType, options: ZlibOptions) => Buffer; stream: () => Transform }
> = {
	gzip: { sync: gunzipSync, stream: createGunzip },
	'x-gzip': { sync: gunzipSync, stream: createGunzip },
	deflate: { sync: inflateSync, stream: createInflate },
	br: { sync: brotliDecompressSync, stream: createBrotliDecompress },
};

/** An answer with a content encoding (and bytes), unpacked: a large one in parts when `inParts`. */
async function decompress(
	raw: Buffer,
	encoding: string,
	maxBytes: number,
	status: number,
	inParts: boolean,
): Promise<Buffer | TextParts> {
	const decoder = DECOMPRESSORS[encoding];
	if (!decoder) {
		throw new IpsTransportError(
			'unexpectedResponse',
			`IPS answered with an unknown content encoding "${encoding}"`,
			{ httpStatus: status },
		);
	}
	const broken = (error: unknown) =>
		new IpsTransportError(
			'malformedXml',
			`IPS answered with a ${encoding} body that does not unpack`,
			{
				httpStatus: status,
				cause: error,
			},
		);
	const quickLimit = Math.min(maxBytes, LARGE_ANSWER_BYTES);
	try {
		return decoder.sync(raw, { maxOutputLength: quickLimit });
	} catch (error) {
		const tooBigForQuick = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
		if (!tooBigForQuick) throw broken(error);
		if (quickLimit >= maxBytes) throw tooLarge(status, maxBytes);
	}
	// The cap applies to what the answer unpacks to, too (a small gzip can hold gigabytes).
	const stream = decoder.stream();
	const unpacked = readBounded(stream, maxBytes, status, broken);
	stream.end(raw);
	const { chunks, total } = await unpacked;
	return inParts ? decodedParts(chunks, total, status) : Buffer.concat(chunks, total);
}

/**
 * How an answer's bytes become text part by part: UTF-8 or refused, as decodeText. `upTo` is how
 * many bytes have come with this part (the error says within how many the bad ones are).
 */
function partDecoder(status: number): (bytes: Buffer | undefined, upTo: number) => string {
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	return (bytes, upTo) => {
		try {
			return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
		} catch {
			throw notUtf8(status, `bytes that are not valid UTF-8 (within its first ${upTo} bytes)`);
		}
	};
}

/**
 * An answer received (and unpacked) whole, decoded a chunk at a time as it is read: its bytes are
 * kept outside V8's heap, each chunk is let go once decoded, and the text never becomes one string.
 */
function decodedParts(chunks: Buffer[], received: number, status: number): TextParts {
	const decode = partDecoder(status);
	let next = 0;
	let upTo = 0;
	return {
		next: async () => {
			if (next > chunks.length) return undefined;
			if (next++ === chunks.length) return decode(undefined, received);
			const chunk = chunks[next - 1];
			chunks[next - 1] = EMPTY;
			return decode(chunk, (upTo += chunk.length));
		},
	};
}

const EMPTY = Buffer.alloc(0);

/** IPS speaks UTF-8; bytes that are not valid UTF-8 are refused rather than guessed at. */
function decodeText(bytes: Buffer, status: number): string {
	if (!isUtf8(bytes)) throw notUtf8(status, `${bytes.length} bytes that are not valid UTF-8`);
	return bytes.toString('utf8');
}

/** An answer refused for its bytes: `what` says which. */
function notUtf8(status: number, what: string): IpsTransportError {
	return new IpsTransportError('invalidEncoding', `IPS answered HTTP ${status} with ${what}`, {
		httpStatus: status,
	});
}

/** Only the origin and path of a redirect target: its query could carry anything. */
function safeLocation(location: string): string {
	try {
		const target = new URL(location);
		return `${target.origin}${target.pathname}`;
	} catch {
		return '(no valid address)';
	}
}

const NETWORK_KINDS: Array<[RegExp, TransportErrorKind, (url: URL, seconds: string) => string]> = [
	[
		/^ECONNREFUSED$/,
		'connectionRefused',
		(u) => `Could not connect to ${u.host}: the connection was refused`,
	],
	[
		/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/,
		'dnsFailure',
		(u) => `Could not find the host ${u.hostname} (DNS lookup failed)`,
	],
	[
		/^UND_ERR_CONNECT_TIMEOUT$/,
		'connectTimeout',
		(u) => `Could not connect to ${u.host} within ${CONNECT_TIMEOUT_MS / 1000} s`,
	],
	[
		/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/,
		'tls',
		(u) => `The secure (TLS) connection to ${u.host} failed`,
	],
	[
		/^(UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/,
		'timeout',
		(_u, s) => `IPS did not answer within ${s}`,
	],
	[
		/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNABORTED)$/,
		'connectionReset',
		(u) => `The connection to ${u.host} was closed before the answer was complete`,
	],
];

function classifyNetworkError(error: unknown, url: URL, seconds: string): IpsTransportError {
	for (
		let e = error as { cause?: unknown } | undefined, depth = 0;
		e && depth < 5;
		e = e.cause as typeof e, depth++
	) {
		if (proxyTunnel && e instanceof proxyTunnel.ProxyTunnelError) {
			return new IpsTransportError('proxy', `${e.message}; nothing was sent to IPS`, {
				cause: error,
			});
		}
	}
	const codes: string[] = [];
	for (
		let e = error as { code?: unknown; cause?: unknown } | undefined;
		e && codes.length < 5;
		e = e.cause as typeof e
	) {
		if (typeof e.code === 'string') codes.push(e.code);
	}
	for (const code of codes) {
		for (const [pattern, kind, describe] of NETWORK_KINDS) {
			if (pattern.test(code)) {
				return new IpsTransportError(kind, `${describe(url, seconds)} (${code})`, { cause: error });
			}
		}
	}
	const detail = error instanceof Error ? error.message : String(error);
	return new IpsTransportError('network', `The request to ${url.host} failed: ${detail}`, {
		cause: error,
	});
}
