// The server misbehaves: every case gives that item a clear, typed error, with no crash, no hang,
// and executeJob reaching the server at most once.
import { gzipSync } from 'node:zlib';
import type { IDataObject } from 'n8n-workflow';
import { Socket } from 'node:net';
import { MAX_EMPTY_ANSWER_BYTES } from '../../nodes/Ips/ips/IpsClient';
import { closeTransport, MAX_RESPONSE_BYTES } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { runIpsWorkflow } from '../support/engine';
import { byHandle, credentialFor } from '../support/ips';
import {
	closedPortUrl,
	Loopback,
	SOAP_OK,
	startHttpLoopback,
	startTcpLoopback,
} from '../support/loopback';

let sim: IpsSimulator;
let server: Loopback | undefined;
beforeAll(async () => {
	sim = await startIpsSimulator({ runDurationMs: 0 });
});
beforeEach(() => {
	sim.requests.length = 0;
	sim.clearInjections();
});
afterEach(async () => {
	await server?.stop();
	server = undefined;
});
afterAll(async () => {
	await sim.stop();
	await closeTransport();
});

const NIGHTLY = 'j|2101|Nightly publish||';

/** Runs two items (the first one against the misbehaving server) with Continue On Fail. */
async function runAgainst(url: string, requestTimeoutSeconds = 5) {
	const { output, error } = await runIpsWorkflow({
		parameters: {
			companyHandle: byHandle('c|2101'),
			jobHandle: byHandle(NIGHTLY),
			options: { requestTimeoutSeconds },
		},
		items: [{ n: 0 }],
		credential: credentialFor({ url }),
		continueOnFail: true,
	});
	expect(error).toBeUndefined();
	expect(output).toHaveLength(1);
	expect(output?.[0].pairedItem).toEqual({ item: 0 });
	return output?.[0].json as { error?: string; details?: Record<string, unknown>; n?: number };
}

const fault = (detail: string) =>
	`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Boom</faultstring>${detail}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`;

describe('through the simulator’s fault injection', () => {
	it('an HTML error page with 502', async () => {
		sim.inject('executeJob', { kind: 'html', status: 502 });
		const json = await runAgainst(sim.url);
		expect(json.error).toMatch(/HTTP 502 with something that is not XML: <html>/);
		expect(json.details).toMatchObject({
			kind: 'httpError',
			httpStatus: 502,
			requestMayHaveReachedServer: true,
		});
		expect(json.details?.description).toMatch(/job may have started/);
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});

	it('a SOAP fault at HTTP 200', async () => {
		sim.inject('executeJob', {
			kind: 'fault',
			fault: { kind: 'ipsApi', code: 30000, reason: 'Disk full' },
			httpStatus: 200,
		});
		const json = await runAgainst(sim.url);
		expect(json.error).toMatch(/Disk full/);
		expect(json.details).toMatchObject({ kind: 'ipsApi', code: 30000, httpStatus: 200 });
	});

	it('a dropped connection', async () => {
		sim.inject('executeJob', { kind: 'drop' });
		const json = await runAgainst(sim.url);
		expect(json.details).toMatchObject({
			kind: 'connectionReset',
			requestMayHaveReachedServer: true,
		});
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});

	it('headers that never come (request timeout): one request, “may have started”', async () => {
		sim.inject('executeJob', { kind: 'delay', delayMs: 5_000 });
		const started = Date.now();
		const json = await runAgainst(sim.url, 1);
		expect(Date.now() - started).toBeLessThan(3_000);
		expect(json.error).toMatch(/did not answer within 1 s/);
		expect(json.details?.description).toMatch(
			/job may have started.*before running this item again/,
		);
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});
});

