"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadState = exports.advance = exports.SERVICE_PATH = void 0;
exports.startIpsSimulator = startIpsSimulator;
// The IPS simulator: a real SOAP server on loopback that behaves like IPS for everything this
// package touches, records every request, and misbehaves on demand for tests.
const node_http_1 = require("node:http");
const node_zlib_1 = require("node:zlib");
const namespaces_1 = require("../nodes/Ips/ips/namespaces");
const xml_1 = require("../nodes/Ips/ips/xml");
const operations_1 = require("./operations");
const schema_1 = require("./schema");
const state_1 = require("./state");
const xmlTree_1 = require("./xmlTree");
exports.SERVICE_PATH = '/scene7/services/IpsApiService';
const MAX_REQUEST_BYTES = 20 * 1024 * 1024;
async function startIpsSimulator(options = {}) {
    const state = typeof options.state === 'object' ? (0, state_1.normaliseState)(options.state) : (0, state_1.loadState)(options.state);
    if (options.runDurationMs !== undefined) {
        state.runDurationMs = options.runDurationMs;
        for (const job of state.scheduledJobs)
            job.runDurationMs = options.runDurationMs;
    }
    const requests = [];
    let rules = [];
    const sockets = new Set();
    const timers = new Set();
    const server = (0, node_http_1.createServer)((req, res) => {
        void handle(req, res).catch((error) => {
            if (!res.headersSent)
                res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`simulator error: ${error.message}`);
        });
    });
    server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    const sleep = (ms) => new Promise((resolve) => {
        const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
        }, ms);
        timers.add(timer);
    });
    async function handle(req, res) {
        const body = await readBody(req);
        if (body === undefined) {
            res.writeHead(413, { 'content-type': 'text/plain' }).end('request too large');
            return;
        }
        (0, state_1.advance)(state, Date.now());
        const { record, envelope } = recordOf(req, body);
        requests.push(record);
        const rule = rules.find((r) => r.remaining > 0 &&
            (r.operation === '*' || r.operation === record.operation) &&
            (!r.when || r.when(record)));
        if (rule) {
            rule.remaining--;
            record.injected = rule.injection.kind;
            const injection = rule.injection;
            if (injection.kind === 'delay')
                await sleep(injection.delayMs);
            else
                return respondInjected(injection, req, res);
        }
        if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== exports.SERVICE_PATH) {
            res
                .writeHead(404, { 'content-type': 'text/html' })
                .end('<html><body><h1>404 Not Found</h1></body></html>');
            return;
        }
        const reply = answer(envelope);
        send(req, res, reply.status ?? 200, reply.xml);
    }
    function answer(envelope) {
        if (envelope instanceof xmlTree_1.XmlReadError) {
            return faultReply(new operations_1.SimFault('ipsApi', 30003, `Invalid request XML: ${envelope.message}`));
        }
        const header = (0, xmlTree_1.childOf)(envelope, 'Header');
        const auth = header?.children.find((c) => c.name === 'authHeader');
        const faultStatus = Number((0, xmlTree_1.childText)(auth, 'faultHttpStatusCode') ?? '') || 500;
        const param = (0, xmlTree_1.childOf)(envelope, 'Body')?.children[0];
        try {
            if (envelope.name !== 'Envelope' || envelope.ns !== namespaces_1.SOAP_ENVELOPE_NAMESPACE || !param) {
                throw new operations_1.SimFault('ipsApi', 30003, 'Invalid request XML: not a SOAP 1.1 envelope with a body element');
            }
            const version = (0, namespaces_1.versionOfNamespace)(param.ns);
            if (version === undefined) {
                throw new operations_1.SimFault('ipsApi', 30003, `Invalid request XML: unknown namespace "${param.ns}" of ${param.name}`);
            }
            const user = authenticate(auth);
            const operationName = param.name.replace(/Param$/, '');
            const operation = param.name.endsWith('Param') ? operations_1.OPERATIONS[operationName] : undefined;
            if (!operation)
                throw new operations_1.SimFault('ipsApi', 30003, `Invalid request XML: unknown operation element ${param.name}`);
            if (operation.roles && !operation.roles.includes(user.role)) {
                throw new operations_1.SimFault('authorization', 20003, `User does not have permission to access operation '${operationName}'`);
            }
            if (version === 'pre-4.0') {
                const problem = (0, schema_1.validateAgainstSchema)(param);
                if (problem)
                    throw new operations_1.SimFault('ipsApi', 30003, `Invalid request XML: ${problem}`);
            }
            const children = operation.handle({
                state,
                user,
                membershipModel: (0, namespaces_1.hasMembershipModel)(version),
                param,
                nowMs: Date.now(),
            });
            return { xml: envelopeOf((0, xml_1.renderElement)(`${operationName}Return`, children, param.ns)) };
        }
        catch (error) {
            if (error instanceof operations_1.SimFault)
                return faultReply(error, faultStatus);
            throw error;
        }
    }
    function authenticate(auth) {
        const email = (0, xmlTree_1.childText)(auth, 'user');
        const password = (0, xmlTree_1.childText)(auth, 'password');
        if (!auth || !email || password === undefined)
            throw new operations_1.SimFault('authentication', 10000, 'No credentials');
        const user = state.users.find((u) => u.email === email);
        if (!user)
            throw new operations_1.SimFault('authentication', 10002, `Invalid user: ${email}`);
        if (user.password !== password)
            throw new operations_1.SimFault('authentication', 10001, 'Invalid credentials');
        return user;
    }
    function respondInjected(injection, req, res) {
        if (injection.kind === 'drop') {
            req.socket.destroy();
            return;
        }
        if (injection.kind === 'html') {
            res
                .writeHead(injection.status, { 'content-type': 'text/html' })
                .end(`<html><head><title>${injection.status} Bad Gateway</title></head><body><h1>${injection.status}</h1><p>The proxy could not reach the upstream server.</p></body></html>`);
            return;
        }
        if (injection.kind === 'fault') {
            const { xml, status } = faultReply(new operations_1.SimFault(injection.fault.kind, injection.fault.code, injection.fault.reason), injection.httpStatus);
            send(req, res, status ?? 500, xml);
            return;
        }
        if (injection.kind === 'raw') {
            res
                .writeHead(injection.status, {
                'content-type': 'text/xml; charset=UTF-8',
                ...injection.headers,
            })
                .end(injection.body);
        }
    }
    await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        url: `http://127.0.0.1:${port}${exports.SERVICE_PATH}`,
        state,
        requests,
        inject(operation, injection, injectionOptions = {}) {
            rules.push({
                operation,
                injection,
                remaining: injectionOptions.times ?? Infinity,
                when: injectionOptions.when,
            });
        },
        clearInjections() {
            rules = [];
        },
        requestsFor(operation) {
            return requests.filter((r) => r.operation === operation);
        },
        openConnections() {
            return sockets.size;
        },
        async stop() {
            for (const timer of timers)
                clearTimeout(timer);
            timers.clear();
            for (const socket of sockets)
                socket.destroy();
            await new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
async function readBody(req) {
    const chunks = [];
    let total = 0;
    for await (const chunk of req) {
        total += chunk.length;
        if (total > MAX_REQUEST_BYTES)
            return undefined;
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** The request as recorded, and its parsed envelope (or why it does not parse). */
function recordOf(req, body) {
    let operation = String(req.headers.soapaction ?? '').replace(/"/g, '');
    const params = {};
    let namespace = '';
    let envelope;
    try {
        envelope = (0, xmlTree_1.parseXmlTree)(body);
    }
    catch (error) {
        envelope = error instanceof xmlTree_1.XmlReadError ? error : new xmlTree_1.XmlReadError('unreadable');
    }
    const param = envelope instanceof xmlTree_1.XmlReadError ? undefined : (0, xmlTree_1.childOf)(envelope, 'Body')?.children[0];
    if (param) {
        operation = param.name.replace(/Param$/, '');
        namespace = param.ns;
        for (const child of param.children)
            params[child.name] = child.text;
    }
    const record = {
        operation,
        headers: req.headers,
        body,
        receivedAt: Date.now(),
        params,
        namespace,
    };
    return { record, envelope };
}
function envelopeOf(bodyContent) {
    return ('<?xml version="1.0" encoding="UTF-8"?>' +
        `<soapenv:Envelope xmlns:soapenv="${namespaces_1.SOAP_ENVELOPE_NAMESPACE}"><soapenv:Body>${bodyContent}</soapenv:Body></soapenv:Envelope>`);
}
const FAULT_ELEMENTS = {
    authentication: ['authenticationFault', 'AuthenticationException'],
    authorization: ['authorizationFault', 'AuthorizationException'],
    ipsApi: ['ipsApiFault', 'IpsApiException'],
};
function faultReply(fault, status = 500) {
    const [element, faultString] = FAULT_ELEMENTS[fault.kind];
    const detail = [
        ['code', String(fault.code)],
        ['reason', fault.reason],
    ];
    const faultXml = '<soapenv:Fault>' +
        `<faultcode>soapenv:${fault.kind === 'ipsApi' ? 'Server' : 'Client'}</faultcode>` +
        (0, xml_1.renderElement)('faultstring', faultString) +
        `<detail>${(0, xml_1.renderElement)(element, detail, namespaces_1.UNVERSIONED_NAMESPACE)}</detail>` +
        '</soapenv:Fault>';
    return { xml: envelopeOf(faultXml), status };
}
function send(req, res, status, xml) {
    const headers = { 'content-type': 'text/xml; charset=UTF-8' };
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        headers['content-encoding'] = 'gzip';
        res.writeHead(status, headers).end((0, node_zlib_1.gzipSync)(xml));
        return;
    }
    res.writeHead(status, headers).end(xml);
}
var state_2 = require("./state");
Object.defineProperty(exports, "advance", { enumerable: true, get: function () { return state_2.advance; } });
Object.defineProperty(exports, "loadState", { enumerable: true, get: function () { return state_2.loadState; } });
//# sourceMappingURL=index.js.map