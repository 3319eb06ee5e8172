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
import type { Agent } from 'undici';
import { cancelledError, IpsTransportError, TransportErrorKind } from './faults';
import { isLoopbackHost, proxyFor } from './endpoints';
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
}

export interface SoapHttpResponse {
	status: number;
	body: string;
}

/** The transport seam: tests and benchmarks may pass their own. */
export interface SoapTransport {
	post(request: SoapHttpRequest): Promise<SoapHttpResponse>;
}

let directAgent: Agent | undefined;
/** One agent per proxy address, each opening its connections through our own tunnel. */
const proxyAgents = new Map<string, Agent>();
/** Tunnels open right now, per proxy agent: none open at a deadline means nothing was sent. */
const openTunnels = new WeakMap<Agent, { count: number }>();
type Undici = typeof import('undici');
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
	/**
	 * The deadline and the cancel signal hold outside undici too: the caller gets its error at the
	 * deadline whatever undici does, and an agent that has not let go a second later is destroyed.
	 * One timer and one AbortController per request serve both (AbortSignal.timeout and
	 * AbortSignal.any cost more per request than the rest of the transport: bench/RESULTS.md).
	 */
	async post(req: SoapHttpRequest): Promise<SoapHttpResponse> {
		const exchange: Exchange = { abort: new AbortController(), timedOut: false, agent: undefined };
		const answer = exchangeWith(req, exchange);
		let timer: NodeJS.Timeout | undefined;
		let onAbort: (() => void) | undefined;
		const bound = new Promise<never>((_resolve, reject) => {
			const giveUp = (error: IpsTransportError) => {
				reject(error);
				exchange.abort.abort(error);
				const stuck = setTimeout(() => exchange.agent && abandon(exchange.agent), ABANDON_GRACE_MS);
				void answer.then(
					() => clearTimeout(stuck),
					() => clearTimeout(stuck),
				);
			};
			timer = setTimeout(() => {
				exchange.timedOut = true;
				giveUp(deadlineError(exchange.agent, parsedUrl(req.url).url, secondsOf(req.timeoutMs)));
			}, req.timeoutMs);
			onAbort = () => giveUp(cancelledError('', exchange.agent !== undefined));
			req.signal?.addEventListener('abort', onAbort, { once: true });
		});
		try {
			return await Promise.race([answer, bound]);
		} finally {
			clearTimeout(timer);
			if (onAbort) req.signal?.removeEventListener('abort', onAbort);
		}
	},
};

