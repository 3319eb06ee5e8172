// IPS API versions and the XML namespaces their request bodies live in (Adobe's IPS reference: WSDL versions).

export const SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';

/** The authHeader and the fault details are always in the unversioned namespace. */
export const UNVERSIONED_NAMESPACE = 'http://www.scene7.com/IpsApi/xsd';

export const API_VERSIONS = [
	'2014-04-03',
	'2013-02-15',
	'2012-02-14',
	'2010-01-31',
	'2009-07-31',
	'2008-09-10',
	'2008-01-15',
	'pre-4.0',
] as const;

export type ApiVersion = (typeof API_VERSIONS)[number];

export const DEFAULT_API_VERSION: ApiVersion = '2014-04-03';

/** Version labels as Adobe names them, for option lists. */
export const API_VERSION_LABELS: Record<ApiVersion, string> = {
	'2014-04-03': '6.8 (2014-04-03)',
	'2013-02-15': '6.6 (2013-02-15)',
	'2012-02-14': '6.0 (2012-02-14)',
	'2010-01-31': '4.5 (2010-01-31)',
	'2009-07-31': '4.4 (2009-07-31)',
	'2008-09-10': '4.2 (2008-09-10)',
	'2008-01-15': '4.0 (2008-01-15)',
	'pre-4.0': 'Pre-4.0 (unversioned)',
};

export function isApiVersion(value: unknown): value is ApiVersion {
	return typeof value === 'string' && (API_VERSIONS as readonly string[]).includes(value);
}

export function namespaceOf(version: ApiVersion): string {
	return version === 'pre-4.0' ? UNVERSIONED_NAMESPACE : `${UNVERSIONED_NAMESPACE}/${version}`;
}

/** The API version a body namespace belongs to, or undefined for a namespace IPS does not know. */
export function versionOfNamespace(namespace: string): ApiVersion | undefined {
	return API_VERSIONS.find((version) => namespaceOf(version) === namespace);
}

/**
 * From 6.0 on, getUserInfo answers `defaultRole` instead of `role` and getCompanyMembership answers
 * `membershipArray` instead of `companyArray`.
 */
export function hasMembershipModel(version: ApiVersion): boolean {
	return version !== 'pre-4.0' && version >= '2012-02-14';
}
