// The only file that knows undici: one pooled keep-alive agent per process, exact timeouts, bounded
// bodies, gzip, proxies from the environment, and every failure turned into an IpsTransportError.
import {
	brotliDecompress,
	brotliDecompressSync,
	gunzip,
	gunzipSync,
	inflate,
	inflateSync,
	InputType,
	ZlibOptions,
} from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { promisify } from 'node:util';
import type { Agent, Dispatcher, EnvHttpProxyAgent } from 'undici';
import { cancelledError, IpsTransportError, TransportErrorKind } from './faults';
import { isLoopbackHost } from './endpoints';

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
let proxyAgent: EnvHttpProxyAgent | undefined;
type Undici = typeof import('undici');
let undici: Undici | undefined;

/**
 * undici is loaded on the first request, not when n8n loads the node at start-up (n8n loads every
 * installed package then; bench figure 4 measures what this saves).
 */
async function loadUndici(): Promise<Undici> {
	return (undici ??= await import('undici'));
}

function dispatcherFor(url: URL, { Agent, EnvHttpProxyAgent }: Undici): Dispatcher {
	const agentOptions = {
		connect: { timeout: CONNECT_TIMEOUT_MS },
		keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
		keepAliveMaxTimeout: KEEP_ALIVE_TIMEOUT_MS,
	};
	// Loopback never goes through a proxy: a plain-HTTP request to this machine must stay on it.
	const wantsProxy =
		!isLoopbackHost(url.hostname) &&
		Boolean(
			process.env.HTTPS_PROXY ??
			process.env.https_proxy ??
			process.env.HTTP_PROXY ??
			process.env.http_proxy,
		);
	if (wantsProxy) return (proxyAgent ??= new EnvHttpProxyAgent(agentOptions));
	return (directAgent ??= new Agent(agentOptions));
}

/** Closes the pooled sockets (tests and command-line tools call it before they exit). */
export async function closeTransport(): Promise<void> {
	const agents = [directAgent, proxyAgent];
	directAgent = undefined;
	proxyAgent = undefined;
	await Promise.all(agents.map((agent) => agent?.close()));
}

export const undiciTransport: SoapTransport = {
	async post(req: SoapHttpRequest): Promise<SoapHttpResponse> {
		const url = new URL(req.url);
		const maxBytes = req.maxResponseBytes ?? MAX_RESPONSE_BYTES;
		const deadline = AbortSignal.timeout(req.timeoutMs);
		const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
		const seconds = `${Math.round(req.timeoutMs / 100) / 10} s`;
		let dispatched = false;
		try {
			if (req.signal?.aborted) throw cancelledError();
			const lib = undici ?? (await loadUndici());
			dispatched = true;
			const response = await lib.request(url, {
				method: 'POST',
				headers: req.headers,
				body: req.body,
				dispatcher: dispatcherFor(url, lib),
				signal,
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
			const raw = await readBounded(response.body, maxBytes, status);
			const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
			const decoded = await decompress(raw, encoding, maxBytes, status);
			return { status, body: decodeText(decoded, status) };
		} catch (error) {
			throw asTransportError(error, {
				url,
				seconds,
				cancelled: req.signal?.aborted,
				timedOut: deadline.aborted,
				dispatched,
			});
		}
	},
};

function asTransportError(
	error: unknown,
	how: { url: URL; seconds: string; cancelled?: boolean; timedOut: boolean; dispatched: boolean },
): IpsTransportError {
	if (error instanceof IpsTransportError && error.kind !== 'cancelled') return error;
	// Once handed to the network, a cancelled request may already have reached IPS.
	if (how.cancelled || error instanceof IpsTransportError)
		return cancelledError('', how.dispatched);
	if (how.timedOut) {
		return new IpsTransportError('timeout', `IPS did not answer within ${how.seconds}`, {
			cause: error,
		});
	}
	return classifyNetworkError(error, how.url, how.seconds);
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

async function readBounded(
	body: AsyncIterable<Buffer> & { destroy(): unknown },
	maxBytes: number,
	status: number,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of body) {
		total += chunk.length;
		if (total > maxBytes) {
			body.destroy();
			throw tooLarge(status, maxBytes);
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks, total);
}

/** Below this size a body is unpacked synchronously: zlib's thread pool costs more than the work. */
const SYNC_DECOMPRESS_BYTES = 256 * 1024;

const DECOMPRESSORS: Record<
	string,
	{
		sync: (input: InputType, options: ZlibOptions) => Buffer;
		async: (input: InputType, options: ZlibOptions) => Promise<Buffer>;
	}
> = {
	gzip: { sync: gunzipSync, async: promisify(gunzip) as never },
	'x-gzip': { sync: gunzipSync, async: promisify(gunzip) as never },
	deflate: { sync: inflateSync, async: promisify(inflate) as never },
	br: { sync: brotliDecompressSync, async: promisify(brotliDecompress) as never },
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
			{
				httpStatus: status,
			},
		);
	}
	// The cap applies to what the answer unpacks to, too (a small gzip can hold gigabytes).
	const options = { maxOutputLength: maxBytes };
	const unpacked =
		raw.length < SYNC_DECOMPRESS_BYTES
			? Promise.resolve().then(() => decoder.sync(raw, options))
			: decoder.async(raw, options);
	return await unpacked.catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(status, maxBytes);
		throw new IpsTransportError(
			'malformedXml',
			`IPS answered with a ${encoding} body that does not unpack`,
			{
				httpStatus: status,
				cause: error,
			},
		);
	});
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
