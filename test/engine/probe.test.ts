// `npm run probe` against the simulator: what it records, what it leaves out, what it concludes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProbe } from '../../e2e/probe';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { DEMO_PASSWORD, DEMO_USER } from '../support/ips';

let sim: IpsSimulator;
beforeEach(async () => {
	sim = await startIpsSimulator({ runDurationMs: 1_500 });
});
afterEach(() => sim.stop());

function probe(runJob?: string) {
	const lines: string[] = [];
	const outDir = mkdtempSync(join(tmpdir(), 'ips-probe-'));
	const env = {
		IPS_USER: DEMO_USER,
		IPS_PASSWORD: DEMO_PASSWORD,
		IPS_SERVICE_URL: sim.url,
		IPS_COMPANY: 'c|2101',
	};
	return runProbe({ env, runJob, outDir, log: (line) => lines.push(line), pollMs: 200 }).then(
		(report) => ({ report, lines }),
	);
}

describe('npm run probe', () => {
	it('reads only, records every exchange without the password, and says what it saw', async () => {
		const { report, lines } = await probe();
		expect(sim.requestsFor('executeJob')).toHaveLength(0);
		expect(report.files.length).toBe(2 * sim.requests.length);
		for (const file of report.files) {
			const text = readFileSync(file, 'utf8');
			expect(text).not.toContain(DEMO_PASSWORD);
			expect(text).not.toMatch(/<user>/);
		}
		expect(lines).toContainEqual(
			expect.stringMatching(/^\[confirmed\] getActiveJobs takes includeWaitingJobs/),
		);
		expect(lines).toContainEqual(
			expect.stringMatching(/^\[confirmed\] getJobLogs honours numRows/),
		);
	});

	it('with --run-job, starts that job once and watches it to its logged end', async () => {
		sim.state.scheduledJobs.find((j) => j.name === 'Nightly publish')!.logWhileRunning = true;
		const { report } = await probe('j|2101|Nightly publish||');
		expect(sim.requestsFor('executeJob')).toHaveLength(1);
		const verdict = (fact: string) => report.facts.find((f) => f.fact.startsWith(fact))?.verdict;
		expect(verdict('A started run shows up')).toBe('confirmed');
		expect(verdict('A run is named')).toBe('confirmed');
		expect(verdict('A log row exists while the run goes on')).toBe('confirmed');
		expect(verdict('A run that ended has a log row with endDate')).toBe('confirmed');
	});
});
