// A SOAP 1.1 request for any IPS operation: authHeader in the unversioned namespace, the body's
// `<operation>Param` in the chosen API version's namespace (Adobe's IPS reference: WSDL versions, authHeader).
import { SOAP_ENVELOPE_NAMESPACE, UNVERSIONED_NAMESPACE } from './namespaces';
import { IpsConfigError } from './faults';
import { renderElement, XmlChild, xmlTextProblem } from './xml';

export interface AuthHeader {
	user: string;
	password: string;
	locale?: string;
	appName: string;
	appVersion: string;
	gzipResponse?: boolean;
	faultHttpStatusCode?: number;
}

export interface SoapRequestParts {
	operation: string;
	namespace: string;
	/** Left out only by tests that check how a server treats a request without credentials. */
	auth?: AuthHeader;
	children: readonly XmlChild[];
}

/**
 * Everything before the body: the same for every request of one client, so a client renders it
 * once (`buildEnvelope`'s `start`).
 */
export function envelopeStart(auth: AuthHeader | undefined): string {
	const header = auth ? `<soapenv:Header>${renderAuthHeader(auth)}</soapenv:Header>` : '';
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NAMESPACE}">` +
		header
	);
}

export function buildEnvelope(
	{ operation, namespace, auth, children }: SoapRequestParts,
	start = envelopeStart(auth),
): string {
	return (
		start +
		`<soapenv:Body>${renderElement(`${operation}Param`, children, namespace)}</soapenv:Body>` +
		'</soapenv:Envelope>'
	);
}

/** Operations whose answer is an empty element: compressing it would only cost time on both sides. */
export const EMPTY_ANSWER_OPERATIONS: ReadonlySet<string> = new Set([
	'executeJob',
	'pauseJob',
	'resumeJob',
	'stopJob',
	'deleteJob',
]);

export function soapHttpHeaders(operation: string): Record<string, string> {
	const headers: Record<string, string> = {
		'content-type': 'text/xml; charset=UTF-8',
		soapaction: operation,
	};
	// Lists (jobs, logs, companies) can be large: those answers may come gzip-compressed.
	if (!EMPTY_ANSWER_OPERATIONS.has(operation)) headers['accept-encoding'] = 'gzip';
	return headers;
}

function renderAuthHeader(auth: AuthHeader): string {
	// The schema's order: user, password, locale, appName, appVersion, gzipResponse, faultHttpStatusCode.
	const children: XmlChild[] = [
		['user', auth.user],
		['password', auth.password],
		['locale', auth.locale || undefined],
		['appName', auth.appName],
		['appVersion', auth.appVersion],
		['gzipResponse', auth.gzipResponse === undefined ? undefined : String(auth.gzipResponse)],
		[
			'faultHttpStatusCode',
			auth.faultHttpStatusCode === undefined ? undefined : String(auth.faultHttpStatusCode),
		],
	];
	for (const [field, value] of children) {
		// A credential problem, not the item's; named by field only (a position would hint at the secret).
		if (typeof value === 'string' && xmlTextProblem(value)) {
			throw new IpsConfigError(
				`The ${field} of the IPS API credential contains a character that XML cannot carry (a control character); retype it`,
				field,
			);
		}
	}
	return renderElement('authHeader', children, UNVERSIONED_NAMESPACE);
}