/** One request's state, shared by its deadline and its exchange. */
interface Exchange {
	/** Aborted at the deadline or on cancel: undici stops the request. */
	abort: AbortController;
	timedOut: boolean;
	/** Set once the request is handed to an agent (it may then have reached IPS). */
	agent: Agent | undefined;
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

/** One exchange through undici, every failure typed. */
async function exchangeWith(req: SoapHttpRequest, exchange: Exchange): Promise<SoapHttpResponse> {
	const { url, loopback } = parsedUrl(req.url);
	const maxBytes = req.maxResponseBytes ?? MAX_RESPONSE_BYTES;
	try {
		if (req.signal?.aborted) throw cancelledError();
		const lib = undici ?? (await loadUndici());
		// Loopback never goes through a proxy: a plain-HTTP request to this machine must stay on it.
		const proxy = loopback ? undefined : proxyFor(url);
		if (proxy) proxyTunnel ??= await import('./proxyTunnel');
		const dispatcher = dispatcherFor(lib, proxy, proxyTunnel);
		exchange.agent = dispatcher;
		const response = await lib.request(url, {
			method: 'POST',
			headers: req.headers,
			body: req.body,
			dispatcher,
			signal: exchange.abort.signal,
			headersTimeout: req.timeoutMs,
			bodyTimeout: req.timeoutMs,
		});
		const status = response.statusCode;
		if (status >= 300 && status < 400) {
			await response.body.dump();
			const location = String(response.headers.location ?? '');
			throw new IpsTransportError(
				'redirect',
				`IPS answered HTTP ${status} redirecting to ${safeLocation(location)}; redirects are not followed, so the password is not sent to another address. Check the region or Service URL.`,
				{ httpStatus: status, location: safeLocation(location) },
			);
		}
		const declared = Number(response.headers['content-length'] ?? NaN);
		if (declared > maxBytes) {
			await response.body.dump();
			throw tooLarge(status, maxBytes);
		}
		// With a declared length undici delivers that many bytes at most (more is a protocol error).
		const raw =
			declared <= maxBytes
				? Buffer.from(await response.body.arrayBuffer())
				: await readBounded(response.body, maxBytes, status);
		const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
		const decoded = await decompress(raw, encoding, maxBytes, status);
		return { status, body: decodeText(decoded, status) };
	} catch (error) {
		throw asTransportError(error, {
			url,
			seconds: secondsOf(req.timeoutMs),
			cancelled: req.signal?.aborted,
			timedOut: exchange.timedOut,
			dispatched: exchange.agent !== undefined,
			agent: exchange.agent,
		});
	}
}

function asTransportError(
	error: unknown,
	how: {
		url: URL;
		seconds: string;
		cancelled?: boolean;
		timedOut: boolean;
		dispatched: boolean;
		agent?: Agent;
	},
): IpsTransportError {
	if (error instanceof IpsTransportError && error.kind !== 'cancelled') return error;
	// Once handed to the network, a cancelled request may already have reached IPS.
	if (how.cancelled || error instanceof IpsTransportError)
		return cancelledError('', how.dispatched);
	if (how.timedOut) return deadlineError(how.agent, how.url, how.seconds, error);
	return classifyNetworkError(error, how.url, how.seconds);
}

/**
 * The error of a request that reached its deadline. Through a proxy with no tunnel open (a silent
 * proxy) the request cannot have left, and the error says so.
 */
function deadlineError(
	agent: Agent | undefined,
	url: URL,
	seconds: string,
	cause?: unknown,
): IpsTransportError {
	if (agent && openTunnels.get(agent)?.count === 0) {
		return new IpsTransportError(
			'connectTimeout',
			`Could not connect to ${url.host} within ${seconds}`,
			{ cause },
		);
	}
	return new IpsTransportError('timeout', `IPS did not answer within ${seconds}`, { cause });
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
 * What a stream gives (an answer without a declared length, or what an answer unpacks to), stopped
 * as soon as it passes the cap. Read through its events: an async iterator over the stream cost more
 * than the rest of a small answer's reading.
 */
function readBounded(
	stream: Readable,
	maxBytes: number,
	status: number,
	asError: (error: unknown) => unknown = (error) => error,
): Promise<Buffer> {
	return new Promise<Buffer>((resolve, reject) => {
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
		stream.once('end', () => resolve(Buffer.concat(chunks, total)));
	});
}

/**
 * An answer that unpacks to at most this much is unpacked at once (zlib's thread pool costs more
 * than the work); a larger one is unpacked as a stream, a chunk at a time, so the event loop is never
 * held for long and the cap stops it as soon as it is passed.
 */
const SYNC_DECOMPRESS_MAX_OUTPUT_BYTES = 1024 * 1024;

const DECOMPRESSORS: Record<
	string,
	{ sync: (input: InputType, options: ZlibOptions) => Buffer; stream: () => Transform }
> = {
	gzip: { sync: gunzipSync, stream: createGunzip },
	'x-gzip': { sync: gunzipSync, stream: createGunzip },
	deflate: { sync: inflateSync, stream: createInflate },
	br: { sync: brotliDecompressSync, stream: createBrotliDecompress },
};

async function decompress(
	raw: Buffer,
	encoding: string,
	maxBytes: number,
	status: number,
): Promise<Buffer> {
	if (!encoding || encoding === 'identity' || raw.length === 0) return raw;
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
	const quickLimit = Math.min(maxBytes, SYNC_DECOMPRESS_MAX_OUTPUT_BYTES);
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
	return await unpacked;
}

/** IPS speaks UTF-8; bytes that are not valid UTF-8 are refused rather than guessed at. */
function decodeText(bytes: Buffer, status: number): string {
	if (!isUtf8(bytes)) {
		throw new IpsTransportError(
			'invalidEncoding',
			`IPS answered HTTP ${status} with ${bytes.length} bytes that are not valid UTF-8`,
			{ httpStatus: status },
		);
	}
	return bytes.toString('utf8');
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
