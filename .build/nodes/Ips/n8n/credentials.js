"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CREDENTIAL_TYPE = void 0;
exports.credentialRole = credentialRole;
exports.clientOptionsFromCredential = clientOptionsFromCredential;
const endpoints_1 = require("../ips/endpoints");
const appInfo_1 = require("../ips/appInfo");
const namespaces_1 = require("../ips/namespaces");
const roles_1 = require("../ips/roles");
exports.CREDENTIAL_TYPE = 'ipsApi';
function text(data, field) {
    const value = data[field];
    return typeof value === 'string'
        ? value
        : value === undefined || value === null
            ? ''
            : String(value);
}
/** The role the credential claims, used for the check before anything is sent. */
function credentialRole(data) {
    return text(data, 'role') || roles_1.DEFAULT_ROLE;
}
function clientOptionsFromCredential(data, extras = {}) {
    const user = text(data, 'user').trim();
    const password = text(data, 'password');
    if (!user)
        throw new endpoints_1.IpsConfigError('The IPS API credential has no User (the sign-in e-mail)', 'user');
    if (!password)
        throw new endpoints_1.IpsConfigError('The IPS API credential has no Password', 'password');
    const apiVersion = text(data, 'apiVersion') || namespaces_1.DEFAULT_API_VERSION;
    if (!(0, namespaces_1.isApiVersion)(apiVersion)) {
        throw new endpoints_1.IpsConfigError(`The IPS API credential names an unknown API Version "${apiVersion}"`, 'apiVersion');
    }
    return {
        serviceUrl: (0, endpoints_1.resolveServiceUrl)({
            region: text(data, 'region') || 'northAmerica',
            environment: text(data, 'environment') || 'production',
            serviceUrl: text(data, 'serviceUrl'),
        }),
        apiVersion,
        auth: {
            user,
            password,
            locale: text(data, 'locale').trim() || undefined,
            appName: text(data, 'appName').trim() || appInfo_1.PACKAGE_NAME,
            appVersion: text(data, 'appVersion').trim() || appInfo_1.PACKAGE_VERSION,
        },
        ...extras,
    };
}
//# sourceMappingURL=credentials.js.map