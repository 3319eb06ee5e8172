"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ipsApiCredentialTest = ipsApiCredentialTest;
const IpsClient_1 = require("../ips/IpsClient");
const credentials_1 = require("../n8n/credentials");
const errors_1 = require("../n8n/errors");
const CREDENTIAL_TEST_TIMEOUT_MS = 20_000;
async function ipsApiCredentialTest(credential) {
    const data = credential.data ?? {};
    try {
        const client = new IpsClient_1.IpsClient((0, credentials_1.clientOptionsFromCredential)(data, { requestTimeoutMs: CREDENTIAL_TEST_TIMEOUT_MS }));
        const user = await client.getUserInfo();
        const configured = (0, credentials_1.credentialRole)(data);
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
    }
    catch (error) {
        const { message, description } = (0, errors_1.explainError)(error, {
            operation: 'getUserInfo',
            action: 'sign in to IPS',
        });
        return { status: 'Error', message: description ? `${message}. ${description}` : message };
    }
}
//# sourceMappingURL=credentialTest.js.map