// The way through an HTTP proxy: one CONNECT, then TLS to IPS over that socket, handed to the
// transport as its connection. undici's own proxy agent retries a CONNECT that a proxy drops or
// ignores in a tight loop that outlives the request's deadline (nodejs/undici#3897, its fix not in a
// release yet); this one fails on the first drop, within the connect timeout, saying that nothing
// reached IPS.
import { connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect, ConnectionOptions, TLSSocket } from 'node:tls';

/** The largest CONNECT answer read from a proxy; more is not a proxy speaking. */
const MAX_PROXY_ANSWER_BYTES = 16 * 1024;

/** A proxy that would not open a tunnel: nothing of the request was sent to IPS. */
export class ProxyTunnelError extends Error {
	constructor(
		message: string,
		readonly timedOut = false,
	) {
		super(message);
		this.name = 'ProxyTunnelError';
	}
}

export interface TunnelTarget {
	hostname: string;
	port: string | number;
	servername?: string;
}

/**
 * Opens a TLS connection to `target` through `proxy`. Calls back once: with the TLS socket, or with
 * a ProxyTunnelError (or the socket's own error) when the proxy refuses, drops or ignores CONNECT.
 */
export function openTunnel(
	proxy: URL,
	target: TunnelTarget,
	timeoutMs: number,
	callback: (error: Error | null, socket: TLSSocket | null) => void,
	tlsOptions: ConnectionOptions = {},
): void {
	const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
	const socket: Socket =
		proxy.protocol === 'https:'
			? tlsConnect({ host: proxy.hostname, port: proxyPort, servername: proxy.hostname })
			: netConnect({ host: proxy.hostname, port: proxyPort });
	let done = false;
	const finish = (error: Error | null, tls: TLSSocket | null) => {
		if (done) return;
		done = true;
		clearTimeout(timer);
		socket.removeAllListeners('data');
		if (error) socket.destroy();
		callback(error, tls);
	};
	const timer = setTimeout(
		() =>
			finish(
				new ProxyTunnelError(
					`The proxy ${proxy.host} did not open a connection to ${target.hostname} within ${timeoutMs / 1000} s`,
					true,
				),
				null,
			),
		timeoutMs,
	);
	socket.once('error', (error: NodeJS.ErrnoException) =>
		finish(
			new ProxyTunnelError(
				`Could not reach the proxy ${proxy.host} (${error.code ?? error.message})`,
			),
			null,
		),
	);
	socket.once('close', () =>
		finish(
			new ProxyTunnelError(
				`The proxy ${proxy.host} closed the connection instead of opening one to ${target.hostname}`,
			),
			null,
		),
	);
	const authority = `${target.hostname}:${target.port}`;
	const credentials =
		proxy.username || proxy.password
			? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
			: '';
	socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
		socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${credentials}\r\n`);
	});
	let answer = Buffer.alloc(0);
	socket.on('data', (chunk: Buffer) => {
		answer = Buffer.concat([answer, chunk]);
		const end = answer.indexOf('\r\n\r\n');
		if (end === -1) {
			if (answer.length > MAX_PROXY_ANSWER_BYTES)
				finish(
					new ProxyTunnelError(`The proxy ${proxy.host} sent an answer that is not HTTP`),
					null,
				);
			return;
		}
		const statusLine = answer.subarray(0, answer.indexOf('\r\n')).toString('latin1');
		const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
		if (status !== 200) {
			const shown = Number.isFinite(status) ? `HTTP ${status}` : 'something that is not HTTP';
			finish(
				new ProxyTunnelError(
					`The proxy ${proxy.host} answered ${shown} instead of opening a connection to ${target.hostname}`,
				),
				null,
			);
			return;
		}
		// Bytes after the proxy's answer would belong to TLS: a server never speaks first there.
		if (answer.length > end + 4) {
			finish(new ProxyTunnelError(`The proxy ${proxy.host} sent data it should not have`), null);
			return;
		}
		// The proxy's part is done: from here the connect timeout covers the TLS handshake with IPS.
		socket.removeAllListeners('data');
		socket.removeAllListeners('close');
		socket.removeAllListeners('error');
		const tls = tlsConnect({
			...tlsOptions,
			socket,
			servername: target.servername || target.hostname,
			ALPNProtocols: ['http/1.1'],
		});
		tls.once('secureConnect', () => finish(null, tls));
		tls.once('error', (error) => finish(error, null));
	});
}