describe('through purpose-built loopback servers', () => {
	const raw = (status: number, body: string | Buffer, headers: Record<string, string> = {}) =>
		startHttpLoopback((_req, res) => {
			res.writeHead(status, { 'content-type': 'text/xml; charset=UTF-8', ...headers }).end(body);
		});

	it.each([
		['200 with an empty body', 200, '', 'emptyResponse', /empty body/],
		['a fault with no detail', 500, fault(''), 'soap', /SOAP fault \(Boom\)/],
		[
			'a fault with an unknown detail element',
			500,
			fault('<detail><x:otherFault xmlns:x="urn:x"><code>1</code></x:otherFault></detail>'),
			'soap',
			/Boom/,
		],
		['truncated XML', 200, SOAP_OK('executeJob').slice(0, 80), 'malformedXml', /not well-formed/],
		[
			'an entity-expansion bomb',
			200,
			'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn>&b;</executeJobReturn></soapenv:Body></soapenv:Envelope>',
			'doctypeRefused',
			/document type declaration, which is refused/,
		],
		[
			'a DOCTYPE with an external entity',
			200,
			'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn>&x;</executeJobReturn></soapenv:Body></soapenv:Envelope>',
			'doctypeRefused',
			/refused/,
		],
		[
			'invalid UTF-8',
			200,
			Buffer.from([0x3c, 0x61, 0xc3, 0x28, 0x3e]),
			'invalidEncoding',
			/not valid UTF-8/,
		],
	] as Array<[string, number, string | Buffer, string, RegExp]>)(
		'%s',
		async (_what, status, body, kind, message) => {
			server = await raw(status, body);
			const json = await runAgainst(server.url);
			expect(json.details?.kind).toBe(kind);
			expect(json.error).toMatch(message);
			expect(server.hits()).toBe(1);
		},
	);

	it('a fault with an unknown detail is a fault (HTTP 500 kept)', async () => {
		server = await raw(500, fault('<detail><otherFault/></detail>'));
		expect((await runAgainst(server.url)).details).toMatchObject({ kind: 'soap', httpStatus: 500 });
	});

	it('valid SOAP with the wrong content type is accepted', async () => {
		server = await raw(200, SOAP_OK('executeJob'), { 'content-type': 'application/octet-stream' });
		expect(await runAgainst(server.url)).toEqual({ n: 0 });
	});

	it('gzip is decoded', async () => {
		server = await raw(200, gzipSync(SOAP_OK('executeJob')), { 'content-encoding': 'gzip' });
		expect(await runAgainst(server.url)).toEqual({ n: 0 });
	});

	it("executeJob's empty answer has its own small cap: a 20 MB body is refused at 16 KB", async () => {
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/xml' });
			const chunk = Buffer.alloc(1024 * 1024, ' ');
			let sent = 0;
			const pump = () => {
				while (sent < 20 && !res.destroyed) {
					sent++;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
				res.end();
			};
			pump();
		});
		const json = await runAgainst(server.url);
		expect(json.details?.kind).toBe('responseTooLarge');
		expect(json.error).toMatch(new RegExp(`more than ${MAX_EMPTY_ANSWER_BYTES / 1024} KB`));
		expect(MAX_EMPTY_ANSWER_BYTES).toBeLessThan(MAX_RESPONSE_BYTES);
	});

	it('a body that stalls halfway times out', async () => {
		server = await startTcpLoopback((socket: Socket) => {
			socket.once('data', () =>
				socket.write(
					'HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 500\r\n\r\n<soapenv:Envelope',
				),
			);
		});
		const json = await runAgainst(server.url, 1);
		expect(json.details).toMatchObject({ kind: 'timeout', requestMayHaveReachedServer: true });
		expect(server.hits()).toBe(1);
	});

	it('a connection reset mid-body', async () => {
		server = await startTcpLoopback((socket: Socket) => {
			socket.once('data', () =>
				socket.write(
					'HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 500\r\n\r\n<soap',
					() => socket.resetAndDestroy(),
				),
			);
		});
		const json = await runAgainst(server.url);
		expect(json.details).toMatchObject({
			kind: 'connectionReset',
			requestMayHaveReachedServer: true,
		});
		expect(server.hits()).toBe(1);
	});

	it('a 30x redirect is not followed with the password', async () => {
		const target = await startHttpLoopback((_req, res) => {
			res.end(SOAP_OK('executeJob'));
		});
		server = await startHttpLoopback((_req, res) => {
			res.writeHead(301, { location: target.url }).end();
		});
		const json = await runAgainst(server.url);
		expect(json.details?.kind).toBe('redirect');
		expect(json.error).toMatch(/redirects are not followed/);
		expect(target.hits()).toBe(0);
		await target.stop();
	});

	it('connection refused: nothing was started, and the item says so', async () => {
		const json = await runAgainst(await closedPortUrl());
		expect(json.details).toMatchObject({
			kind: 'connectionRefused',
			requestMayHaveReachedServer: false,
		});
		expect(json.details?.description).toMatch(/Nothing reached IPS, so nothing was started/);
	});

	it('a host name that does not resolve', async () => {
		const json = await runAgainst('https://ips.invalid/scene7/services/IpsApiService');
		expect(json.details).toMatchObject({ kind: 'dnsFailure' });
	});
});

describe('the input misbehaves', () => {
	const run = (items: IDataObject[]) =>
		runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle('={{ $json.job }}') },
			items,
			credential: credentialFor(sim),
			continueOnFail: true,
		});

	it('a 1 MB handle is refused before sending, naming item and field', async () => {
		const { output } = await run([{ job: 'x'.repeat(1024 * 1024) }, { job: NIGHTLY }]);
		expect(output?.[0].json.error).toMatch(/Job handle of item 0 is 1048576 characters long/);
		expect(output?.[1].json).toEqual({ job: NIGHTLY });
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
	});

	it('a credential that cannot work (plain HTTP to a remote host) fails each item, sending nothing', async () => {
		const { output } = await runIpsWorkflow({
			parameters: { companyHandle: byHandle('c|2101'), jobHandle: byHandle(NIGHTLY) },
			items: [{ a: 1 }, { a: 2 }],
			credential: credentialFor({ url: 'http://ips.example.com/scene7/services/IpsApiService' }),
			continueOnFail: true,
		});
		expect(output?.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output?.[0].json.error).toMatch(/must use HTTPS/);
		expect(output?.[0].json.details).toMatchObject({ kind: 'configuration', field: 'serviceUrl' });
	});

	it('an expression that fails for one item only fails that item', async () => {
		const { output } = await runIpsWorkflow({
			parameters: {
				companyHandle: byHandle('c|2101'),
				jobHandle: byHandle('={{ $json.job.toUpperCase() === "X" ? "" : $json.job }}'),
			},
			items: [{ job: NIGHTLY }, { nojob: true }, { job: NIGHTLY }],
			credential: credentialFor(sim),
			continueOnFail: true,
		});
		expect(output?.map((item) => Boolean(item.json.error))).toEqual([false, true, false]);
		expect(output?.[1].json.error).toMatch(/item 1/);
		expect(sim.requestsFor('executeJob')).toHaveLength(2);
	});
});
