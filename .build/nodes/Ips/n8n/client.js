"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ipsClientFor = ipsClientFor;
const IpsClient_1 = require("../ips/IpsClient");
const credentials_1 = require("./credentials");
async function ipsClientFor(context, extras = {}) {
    const credential = await context.getCredentials(credentials_1.CREDENTIAL_TYPE);
    return { client: new IpsClient_1.IpsClient((0, credentials_1.clientOptionsFromCredential)(credential, extras)), credential };
}
//# sourceMappingURL=client.js.map