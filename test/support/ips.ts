// Small helpers shared by the tests: credentials for the simulator, resource locator values,
// XML canonicalisation.
import type { ICredentialDataDecryptedObject, INodeParameterResourceLocator } from 'n8n-workflow';
import { IpsSimulator } from '../../simulator';
import type { SimJobLog } from '../../simulator/state';

export const DEMO_USER = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password';

export function credentialFor(
	sim: Pick<IpsSimulator, 'url'>,
	overrides: ICredentialDataDecryptedObject = {},
) {
	return {
		user: DEMO_USER,
		password: DEMO_PASSWORD,
		role: 'IpsUser',
		region: 'custom',
		serviceUrl: sim.url,
		apiVersion: '2014-04-03',
		appName: 'n8n-nodes-scene7-ips',
		appVersion: 'test',
		...overrides,
	} as ICredentialDataDecryptedObject;
}

export function byHandle(value: string): INodeParameterResourceLocator {
	return { __rl: true, mode: 'id', value };
}

export function fromList(value: string, cachedResultName?: string): INodeParameterResourceLocator {
	return { __rl: true, mode: 'list', value, cachedResultName };
}

/** Whitespace between tags removed, runs of white space in text folded: for comparing XML. */
export function canonicalXml(xml: string): string {
	return xml
		.replace(/<\?xml[^>]*\?>/, '')
		.replace(/>\s+</g, '><')
		.replace(/\s+/g, ' ')
		.trim();
}

/** A job log row of company c|2101 for the simulator's state: an ended, clean run unless told. */
export function simLogRow(
	fields: Partial<SimJobLog> & Pick<SimJobLog, 'jobHandle' | 'jobName' | 'startDate'>,
): SimJobLog {
	return {
		companyHandle: 'c|2101',
		submitUserEmail: 'admin@example.com',
		logType: 'ImageServingPublish',
		endDate: new Date().toISOString(),
		fileSuccessCount: 1,
		fileErrorCount: 0,
		fileWarningCount: 0,
		fileDuplicateCount: 0,
		fileUpdateCount: 0,
		totalFileCount: 1,
		fatalError: false,
		details: [],
		...fields,
	};
}
