// Through an HTTP proxy (HTTPS_PROXY): one CONNECT per connection, a bound that holds when the
// proxy drops, refuses or ignores it, and nothing left running after the execution.
import { readFileSync } from 'node:fs';
import { createServer as createTlsServer, Server as TlsServer } from 'node:tls';
import { AddressInfo, connect as netConnect, Socket } from 'node:net';
import { join } from 'node:path';
import type { Agent as AgentType } from 'undici';
import { proxyFor } from '../../nodes/Ips/ips/endpoints';
import { openTunnel } from '../../nodes/Ips/ips/proxyTunnel';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';
import { Loopback, SOAP_OK, startTcpLoopback } from '../support/loopback';

const TARGET = 'https://ips.example.test/scene7/services/IpsApiService';
const tlsFile = (name: string) => readFileSync(join(__dirname, '../fixtures/tls', name));

type Behaviour = 'drop' | 'silent' | 'refuse' | 'tunnel';

/** A proxy on loopback that counts CONNECTs and then behaves as told. */
async function fakeProxy(behaviour: Behaviour, tunnelTo?: number) {
	const connects: string[] = [];
	const proxy = await startTcpLoopback((socket: Socket) => {
		socket.once('data', (chunk: Buffer) => {
			const line = chunk.toString('latin1').split('\r\n')[0];
			if (line.startsWith('CONNECT ')) connects.push(line);
			if (behaviour === 'drop') socket.destroy();
			if (behaviour === 'refuse') socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
			if (behaviour === 'tunnel') {
				const upstream = netConnect({ host: '127.0.0.1', port: tunnelTo! }, () => {
					socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
					socket.pipe(upstream).pipe(socket);
				});
				upstream.on('error', () => socket.destroy());
				socket.on('error', () => upstream.destroy());
			}
		});
	});
	return { proxy, connects, url: `http://127.0.0.1:${new URL(proxy.url).port}` };
}

let proxy: Loopback | undefined;
const savedProxy = process.env.HTTPS_PROXY;
afterEach(async () => {
	await proxy?.stop();
	proxy = undefined;
	if (savedProxy === undefined) delete process.env.HTTPS_PROXY;
	else process.env.HTTPS_PROXY = savedProxy;
	await closeTransport();
});

async function runThrough(behaviour: Behaviour) {
	const fake = await fakeProxy(behaviour);
	proxy = fake.proxy;
	process.env.HTTPS_PROXY = fake.url;
	const started = Date.now();
	const { error } = await runIpsWorkflow({
		parameters: {
			companyHandle: byHandle('c|2101'),
			jobHandle: byHandle('j|2101|Nightly publish||'),
			options: { requestTimeoutSeconds: 3 },
		},
		items: [{}],
		credential: credentialFor({ url: TARGET }),
	});
	const elapsed = Date.now() - started;
	// Nothing goes on after the execution ended: no CONNECT loop behind it.
	const connectsAtEnd = fake.connects.length;
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	return { error, elapsed, connects: fake.connects, connectsAtEnd, proxyUrl: fake.url };
}

describe('through a proxy that will not tunnel', () => {
	it('a dropped CONNECT fails at once, once, saying nothing reached IPS', async () => {
		const { error, elapsed, connects, connectsAtEnd, proxyUrl } = await runThrough('drop');
		const host = new URL(proxyUrl).host;
		expect(error?.message).toBe(
			`Could not run the IPS job of item 0: The proxy ${host} closed the connection instead of opening one to ips.example.test; nothing was sent to IPS`,
		);
		expect(error?.description).toMatch(/^Nothing reached IPS, so nothing was started/);
		expect(connects).toEqual(['CONNECT ips.example.test:443 HTTP/1.1']);
		expect(connectsAtEnd).toBe(1);
		expect(elapsed).toBeLessThan(1_000);
	});

	it('a silent proxy is given up at the request timeout, once, and the request never left', async () => {
		const { error, elapsed, connects } = await runThrough('silent');
		expect(error?.message).toBe(
			'Could not run the IPS job of item 0: Could not connect to ips.example.test within 3 s',
		);
		expect(error?.description).toMatch(/^Nothing reached IPS/);
		expect(connects).toHaveLength(1);
		expect(elapsed).toBeGreaterThanOrEqual(2_900);
		expect(elapsed).toBeLessThan(4_000);
	});

	it('a proxy that refuses says what it answered', async () => {
		const { error, connects } = await runThrough('refuse');
		expect(error?.message).toMatch(
			/The proxy 127\.0\.0\.1:\d+ answered HTTP 407 instead of opening a connection to ips\.example\.test; nothing was sent to IPS$/,
		);
		expect(connects).toHaveLength(1);
	});
});

describe('the tunnel', () => {
	let server: TlsServer;
	afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('opens one CONNECT and speaks TLS to IPS over it', async () => {
		const received: string[] = [];
		server = createTlsServer(
			{ key: tlsFile('ips.example.test.key'), cert: tlsFile('ips.example.test.crt') },
			(socket) => {
				socket.once('data', (chunk: Buffer) => {
					received.push(chunk.toString('utf8').split('\r\n')[0]);
					const body = SOAP_OK('executeJob');
					socket.end(
						`HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
					);
				});
			},
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const fake = await fakeProxy('tunnel', (server.address() as AddressInfo).port);
		proxy = fake.proxy;
		const { Agent, request } = (await import('undici')) as typeof import('undici');
		const agent: AgentType = new Agent({
			connect: (options, callback) =>
				openTunnel(
					new URL(fake.url),
					{ hostname: options.hostname, port: options.port || 443, servername: options.servername },
					5_000,
					(error, socket) => (error ? callback(error, null) : callback(null, socket!)),
					{ ca: tlsFile('ips.example.test.crt') },
				),
		});
		const response = await request(TARGET, { method: 'POST', body: '<x/>', dispatcher: agent });
		expect(response.statusCode).toBe(200);
		expect(await response.body.text()).toContain('executeJobReturn');
		expect(fake.connects).toEqual(['CONNECT ips.example.test:443 HTTP/1.1']);
		expect(received).toEqual(['POST /scene7/services/IpsApiService HTTP/1.1']);
		await agent.close();
	});

	it('refuses a server whose certificate does not match, before anything is sent', async () => {
		server = createTlsServer(
			{ key: tlsFile('ips.example.test.key'), cert: tlsFile('ips.example.test.crt') },
			(socket) => socket.destroy(),
		);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const fake = await fakeProxy('tunnel', (server.address() as AddressInfo).port);
		proxy = fake.proxy;
		const error = await new Promise<Error | null>((resolve) =>
			openTunnel(new URL(fake.url), { hostname: 'ips.example.test', port: 443 }, 5_000, (e) =>
				resolve(e),
			),
		);
		// No CA for the self-signed certificate here: TLS refuses it.
		expect((error as NodeJS.ErrnoException | null)?.code).toMatch(/SELF_SIGNED|UNABLE_TO|CERT/);
	});
});

describe('which requests go through the proxy', () => {
	const target = new URL(TARGET);
	it.each([
		[{ HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
		[{ https_proxy: 'http://proxy:3128' }, 'http://proxy:3128/'],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.test' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.example.test' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'other.test, *' }, undefined],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'ips.example.test:8443' }, 'http://proxy:3128/'],
		[{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'xample.test' }, 'http://proxy:3128/'],
		[{}, undefined],
	])('%j → %s', (env, expected) => {
		expect(proxyFor(target, env as NodeJS.ProcessEnv)?.href).toBe(expected);
	});
});
