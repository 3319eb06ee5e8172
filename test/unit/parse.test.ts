import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpsFault, IpsTransportError } from '../../nodes/Ips/ips/faults';
import {
	itemsOf,
	parseSoapResponse,
	parseSoapResponseInSlices,
	textOf,
} from '../../nodes/Ips/ips/parse';

const recorded = (name: string) =>
	readFileSync(join(__dirname, '../fixtures/ips-recorded', name), 'utf8');

function faultEnvelope(detail: string, faultstring = 'SomeException') {
	return (
		'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
		`<faultcode>soapenv:Client</faultcode><faultstring>${faultstring}</faultstring>${detail}` +
		'</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
	);
}

function detail(element: string, code: number, reason: string) {
	return (
		`<detail><ns1:${element} xmlns:ns1="http://www.scene7.com/IpsApi/xsd">` +
		`<code xmlns="http://www.scene7.com/IpsApi/xsd">${code}</code>` +
		`<reason xmlns="http://www.scene7.com/IpsApi/xsd">${reason}</reason></ns1:${element}></detail>`
	);
}

function caught(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected a throw');
}

describe('faults', () => {
	const cases: Array<[string, number, IpsFault['kind']]> = [
		['authenticationFault', 10000, 'authentication'],
		['authenticationFault', 10001, 'authentication'],
		['authenticationFault', 10002, 'authentication'],
		['authorizationFault', 20000, 'authorization'],
		['authorizationFault', 20003, 'authorization'],
		['authorizationFault', 20009, 'authorization'],
		['ipsApiFault', 30000, 'ipsApi'],
		['ipsApiFault', 30001, 'ipsApi'],
		['ipsApiFault', 30003, 'ipsApi'],
	];
	for (const httpStatus of [500, 200]) {
		it.each(cases)(`classifies %s %i at HTTP ${httpStatus}`, (element, code, kind) => {
			const error = caught(() =>
				parseSoapResponse(
					'executeJob',
					httpStatus,
					faultEnvelope(detail(element, code, `reason &amp; ${code}`)),
				),
			) as IpsFault;
			expect(error).toBeInstanceOf(IpsFault);
			expect({
				kind: error.kind,
				code: error.code,
				reason: error.reason,
				httpStatus: error.httpStatus,
			}).toEqual({
				kind,
				code,
				reason: `reason & ${code}`,
				httpStatus,
			});
		});
	}

	it('reads the reference authorization fault', () => {
		const xml = faultEnvelope(
			detail(
				'authorizationFault',
				20003,
				"User does not have permission to access operation 'executeJob'",
			),
			'AuthorizationException',
		);
		const error = caught(() => parseSoapResponse('executeJob', 500, xml)) as IpsFault;
		expect(error.kind).toBe('authorization');
		expect(error.code).toBe(20003);
		expect(error.isPermanent).toBe(true);
		expect(error.faultString).toBe('AuthorizationException');
	});

	it('reads the recorded ipsApiFault (prefixed elements, one line)', () => {
		const error = caught(() =>
			parseSoapResponse('renameAsset', 500, recorded('rename_asset__failure.xml')),
		) as IpsFault;
		expect(error).toBeInstanceOf(IpsFault);
		expect(error.kind).toBe('ipsApi');
		expect(error.code).toBe(30000);
		expect(error.reason).toBe("Asset ID 'katlynf' is already in use.");
		expect(error.isPermanent).toBe(false);
	});

	it('makes a fault without detail a soap fault carrying the faultstring', () => {
		const error = caught(() =>
			parseSoapResponse('executeJob', 500, faultEnvelope('', 'Server busy')),
		) as IpsFault;
		expect(error.kind).toBe('soap');
		expect(error.code).toBeUndefined();
		expect(error.reason).toBe('Server busy');
	});

	it('makes a fault with an unknown detail element a soap fault', () => {
		const xml = faultEnvelope('<detail><weirdFault><code>1</code></weirdFault></detail>', 'Weird');
		const error = caught(() => parseSoapResponse('executeJob', 200, xml)) as IpsFault;
		expect(error.kind).toBe('soap');
		expect(error.reason).toBe('Weird');
		expect(error.httpStatus).toBe(200);
	});
});

