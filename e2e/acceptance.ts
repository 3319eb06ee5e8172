// The acceptance run in a real n8n: imports a credential and workflows, runs each with
// `n8n execute`, and checks the execution JSON and what the IPS simulator received.
// Started by e2e/test-n8n.sh, which installed the packed package into N8N_USER_FOLDER.
import assert from 'node:assert/strict';
import { IpsSimulator, startIpsSimulator } from '../simulator';
import { executeWorkflow, ExecutionJson, importInto, simulatorCredential } from './n8nCli';
import { IPS_NODE, ipsWorkflow } from './workflows';

const NIGHTLY = 'j|2101|Nightly publish||';
const FTP = 'j|2101|Upload from FTP||';
const OUTLET_IN_2101 = 'j|2101|Price & <Promo> "Q4" \'s\' ]]> Größe ||';

function ipsOutput(execution: ExecutionJson | undefined) {
	return execution?.data?.resultData?.runData?.[IPS_NODE]?.[0]?.data?.main?.[0] ?? [];
}

const results: Array<{ name: string; ok: boolean; detail?: string }> = [];

async function check(name: string, body: () => Promise<void>): Promise<void> {
	try {
		await body();
		results.push({ name, ok: true });
		console.log(`ok     ${name}`);
	} catch (error) {
		results.push({ name, ok: false, detail: (error as Error).message });
		console.log(`FAILED ${name}\n       ${(error as Error).message.split('\n').join('\n       ')}`);
	}
}

async function main(): Promise<void> {
	const sim: IpsSimulator = await startIpsSimulator({ runDurationMs: 1_500 });
	try {
		const credential = (id: string, data: Record<string, unknown>) =>
			simulatorCredential(id, `IPS ${id}`, sim.url, data);
		await importInto('credentials', 'credentials', [
			credential('ipsCredential0001', {}),
			credential('ipsCredential0002', {
				user: 'webservice@example.com',
				password: 'webservice-password',
				role: 'WebServiceUser',
			}),
		]);

		const workflows = [
			ipsWorkflow({
				id: 'ipsAcceptance0001',
				name: 'Three jobs',
				jobs: [NIGHTLY, FTP, OUTLET_IN_2101],
				credentialId: 'ipsCredential0001',
			}),
			ipsWorkflow({
				id: 'ipsAcceptance0002',
				name: 'One unknown job, Continue On Fail',
				jobs: [NIGHTLY, 'j|2101|No such job||', FTP],
				credentialId: 'ipsCredential0001',
				continueOnFail: true,
			}),
			ipsWorkflow({
				id: 'ipsAcceptance0003',
				name: 'One unknown job',
				jobs: [NIGHTLY, 'j|2101|No such job||', FTP],
				credentialId: 'ipsCredential0001',
			}),
			ipsWorkflow({
				id: 'ipsAcceptance0004',
				name: 'Wait for Completion',
				jobs: [NIGHTLY, FTP],
				credentialId: 'ipsCredential0001',
				ipsParameters: {
					waitForCompletion: true,
					pollIntervalSeconds: 1,
					maxWaitSeconds: 60,
					options: { maxParallelRequests: 2 },
				},
			}),
			ipsWorkflow({
				id: 'ipsAcceptance0005',
				name: 'Role may not run jobs',
				jobs: [NIGHTLY],
				credentialId: 'ipsCredential0002',
			}),
		];
		for (const workflow of workflows) await importInto('workflow', workflow.id, workflow);
		const execute = (id: string) => {
			sim.requests.length = 0;
			return executeWorkflow(id);
		};

		await check(
			'1. three items from expressions pass through unchanged, paired, one executeJob each',
			async () => {
				const { execution, stdout, stderr } = await execute('ipsAcceptance0001');
				const items = ipsOutput(execution);
				assert.equal(
					items.length,
					3,
					`expected 3 items, got: ${stdout.slice(-800)} ${stderr.slice(-800)}`,
				);
				assert.deepEqual(
					items.map((item) => item.json),
					[{ jobs: NIGHTLY }, { jobs: FTP }, { jobs: OUTLET_IN_2101 }],
				);
				assert.deepEqual(
					items.map((item) => item.pairedItem),
					[{ item: 0 }, { item: 1 }, { item: 2 }],
				);
				assert.deepEqual(
					sim.requestsFor('executeJob').map((r) => r.params),
					[
						{ companyHandle: 'c|2101', jobHandle: NIGHTLY },
						{ companyHandle: 'c|2101', jobHandle: FTP },
						{ companyHandle: 'c|2101', jobHandle: OUTLET_IN_2101 },
					],
				);
			},
		);

		await check(
			'2a. with Continue On Fail: two good items and one error item naming the IPS reason',
			async () => {
				const { execution } = await execute('ipsAcceptance0002');
				const items = ipsOutput(execution);
				assert.equal(items.length, 3);
				assert.deepEqual(items[0].json, { jobs: NIGHTLY });
				assert.deepEqual(items[2].json, { jobs: FTP });
				assert.match(
					String(items[1].json.error),
					/item 1.*no scheduled job with handle 'j\|2101\|No such job\|\|'/,
				);
				assert.equal(sim.requestsFor('executeJob').length, 3);
			},
		);

		await check(
			'2b. without Continue On Fail: the execution fails and names the item',
			async () => {
				const { execution, stdout, stderr } = await execute('ipsAcceptance0003');
				const message = execution?.data?.resultData?.error?.message ?? `${stdout}\n${stderr}`;
				assert.match(message, /item 1.*no scheduled job with handle/);
				assert.deepEqual(
					sim.requestsFor('executeJob').map((r) => r.params.jobHandle),
					[NIGHTLY, 'j|2101|No such job||'],
				);
			},
		);

		await check(
			'3. Wait for Completion: the output holds each run’s status and counts',
			async () => {
				const { execution } = await execute('ipsAcceptance0004');
				const runs = ipsOutput(execution).map(
					(item) => item.json.ipsJob as Record<string, unknown>,
				);
				assert.equal(runs.length, 2);
				assert.deepEqual(
					runs.map((r) => [r.status, r.fileSuccessCount, r.totalFileCount]),
					[
						['succeeded', 120, 120],
						['succeededWithWarnings', 25, 25],
					],
				);
				assert.ok(sim.requestsFor('getActiveJobs').length >= 1);
			},
		);

		await check(
			'4. a credential whose role may not run jobs: no request reaches the simulator',
			async () => {
				const { execution, stdout, stderr } = await execute('ipsAcceptance0005');
				const message = execution?.data?.resultData?.error?.message ?? `${stdout}\n${stderr}`;
				assert.match(message, /role "WebServiceUser" may not run IPS jobs/);
				assert.equal(sim.requests.length, 0);
			},
		);
	} finally {
		await sim.stop();
	}
	const failed = results.filter((r) => !r.ok).length;
	console.log(`n8n acceptance: ${results.length - failed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
