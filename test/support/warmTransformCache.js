// Jest's global setup: compiles every TypeScript file the tests load into jest's transform cache
// once, before the workers start. On a clean clone (CI) the cache is empty (its keys hold the file's
// path), and each of npm test's eight workers would otherwise load the TypeScript compiler and
// compile the same files at once, on two cores: about 10 s of npm test's time.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { SyntheticModule } = require('node:vm');
const { createScriptTransformer } = require('@jest/transform');

const FOLDERS = ['nodes', 'credentials', 'simulator', 'test'];

function* typeScriptFiles(folder) {
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) yield* typeScriptFiles(path);
		else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
	}
}

module.exports = async (_globalConfig, projectConfig) => {
	const transformer = await createScriptTransformer(projectConfig);
	// The options jest's runtime transforms a CommonJS module with (jest-runtime's
	// defaultTransformOptions): they are part of the cache key.
	const options = {
		instrument: false,
		supportsDynamicImport: typeof SyntheticModule === 'function',
		supportsExportNamespaceFrom: false,
		supportsStaticESM: false,
		supportsTopLevelAwait: false,
	};
	for (const folder of FOLDERS)
		for (const file of typeScriptFiles(join(projectConfig.rootDir, folder)))
			transformer.transformSource(file, readFileSync(file, 'utf8'), options);
};
