"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.undiciTransport = exports.MAX_RESPONSE_BYTES = exports.DEFAULT_REQUEST_TIMEOUT_MS = exports.CONNECT_TIMEOUT_MS = void 0;
exports.closeTransport = closeTransport;
// The only file that knows undici: one pooled keep-alive agent per process, exact timeouts, bounded
// bodies, gzip, proxies from the environment, and every failure turned into an IpsTransportError.
const node_zlib_1 = require("node:zlib");
const node_buffer_1 = require("node:buffer");
const node_util_1 = require("node:util");
const faults_1 = require("./faults");
const endpoints_1 = require("./endpoints");
exports.CONNECT_TIMEOUT_MS = 5_000;
exports.DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
exports.MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
let directAgent;
let proxyAgent;
let undici;
/**
 * undici is loaded on the first request, not when n8n loads the node at start-up (n8n loads every
 * installed package then; bench figure 4 measures what this saves).
 */
async function loadUndici() {
    return (undici ??= await Promise.resolve().then(() => __importStar(require('undici'))));
}
function dispatcherFor(url, { Agent, EnvHttpProxyAgent }) {
    const agentOptions = {
        connect: { timeout: exports.CONNECT_TIMEOUT_MS },
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    };
    // Loopback never goes through a proxy: a plain-HTTP request to this machine must stay on it.
    const wantsProxy = !(0, endpoints_1.isLoopbackHost)(url.hostname) &&
        Boolean(process.env.HTTPS_PROXY ??
            process.env.https_proxy ??
            process.env.HTTP_PROXY ??
            process.env.http_proxy);
    if (wantsProxy)
        return (proxyAgent ??= new EnvHttpProxyAgent(agentOptions));
    return (directAgent ??= new Agent(agentOptions));
}
/** Closes the pooled sockets (tests and command-line tools call it before they exit). */
async function closeTransport() {
    const agents = [directAgent, proxyAgent];
    directAgent = undefined;
    proxyAgent = undefined;
    await Promise.all(agents.map((agent) => agent?.close()));
}
exports.undiciTransport = {
    async post(req) {
        const url = new URL(req.url);
        const maxBytes = req.maxResponseBytes ?? exports.MAX_RESPONSE_BYTES;
        const deadline = AbortSignal.timeout(req.timeoutMs);
        const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
        const seconds = `${Math.round(req.timeoutMs / 100) / 10} s`;
        try {
            if (req.signal?.aborted)
                throw cancelled();
            const lib = undici ?? (await loadUndici());
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
                throw new faults_1.IpsTransportError('redirect', `IPS answered HTTP ${status} redirecting to ${safeLocation(location)}; redirects are not followed, so the password is not sent to another address. Check the region or Service URL.`, { httpStatus: status, location: safeLocation(location) });
            }
            const declared = Number(response.headers['content-length'] ?? NaN);
            if (declared > maxBytes) {
                await response.body.dump();
                throw tooLarge(status, maxBytes);
            }
            const raw = await readBounded(response.body, maxBytes, status);
            const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
            const decoded = await decompress(raw, encoding, maxBytes, status);
            const contentType = String(response.headers['content-type'] ?? '');
            return { status, contentType, body: decodeText(decoded, status) };
        }
        catch (error) {
            throw asTransportError(error, {
                url,
                seconds,
                cancelled: req.signal?.aborted,
                timedOut: deadline.aborted,
            });
        }
    },
};
function asTransportError(error, how) {
    if (error instanceof faults_1.IpsTransportError)
        return error;
    if (how.cancelled)
        return cancelled();
    if (how.timedOut) {
        return new faults_1.IpsTransportError('timeout', `IPS did not answer within ${how.seconds}`, {
            cause: error,
        });
    }
    return classifyNetworkError(error, how.url, how.seconds);
}
function cancelled() {
    return new faults_1.IpsTransportError('cancelled', 'The execution was canceled');
}
function tooLarge(status, maxBytes) {
    return new faults_1.IpsTransportError('responseTooLarge', `IPS answered HTTP ${status} with more than ${Math.round(maxBytes / 1024 / 1024)} MB; the answer was refused`, { httpStatus: status });
}
async function readBounded(body, maxBytes, status) {
    const chunks = [];
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
const DECOMPRESSORS = {
    gzip: { sync: node_zlib_1.gunzipSync, async: (0, node_util_1.promisify)(node_zlib_1.gunzip) },
    'x-gzip': { sync: node_zlib_1.gunzipSync, async: (0, node_util_1.promisify)(node_zlib_1.gunzip) },
    deflate: { sync: node_zlib_1.inflateSync, async: (0, node_util_1.promisify)(node_zlib_1.inflate) },
    br: { sync: node_zlib_1.brotliDecompressSync, async: (0, node_util_1.promisify)(node_zlib_1.brotliDecompress) },
};
async function decompress(raw, encoding, maxBytes, status) {
    if (!encoding || encoding === 'identity' || raw.length === 0)
        return raw;
    const decoder = DECOMPRESSORS[encoding];
    if (!decoder) {
        throw new faults_1.IpsTransportError('unexpectedResponse', `IPS answered with an unknown content encoding "${encoding}"`, {
            httpStatus: status,
        });
    }
    // The cap applies to what the answer unpacks to, too (a small gzip can hold gigabytes).
    const options = { maxOutputLength: maxBytes };
    const unpacked = raw.length < SYNC_DECOMPRESS_BYTES
        ? Promise.resolve().then(() => decoder.sync(raw, options))
        : decoder.async(raw, options);
    return await unpacked.catch((error) => {
        if (error.code === 'ERR_BUFFER_TOO_LARGE')
            throw tooLarge(status, maxBytes);
        throw new faults_1.IpsTransportError('malformedXml', `IPS answered with a ${encoding} body that does not unpack`, {
            httpStatus: status,
            cause: error,
        });
    });
}
/** IPS speaks UTF-8; bytes that are not valid UTF-8 are refused rather than guessed at. */
function decodeText(bytes, status) {
    if (!(0, node_buffer_1.isUtf8)(bytes)) {
        throw new faults_1.IpsTransportError('invalidEncoding', `IPS answered HTTP ${status} with ${bytes.length} bytes that are not valid UTF-8`, { httpStatus: status });
    }
    return bytes.toString('utf8');
}
/** Only the origin and path of a redirect target: its query could carry anything. */
function safeLocation(location) {
    try {
        const target = new URL(location);
        return `${target.origin}${target.pathname}`;
    }
    catch {
        return '(no valid address)';
    }
}
const NETWORK_KINDS = [
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
        (u) => `Could not connect to ${u.host} within ${exports.CONNECT_TIMEOUT_MS / 1000} s`,
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
function classifyNetworkError(error, url, seconds) {
    const codes = [];
    for (let e = error; e && codes.length < 5; e = e.cause) {
        if (typeof e.code === 'string')
            codes.push(e.code);
    }
    for (const code of codes) {
        for (const [pattern, kind, describe] of NETWORK_KINDS) {
            if (pattern.test(code)) {
                return new faults_1.IpsTransportError(kind, `${describe(url, seconds)} (${code})`, { cause: error });
            }
        }
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new faults_1.IpsTransportError('network', `The request to ${url.host} failed: ${detail}`, {
        cause: error,
    });
}
//# sourceMappingURL=transport.js.map