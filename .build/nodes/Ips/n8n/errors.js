"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ItemInputError = void 0;
exports.explainError = explainError;
exports.toItemError = toItemError;
exports.jobRunFailed = jobRunFailed;
// The one place where what went wrong becomes words a non-developer understands, and an n8n error.
const n8n_workflow_1 = require("n8n-workflow");
const endpoints_1 = require("../ips/endpoints");
const faults_1 = require("../ips/faults");
const roles_1 = require("../ips/roles");
const xml_1 = require("../ips/xml");
/** Input of one item that cannot be sent (an empty handle, an object where text belongs). */
class ItemInputError extends Error {
    field;
    constructor(field, message) {
        super(message);
        this.field = field;
        this.name = 'ItemInputError';
    }
}
exports.ItemInputError = ItemInputError;
const MAY_HAVE_STARTED = 'The request may have reached IPS, so the job may have started. Check the job in Dynamic Media ' +
    'Classic (Jobs → Active Jobs / Job Logs) before running this item again.';
function explainError(error, context) {
    const doing = context.action ?? `call ${context.operation}`;
    if (error instanceof faults_1.IpsFault)
        return explainFault(error, doing);
    if (error instanceof faults_1.IpsTransportError)
        return explainTransport(error, context, doing);
    if (error instanceof endpoints_1.IpsConfigError) {
        return {
            message: error.message,
            description: `Fix the "${error.field}" field of the IPS API credential.`,
            details: { kind: 'configuration', field: error.field },
        };
    }
    if (error instanceof xml_1.XmlValueError || error instanceof ItemInputError) {
        return {
            message: error.message,
            description: 'Nothing was sent to IPS for this item. Correct the value and run it again.',
            details: { kind: 'input', field: error.field },
        };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
        message: `Could not ${doing}: ${message}`,
        description: '',
        details: { kind: 'unknown' },
    };
}
function explainFault(fault, doing) {
    const { kind, code, reason, httpStatus } = fault;
    const [summary, fix] = faultWords(fault);
    return {
        message: `Could not ${doing}: ${summary}`,
        description: `${fix} (IPS ${kind} fault ${code ?? '-'}: "${reason}", HTTP ${httpStatus})`,
        httpStatus,
        details: { kind, code: code ?? null, reason, httpStatus },
    };
}
function faultWords({ kind, code, reason }) {
    if (kind === 'authentication') {
        if (code === 10000)
            return [
                'IPS received no user name or password',
                'Fill in User and Password in the IPS API credential.',
            ];
        if (code === 10001)
            return ['IPS rejected the password', 'Check the Password in the IPS API credential.'];
        if (code === 10002)
            return [
                'IPS does not know this user',
                'Check the User (the sign-in e-mail) and the Region of the IPS API credential.',
            ];
        return [
            `IPS could not sign in (${reason})`,
            'Check User, Password and Region in the IPS API credential.',
        ];
    }
    if (kind === 'authorization') {
        if (code === 20000 || code === 20006) {
            return [
                'the user is not a member of this company, or the company does not exist',
                'Pick the company from the list, or check the company handle.',
            ];
        }
        if (code === 20003 || code === 20009) {
            return [
                `the user may not do this (${reason})`,
                `Ask your IPS administrator for a role that may run jobs: ${roles_1.ROLES_THAT_MAY_EXECUTE_JOBS.join(', ')}.`,
            ];
        }
        return [
            `IPS refused the request (${reason})`,
            "Check the user's permissions in Dynamic Media Classic.",
        ];
    }
    if (kind === 'ipsApi') {
        if (code === 30001 || code === 30002)
            return [
                `IPS refused a value (${reason})`,
                'Check the company and job handles: pick them from the list to be sure.',
            ];
        if (code === 30003)
            return [
                `IPS could not read the request (${reason})`,
                'Check the API Version of the IPS API credential.',
            ];
        return [
            reason,
            'IPS reported an error for this request; check the handles and the job in Dynamic Media Classic.',
        ];
    }
    return [
        `IPS answered with a SOAP fault (${reason})`,
        'Check the Region / Service URL of the IPS API credential.',
    ];
}
function explainTransport(error, context, doing) {
    let description;
    if (error.kind === 'cancelled')
        description = 'The execution was stopped.';
    else if (!error.requestMayHaveReachedServer) {
        description =
            'Nothing reached IPS, so nothing was started. Check the Region or Service URL of the IPS API ' +
                'credential and the network (proxy variables HTTPS_PROXY / NO_PROXY).';
    }
    else if (context.operation === 'executeJob')
        description = MAY_HAVE_STARTED;
    else if (error.kind === 'redirect')
        description = 'Check the Region or Service URL of the IPS API credential.';
    else
        description =
            'IPS or something between n8n and IPS (a proxy, a load balancer) failed. Try again later.';
    const { httpStatus, bodyStart } = error.details;
    return {
        message: `Could not ${doing}: ${error.message}`,
        description,
        httpStatus,
        details: {
            kind: error.kind,
            httpStatus: httpStatus ?? null,
            requestMayHaveReachedServer: error.requestMayHaveReachedServer,
            ...(bodyStart ? { bodyStart } : {}),
        },
    };
}
/** Maps any failure of one item to the n8n error that names the item. */
function toItemError(node, thrown, itemIndex, context) {
    if (thrown instanceof n8n_workflow_1.NodeApiError || thrown instanceof n8n_workflow_1.NodeOperationError) {
        return { error: thrown, details: { description: thrown.description ?? '' } };
    }
    const { message, description, httpStatus, details } = explainError(thrown, context);
    const error = thrown instanceof faults_1.IpsFault || thrown instanceof faults_1.IpsTransportError
        ? new n8n_workflow_1.NodeApiError(node, details, {
            message,
            description,
            httpCode: httpStatus === undefined ? undefined : String(httpStatus),
            itemIndex,
        })
        : new n8n_workflow_1.NodeOperationError(node, message, { description, itemIndex });
    return { error, details: { ...details, description } };
}
/** A job run that ended badly, as the error of its item; the run itself stays in the details. */
function jobRunFailed(node, run, itemIndex, outputField) {
    const counts = `${run.fileErrorCount ?? 0} of ${run.totalFileCount ?? 0} files failed`;
    const message = `The IPS job run ${run.runName ?? run.jobHandle} of item ${itemIndex} failed${run.fatalError ? ' with a fatal error' : ''}: ${counts}`;
    const description = 'See the job log in Dynamic Media Classic (Jobs → Job Logs) for the files and reasons. ' +
        'Turn off "Fail on Job Errors" to pass such runs on as ordinary items.';
    const details = { kind: 'jobRunFailed', description, [outputField]: { ...run } };
    return { error: new n8n_workflow_1.NodeApiError(node, details, { message, description, itemIndex }), details };
}
//# sourceMappingURL=errors.js.map