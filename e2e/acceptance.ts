// The acceptance run in a real n8n: imports a credential and workflows, runs each with
// `n8n execute`, and checks the execution JSON and what the IPS simulator received.
// Started by e2e/test-n8n.sh, which installed the packed package into N8N_USER_FOLDER.
import assert from 'node:assert/strict';
import { IpsSimulator, startIpsSimulator } from '../simulator';
import { check, runSuite, sayOnlySchedulesLeft } from './checks';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import {
	executeWorkflow,
	ExecutionJson,
	importInto,
	n8n,
	nodeOutput,
	simulatorCredential,
	startN8n,
	until,
} from './n8nCli';
import { IPS_NODE, ipsNodeChain, ipsTriggerWorkflow, ipsWorkflow } from './workflows';

const NIGHTLY = 'j|2101|Nightly publish||';
const FTP = 'j|2101|Upload from FTP||';
const BROKEN = 'j|2101|Broken metadata feed||';
const OUTLET_IN_2101 = 'j|2101|Price & <Promo> "Q4" \'s\' ]]> Größe ||';

const company = { __rl: true, mode: 'id', value: 'c|2101' };

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
			...[
				['ipsAcceptance0010', 20],
				['ipsAcceptance0011', 3],
			].map(([id, maxWaitSeconds]) =>
				ipsWorkflow({
					id: String(id),
					name: `Wait for Completion (Max Wait ${maxWaitSeconds} s), final log rows written late`,
					jobs: [NIGHTLY, BROKEN],
					credentialId: 'ipsCredential0001',
					ipsParameters: {
						waitForCompletion: true,
						pollIntervalSeconds: 1,
						maxWaitSeconds,
						failOnJobErrors: false,
					},
				}),
			),
			ipsWorkflow({
				id: 'ipsAcceptance0005',
				name: 'Role may not run jobs',
				jobs: [NIGHTLY],
				credentialId: 'ipsCredential0002',
			}),
			ipsNodeChain({
				id: 'ipsAcceptance0006',
				name: 'Stop what is running',
				credentialId: 'ipsCredential0001',
				steps: [
					{
						name: 'Active runs',
						parameters: { resource: 'jobRun', operation: 'getActive', companyHandle: company },
					},
					{
						name: 'Stop each',
						parameters: {
							resource: 'jobRun',
							operation: 'stop',
							companyHandle: company,
							runHandle: { __rl: true, mode: 'id', value: '={{ $json.runHandle }}' },
							waitUntilStopped: true,
							maxWaitSeconds: 30,
						},
					},
				],
			}),
			ipsNodeChain({
				id: 'ipsAcceptance0012',
				name: 'The state of each active run',
				credentialId: 'ipsCredential0001',
				steps: [
					{
						name: 'Active runs',
						parameters: { resource: 'jobRun', operation: 'getActive', companyHandle: company },
					},
					{
						name: 'Run state',
						parameters: {
							resource: 'jobRun',
							operation: 'get',
							companyHandle: company,
							runHandle: { __rl: true, mode: 'id', value: '={{ $json.runHandle }}' },
						},
					},
				],
			}),
			ipsNodeChain({
				id: 'ipsAcceptance0007',
				name: 'Failed files of a run',
				credentialId: 'ipsCredential0001',
				steps: [
					{
						name: 'Failed runs',
						parameters: {
							resource: 'jobRun',
							operation: 'getHistory',
							companyHandle: company,
							limit: 1,
							filters: { status: 'failed' },
						},
					},
					{
						name: 'Failed files',
						parameters: {
							resource: 'jobRun',
							operation: 'getProblems',
							companyHandle: company,
							runHandle: { __rl: true, mode: 'id', value: '={{ $json.runHandle }}' },
							returnAll: true,
						},
					},
				],
			}),
			ipsNodeChain({
				id: 'ipsAcceptance0009',
				name: 'Upload new product images and publish them',
				credentialId: 'ipsCredential0001',
				rows: [
					{ image: 'https://pim.example.com/img/shoe-1.jpg', path: 'products/shoe-1.jpg' },
					{
						image: 'https://pim.example.com/img/shoe-2.jpg?v=2&size=xl',
						path: 'products/shoe-2.jpg',
					},
					{ image: 'https://pim.example.com/img/shoe-3.jpg', path: 'products/Shoe & Co 3.jpg' },
				],
				steps: [
					{
						name: 'Upload and publish',
						parameters: {
							resource: 'job',
							operation: 'uploadFromUrls',
							companyHandle: company,
							sourceUrl: '={{ $json.image }}',
							destPath: '={{ $json.path }}',
							publishAfterUpload: true,
							waitForCompletion: true,
							pollIntervalSeconds: 1,
							maxWaitSeconds: 60,
						},
					},
				],
			}),
		];
		// One import for all of them: every n8n CLI call starts n8n (seconds).
		await importInto('workflow', 'workflows', workflows);
		const execute = (id: string) => {
			sim.requests.length = 0;
			return executeWorkflow(id);
		};

		await check(
			'1. three items from expressions pass through unchanged, paired, one executeJob each',
			async () => {
				const { execution, stdout, stderr } = await execute('ipsAcceptance0001');
				const items = nodeOutput(execution, IPS_NODE);
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
				const items = nodeOutput(execution, IPS_NODE);
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
				const runs = nodeOutput(execution, IPS_NODE).map(
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
			'3b. runs listed Done before their final log row: the fatal run is failed with the final counts; a row never completed is unknown at Max Wait',
			async () => {
				const jobs = sim.state.scheduledJobs.filter((job) =>
					[NIGHTLY, BROKEN].includes(job.jobHandle),
				);
				const runOf = (execution: ExecutionJson | undefined) =>
					nodeOutput(execution, IPS_NODE).map(
						(item) => item.json.ipsJob as Record<string, unknown>,
					);
				try {
					for (const job of jobs)
						Object.assign(job, { finalLogDelayMs: 1_200, doneLingerMs: 2_500 });
					const final = runOf((await execute('ipsAcceptance0010')).execution);
					assert.deepEqual(
						final.map((r) => [r.status, r.fatalError, r.fileSuccessCount, r.fileErrorCount]),
						[
							['succeeded', false, 120, 0],
							['failed', true, 0, 8],
						],
					);
					for (const job of jobs)
						Object.assign(job, { finalLogDelayMs: 1e12, doneLingerMs: 60_000 });
					const started = Date.now();
					const never = runOf((await execute('ipsAcceptance0011')).execution);
					assert.deepEqual(
						never.map((r) => [
							r.status,
							r.fatalError,
							(r.countsSoFar as { fatalError?: boolean })?.fatalError,
						]),
						[
							['unknown', null, false],
							['unknown', null, false],
						],
					);
					assert.match(String(never[1].message), /its job log had not been written in full/);
					// Max Wait 3 s plus n8n's own start-up, never the runs' 60 s of lingering.
					assert.ok(Date.now() - started < 30_000);
				} finally {
					for (const job of jobs) Object.assign(job, { finalLogDelayMs: 0, doneLingerMs: 0 });
					// Its runs end now and get their final rows: the checks after it see none of them.
					const names = jobs.map((job) => job.name);
					for (const run of [...sim.state.runs, ...sim.state.runsAwaitingFinalLog])
						if (names.includes(run.originalName))
							Object.assign(run, { finalLogDelayMs: 0, leavesAtMs: Date.now() });
				}
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

		await check('5. IPS node: Get Active → Stop (waiting until stopped)', async () => {
			sim.state.scheduledJobs.forEach((job) => (job.runDurationMs = 120_000));
			const client = sim.state.scheduledJobs.filter((job) => job.companyHandle === 'c|2101');
			const { startRun } = await import('../simulator/state');
			for (const job of client.slice(0, 2)) startRun(sim.state, job, Date.now());
			const { execution } = await execute('ipsAcceptance0006');
			const stopped = nodeOutput(execution, 'Stop each').map(
				(item) => item.json.ipsJobRun as Record<string, unknown>,
			);
			assert.equal(stopped.length, 2);
			assert.deepEqual(
				stopped.map((run) => [run.state, run.status]),
				[
					['stopped', 'failed'],
					['stopped', 'failed'],
				],
			);
			assert.equal(sim.requestsFor('stopJob').length, 2);
		});

		await check('6. IPS node: Get History (failed) → Get Problems, the failed files', async () => {
			const broken = sim.state.scheduledJobs.find((job) => job.name === 'Broken metadata feed')!;
			broken.runDurationMs = 0;
			const { startRun } = await import('../simulator/state');
			startRun(sim.state, broken, Date.now() - 1_000);
			const { execution } = await execute('ipsAcceptance0007');
			const problems = nodeOutput(execution, 'Failed files').map((item) => item.json);
			assert.equal(problems.length, 9);
			assert.deepEqual(
				problems
					.filter((p) => p.assetName)
					.map((p) => [p.severity, p.logType])
					.slice(0, 1),
				[['error', 'MetadataFailure']],
			);
		});

		await check(
			'6a. IPS node: Job Run → Get, the state of a running run by its handle',
			async () => {
				const nightly = sim.state.scheduledJobs.find((job) => job.name === 'Nightly publish')!;
				const { startRun } = await import('../simulator/state');
				const running = startRun(sim.state, { ...nightly, runDurationMs: 60_000 }, Date.now())!;
				try {
					const { execution } = await execute('ipsAcceptance0012');
					const states = nodeOutput(execution, 'Run state').map((item) => item.json);
					const mine = states.find((state) => state.runHandle === running.jobHandle);
					assert.ok(mine, `no state for ${running.jobHandle}: ${JSON.stringify(states)}`);
					assert.equal(mine.status, 'running');
					assert.equal(mine.runName, running.name);
				} finally {
					running.endsAtMs = running.leavesAtMs = Date.now();
				}
			},
		);

		await check(
			'6b. IPS node: Upload From URLs, three URLs with a post-publish, waited for',
			async () => {
				const { execution } = await execute('ipsAcceptance0009');
				const files = nodeOutput(execution, 'Upload and publish').map(
					(item) =>
						item.json.ipsJob as { status: string; destPath: string; job: { jobName: string } },
				);
				assert.deepEqual(
					files.map((file) => [file.status, file.destPath]),
					[
						['uploaded', 'products/shoe-1.jpg'],
						['uploaded', 'products/shoe-2.jpg'],
						['uploaded', 'products/Shoe & Co 3.jpg'],
					],
				);
				const submits = sim.requestsFor('submitJob');
				assert.equal(submits.length, 1, 'one job for the three items, submitted once');
				assert.ok(submits[0].body.includes('<postImageServingPublishJob>'));
				const { jobName } = files[0].job;
				// The publish IPS runs after the upload: let it end before the trigger check starts.
				await until(
					() =>
						sim.state.runHistory.some(
							(r) =>
								r.originalName === jobName &&
								r.type === 'ImageServingPublish' &&
								r.endsAtMs < Date.now(),
						),
					15_000,
					'the post-publish run to end',
				);
			},
		);

		sayOnlySchedulesLeft();
		await check(
			'7. IPS Trigger, active in `n8n start`: fires once for a run that ends',
			async () => {
				// The workflow reports each firing to a loopback server of this script.
				const fired: string[] = [];
				const hook = createServer((req, res) => {
					let body = '';
					req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
					req.on('end', () => {
						fired.push(String((JSON.parse(body || '{}') as { runName?: string }).runName));
						res.end('ok');
					});
				});
				await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
				const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/fired`;
				const workflow = ipsTriggerWorkflow({
					id: 'ipsAcceptance0008',
					credentialId: 'ipsCredential0001',
					hookUrl,
				});
				await importInto('workflow', workflow.id, workflow);
				const published = await n8n(['publish:workflow', `--id=${workflow.id}`]);
				assert.equal(published.code, 0, published.stderr || published.stdout);
				const server = await startN8n(Number(process.env.ACCEPTANCE_N8N_PORT ?? 5689));
				try {
					const polls = () => sim.requestsFor('getJobLogs').length;
					// Activation polls once and remembers what had already ended: nothing fires for it.
					await until(() => polls() > 0, 120_000, 'the trigger never polled');
					const nightly = sim.state.scheduledJobs.find((job) => job.name === 'Nightly publish')!;
					nightly.runDurationMs = 1_000;
					const { startRun } = await import('../simulator/state');
					const run = startRun(sim.state, nightly, Date.now())!;
					await until(
						() => fired.includes(run.name),
						150_000,
						'the trigger did not fire for the run',
					);
					const pollsAfterFiring = polls();
					await until(() => polls() > pollsAfterFiring, 90_000, 'no poll after the firing');
					await new Promise((resolve) => setTimeout(resolve, 3_000));
					assert.deepEqual(fired, [run.name]);
				} finally {
					await server.stop();
					hook.close();
				}
			},
		);
	} finally {
		await sim.stop();
	}
}

runSuite('n8n acceptance', main);
