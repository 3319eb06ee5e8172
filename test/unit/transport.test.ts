import { gzipSync } from 'node:zlib';
import { IpsClient, MAX_RETRIES_WHEN_NEVER_SENT } from '../../nodes/Ips/ips/IpsClient';
import { IpsTransportError } from '../../nodes/Ips/ips/faults';
import {
	closeTransport,
	LARGE_ANSWER_BYTES,
	MAX_RESPONSE_BYTES,
	undiciTransport,
} from '../../nodes/Ips/ips/transport';
import type { TextParts } from '../../nodes/Ips/ips/xmlReader';
import {
	closedPortUrl,
	Loopback,
	SOAP_OK,
	startHttpLoopback,
	startTcpLoopback,
} from '../support/loopback';

const PASSWORD = 'Pa$$w0rd&<secret>';

function clientFor(url: string, requestTimeoutMs = 5_000, signal?: AbortSignal) {
	return new IpsClient({
		serviceUrl: url,
		apiVersion: '2014-04-03',
		auth: { user: 'someone@example.com', password: PASSWORD, appName: 'test', appVersion: '1' },
		requestTimeoutMs,
		signal,
	});
}

async function transportErrorOf(promise: Promise<unknown>): Promise<IpsTransportError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(IpsTransportError);
	return error as IpsTransportError;
}

/** A loopback server that answers every request with `body`, gzip-compressed when `zipped`. */
function answering(body: string | Buffer, zipped = false): Promise<Loopback> {
	return startHttpLoopback((_req, res) => {
		res
			.writeHead(200, {
				'content-type': 'text/xml',
				...(zipped ? { 'content-encoding': 'gzip' } : {}),
			})
			.end(zipped ? gzipSync(body) : body);
	});
}

let server: Loopback | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});
afterAll(closeTransport);

