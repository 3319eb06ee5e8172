// The README's main job: runs "IPS: Execute Job" through n8n's own engine against the embedded IPS
// simulator (or, when IPS_USER/IPS_PASSWORD/IPS_REGION are set, exactly one job on a real account).
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { closeTransport } from '../nodes/Ips/ips/transport';
import { resolveServiceUrl } from '../nodes/Ips/ips/endpoints';
import { advance, IpsSimulator, startIpsSimulator } from '../simulator';
import { runIpsWorkflow } from '../test/support/engine';

const DEMO_RUN_DURATION_MS = 1_500;

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const line = (row: string[]) =>
		row
			.map((cell, column) => cell.padEnd(widths[column]))
			.join('  ')
			.trimEnd();
	return [
		line(rows[0]),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...rows.slice(1).map(line),
	].join('\n');
}

function outcomeOf(item: INodeExecutionData): string {
	const json = item.json as IDataObject & { error?: string; ipsJob?: IDataObject };
	if (json.error) return `error item: ${json.error}`;
	const job = json.ipsJob;
	if (job?.status) {
		return `${String(job.status)} (${String(job.fileSuccessCount)} ok, ${String(job.fileWarningCount)} warnings, ${String(job.fileErrorCount)} errors of ${String(job.totalFileCount)})`;
	}
	return `started at ${String(job?.executedAt ?? '?')}`;
}

function printItems(title: string, jobs: string[], output: INodeExecutionData[] | undefined): void {
	console.log(`\n${title}`);
	const rows = [['item', 'job', 'came out as']];
	for (const item of output ?? []) {
		const index = (item.pairedItem as { item: number }).item;
		rows.push([String(index), jobs[index], outcomeOf(item)]);
	}
	console.log(table(rows));
}

async function simulatorDemo(): Promise<void> {
	const sim: IpsSimulator = await startIpsSimulator({ runDurationMs: DEMO_RUN_DURATION_MS });
	try {
		const user = sim.state.users[0];
		const credential: ICredentialDataDecryptedObject = {
			user: user.email,
			password: user.password,
			role: user.role,
			region: 'custom',
			serviceUrl: sim.url,
			apiVersion: '2014-04-03',
		};
		console.log(`IPS simulator on ${sim.url} (loopback only), signed in as ${user.email}`);

		const jobs = [
			'j|2101|Nightly publish||',
			'j|2101|Upload from FTP||',
			'j|2101|No such job||',
			'j|2101|Broken metadata feed||',
		];
		const { output, error } = await runIpsWorkflow({
			parameters: {
				companyHandle: {
					__rl: true,
					mode: 'list',
					value: 'c|2101',
					cachedResultName: 'Acme Retail',
				},
				jobHandle: { __rl: true, mode: 'id', value: '={{ $json.job }}' },
				options: { outputField: 'ipsJob' },
			},
			items: jobs.map((job) => ({ job })),
			credential,
			continueOnFail: true,
		});
		if (error) throw new Error(`the workflow failed: ${String(error.message)}`);
		printItems('Workflow 1: Trigger → IPS: Execute Job (4 items, Continue On Fail)', jobs, output);

		const waitedJobs = [
			'j|2101|Nightly publish||',
			'j|2101|Upload from FTP||',
			'j|2101|Broken metadata feed||',
		];
		console.log(
			'\nWorkflow 2: the same node with Wait for Completion (poll every 1 s) — waiting for 3 runs…',
		);
		const waited = await runIpsWorkflow({
			parameters: {
				companyHandle: { __rl: true, mode: 'id', value: 'c|2101' },
				jobHandle: { __rl: true, mode: 'id', value: '={{ $json.job }}' },
				waitForCompletion: true,
				pollIntervalSeconds: 1,
				maxWaitSeconds: 60,
				options: { maxParallelRequests: 3 },
			},
			items: waitedJobs.map((job) => ({ job })),
			credential,
			continueOnFail: true,
		});
		if (waited.error) throw new Error(`the workflow failed: ${String(waited.error.message)}`);
		printItems('Workflow 2 output (status and file counts of each run)', waitedJobs, waited.output);
		const first = waited.output?.[0].json.ipsJob;
		console.log(`\nThe first item's ipsJob field:\n${JSON.stringify(first, null, 2)}`);

		// The failing run, from Wait for Completion's error item, through the IPS node.
		const failedRun = (waited.output?.[2].json.details as IDataObject | undefined)?.ipsJob as
			IDataObject | undefined;
		const problems = await runIpsWorkflow({
			node: 'ips',
			parameters: {
				resource: 'jobRun',
				operation: 'getProblems',
				companyHandle: { __rl: true, mode: 'id', value: 'c|2101' },
				runHandle: { __rl: true, mode: 'id', value: String(failedRun?.runHandle ?? '') },
				problemKind: 'errors',
				returnAll: true,
			},
			items: [{}],
			credential,
		});
		if (problems.error) throw new Error(`the workflow failed: ${String(problems.error.message)}`);
		console.log(
			`\nWorkflow 3: IPS node, Job Run → Get Problems of the failed run ${String(failedRun?.runName)}`,
		);
		const problemRows = [['file', 'log type', 'message']];
		for (const { json } of problems.output ?? [])
			problemRows.push([
				String(json.assetName ?? '(the run)'),
				String(json.logType),
				String(json.message),
			]);
		console.log(table(problemRows));

		advance(sim.state, Date.now());
		printSimulator(sim);
	} finally {
		await sim.stop();
	}
}

