// Turns the IPS API credential's fields into IpsClient options; refuses what cannot work.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { IpsClientOptions } from '../ips/IpsClient';
import { IpsConfigError, resolveServiceUrl } from '../ips/endpoints';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../ips/appInfo';
import { DEFAULT_API_VERSION, isApiVersion } from '../ips/namespaces';
import { DEFAULT_ROLE } from '../ips/roles';
import { SoapTransport } from '../ips/transport';

export const CREDENTIAL_TYPE = 'ipsApi';

export interface ClientExtras {
	requestTimeoutMs?: number;
	signal?: AbortSignal;
	transport?: SoapTransport;
}

function text(data: ICredentialDataDecryptedObject, field: string): string {
	const value = data[field];
	return typeof value === 'string'
		? value
		: value === undefined || value === null
			? ''
			: String(value);
}

/** The role the credential claims, used for the check before anything is sent. */
export function credentialRole(data: ICredentialDataDecryptedObject): string {
	return text(data, 'role') || DEFAULT_ROLE;
}

export function clientOptionsFromCredential(
	data: ICredentialDataDecryptedObject,
	extras: ClientExtras = {},
): IpsClientOptions {
	const user = text(data, 'user').trim();
	const password = text(data, 'password');
	if (!user)
		throw new IpsConfigError('The IPS API credential has no User (the sign-in e-mail)', 'user');
	if (!password) throw new IpsConfigError('The IPS API credential has no Password', 'password');
	const apiVersion = text(data, 'apiVersion') || DEFAULT_API_VERSION;
	if (!isApiVersion(apiVersion)) {
		throw new IpsConfigError(
			`The IPS API credential names an unknown API Version "${apiVersion}"`,
			'apiVersion',
		);
	}
	return {
		serviceUrl: resolveServiceUrl({
			region: text(data, 'region') || 'northAmerica',
			environment: text(data, 'environment') || 'production',
			serviceUrl: text(data, 'serviceUrl'),
		}),
		apiVersion,
		auth: {
			user,
			password,
			locale: text(data, 'locale').trim() || undefined,
			appName: text(data, 'appName').trim() || PACKAGE_NAME,
			appVersion: text(data, 'appVersion').trim() || PACKAGE_VERSION,
		},
		...extras,
	};
}