describe('the transport', () => {
	it('sends the SOAP request and decodes a gzip answer', async () => {
		let seen: { headers: Record<string, unknown>; body: string } | undefined;
		server = await startHttpLoopback((req, res, body) => {
			seen = { headers: req.headers, body };
			res
				.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' })
				.end(gzipSync(SOAP_OK('executeJob')));
		});
		// The answer is decoded by its Content-Encoding, whether or not gzip was asked for.
		await clientFor(server.url).executeJob('c|1', 'j|1|x||');
		expect(seen?.headers['soapaction']).toBe('executeJob');
		expect(seen?.headers['content-type']).toBe('text/xml; charset=UTF-8');
		expect(seen?.body).toContain('<jobHandle>j|1|x||</jobHandle>');
	});

	it('asks for gzip for list answers and reads them', async () => {
		const list =
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getScheduledJobsReturn><jobArray>' +
			'<items><companyHandle>c|1</companyHandle><jobHandle>j|1|A||</jobHandle><name>A</name></items></jobArray></getScheduledJobsReturn></soapenv:Body></soapenv:Envelope>';
		let acceptEncoding: unknown;
		server = await startHttpLoopback((req, res) => {
			acceptEncoding = req.headers['accept-encoding'];
			res
				.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' })
				.end(gzipSync(list));
		});
		const jobs = await clientFor(server.url).getScheduledJobs('c|1');
		expect(acceptEncoding).toBe('gzip');
		expect(jobs.map((job) => job.jobHandle)).toEqual(['j|1|A||']);
	});

	// Over a megabyte unpacked, an answer is unpacked as a stream (transport.ts), not at once.
	const activeList = (runs: number) =>
		'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getActiveJobsReturn><jobArray>' +
		Array.from(
			{ length: runs },
			(_, i) =>
				`<items><companyHandle>c|1</companyHandle><jobHandle>j|1||Nightly_${i}|${i}</jobHandle><name>Nightly_${i}</name><state>Running</state></items>`,
		).join('') +
		'</jobArray></getActiveJobsReturn></soapenv:Body></soapenv:Envelope>';

	it.each([
		['a gzip answer', true, ''],
		['an answer as sent, with a byte order mark,', false, '\uFEFF'],
	])('reads %s of more than a megabyte (in parts)', async (_what, zipped, start) => {
		const list = start + activeList(12_000);
		expect(list.length).toBeGreaterThan(LARGE_ANSWER_BYTES);
		server = await answering(list, zipped);
		const jobs = await clientFor(server.url).getActiveJobs('c|1');
		expect(jobs).toHaveLength(12_000);
		expect(jobs[0].jobHandle).toBe('j|1||Nightly_0|0');
		expect(jobs[11_999].name).toBe('Nightly_11999');
	});

	it.each([
		['small', 10],
		['large (over a megabyte unpacked)', 12_000],
	])('says a %s gzip answer that breaks off does not unpack', async (_size, runs) => {
		const zipped = gzipSync(activeList(runs));
		server = await startHttpLoopback((_req, res) => {
			res
				.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' })
				.end(zipped.subarray(0, zipped.length - 20));
		});
		const error = await transportErrorOf(clientFor(server.url).getActiveJobs('c|1'));
		expect(error.kind).toBe('malformedXml');
		expect(error.message).toBe('IPS answered with a gzip body that does not unpack');
	});

	describe('a large answer in parts (never one string)', () => {
		const post = (url: string, inParts?: boolean) =>
			undiciTransport.post({
				url,
				headers: { 'content-type': 'text/xml; charset=UTF-8' },
				body: '<x/>',
				timeoutMs: 5_000,
				inParts,
			});
		async function joined(parts: TextParts): Promise<{ text: string; count: number }> {
			let text = '';
			let count = 0;
			for (let part = await parts.next(); part !== undefined; part = await parts.next()) {
				text += part;
				count++;
			}
			return { text, count };
		}
		// Characters of two to four bytes, so that chunks and zlib's output cut some of them.
		const large = `<a>${'é€😀 '.repeat(Math.ceil(LARGE_ANSWER_BYTES / 8) + 1000)}</a>`;

		it.each([
			['as sent', false],
			['gzip-compressed', true],
		])('%s: in parts when asked and over a megabyte, whole otherwise', async (_how, zipped) => {
			server = await startHttpLoopback(async (_req, res) => {
				const bytes = Buffer.from(large);
				res.writeHead(200, {
					'content-type': 'text/xml',
					...(zipped ? { 'content-encoding': 'gzip' } : {}),
				});
				if (zipped) return void res.end(gzipSync(bytes));
				// Written in pieces cut inside characters, a pause between them.
				for (let at = 0; at < bytes.length; at += 100_001) {
					res.write(bytes.subarray(at, at + 100_001));
					await new Promise((resolve) => setTimeout(resolve, 1));
				}
				res.end();
			});
			const inParts = await post(server.url, true);
			expect(typeof inParts.body).toBe('object');
			const { text, count } = await joined(inParts.body as TextParts);
			expect(text).toBe(large);
			expect(count).toBeGreaterThan(10);
			expect((await post(server.url)).body).toBe(large);
		});

		it('a small answer stays one string', async () => {
			server = await answering('<a>é</a>');
			expect((await post(server.url, true)).body).toBe('<a>é</a>');
		});

		it.each([
			['as sent', false],
			['gzip-compressed', true],
		])(
			'%s: bytes that are not UTF-8 fail the read, saying within how many',
			async (_how, zipped) => {
				const bytes = Buffer.concat([
					Buffer.from(`<a>${'x'.repeat(LARGE_ANSWER_BYTES)}`),
					Buffer.from([0xc3, 0x28]),
					Buffer.from('</a>'),
				]);
				server = await answering(bytes, zipped);
				const error = await transportErrorOf(
					post(server.url, true).then(({ body }) => joined(body as TextParts)),
				);
				expect(error.kind).toBe('invalidEncoding');
				expect(error.message).toMatch(
					/^IPS answered HTTP 200 with bytes that are not valid UTF-8 \(within its first \d+ bytes\)$/,
				);
				const within = Number(/first (\d+)/.exec(error.message)![1]);
				expect(within).toBeGreaterThan(LARGE_ANSWER_BYTES);
				expect(within).toBeLessThanOrEqual(bytes.length);
			},
		);

		it('a gzip that unpacks past the cap is refused, asked in parts too', async () => {
			const bomb = gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES * 3, ' '));
			server = await startHttpLoopback((_req, res) => {
				res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(bomb);
			});
			const error = await transportErrorOf(clientFor(server.url).getActiveJobs('c|1'));
			expect(error.kind).toBe('responseTooLarge');
			expect(error.message).toBe(
				'IPS answered HTTP 200 with more than 10 MB; the answer was refused',
			);
		});

		it('an answer in parts that is not XML is quoted from its start; a broken one is named with its line', async () => {
			const html = `<html><body>Service Unavailable ${'x'.repeat(LARGE_ANSWER_BYTES)}</body></html>`;
			const broken = activeList(12_000).replace(
				'<state>Running</state></items><items>',
				'<state>Running</items><items>',
			);
			let answer = html;
			server = await startHttpLoopback((_req, res) => {
				res.writeHead(200, { 'content-type': 'text/xml' }).end(answer);
			});
			const notXml = await transportErrorOf(clientFor(server.url).getActiveJobs('c|1'));
			expect(notXml.kind).toBe('notXml');
			expect(notXml.message).toMatch(
				/^IPS answered HTTP 200 with something that is not XML: <html><body>Service Unavailable x+…$/,
			);
			answer = broken;
			expect(broken.length).toBeGreaterThan(LARGE_ANSWER_BYTES);
			const malformed = await transportErrorOf(clientFor(server.url).getActiveJobs('c|1'));
			expect(malformed.kind).toBe('malformedXml');
			expect(malformed.message).toMatch(
				/^IPS answered HTTP 200 with XML that is not well-formed \(<\/items> where <\/state> was expected, line 1\): <soapenv:Envelope/,
			);
		});
	});

	it('accepts valid SOAP with a wrong content type', async () => {
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' }).end(SOAP_OK('executeJob'));
		});
		await expect(clientFor(server.url).executeJob('c|1', 'j')).resolves.toBeUndefined();
	});

	it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(200, {
				'content-type': 'text/xml',
				'content-length': String(MAX_RESPONSE_BYTES + 1),
			});
			res.write('<x>');
		});
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('responseTooLarge');
	});

	it('stops reading a streamed answer once it passes the cap, with memory staying bounded', async () => {
		const chunk = Buffer.alloc(1024 * 1024, 'a');
		let chunksWritten = 0;
		let closed!: () => void;
		const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/xml' });
			res.on('close', closed);
			// 500 MB offered, without a Content-Length; the client must hang up long before.
			const pump = () => {
				while (chunksWritten < 500 && !res.destroyed) {
					chunksWritten++;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
			};
			pump();
		});
		const before = process.memoryUsage().rss;
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('responseTooLarge');
		await connectionClosed;
		expect(chunksWritten).toBeLessThan(100);
		expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
	});

	it('refuses a small gzip that unpacks past the cap', async () => {
		const bomb = gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES * 3, ' '));
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(bomb);
		});
		expect(bomb.length).toBeLessThan(MAX_RESPONSE_BYTES / 10);
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('responseTooLarge');
	});

	it('refuses invalid UTF-8', async () => {
		server = await startHttpLoopback((_req, res) => {
			res
				.writeHead(200, { 'content-type': 'text/xml' })
				.end(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]));
		});
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('invalidEncoding');
	});

	it('does not follow a redirect (the password stays here) and says where it pointed', async () => {
		const target = await startHttpLoopback((_req, res) => {
			res.end(SOAP_OK('executeJob'));
		});
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(302, { location: `${target.url}?token=abc` }).end();
		});
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('redirect');
		expect(error.message).toContain(target.url);
		expect(error.message).not.toContain('token=abc');
		expect(target.hits()).toBe(0);
		await target.stop();
	});

	it('times out when the headers never come, and says the job may have started', async () => {
		server = await startTcpLoopback(() => undefined);
		const error = await transportErrorOf(clientFor(server.url, 300).executeJob('c|1', 'j'));
		expect(error.kind).toBe('timeout');
		expect(error.requestMayHaveReachedServer).toBe(true);
		// Long enough for anything sent after the timeout (a retry) to arrive: the job runs once.
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(server.hits()).toBe(1);
	});

	it('times out when the body stalls halfway', async () => {
		server = await startTcpLoopback((socket) => {
			socket.once('data', () => {
				socket.write(
					'HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 1000\r\n\r\n<soapenv:Envelope',
				);
			});
		});
		const error = await transportErrorOf(clientFor(server.url, 300).executeJob('c|1', 'j'));
		expect(error.kind).toBe('timeout');
	});

	it('reads no more of an answer than its Content-Length declares', async () => {
		const answer = SOAP_OK('executeJob');
		const declared = Buffer.byteLength(answer);
		server = await startTcpLoopback((socket) => {
			socket.once('data', () => {
				socket.write(
					`HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: ${declared}\r\n\r\n${answer}${'<junk/>'.repeat(2_000)}`,
				);
			});
		});
		await expect(clientFor(server.url).executeJob('c|1', 'j')).resolves.toBeUndefined();
	});

	it('reports a connection reset mid-body, without retrying', async () => {
		server = await startTcpLoopback((socket) => {
			socket.once('data', () => {
				socket.write(
					'HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 1000\r\n\r\n<soapenv:Envelope',
					() => socket.resetAndDestroy(),
				);
			});
		});
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('connectionReset');
		expect(error.requestMayHaveReachedServer).toBe(true);
		expect(server.hits()).toBe(1);
	});

	it('retries a refused connection at most twice, and says nothing was sent', async () => {
		const url = await closedPortUrl();
		let attempts = 0;
		const counting = {
			post: (req: Parameters<typeof undiciTransport.post>[0]) => {
				attempts++;
				return undiciTransport.post(req);
			},
		};
		const client = new IpsClient({
			serviceUrl: url,
			apiVersion: '2014-04-03',
			auth: { user: 'u', password: 'p', appName: 'a', appVersion: '1' },
			transport: counting,
		});
		const error = await transportErrorOf(client.executeJob('c|1', 'j'));
		expect(error.kind).toBe('connectionRefused');
		expect(error.requestMayHaveReachedServer).toBe(false);
		expect(attempts).toBe(1 + MAX_RETRIES_WHEN_NEVER_SENT);
	});

	it('names a host that does not resolve', async () => {
		const error = await transportErrorOf(
			clientFor('http://no-such-host.invalid/scene7/services/IpsApiService').executeJob('c', 'j'),
		);
		expect(error.kind).toBe('dnsFailure');
		expect(error.requestMayHaveReachedServer).toBe(false);
		expect(error.message).toContain('no-such-host.invalid');
	});

	it('stops at once when the cancel signal fires', async () => {
		server = await startTcpLoopback(() => undefined);
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 100);
		const error = await transportErrorOf(
			clientFor(server.url, 30_000, controller.signal).executeJob('c|1', 'j'),
		);
		expect(error.kind).toBe('cancelled');
		// The request was on its way: it may have reached IPS.
		expect(error.requestMayHaveReachedServer).toBe(true);
		expect(Date.now() - started).toBeLessThan(2_000);
	});

	it('says nothing was sent when the execution was cancelled before the request left', async () => {
		const controller = new AbortController();
		controller.abort();
		const error = await transportErrorOf(
			clientFor('http://127.0.0.1:9/x', 30_000, controller.signal).executeJob('c|1', 'j'),
		);
		expect(error.kind).toBe('cancelled');
		expect(error.requestMayHaveReachedServer).toBe(false);
	});

	it('scrubs escaped, URL-encoded and base64 echoes of a password with quotes and backslashes', async () => {
		const password = 'P"w\\d&<x> 9';
		const echoes = [
			JSON.stringify(password),
			encodeURIComponent(password),
			Buffer.from(password).toString('base64'),
			Buffer.from(`someone@example.com:${password}`).toString('base64'),
		];
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(502, { 'content-type': 'text/html' }).end(`<html>${echoes.join(' | ')}</html>`);
		});
		const client = new IpsClient({
			serviceUrl: server.url,
			apiVersion: '2014-04-03',
			auth: { user: 'someone@example.com', password, appName: 'test', appVersion: '1' },
		});
		const error = await transportErrorOf(client.executeJob('c|1', 'j'));
		const everything = JSON.stringify({ message: error.message, details: error.details });
		for (const echo of echoes) expect(everything).not.toContain(echo.replace(/^"|"$/g, ''));
		expect(everything.match(/\*\*\*/g)?.length).toBeGreaterThanOrEqual(4);
	});

	it('never lets the password out in an error, even when a server echoes the request', async () => {
		server = await startHttpLoopback((_req, res, body) => {
			// The password sits past the quoted start too: a cut inside it must not leak a prefix.
			const password = /<password>(.*?)<\/password>/.exec(body)?.[1] ?? '';
			const page = `<html><body>Bad password ${password}; ${'.'.repeat(185)} ${password}</body></html>`;
			res.writeHead(502, { 'content-type': 'text/html' }).end(page);
		});
		const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
		expect(error.kind).toBe('httpError');
		const everything = JSON.stringify({ message: error.message, details: error.details });
		expect(everything).not.toContain('Pa$$');
		expect(everything).toContain('***');
	});
});