function printSimulator(sim: IpsSimulator): void {
	const counts = new Map<string, number>();
	for (const request of sim.requests)
		counts.set(request.operation, (counts.get(request.operation) ?? 0) + 1);
	console.log('\nWhat the simulator saw');
	console.log(
		table([
			['operation', 'requests'],
			...[...counts].map(([operation, n]) => [operation, String(n)]),
		]),
	);
	const runs = [
		...sim.state.runs.map((run) => [run.name, run.type, 'active', '', '']),
		...sim.state.jobLogs.map((log) => [
			log.jobName,
			log.logType,
			log.fatalError ? 'failed' : log.fileWarningCount ? 'done with warnings' : 'done',
			`${log.fileSuccessCount}/${log.totalFileCount}`,
			log.endDate,
		]),
	];
	console.log('\nJob runs and their logs');
	console.log(table([['run', 'type', 'state', 'files ok', 'ended'], ...runs]));
}

async function realAccountDemo(): Promise<void> {
	const {
		IPS_USER,
		IPS_PASSWORD,
		IPS_REGION,
		IPS_COMPANY,
		IPS_JOB,
		IPS_ROLE,
		IPS_ENVIRONMENT,
		IPS_API_VERSION,
	} = process.env;
	if (!IPS_COMPANY || !IPS_JOB) {
		throw new Error(
			'With IPS_USER set, also set IPS_COMPANY and IPS_JOB (the handles of the one job to run).',
		);
	}
	const credential: ICredentialDataDecryptedObject = {
		user: IPS_USER ?? '',
		password: IPS_PASSWORD ?? '',
		role: IPS_ROLE ?? 'IpsUser',
		region: IPS_REGION ?? 'northAmerica',
		environment: IPS_ENVIRONMENT ?? 'production',
		serviceUrl: process.env.IPS_SERVICE_URL ?? '',
		apiVersion: IPS_API_VERSION ?? '2014-04-03',
	};
	const endpoint = resolveServiceUrl({
		region: String(credential.region),
		environment: String(credential.environment),
		serviceUrl: String(credential.serviceUrl),
	});
	console.log(
		`Real IPS account: running job "${IPS_JOB}" of company "${IPS_COMPANY}" ONCE, on ${endpoint}, as ${IPS_USER}.`,
	);
	const { output, error } = await runIpsWorkflow({
		parameters: {
			companyHandle: { __rl: true, mode: 'id', value: IPS_COMPANY },
			jobHandle: { __rl: true, mode: 'id', value: IPS_JOB },
			options: { outputField: 'ipsJob' },
		},
		items: [{ job: IPS_JOB }],
		credential,
		continueOnFail: true,
	});
	if (error) throw new Error(String(error.message));
	printItems('The one item', [IPS_JOB], output);
}

async function main(): Promise<void> {
	if (process.env.IPS_USER) await realAccountDemo();
	else await simulatorDemo();
}

main()
	.then(() => closeTransport())
	.then(() => process.exit(0))
	.catch((error: unknown) => {
		console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
