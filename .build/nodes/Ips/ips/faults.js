"use strict";
// What can go wrong talking to IPS, as typed values the node layer maps to n8n errors in one place.
Object.defineProperty(exports, "__esModule", { value: true });
exports.IpsTransportError = exports.IpsFault = void 0;
/** A SOAP fault answered by IPS (ips-api.md §5), classified by its detail element and code. */
class IpsFault extends Error {
    kind;
    code;
    reason;
    httpStatus;
    faultCode;
    faultString;
    constructor(kind, code, reason, httpStatus, faultCode, faultString) {
        super(`IPS ${kind} fault${code === undefined ? '' : ` ${code}`}: ${reason}`);
        this.kind = kind;
        this.code = code;
        this.reason = reason;
        this.httpStatus = httpStatus;
        this.faultCode = faultCode;
        this.faultString = faultString;
        this.name = 'IpsFault';
    }
    /** A copy whose texts went through `scrub` (used to remove secrets a server echoed). */
    scrubbed(scrub) {
        const { kind, code, httpStatus } = this;
        return new IpsFault(kind, code, scrub(this.reason), httpStatus, scrub(this.faultCode), scrub(this.faultString));
    }
    /** Codes 1xxxx and 2xxxx are permanent: retrying the same request cannot help. */
    get isPermanent() {
        return this.kind === 'authentication' || this.kind === 'authorization';
    }
}
exports.IpsFault = IpsFault;
/** Kinds where the request provably never left this machine: nothing can have started on IPS. */
const NEVER_SENT = new Set([
    'connectionRefused',
    'dnsFailure',
    'connectTimeout',
    'tls',
]);
/** A failure below the SOAP level: no connection, no answer in time, or an answer that is not SOAP. */
class IpsTransportError extends Error {
    kind;
    details;
    requestMayHaveReachedServer;
    constructor(kind, message, details = {}, requestMayHaveReachedServer) {
        super(message);
        this.kind = kind;
        this.details = details;
        this.name = 'IpsTransportError';
        this.requestMayHaveReachedServer =
            requestMayHaveReachedServer ?? (kind !== 'cancelled' && !NEVER_SENT.has(kind));
    }
    scrubbed(scrub) {
        const { bodyStart, location, httpStatus } = this.details;
        return new IpsTransportError(this.kind, scrub(this.message), {
            httpStatus,
            bodyStart: bodyStart && scrub(bodyStart),
            location: location && scrub(location),
        }, this.requestMayHaveReachedServer);
    }
    get httpStatus() {
        return this.details.httpStatus;
    }
}
exports.IpsTransportError = IpsTransportError;
//# sourceMappingURL=faults.js.map