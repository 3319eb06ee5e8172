"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.microCases = void 0;
exports.microsPerCall = microsPerCall;
// Figure 3: what building one envelope and parsing one answer cost, against the bare minimum
// (a template literal; fast-xml-parser without our checks).
const fast_xml_parser_1 = require("fast-xml-parser");
const envelope_1 = require("../nodes/Ips/ips/envelope");
const namespaces_1 = require("../nodes/Ips/ips/namespaces");
const parse_1 = require("../nodes/Ips/ips/parse");
const AUTH = {
    user: 'demo@example.com',
    password: 'demo-password',
    appName: 'bench',
    appVersion: '1',
};
const OK = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><executeJobReturn xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"></executeJobReturn></soapenv:Body></soapenv:Envelope>';
const FAULT = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>AuthorizationException</faultstring><detail><ns1:authorizationFault xmlns:ns1="http://www.scene7.com/IpsApi/xsd"><code xmlns="http://www.scene7.com/IpsApi/xsd">20003</code><reason xmlns="http://www.scene7.com/IpsApi/xsd">User does not have permission to access operation \'executeJob\'</reason></ns1:authorizationFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>';
/** Microseconds per call of `fn`, over `iterations` calls after a warm-up. */
function microsPerCall(fn, iterations = 20_000) {
    for (let i = 0; i < 2_000; i++)
        fn();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++)
        fn();
    return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
}
const plainParser = new fast_xml_parser_1.XMLParser();
const COMPANIES = ['c|2101', 'c|2102'];
const JOBS = ['j|2101|Nightly publish||', 'j|2102|Outlet publish||'];
exports.microCases = {
    envelope: () => (0, envelope_1.buildEnvelope)({
        operation: 'executeJob',
        namespace: (0, namespaces_1.namespaceOf)('2014-04-03'),
        auth: AUTH,
        children: [
            ['companyHandle', 'c|2101'],
            ['jobHandle', 'j|2101|Nightly publish||'],
        ],
    }),
    // Values read from an array, so V8 cannot fold the whole string into a constant.
    envelopeBaseline: (n = Math.random() > 2 ? 1 : 0) => `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>${AUTH.user}</user><password>${AUTH.password}</password><appName>bench</appName><appVersion>1</appVersion></authHeader></soapenv:Header><soapenv:Body><executeJobParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"><companyHandle>${COMPANIES[n]}</companyHandle><jobHandle>${JOBS[n]}</jobHandle></executeJobParam></soapenv:Body></soapenv:Envelope>`,
    parseOk: () => (0, parse_1.parseSoapResponse)('executeJob', 200, OK),
    parseOkBaseline: () => plainParser.parse(OK),
    parseFault: () => {
        try {
            (0, parse_1.parseSoapResponse)('executeJob', 500, FAULT);
        }
        catch (fault) {
            return fault;
        }
        throw new Error('expected a fault');
    },
    parseFaultBaseline: () => plainParser.parse(FAULT),
};
//# sourceMappingURL=micro.js.map