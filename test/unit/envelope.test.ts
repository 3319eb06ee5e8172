import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { buildEnvelope, soapHttpHeaders } from '../../nodes/Ips/ips/envelope';
import { namespaceOf, UNVERSIONED_NAMESPACE } from '../../nodes/Ips/ips/namespaces';
import { XmlValueError } from '../../nodes/Ips/ips/xml';
import { IpsClient } from '../../nodes/Ips/ips/IpsClient';
import { SOAP_OK } from '../support/loopback';
import { canonicalXml } from '../support/ips';

const auth = {
	user: 'someone@example.com',
	password: 's3cret',
	appName: 'n8n-nodes-scene7-ips',
	appVersion: '1.2.3',
};

function executeJobEnvelope(
	companyHandle: string,
	jobHandle: string,
	version: Parameters<typeof namespaceOf>[0] = 'pre-4.0',
) {
	return buildEnvelope({
		operation: 'executeJob',
		namespace: namespaceOf(version),
		auth,
		children: [
			['companyHandle', companyHandle],
			['jobHandle', jobHandle],
		],
	});
}

function bodyElementOf(envelope: string): string {
	const match = /<soapenv:Body>([\s\S]*)<\/soapenv:Body>/.exec(envelope);
	if (!match) throw new Error('no body');
	return match[1];
}

// A parser configured independently of the production one; it decodes numeric references (&#13;).
const plainParser = new XMLParser({
	parseTagValue: false,
	ignoreAttributes: false,
	trimValues: false,
	htmlEntities: true,
});

describe('the executeJob envelope', () => {
	it('has, for pre-4.0, exactly the reference request of the IPS API reference as its body', () => {
		const golden = readFileSync(
			join(__dirname, '../fixtures/golden/executeJob.pre-4.0.body.xml'),
			'utf8',
		);
		const body = bodyElementOf(executeJobEnvelope('47', '47|My Test Job|'));
		expect(canonicalXml(body)).toBe(canonicalXml(golden));
	});

	it('validates against the schema of Adobe’s WSDL (checked by libxml2)', async () => {
		const wsdl = readFileSync(join(__dirname, '../../simulator/schema/IpsApi.wsdl'), 'utf8');
		// libxml2 keeps one schema per namespace: merge the WSDL's two schema blocks into one XSD.
		const blocks = [...wsdl.matchAll(/<schema [^>]*>([\s\S]*?)<\/schema>/g)].map((m) => m[1]);
		expect(blocks).toHaveLength(2);
		const xsd =
			'<?xml version="1.0"?><schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
			`xmlns:types="${UNVERSIONED_NAMESPACE}" targetNamespace="${UNVERSIONED_NAMESPACE}" elementFormDefault="qualified">` +
			blocks.join('') +
			'</schema>';
		const validate = (xml: string) =>
			validateXML({
				xml: [{ fileName: 'body.xml', contents: xml }],
				schema: [{ fileName: 'ips.xsd', contents: xsd }],
			});

		const envelope = executeJobEnvelope('47', '47|My Test Job|');
		const good = await validate(bodyElementOf(envelope));
		expect(good.errors).toEqual([]);
		expect(good.valid).toBe(true);
		const header = /<authHeader[\s\S]*<\/authHeader>/.exec(envelope)?.[0] ?? '';
		expect((await validate(header)).valid).toBe(true);

		// The validator is not a rubber stamp: a body with the children swapped is refused.
		const swapped = bodyElementOf(envelope).replace(
			/(<companyHandle>.*<\/companyHandle>)(<jobHandle>.*<\/jobHandle>)/,
			'$2$1',
		);
		expect((await validate(swapped)).valid).toBe(false);
	});

	it('puts the body in the chosen version’s namespace and the authHeader in the unversioned one', () => {
		const envelope = executeJobEnvelope('c|2101', 'j|2101|Nightly||', '2014-04-03');
		expect(envelope).toContain(
			'<executeJobParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03">',
		);
		expect(envelope).toContain('<authHeader xmlns="http://www.scene7.com/IpsApi/xsd">');
	});

	it('writes the authHeader children in schema order, always with appName and appVersion', () => {
		const envelope = buildEnvelope({
			operation: 'getUserInfo',
			namespace: namespaceOf('2014-04-03'),
			auth: { ...auth, locale: 'en-US', gzipResponse: true, faultHttpStatusCode: 200 },
			children: [],
		});
		const header = /<authHeader[^>]*>([\s\S]*)<\/authHeader>/.exec(envelope)?.[1] ?? '';
		const names = [...header.matchAll(/<(\w+)>/g)].map((m) => m[1]);
		expect(names).toEqual([
			'user',
			'password',
			'locale',
			'appName',
			'appVersion',
			'gzipResponse',
			'faultHttpStatusCode',
		]);
		const minimal = buildEnvelope({
			operation: 'getUserInfo',
			namespace: namespaceOf('2014-04-03'),
			auth,
			children: [],
		});
		expect(minimal).toContain(
			'<appName>n8n-nodes-scene7-ips</appName><appVersion>1.2.3</appVersion>',
		);
		expect(minimal).not.toContain('<locale>');
	});

	it('sends SOAP 1.1 headers with the operation as SOAPAction; gzip only where answers can be large', () => {
		expect(soapHttpHeaders('executeJob')).toEqual({
			'content-type': 'text/xml; charset=UTF-8',
			soapaction: 'executeJob',
		});
		expect(soapHttpHeaders('getScheduledJobs')).toEqual({
			'content-type': 'text/xml; charset=UTF-8',
			soapaction: 'getScheduledJobs',
			'accept-encoding': 'gzip',
		});
	});
});

