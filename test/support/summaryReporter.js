// Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI can read
// whatever the runner, after jest's own summary.
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const {
			numPassedTests,
			numFailedTests,
			numPendingTests,
			numTodoTests,
			numRuntimeErrorTestSuites,
		} = results;
		// A test file that does not even load counts as a failure too.
		const failed = numFailedTests + numRuntimeErrorTestSuites;
		process.stdout.write(
			`tests: ${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped\n`,
		);
	}
}
module.exports = SummaryReporter;
