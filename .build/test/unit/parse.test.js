"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const faults_1 = require("../../nodes/Ips/ips/faults");
const parse_1 = require("../../nodes/Ips/ips/parse");
const recorded = (name) => (0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, '../fixtures/ips-recorded', name), 'utf8');
function faultEnvelope(detail, faultstring = 'SomeException') {
    return ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
        `<faultcode>soapenv:Client</faultcode><faultstring>${faultstring}</faultstring>${detail}` +
        '</soapenv:Fault></soapenv:Body></soapenv:Envelope>');
}
function detail(element, code, reason) {
    return (`<detail><ns1:${element} xmlns:ns1="http://www.scene7.com/IpsApi/xsd">` +
        `<code xmlns="http://www.scene7.com/IpsApi/xsd">${code}</code>` +
        `<reason xmlns="http://www.scene7.com/IpsApi/xsd">${reason}</reason></ns1:${element}></detail>`);
}
function caught(fn) {
    try {
        fn();
    }
    catch (error) {
        return error;
    }
    throw new Error('expected a throw');
}
describe('faults', () => {
    const cases = [
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
            const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', httpStatus, faultEnvelope(detail(element, code, `reason &amp; ${code}`))));
            expect(error).toBeInstanceOf(faults_1.IpsFault);
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
    it('reads the reference authorization fault (ips-api.md §5)', () => {
        const xml = faultEnvelope(detail('authorizationFault', 20003, "User does not have permission to access operation 'executeJob'"), 'AuthorizationException');
        const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', 500, xml));
        expect(error.kind).toBe('authorization');
        expect(error.code).toBe(20003);
        expect(error.isPermanent).toBe(true);
        expect(error.faultString).toBe('AuthorizationException');
    });
    it('reads the recorded ipsApiFault (prefixed elements, one line)', () => {
        const error = caught(() => (0, parse_1.parseSoapResponse)('renameAsset', 500, recorded('rename_asset__failure.xml')));
        expect(error).toBeInstanceOf(faults_1.IpsFault);
        expect(error.kind).toBe('ipsApi');
        expect(error.code).toBe(30000);
        expect(error.reason).toBe("Asset ID 'katlynf' is already in use.");
        expect(error.isPermanent).toBe(false);
    });
    it('makes a fault without detail a soap fault carrying the faultstring', () => {
        const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', 500, faultEnvelope('', 'Server busy')));
        expect(error.kind).toBe('soap');
        expect(error.code).toBeUndefined();
        expect(error.reason).toBe('Server busy');
    });
    it('makes a fault with an unknown detail element a soap fault', () => {
        const xml = faultEnvelope('<detail><weirdFault><code>1</code></weirdFault></detail>', 'Weird');
        const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', 200, xml));
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
    ])('turns %s into a typed transport error quoting status and body', (_what, status, body, kind) => {
        const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', status, body));
        expect(error).toBeInstanceOf(faults_1.IpsTransportError);
        expect(error.kind).toBe(kind);
        expect(error.httpStatus).toBe(status);
        expect(error.message).toContain(`HTTP ${status}`);
        if (body.trim())
            expect(error.message).toContain(body.trim().slice(0, 20));
        expect(error.requestMayHaveReachedServer).toBe(true);
    });
    it('quotes at most the start of a long body', () => {
        const body = `<html>${'x'.repeat(100_000)}</html>`;
        const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', 502, body));
        expect(error.message.length).toBeLessThan(400);
    });
    it('refuses a DOCTYPE with internal entities (no expansion)', () => {
        const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn>&lol2;</executeJobReturn></soapenv:Body></soapenv:Envelope>';
        const error = caught(() => (0, parse_1.parseSoapResponse)('executeJob', 200, bomb));
        expect(error.kind).toBe('doctypeRefused');
        expect(error.message).not.toContain('lollollol');
    });
    it('refuses a DOCTYPE with an external entity (no file is read)', () => {
        const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getUserInfoReturn><userInfo><email>&xxe;</email></userInfo></getUserInfoReturn></soapenv:Body></soapenv:Envelope>';
        const error = caught(() => (0, parse_1.parseSoapResponse)('getUserInfo', 200, xxe));
        expect(error.kind).toBe('doctypeRefused');
        expect(error.message).not.toContain('root:');
    });
});
describe('successful answers', () => {
    it('reads an empty Return (self-closing, from the live service) as {}', () => {
        expect((0, parse_1.parseSoapResponse)('stopJob', 200, recorded('stop_job__response.xml'))).toEqual({});
        expect((0, parse_1.parseSoapResponse)('deleteFolder', 200, recorded('delete_folder__empty_response.xml'))).toEqual({});
        expect((0, parse_1.parseSoapResponse)('renameAsset', 200, recorded('rename_asset__success.xml'))).toEqual({});
    });
    it('keeps handles as strings, never numbers', () => {
        const info = (0, parse_1.parseSoapResponse)('getCompanyInfo', 200, recorded('get_company_info__company.xml'));
        const company = info.companyInfo;
        expect(company.companyHandle).toBe('111');
        expect(company.name).toBe('Example.com');
        expect(company.expires).toBe('2100-12-31T23:00:00.000-06:00');
    });
    it('makes one item a list, and keeps nested arrays as lists', () => {
        const answer = (0, parse_1.parseSoapResponse)('getActiveJobs', 200, recorded('get_active_jobs__no_publish_job.xml'));
        const jobs = (0, parse_1.itemsOf)(answer.jobArray);
        expect(jobs).toHaveLength(1);
        expect((0, parse_1.textOf)(jobs[0], 'jobHandle')).toBe('j|110||3e41464dce942449a9e5b_2011-03-30-14:32:08.834|5129821');
        expect((0, parse_1.textOf)(jobs[0], 'state')).toBe('Running');
        expect((0, parse_1.itemsOf)(jobs[0].taskProgressArray)).toHaveLength(2);
    });
    it('reads every recorded answer of the live service', () => {
        const publish = (0, parse_1.parseSoapResponse)('getActiveJobs', 200, recorded('get_active_jobs__one_publish_job.xml'));
        const jobs = (0, parse_1.itemsOf)(publish.jobArray);
        expect(jobs.length).toBeGreaterThan(1);
        expect(jobs.map((job) => (0, parse_1.textOf)(job, 'type'))).toContain('ImageServingPublish');
        expect(jobs.every((job) => typeof job.companyHandle === 'string')).toBe(true);
        for (const file of [
            'submit_job__image_serving_publish_job_response.xml',
            'submit_job__upload_urls_job_response.xml',
        ]) {
            const answer = (0, parse_1.parseSoapResponse)('submitJob', 200, recorded(file));
            expect((0, parse_1.textOf)(answer, 'jobHandle')).toMatch(/^j\|110\|/);
        }
    });
    it('treats an empty array element as no items', () => {
        const xml = (array) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getActiveJobsReturn xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03">${array}</getActiveJobsReturn></soapenv:Body></soapenv:Envelope>`;
        expect((0, parse_1.itemsOf)((0, parse_1.parseSoapResponse)('getActiveJobs', 200, xml('<jobArray/>')).jobArray)).toEqual([]);
        expect((0, parse_1.itemsOf)((0, parse_1.parseSoapResponse)('getActiveJobs', 200, xml('<jobArray></jobArray>')).jobArray)).toEqual([]);
    });
    it('decodes numeric character references but not HTML entities', () => {
        const xml = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><submitJobReturn>' +
            '<jobHandle>a&#13;b&#x41;&amp;&nbsp;</jobHandle></submitJobReturn></soapenv:Body></soapenv:Envelope>';
        expect((0, parse_1.parseSoapResponse)('submitJob', 200, xml).jobHandle).toBe('a\rbA&&nbsp;');
    });
});
//# sourceMappingURL=parse.test.js.map