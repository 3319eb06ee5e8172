"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IpsClient = exports.MAX_RETRIES_WHEN_NEVER_SENT = void 0;
// One method per IPS operation this package uses: build → send → parse → typed result or error.
// Knows nothing of n8n, so the simulator's tests, the demo and the benchmarks use it as it is.
const envelope_1 = require("./envelope");
const faults_1 = require("./faults");
const namespaces_1 = require("./namespaces");
const parse_1 = require("./parse");
const transport_1 = require("./transport");
const sleep_1 = require("./sleep");
const xml_1 = require("./xml");
/** A connection refused before any byte left is retried this often, never more. */
exports.MAX_RETRIES_WHEN_NEVER_SENT = 2;
const RETRY_DELAYS_MS = [250, 1_000];
class IpsClient {
    options;
    namespace;
    transport;
    timeoutMs;
    /** The password as sent (raw and XML-escaped): what an echoing server could give back. */
    secretForms;
    constructor(options) {
        this.options = options;
        this.namespace = (0, namespaces_1.namespaceOf)(options.apiVersion);
        this.transport = options.transport ?? transport_1.undiciTransport;
        this.timeoutMs = options.requestTimeoutMs ?? transport_1.DEFAULT_REQUEST_TIMEOUT_MS;
        const { password } = options.auth;
        this.secretForms = password ? [password, (0, xml_1.escapeXmlText)(password, 'password')] : [];
    }
    get apiVersion() {
        return this.options.apiVersion;
    }
    /** Sends one operation; returns its `<operation>Return` content or throws IpsFault / IpsTransportError. */
    async call(operation, children) {
        const body = (0, envelope_1.buildEnvelope)({
            operation,
            namespace: this.namespace,
            auth: this.options.auth,
            children,
        });
        for (let attempt = 0;; attempt++) {
            const outcome = await this.send(operation, body).then((answer) => ({ answer }), (error) => ({ error }));
            if ('answer' in outcome)
                return outcome.answer;
            const { error } = outcome;
            // Only a refused connection proves that nothing left: anything else may have started a job.
            const retry = error instanceof faults_1.IpsTransportError &&
                error.kind === 'connectionRefused' &&
                attempt < exports.MAX_RETRIES_WHEN_NEVER_SENT;
            if (!retry)
                throw this.redacted(error);
            if (!(await (0, sleep_1.sleep)(RETRY_DELAYS_MS[attempt], this.options.signal))) {
                throw new faults_1.IpsTransportError('cancelled', 'The execution was canceled');
            }
        }
    }
    async send(operation, body) {
        const response = await this.transport.post({
            url: this.options.serviceUrl,
            headers: (0, envelope_1.soapHttpHeaders)(operation),
            body,
            timeoutMs: this.timeoutMs,
            signal: this.options.signal,
        });
        return (0, parse_1.parseSoapResponse)(operation, response.status, response.body, (text) => this.scrub(text));
    }
    /** Starts a run of a scheduled job. Not idempotent: every call that reaches IPS starts one. */
    async executeJob(companyHandle, jobHandle) {
        await this.call('executeJob', [
            ['companyHandle', companyHandle],
            ['jobHandle', jobHandle],
        ]);
    }
    /** The signed-in user (empty handle and e-mail ask about the caller). */
    async getUserInfo() {
        const answer = await this.call('getUserInfo', []);
        const info = objectChild(answer, 'userInfo');
        return {
            userHandle: (0, parse_1.textOf)(info, 'userHandle'),
            email: (0, parse_1.textOf)(info, 'email'),
            firstName: (0, parse_1.textOf)(info, 'firstName'),
            lastName: (0, parse_1.textOf)(info, 'lastName'),
            role: (0, parse_1.textOf)(info, 'defaultRole') || (0, parse_1.textOf)(info, 'role'),
        };
    }
    async getCompanyMembership() {
        const answer = await this.call('getCompanyMembership', []);
        // Both shapes are accepted whatever the version: servers have been seen to mix them.
        const memberships = (0, parse_1.itemsOf)(answer.membershipArray).map((item) => objectChild(item, 'company'));
        const companies = (0, namespaces_1.hasMembershipModel)(this.apiVersion) && memberships.length
            ? memberships
            : [...memberships, ...(0, parse_1.itemsOf)(answer.companyArray)];
        return companies.map((company) => ({
            companyHandle: (0, parse_1.textOf)(company, 'companyHandle'),
            name: (0, parse_1.textOf)(company, 'name'),
        }));
    }
    async getScheduledJobs(companyHandle) {
        const answer = await this.call('getScheduledJobs', [['companyHandle', companyHandle]]);
        return (0, parse_1.itemsOf)(answer.jobArray).map((job) => ({
            companyHandle: (0, parse_1.textOf)(job, 'companyHandle'),
            jobHandle: (0, parse_1.textOf)(job, 'jobHandle'),
            name: (0, parse_1.textOf)(job, 'name'),
            originalName: (0, parse_1.textOf)(job, 'originalName'),
            type: (0, parse_1.textOf)(job, 'type'),
            triggerState: (0, parse_1.textOf)(job, 'triggerState'),
        }));
    }
    async getActiveJobs(companyHandle, originalName) {
        const answer = await this.call('getActiveJobs', [
            ['companyHandle', companyHandle],
            ['originalName', originalName],
        ]);
        return (0, parse_1.itemsOf)(answer.jobArray).map((job) => ({
            companyHandle: (0, parse_1.textOf)(job, 'companyHandle'),
            jobHandle: (0, parse_1.textOf)(job, 'jobHandle'),
            name: (0, parse_1.textOf)(job, 'name'),
            originalName: (0, parse_1.textOf)(job, 'originalName'),
            type: (0, parse_1.textOf)(job, 'type'),
            state: (0, parse_1.textOf)(job, 'state'),
            startDate: (0, parse_1.textOf)(job, 'startDate'),
            progress: (0, parse_1.numberOf)(job, 'progress'),
            progressMessage: (0, parse_1.textOf)(job, 'progressMessage'),
        }));
    }
    async getJobLogs(companyHandle, window) {
        const answer = await this.call('getJobLogs', [
            ['companyHandle', companyHandle],
            ['startDate', window.startDate.toISOString()],
            ['endDate', window.endDate?.toISOString()],
        ]);
        return (0, parse_1.itemsOf)(answer.jobLogArray).map((log) => ({
            companyHandle: (0, parse_1.textOf)(log, 'companyHandle'),
            jobHandle: (0, parse_1.textOf)(log, 'jobHandle'),
            jobName: (0, parse_1.textOf)(log, 'jobName'),
            logType: (0, parse_1.textOf)(log, 'logType'),
            startDate: (0, parse_1.textOf)(log, 'startDate'),
            endDate: (0, parse_1.textOf)(log, 'endDate'),
            fileSuccessCount: (0, parse_1.numberOf)(log, 'fileSuccessCount') ?? 0,
            fileErrorCount: (0, parse_1.numberOf)(log, 'fileErrorCount') ?? 0,
            fileWarningCount: (0, parse_1.numberOf)(log, 'fileWarningCount') ?? 0,
            totalFileCount: (0, parse_1.numberOf)(log, 'totalFileCount') ?? 0,
            fatalError: (0, parse_1.textOf)(log, 'fatalError') === 'true',
        }));
    }
    /**
     * A hostile or broken server may echo the request (and so the password) in an error page:
     * no error leaves this client with the password in it, raw or XML-escaped.
     */
    redacted(error) {
        if (!(error instanceof faults_1.IpsFault || error instanceof faults_1.IpsTransportError))
            return error;
        return error.scrubbed((text) => this.scrub(text));
    }
    scrub(text) {
        // An echoed request: its whole auth header goes, not only the password in it.
        let out = text.includes('<authHeader')
            ? text.replace(/<authHeader[\s\S]*?(<\/authHeader>|$)/g, '<authHeader>***</authHeader>')
            : text;
        for (const secret of this.secretForms)
            if (out.includes(secret))
                out = out.split(secret).join('***');
        return out;
    }
}
exports.IpsClient = IpsClient;
function objectChild(node, name) {
    const value = node[name];
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
//# sourceMappingURL=IpsClient.js.map