"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IpsApi = void 0;
const appInfo_1 = require("../nodes/Ips/ips/appInfo");
const namespaces_1 = require("../nodes/Ips/ips/namespaces");
const roles_1 = require("../nodes/Ips/ips/roles");
/**
 * Sign-in for the IPS web service. Tested from the UI through the node (`testedBy`), because the
 * test is a SOAP call that n8n's declarative credential test cannot make.
 */
class IpsApi {
    name = 'ipsApi';
    displayName = 'IPS API';
    icon = { light: 'file:../nodes/Ips/ips.svg', dark: 'file:../nodes/Ips/ips.dark.svg' };
    documentationUrl = 'https://experienceleague.adobe.com/en/docs/dynamic-media-classic/using/ips-api/ips-api-reference';
    properties = [
        {
            displayName: 'User',
            name: 'user',
            type: 'string',
            default: '',
            required: true,
            placeholder: 'name@example.com',
            description: 'The e-mail address you sign in to Dynamic Media Classic with',
        },
        {
            displayName: 'Password',
            name: 'password',
            type: 'string',
            typeOptions: { password: true },
            default: '',
            required: true,
        },
        {
            displayName: 'Role',
            name: 'role',
            type: 'options',
            options: roles_1.IPS_ROLES.map((role) => ({ name: role, value: role })),
            default: roles_1.DEFAULT_ROLE,
            description: 'The user type of this account in IPS. Only IpsUser, IpsAdmin, TrialSiteAdmin, TrialSiteUser, ImagePortalAdmin, ImagePortalContrib and ImagePortalContribUser may run jobs.',
        },
        {
            displayName: 'Region',
            name: 'region',
            type: 'options',
            options: [
                { name: 'North America', value: 'northAmerica' },
                { name: 'Europe, Middle East, Asia', value: 'europe' },
                { name: 'Japan / Asia-Pacific', value: 'asiaPacific' },
                { name: 'Custom Service URL', value: 'custom' },
            ],
            default: 'northAmerica',
            description: 'The data center of your Dynamic Media Classic account',
        },
        {
            displayName: 'Environment',
            name: 'environment',
            type: 'options',
            options: [
                { name: 'Production', value: 'production' },
                { name: 'Staging', value: 'staging' },
            ],
            default: 'production',
            displayOptions: { hide: { region: ['custom'] } },
        },
        {
            displayName: 'Service URL',
            name: 'serviceUrl',
            type: 'string',
            default: '',
            placeholder: 'https://s7sps1apissl.scene7.com/scene7/services/IpsApiService',
            description: 'The full URL of the IPS web service. Must be HTTPS; plain HTTP is accepted only for this machine (localhost).',
            displayOptions: { show: { region: ['custom'] } },
        },
        {
            displayName: 'API Version',
            name: 'apiVersion',
            type: 'options',
            options: namespaces_1.API_VERSIONS.map((version) => ({
                name: namespaces_1.API_VERSION_LABELS[version],
                value: version,
            })),
            default: namespaces_1.DEFAULT_API_VERSION,
            description: 'The IPS API version to speak. 6.8 is the newest and what current clients use.',
        },
        {
            displayName: 'App Name',
            name: 'appName',
            type: 'string',
            default: appInfo_1.PACKAGE_NAME,
            description: 'Sent to IPS to identify the calling application',
        },
        {
            displayName: 'App Version',
            name: 'appVersion',
            type: 'string',
            default: appInfo_1.PACKAGE_VERSION,
        },
        {
            displayName: 'Locale',
            name: 'locale',
            type: 'string',
            default: '',
            placeholder: 'en-US',
            description: 'Language of the messages IPS answers with (optional)',
        },
    ];
}
exports.IpsApi = IpsApi;
//# sourceMappingURL=IpsApi.credentials.js.map