// Builds an IpsClient from the node's credential inside any n8n function context.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { IpsClient } from '../ips/IpsClient';
import { ClientExtras, clientOptionsFromCredential, CREDENTIAL_TYPE } from './credentials';

interface CredentialSource {
	getCredentials<T extends object = ICredentialDataDecryptedObject>(
		type: string,
		itemIndex?: number,
	): Promise<T>;
}

export async function ipsClientFor(
	context: CredentialSource,
	extras: ClientExtras = {},
): Promise<{
	client: IpsClient;
	credential: ICredentialDataDecryptedObject;
}> {
	const credential = await context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
	return { client: new IpsClient(clientOptionsFromCredential(credential, extras)), credential };
}
