import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

export default [
	{ ignores: ['dist/**', '.build/**', 'node_modules/**', '.cache/**'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
	},
	n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
	{
		rules: {
			// This package is a self-hosted community package on purpose: it sends with undici (pooled
			// connections, exact timeouts, bounded bodies, proxy support) and parses with
			// fast-xml-parser (hardened, no entity expansion). n8n Cloud's verified packages may not
			// have runtime dependencies, so this one rule is off; the README says so.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];
