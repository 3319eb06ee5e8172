// Which test files `npm test` starts first. Jest starts first the files that took longest in its
// earlier runs; on a clean clone (CI) it has none and starts the largest files first, but the files
// that wait longest on timers are not the largest, and the longest of them started last: npm test
// took 58 s in a clean-clone CI run against 44-47 s here. A file jest has no time for gets the one
// recorded below (seconds, each file's time in a clean-clone `npm test`; unlisted files take about
// a second). Add a file here when it takes more than a few seconds.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const RECORDED_SECONDS = {
	'engine/submitJob.test.ts': 36,
	'engine/waitForCompletion.test.ts': 33,
	'engine/runMatching.test.ts': 26,
	'engine/boundedWaitingAtScale.test.ts': 23,
	'engine/finalLog.test.ts': 21,
	'engine/boundedWaiting.test.ts': 20,
	'engine/ipsNode.test.ts': 19,
	'engine/runEnd.test.ts': 18,
	'engine/hostileServers.test.ts': 17,
	'engine/maxWait.test.ts': 14,
	'engine/executeJob.test.ts': 14,
	'engine/finalLogReaders.test.ts': 13,
	'engine/guards.test.ts': 13,
	'unit/runs.test.ts': 13,
	'engine/loadAndCancel.test.ts': 12,
	'unit/simulator.test.ts': 12,
	'engine/proxy.test.ts': 10,
	'engine/jobRunGet.test.ts': 9,
	'unit/transport.test.ts': 8,
	'engine/trigger.test.ts': 6,
};
const TESTS = path.join(__dirname, '..');

class RecordedTimesFirst extends Sequencer {
	time(test) {
		const recorded = RECORDED_SECONDS[path.relative(TESTS, test.path).split(path.sep).join('/')];
		return super.time(test) ?? (recorded ?? 1) * 1000;
	}
}

module.exports = RecordedTimesFirst;
