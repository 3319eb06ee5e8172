// The package's own name and version, sent as authHeader appName/appVersion by default.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PACKAGE_NAME = 'n8n-nodes-scene7-ips';

function findPackageVersion(): string {
	// Source (nodes/Ips/ips) and compiled (dist/nodes/Ips/ips) sit at different depths: walk up.
	for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
		const file = join(dir, 'package.json');
		if (!existsSync(file)) continue;
		const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
		if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
	}
	return '0.0.0';
}

export const PACKAGE_VERSION = findPackageVersion();
