"use strict";
// IPS API versions and the XML namespaces their request bodies live in (ips-api.md §2).
Object.defineProperty(exports, "__esModule", { value: true });
exports.API_VERSION_LABELS = exports.DEFAULT_API_VERSION = exports.API_VERSIONS = exports.UNVERSIONED_NAMESPACE = exports.SOAP_ENVELOPE_NAMESPACE = void 0;
exports.isApiVersion = isApiVersion;
exports.namespaceOf = namespaceOf;
exports.versionOfNamespace = versionOfNamespace;
exports.hasMembershipModel = hasMembershipModel;
exports.SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
/** The authHeader and the fault details are always in the unversioned namespace. */
exports.UNVERSIONED_NAMESPACE = 'http://www.scene7.com/IpsApi/xsd';
exports.API_VERSIONS = [
    '2014-04-03',
    '2013-02-15',
    '2012-02-14',
    '2010-01-31',
    '2009-07-31',
    '2008-09-10',
    '2008-01-15',
    'pre-4.0',
];
exports.DEFAULT_API_VERSION = '2014-04-03';
/** Version labels as Adobe names them, for option lists. */
exports.API_VERSION_LABELS = {
    '2014-04-03': '6.8 (2014-04-03)',
    '2013-02-15': '6.6 (2013-02-15)',
    '2012-02-14': '6.0 (2012-02-14)',
    '2010-01-31': '4.5 (2010-01-31)',
    '2009-07-31': '4.4 (2009-07-31)',
    '2008-09-10': '4.2 (2008-09-10)',
    '2008-01-15': '4.0 (2008-01-15)',
    'pre-4.0': 'Pre-4.0 (unversioned)',
};
function isApiVersion(value) {
    return typeof value === 'string' && exports.API_VERSIONS.includes(value);
}
function namespaceOf(version) {
    return version === 'pre-4.0' ? exports.UNVERSIONED_NAMESPACE : `${exports.UNVERSIONED_NAMESPACE}/${version}`;
}
/** The API version a body namespace belongs to, or undefined for a namespace IPS does not know. */
function versionOfNamespace(namespace) {
    return exports.API_VERSIONS.find((version) => namespaceOf(version) === namespace);
}
/**
 * From 6.0 on, getUserInfo answers `defaultRole` instead of `role` and getCompanyMembership answers
 * `membershipArray` instead of `companyArray`.
 */
function hasMembershipModel(version) {
    return version !== 'pre-4.0' && version >= '2012-02-14';
}
//# sourceMappingURL=namespaces.js.map