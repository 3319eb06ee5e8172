// Where an IPS credential sends its requests, and the rule that a password never crosses a
// network in clear text.
import { isIP } from 'node:net';
import { IpsConfigError } from './faults';

export { IpsConfigError };

const SERVICE_PATH = 'services/IpsApiService';

/** The Adobe host of each region (the credential's `region` values, `custom` aside). */
const ADOBE_HOSTS: Record<string, string> = {
	northAmerica: 's7sps1apissl',
	europe: 's7sps3apissl',
	asiaPacific: 's7sps5apissl',
};

export interface EndpointSettings {
	region: string;
	environment?: string;
	serviceUrl?: string;
}

export function resolveServiceUrl(settings: EndpointSettings): string {
	const { region } = settings;
	if (region === 'custom') return checkCustomServiceUrl(settings.serviceUrl ?? '');
	if (!Object.hasOwn(ADOBE_HOSTS, region)) {
		throw new IpsConfigError(
			`Unknown region "${region}": choose North America, Europe, Asia-Pacific or Custom`,
			'region',
		);
	}
	const environment = settings.environment ?? 'production';
	if (environment !== 'production' && environment !== 'staging') {
		throw new IpsConfigError(
			`Unknown environment "${environment}": choose Production or Staging`,
			'environment',
		);
	}
	const host = ADOBE_HOSTS[region];
	const suffix = environment === 'staging' ? '-staging' : '';
	return `https://${host}${suffix}.scene7.com/scene7/${SERVICE_PATH}`;
}

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	// Only names that cannot leave this machine: `*.localhost` may be answered by a DNS resolver.
	if (host === 'localhost') return true;
	if (isIP(host) === 4) return host.startsWith('127.');
	if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
	return false;
}

function checkCustomServiceUrl(raw: string): string {
	const text = raw.trim();
	if (!text) {
		throw new IpsConfigError(
			'The Service URL is empty: enter the full URL ending in /services/IpsApiService',
			'serviceUrl',
		);
	}
	if (!URL.canParse(text)) {
		throw new IpsConfigError(`The Service URL "${text}" is not a valid URL`, 'serviceUrl');
	}
	const url = new URL(text);
	if (url.username || url.password) {
		throw new IpsConfigError(
			'The Service URL must not contain a user name or password: put them in the credential fields',
			'serviceUrl',
		);
	}
	if (url.protocol === 'https:') return url.toString();
	if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.toString();
	if (url.protocol === 'http:') {
		throw new IpsConfigError(
			`The Service URL must use HTTPS: "${url.origin}" would send the IPS password in clear text. ` +
				'Plain HTTP is only allowed to this machine (localhost, 127.0.0.1, ::1).',
			'serviceUrl',
		);
	}
	throw new IpsConfigError(
		`The Service URL must start with https:// (got "${url.protocol}")`,
		'serviceUrl',
	);
}

/** The proxy for an https:// target from HTTPS_PROXY / NO_PROXY (lower case too), or undefined. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
	if (target.protocol !== 'https:') return undefined;
	const raw = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
	if (!raw || !URL.canParse(raw)) return undefined;
	const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').toLowerCase();
	const host = target.hostname.toLowerCase();
	const port = target.port || '443';
	for (const entry of noProxy.split(/[\s,]+/).filter(Boolean)) {
		if (entry === '*') return undefined;
		const [name, entryPort] = entry.replace(/^\*?\./, '.').split(':');
		if (entryPort && entryPort !== port) continue;
		const bare = name.replace(/^\./, '');
		if (host === bare || host.endsWith(`.${bare}`)) return undefined;
	}
	return new URL(raw);
}
