// The "Test" button of the IPS API credential: sign in with getUserInfo and compare the role.
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { IpsClient } from '../ips/IpsClient';
import { clientOptionsFromCredential, credentialRole } from '../n8n/credentials';
import { explainError } from '../n8n/errors';

const CREDENTIAL_TEST_TIMEOUT_MS = 20_000;

export async function ipsApiCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	try {
		const client = new IpsClient(
			clientOptionsFromCredential(data, { requestTimeoutMs: CREDENTIAL_TEST_TIMEOUT_MS }),
		);
		const user = await client.getUserInfo();
		const configured = credentialRole(data);
		if (user.role && user.role !== configured) {
			return {
				status: 'Error',
				message: `Signed in as ${user.email || 'this user'}, but the account's role on IPS is "${user.role}", not "${configured}" as the credential says. Set Role to ${user.role}.`,
			};
		}
		return {
			status: 'OK',
			message: `Signed in as ${user.email || 'this user'} (${user.role || configured})`,
		};
	} catch (error) {
		const { message, description } = explainError(error, {
			operation: 'getUserInfo',
			phase: 'lookup',
			sideEffect: 'read',
			action: 'sign in to IPS',
		});
		return { status: 'Error', message: description ? `${message}. ${description}` : message };
	}
}