describe('escaping', () => {
	const hostile = [
		`A&B <script>alert("x")</script> 'quoted'`,
		'ends with ]]> and <![CDATA[ inside',
		'j|2101|Größe 価格 مرحبا||',
		'tab\tnew\nline\r\ncarriage',
		'&amp; is not decoded twice &lt;',
	];

	it.each(hostile)('round-trips %j through a real XML parser unchanged', (handle) => {
		const envelope = executeJobEnvelope('c|1', handle);
		const parsed = plainParser.parse(envelope);
		const param = parsed['soapenv:Envelope']['soapenv:Body'].executeJobParam;
		expect(param.jobHandle).toBe(handle);
		expect(param.companyHandle).toBe('c|1');
	});

	it('never lets a value open an element or a CDATA section', () => {
		const envelope = executeJobEnvelope('c|1', '</jobHandle><evil/><![CDATA[x]]>');
		expect(envelope).not.toContain('<evil/>');
		expect(envelope).not.toContain('<![CDATA[');
		expect(envelope).toContain('&lt;/jobHandle&gt;&lt;evil/&gt;');
	});

	it.each([
		['NUL', '\u0000'],
		['bell', '\u0007'],
		['vertical tab', '\u000B'],
		['escape', '\u001B'],
		['U+FFFE', '\uFFFE'],
		['lone surrogate', '\uD800'],
	])('refuses a %s character, naming the field and the position', (_name, ch) => {
		const build = () => executeJobEnvelope('c|1', `job${ch}name`);
		expect(build).toThrow(XmlValueError);
		expect(build).toThrow(/"jobHandle".*position 4/);
	});

	it('accepts characters outside the BMP (a correct surrogate pair)', () => {
		expect(executeJobEnvelope('c|1', 'rocket 🚀')).toContain('rocket 🚀');
	});

	it('refuses a control character in the password without echoing the password', () => {
		const build = () =>
			buildEnvelope({
				operation: 'getUserInfo',
				namespace: namespaceOf('pre-4.0'),
				auth: { ...auth, password: 'pa\u0001ss' },
				children: [],
			});
		expect(build).toThrow(/password of the IPS API credential contains a character/);
		try {
			build();
		} catch (error) {
			expect((error as Error).message).not.toContain('pa\u0001ss');
		}
	});
});

describe('the envelope a client sends', () => {
	function recordingClient() {
		const bodies: string[] = [];
		const client = new IpsClient({
			serviceUrl: 'https://ips.invalid/scene7/services/IpsApiService',
			apiVersion: '2014-04-03',
			auth,
			transport: {
				post: async ({ body, headers }) => {
					bodies.push(body);
					return { status: 200, body: SOAP_OK(headers.soapaction) };
				},
			},
		});
		return { client, bodies };
	}

	it('is rendered once for the same call, and anew for any other handle', async () => {
		const { client, bodies } = recordingClient();
		await client.executeJob('c|1', 'j|1');
		await client.executeJob('c|1', 'j|1');
		await client.executeJob('c|1', 'j|2');
		await client.executeJob('c|2', 'j|2');
		await client.executeJob('c|1', 'j|1');
		expect(bodies.map((body) => bodyElementOf(body))).toEqual(
			[
				['c|1', 'j|1'],
				['c|1', 'j|1'],
				['c|1', 'j|2'],
				['c|2', 'j|2'],
				['c|1', 'j|1'],
			].map(([company, job]) => bodyElementOf(executeJobEnvelope(company, job, '2014-04-03'))),
		);
		expect(bodies[1]).toBe(bodies[0]);
	});

	it('does not take one operation for another with the same children', async () => {
		const { client, bodies } = recordingClient();
		await client.executeJob('c|1', 'j|1');
		await client.changeJob('stopJob', 'c|1', 'j|1');
		expect(bodyElementOf(bodies[1])).toMatch(/^<stopJobParam /);
	});
});

describe('an empty answer a client has read before', () => {
	/** A client whose server gives these answers, one per request. */
	function clientAnswering(answers: Array<{ status: number; body: string }>) {
		return new IpsClient({
			serviceUrl: 'https://ips.invalid/scene7/services/IpsApiService',
			apiVersion: '2014-04-03',
			auth,
			transport: { post: async () => answers.shift()! },
		});
	}

	it('still fails when the same text comes with an HTTP error status', async () => {
		const ok = SOAP_OK('executeJob');
		const client = clientAnswering([
			{ status: 200, body: ok },
			{ status: 500, body: ok },
		]);
		await client.executeJob('c|1', 'j|1');
		await expect(client.executeJob('c|1', 'j|1')).rejects.toMatchObject({
			kind: 'httpError',
			message: 'IPS answered HTTP 500 to executeJob',
		});
	});

	it('still fails when the same text answers another operation', async () => {
		const ok = SOAP_OK('executeJob');
		const client = clientAnswering([
			{ status: 200, body: ok },
			{ status: 200, body: ok },
		]);
		await client.executeJob('c|1', 'j|1');
		await expect(client.changeJob('stopJob', 'c|1', 'j|1')).rejects.toMatchObject({
			kind: 'unexpectedResponse',
			message: expect.stringMatching(/^IPS answered HTTP 200 without a stopJobReturn element/),
		});
	});
});