describe('answers that are not SOAP', () => {
	it.each([
		[
			'an HTML error page at 502',
			502,
			'<html><body><h1>502 Bad Gateway</h1></body></html>',
			'httpError',
		],
		['an HTML page at 200', 200, '<!DOCTYPE html><html><body>Login</body></html>', 'notXml'],
		['an empty body', 200, '', 'emptyResponse'],
		['white space only', 500, '  \n ', 'emptyResponse'],
		['plain text', 503, 'Service Unavailable', 'httpError'],
		[
			'truncated XML',
			200,
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn',
			'malformedXml',
		],
		['XML that is not SOAP', 200, '<status>ok</status>', 'unexpectedResponse'],
		[
			'SOAP without the Return element',
			200,
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><otherReturn/></soapenv:Body></soapenv:Envelope>',
			'unexpectedResponse',
		],
	])(
		'turns %s into a typed transport error quoting status and body',
		(_what, status, body, kind) => {
			const error = caught(() =>
				parseSoapResponse('executeJob', status, body),
			) as IpsTransportError;
			expect(error).toBeInstanceOf(IpsTransportError);
			expect(error.kind).toBe(kind);
			expect(error.httpStatus).toBe(status);
			expect(error.message).toContain(`HTTP ${status}`);
			if (body.trim()) expect(error.message).toContain(body.trim().slice(0, 20));
			expect(error.requestMayHaveReachedServer).toBe(true);
		},
	);

	it('quotes at most the start of a long body', () => {
		const body = `<html>${'x'.repeat(100_000)}</html>`;
		const error = caught(() => parseSoapResponse('executeJob', 502, body)) as IpsTransportError;
		expect(error.message.length).toBeLessThan(400);
	});

	it('refuses a DOCTYPE with internal entities (no expansion)', () => {
		const bomb =
			'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn>&lol2;</executeJobReturn></soapenv:Body></soapenv:Envelope>';
		const error = caught(() => parseSoapResponse('executeJob', 200, bomb)) as IpsTransportError;
		expect(error.kind).toBe('doctypeRefused');
		expect(error.message).not.toContain('lollollol');
	});

	it('refuses a DOCTYPE with an external entity (no file is read)', () => {
		const xxe =
			'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getUserInfoReturn><userInfo><email>&xxe;</email></userInfo></getUserInfoReturn></soapenv:Body></soapenv:Envelope>';
		const error = caught(() => parseSoapResponse('getUserInfo', 200, xxe)) as IpsTransportError;
		expect(error.kind).toBe('doctypeRefused');
		expect(error.message).not.toContain('root:');
	});
});

describe('successful answers', () => {
	it('reads an empty Return (self-closing, from the live service) as {}', () => {
		expect(parseSoapResponse('stopJob', 200, recorded('stop_job__response.xml'))).toEqual({});
		expect(
			parseSoapResponse('deleteFolder', 200, recorded('delete_folder__empty_response.xml')),
		).toEqual({});
		expect(parseSoapResponse('renameAsset', 200, recorded('rename_asset__success.xml'))).toEqual(
			{},
		);
	});

	it('keeps handles as strings, never numbers', () => {
		const info = parseSoapResponse(
			'getCompanyInfo',
			200,
			recorded('get_company_info__company.xml'),
		);
		const company = info.companyInfo as Record<string, string>;
		expect(company.companyHandle).toBe('111');
		expect(company.name).toBe('Example.com');
		expect(company.expires).toBe('2100-12-31T23:00:00.000-06:00');
	});

	it('makes one item a list, and keeps nested arrays as lists', () => {
		const answer = parseSoapResponse(
			'getActiveJobs',
			200,
			recorded('get_active_jobs__no_publish_job.xml'),
		);
		const jobs = itemsOf(answer.jobArray);
		expect(jobs).toHaveLength(1);
		expect(textOf(jobs[0], 'jobHandle')).toBe(
			'j|110||3e41464dce942449a9e5b_2011-03-30-14:32:08.834|5129821',
		);
		expect(textOf(jobs[0], 'state')).toBe('Running');
		expect(itemsOf(jobs[0].taskProgressArray)).toHaveLength(2);
	});

	it('reads every recorded answer of the live service', () => {
		const publish = parseSoapResponse(
			'getActiveJobs',
			200,
			recorded('get_active_jobs__one_publish_job.xml'),
		);
		const jobs = itemsOf(publish.jobArray);
		expect(jobs.length).toBeGreaterThan(1);
		expect(jobs.map((job) => textOf(job, 'type'))).toContain('ImageServingPublish');
		expect(jobs.every((job) => typeof job.companyHandle === 'string')).toBe(true);
		for (const file of [
			'submit_job__image_serving_publish_job_response.xml',
			'submit_job__upload_urls_job_response.xml',
		]) {
			const answer = parseSoapResponse('submitJob', 200, recorded(file));
			expect(textOf(answer, 'jobHandle')).toMatch(/^j\|110\|/);
		}
	});

	it('treats an empty array element as no items', () => {
		const xml = (array: string) =>
			`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getActiveJobsReturn xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03">${array}</getActiveJobsReturn></soapenv:Body></soapenv:Envelope>`;
		expect(itemsOf(parseSoapResponse('getActiveJobs', 200, xml('<jobArray/>')).jobArray)).toEqual(
			[],
		);
		expect(
			itemsOf(parseSoapResponse('getActiveJobs', 200, xml('<jobArray></jobArray>')).jobArray),
		).toEqual([]);
	});

	it('decodes numeric character references but not HTML entities', () => {
		const xml =
			'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><submitJobReturn>' +
			'<jobHandle>a&#13;b&#x41;&amp;&nbsp;</jobHandle></submitJobReturn></soapenv:Body></soapenv:Envelope>';
		expect(parseSoapResponse('submitJob', 200, xml).jobHandle).toBe('a\rbA&&nbsp;');
	});
});

