/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// n8n-core writes its config under N8N_USER_FOLDER on first use: point it at a temp folder.
	setupFiles: ['<rootDir>/test/support/setupEnv.ts'],
	// Compiles the TypeScript once for all workers (an empty cache: a clean clone).
	globalSetup: '<rootDir>/test/support/warmTransformCache.js',
	// After every test: no password in any output, error or log line (test/support/secrets.ts).
	setupFilesAfterEnv: ['<rootDir>/test/support/scanForSecrets.ts'],
	testTimeout: 30000,
	// The scenario tests mostly wait on timers (a poll interval, Max Wait), not on the CPU: on a
	// 2-core machine eight files at a time keep both cores busy (jest's default would run one).
	// `npm test` here: 50-57 s with six, 44-47 s with eight; ten passed too, no faster.
	maxWorkers: 8,
	// Longest files first, also on a clean clone where jest has no timings of its own yet.
	testSequencer: '<rootDir>/test/support/sequencer.js',
	reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
