// Finds a project file from the sources (simulator/) and from compiled output (.build/simulator/),
// which tsc does not copy data files into.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function findProjectFile(relativePath: string): string {
	for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
		const candidate = join(dir, relativePath);
		if (existsSync(candidate)) return candidate;
	}
	throw new Error(`${relativePath} not found above ${__dirname}`);
}
