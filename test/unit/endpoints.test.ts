import { IpsConfigError, isLoopbackHost, resolveServiceUrl } from '../../nodes/Ips/ips/endpoints';
import { clientOptionsFromCredential } from '../../nodes/Ips/n8n/credentials';
import { namespaceOf } from '../../nodes/Ips/ips/namespaces';
import { isRoleAllowed, ROLES_THAT_MAY_EXECUTE_JOBS } from '../../nodes/Ips/ips/roles';

const mayExecuteJobs = (role: string) => isRoleAllowed(role, ROLES_THAT_MAY_EXECUTE_JOBS);

describe('endpoints', () => {
	it.each([
		['northAmerica', 'production', 'https://s7sps1apissl.scene7.com/scene7/services/IpsApiService'],
		[
			'northAmerica',
			'staging',
			'https://s7sps1apissl-staging.scene7.com/scene7/services/IpsApiService',
		],
		['europe', 'production', 'https://s7sps3apissl.scene7.com/scene7/services/IpsApiService'],
		['europe', 'staging', 'https://s7sps3apissl-staging.scene7.com/scene7/services/IpsApiService'],
		['asiaPacific', 'production', 'https://s7sps5apissl.scene7.com/scene7/services/IpsApiService'],
		[
			'asiaPacific',
			'staging',
			'https://s7sps5apissl-staging.scene7.com/scene7/services/IpsApiService',
		],
	])('maps %s / %s to Adobe’s endpoint', (region, environment, url) => {
		expect(resolveServiceUrl({ region, environment })).toBe(url);
	});

	it('accepts any HTTPS service URL and plain HTTP only on loopback', () => {
		const custom = (serviceUrl: string) => resolveServiceUrl({ region: 'custom', serviceUrl });
		expect(custom('https://ips.example.com/scene7/services/IpsApiService')).toBe(
			'https://ips.example.com/scene7/services/IpsApiService',
		);
		for (const local of [
			'http://localhost:8081/x',
			'http://127.0.0.1:1/x',
			'http://127.9.8.7/x',
			'http://[::1]:80/x',
		]) {
			expect(custom(local)).toBe(new URL(local).toString());
		}
		for (const remote of [
			'http://ips.example.com/x',
			'http://10.0.0.1/x',
			'http://128.0.0.1/x',
			'http://localhost.example.com/x',
			// A resolver may answer *.localhost from DNS: only the literal names stay on this machine.
			'http://ips.localhost/x',
		]) {
			expect(() => custom(remote)).toThrow(/must use HTTPS.*clear text/);
		}
		expect(() => custom('ftp://ips.example.com/x')).toThrow(IpsConfigError);
		expect(() => custom('not a url')).toThrow(/not a valid URL/);
		expect(() => custom('')).toThrow(/empty/);
		expect(() => custom('https://user:pw@ips.example.com/x')).toThrow(
			/must not contain a user name or password/,
		);
	});

	it('knows loopback hosts', () => {
		expect(isLoopbackHost('LOCALHOST')).toBe(true);
		expect(isLoopbackHost('[::1]')).toBe(true);
		expect(isLoopbackHost('127.0.0.53')).toBe(true);
		expect(isLoopbackHost('::2')).toBe(false);
		expect(isLoopbackHost('1.27.0.0')).toBe(false);
	});
});

describe('credential fields to client options', () => {
	const base = {
		user: ' someone@example.com ',
		password: 'pw',
		role: 'IpsUser',
		region: 'europe',
		environment: 'staging',
	};

	it('resolves the endpoint, the namespace and the app name defaults', () => {
		const options = clientOptionsFromCredential({
			...base,
			apiVersion: '2010-01-31',
			appName: '',
			appVersion: '',
		});
		expect(options.serviceUrl).toBe(
			'https://s7sps3apissl-staging.scene7.com/scene7/services/IpsApiService',
		);
		expect(options.apiVersion).toBe('2010-01-31');
		expect(namespaceOf(options.apiVersion)).toBe('http://www.scene7.com/IpsApi/xsd/2010-01-31');
		expect(options.auth.user).toBe('someone@example.com');
		expect(options.auth.appName).toBe('n8n-nodes-scene7-ips');
		expect(options.auth.appVersion).toMatch(/^\d+\.\d+\.\d+/);
	});

	it('defaults to API 6.8 and maps pre-4.0 to the unversioned namespace', () => {
		expect(clientOptionsFromCredential(base).apiVersion).toBe('2014-04-03');
		expect(namespaceOf('pre-4.0')).toBe('http://www.scene7.com/IpsApi/xsd');
	});

	it('refuses missing user, missing password and unknown versions, naming the field', () => {
		expect(() => clientOptionsFromCredential({ ...base, user: '' })).toThrow(
			expect.objectContaining({ field: 'user' }),
		);
		expect(() => clientOptionsFromCredential({ ...base, password: '' })).toThrow(
			expect.objectContaining({ field: 'password' }),
		);
		expect(() => clientOptionsFromCredential({ ...base, apiVersion: '2099-01-01-beta' })).toThrow(
			expect.objectContaining({ field: 'apiVersion' }),
		);
	});

	it('lets the seven roles of the reference run jobs, and IpsCompanyAdmin (the typo in its table)', () => {
		const allowed = [
			'IpsUser',
			'IpsAdmin',
			'IpsCompanyAdmin',
			'TrialSiteAdmin',
			'TrialSiteUser',
			'ImagePortalAdmin',
			'ImagePortalContrib',
			'ImagePortalContribUser',
		];
		for (const role of allowed) expect(mayExecuteJobs(role)).toBe(true);
		for (const role of ['WebServiceUser', 'ImagePortalUser', ''])
			expect(mayExecuteJobs(role)).toBe(false);
	});
});