describe('answers the parser cannot read keep "may have reached IPS"', () => {
	const wrap = (inner: string) =>
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn xmlns="urn:x">${inner}</executeJobReturn></soapenv:Body></soapenv:Envelope>`;

	it.each([
		['nesting deeper than 64', `${'<a>'.repeat(80)}x${'</a>'.repeat(80)}`],
		['an element named __proto__', '<__proto__><polluted>yes</polluted></__proto__>'],
	])('%s becomes a typed error, not a crash', (_name, inner) => {
		const error = caught(() => parseSoapResponse('executeJob', 200, wrap(inner)));
		expect(error).toBeInstanceOf(IpsTransportError);
		expect((error as IpsTransportError).requestMayHaveReachedServer).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('reads a DOCTYPE quoted inside CDATA or a comment as text, and refuses a real one', () => {
		const quoted = `<!-- <!DOCTYPE no> --><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getActiveJobsReturn xmlns="urn:x"><jobArray><items><progressMessage><![CDATA[<!DOCTYPE x [<!ENTITY a "b">]> &a;]]></progressMessage></items></jobArray></getActiveJobsReturn></soapenv:Body></soapenv:Envelope>`;
		const parsed = parseSoapResponse('getActiveJobs', 200, quoted);
		expect(textOf(itemsOf(parsed.jobArray)[0], 'progressMessage')).toBe(
			'<!DOCTYPE x [<!ENTITY a "b">]> &a;',
		);
		const real = `<!DOCTYPE x [<!ENTITY a "b">]>${quoted}`;
		expect(caught(() => parseSoapResponse('getActiveJobs', 200, real))).toMatchObject({
			kind: 'doctypeRefused',
		});
	});

	it('keeps the reason of a SOAP 1.2 fault', () => {
		const body = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang="en">Job is paused</env:Text></env:Reason><env:Detail><ns1:ipsApiFault xmlns:ns1="http://www.scene7.com/IpsApi/xsd"><ns1:code>30000</ns1:code><ns1:reason>Job 'Nightly' is paused</ns1:reason></ns1:ipsApiFault></env:Detail></env:Fault></env:Body></env:Envelope>`;
		expect(caught(() => parseSoapResponse('executeJob', 500, body))).toMatchObject({
			kind: 'ipsApi',
			code: 30000,
			reason: "Job 'Nightly' is paused",
			faultString: 'Job is paused',
		});
		const bare = body.replace(/<env:Detail>.*<\/env:Detail>/, '');
		expect(caught(() => parseSoapResponse('executeJob', 500, bare))).toMatchObject({
			kind: 'soap',
			reason: 'Job is paused',
		});
	});
});

describe('a large answer, read in slices', () => {
	const rows = '<items><jobName>run &amp; more</jobName></items>'.repeat(10_000);
	const big = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getJobLogsReturn><jobLogArray>${rows}</jobLogArray></getJobLogsReturn></soapenv:Body></soapenv:Envelope>`;

	it('gives what reading it at once gives', async () => {
		expect(big.length).toBeGreaterThan(3 * 128 * 1024);
		const sliced = await parseSoapResponseInSlices('getJobLogs', 200, big);
		expect(sliced).toEqual(parseSoapResponse('getJobLogs', 200, big));
		expect(itemsOf(sliced.jobLogArray)).toHaveLength(10_000);
	});

	it.each([
		['cut short', big.slice(0, -40), 'malformedXml'],
		[
			'with a DOCTYPE after the first slice',
			big.replace('</jobLogArray>', '<!DOCTYPE x></jobLogArray>'),
			'doctypeRefused',
		],
	])('%s: the same typed error', async (_what, body, kind) => {
		await expect(parseSoapResponseInSlices('getJobLogs', 200, body)).rejects.toMatchObject({
			kind,
		});
	});
});
