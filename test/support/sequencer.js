// Which test files `npm test` starts first: the longest first, so that no long file starts last and
// runs on alone at the end. Jest's own choice is the time each file took in its last run, or the
// largest files first when it has none (a clean clone: CI); neither holds here. The files that wait
// longest on timers are not the largest; a file's last run may have been one test of it (`-t`) or
// the file alone; and a file's time alone says nothing of its time among the others: 10,000 items
// in loadAndCancel take 20 s alone and 40-50 s beside seven other files. Recorded at 12 s, it started
// 36 s in and ran on alone to the end: `npm test` took 78-81 s against 65-71 s with the times below
// (seconds, each file's time in a whole `npm test` on 2 cores, 2026-12-07). A listed file takes its
// time from here; an unlisted one from jest's last run, else about a second. Add a file here when it
// takes more than a few seconds.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const RECORDED_SECONDS = {
	'engine/loadAndCancel.test.ts': 49,
	'engine/submitJob.test.ts': 41,
	'engine/runMatching.test.ts': 34,
	'engine/boundedWaitingAtScale.test.ts': 34,
	'engine/waitForCompletion.test.ts': 32,
	'engine/finalLog.test.ts': 31,
	'engine/boundedWaiting.test.ts': 28,
	'engine/runEnd.test.ts': 28,
	'unit/runs.test.ts': 21,
	'engine/ipsNode.test.ts': 20,
	'engine/finalLogReaders.test.ts': 19,
	'engine/maxWait.test.ts': 17,
	'engine/guards.test.ts': 16,
	'unit/xmlReader.test.ts': 16,
	'engine/jobRunGet.test.ts': 13,
	'engine/proxy.test.ts': 11,
	'engine/trigger.test.ts': 11,
	'engine/hostileServers.test.ts': 11,
	'engine/executeJob.test.ts': 10,
	'unit/simulator.test.ts': 9,
	'unit/transport.test.ts': 9,
	'engine/credentialAndLists.test.ts': 8,
	'unit/toolDescriptions.test.ts': 4,
	'unit/parse.test.ts': 4,
	'unit/envelope.test.ts': 4,
	'engine/probe.test.ts': 3,
	'unit/perItem.test.ts': 3,
};
const TESTS = path.join(__dirname, '..');

class RecordedTimesFirst extends Sequencer {
	time(test) {
		const recorded = RECORDED_SECONDS[path.relative(TESTS, test.path).split(path.sep).join('/')];
		return recorded === undefined ? (super.time(test) ?? 1000) : recorded * 1000;
	}
}

module.exports = RecordedTimesFirst;
