// `npm run test:queue`: the packed package in n8n's queue mode, on loopback only: Redis and
// PostgreSQL started here on free ports, one main instance and two workers sharing the installed
// package. Checks 40 concurrent webhook executions with Wait for Completion, the IPS Trigger firing
// once per ended run, and records what a worker crash does to an item that waits.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
	chmodSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readdirSync,
	rmSync,
} from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { IpsSimulator, startIpsSimulator } from '../simulator';
import { check, runSuite } from './checks';
import { importInto, n8n, simulatorCredential, startN8n, until } from './n8nCli';
import { ipsTriggerWorkflow, webhookWaitWorkflow } from './workflows';

const CALLS = 40;
const n8nBin = process.env.N8N_BIN ?? 'n8n';

async function freePort(): Promise<number> {
	const server = createTcpServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

const children: ChildProcess[] = [];
function start(command: string, args: string[], env: NodeJS.ProcessEnv, log: string): ChildProcess {
	const out = openSync(log, 'a');
	const child = spawn(command, args, { env, stdio: ['ignore', out, out] });
	children.push(child);
	return child;
}

async function stopAll(): Promise<void> {
	await Promise.all(
		children.map(async (child) => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const exited = new Promise((resolve) => child.once('exit', resolve));
			const timeout = new Promise((resolve) => setTimeout(resolve, 15_000));
			if ((await Promise.race([exited.then(() => true), timeout.then(() => false)])) === false)
				child.kill('SIGKILL');
		}),
	);
}

/** PostgreSQL in a folder of its own, run as the `postgres` user (it refuses root). */
async function startPostgres(dir: string): Promise<number> {
	const bin = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql')[0], 'bin');
	const data = join(dir, 'pg');
	mkdirSync(data, { recursive: true });
	chmodSync(dir, 0o755);
	execFileSync('chown', ['-R', 'postgres', data]);
	execFileSync(
		'runuser',
		['-u', 'postgres', '--', join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'n8n'],
		{
			stdio: 'ignore',
		},
	);
	const port = await freePort();
	start(
		'runuser',
		[
			'-u',
			'postgres',
			'--',
			join(bin, 'postgres'),
			'-D',
			data,
			'-p',
			String(port),
			'-k',
			data,
			'-c',
			'listen_addresses=127.0.0.1',
		],
		process.env,
		join(dir, 'postgres.log'),
	);
	const ready = () =>
		spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' })
			.status === 0;
	await until(ready, 60_000, 'PostgreSQL to accept connections');
	return port;
}

/** A loopback server that counts the trigger's reports (one POST per firing). */
async function firingsServer(): Promise<{ server: Server; url: string; fired: string[] }> {
	const fired: string[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			fired.push(String((JSON.parse(body || '{}') as { runName?: string }).runName));
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, fired, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fired` };
}

async function main(): Promise<void> {
	const dir = mkdtempSync('/tmp/n8n-ips-queue-');
	const sim: IpsSimulator = await startIpsSimulator({ runDurationMs: 3_000 });
	const hook = await firingsServer();
	/** Set by check 2 for check 4: the runs that ended, and the trigger's polls when all had fired. */
	let endedRuns: string[] = [];
	let pollsWhenAllFired = 0;
	try {
		// 40 scheduled jobs of their own, so each execution's run is told by its job.
		const template = sim.state.scheduledJobs.find((job) => job.name === 'Nightly publish')!;
		const jobs = Array.from(
			{ length: CALLS },
			(_, i) => `Queue job ${String(i + 1).padStart(2, '0')}`,
		);
		for (const name of jobs)
			sim.state.scheduledJobs.push({
				...template,
				name,
				jobHandle: `j|2101|${name}||`,
				runDurationMs: 3_000,
			});
		sim.state.scheduledJobs.push({
			...template,
			name: 'Long job',
			jobHandle: 'j|2101|Long job||',
			runDurationMs: 60_000,
		});

		const redisPort = await freePort();
		start(
			'redis-server',
			[
				'--port',
				String(redisPort),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				dir,
			],
			process.env,
			join(dir, 'redis.log'),
		);
		const pgPort = await startPostgres(dir);
		const queueEnv: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		Object.assign(process.env, queueEnv);
		console.log(`[queue] Redis on ${redisPort}, PostgreSQL on ${pgPort}, simulator on ${sim.url}`);

		await importInto('credentials', 'credentials', [
			simulatorCredential('ipsQueueCred0001', 'IPS queue', sim.url),
		]);
		const webhook = webhookWaitWorkflow({
			id: 'ipsQueueWebhook01',
			credentialId: 'ipsQueueCred0001',
			path: 'ips-run',
		});
		const trigger = ipsTriggerWorkflow({
			id: 'ipsQueueTrigger01',
			credentialId: 'ipsQueueCred0001',
			hookUrl: hook.url,
		});
		await importInto('workflow', 'workflows', [webhook, trigger]);
		for (const workflow of [webhook, trigger]) {
			const published = await n8n(['publish:workflow', `--id=${workflow.id}`]);
			assert.equal(published.code, 0, published.stderr || published.stdout);
		}

		const mainPort = await freePort();
		const main = await startN8n(mainPort, {
			...queueEnv,
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		});
		const workerLogs: string[] = [];
		const workers: ChildProcess[] = [];
		for (let w = 0; w < 2; w++) {
			const log = join(dir, `worker-${w + 1}.log`);
			workerLogs.push(log);
			workers.push(
				start(
					n8nBin,
					['worker', '--concurrency=30'],
					{
						...process.env,
						...queueEnv,
						N8N_LOG_LEVEL: 'info',
						N8N_RUNNERS_BROKER_PORT: String(await freePort()),
						QUEUE_HEALTH_CHECK_ACTIVE: 'false',
					},
					log,
				),
			);
		}
		const started = (w: number) =>
			(readFileSync(workerLogs[w], 'utf8').match(/started execution/gi) ?? []).length;
		await until(
			() => workerLogs.every((log) => /ready|listening|started/i.test(readFileSync(log, 'utf8'))),
			120_000,
			'workers to start',
		);
		// The trigger's activation poll remembers what had ended: nothing fires for it.
		await until(
			() => sim.requestsFor('getJobLogs').length > 0,
			120_000,
			'the trigger to poll once',
		);

		await check(
			`1. ${CALLS} concurrent webhook executions, each its own run, spread over both workers`,
			async () => {
				const answers = await Promise.all(
					jobs.map(async (name) => {
						const response = await fetch(`${main.base}/webhook/ips-run`, {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify({ job: `j|2101|${name}||` }),
							signal: AbortSignal.timeout(180_000),
						});
						return {
							name,
							status: response.status,
							body: (await response.json()) as Record<string, unknown>,
						};
					}),
				);
				const executeJobs = sim.requestsFor('executeJob');
				const perWorker = [started(0), started(1)];
				console.log(
					`       executions per worker: ${perWorker.join(' and ')}; executeJob per execution: ${executeJobs.length / CALLS}`,
				);
				for (const { name, status, body } of answers) {
					assert.equal(status, 200, `${name}: HTTP ${status} ${JSON.stringify(body)}`);
					const run = body.ipsJob as Record<string, unknown> | undefined;
					assert.equal(run?.status, 'succeeded', `${name}: ${JSON.stringify(body)}`);
					// The run reported is this execution's own: the run of the job it named.
					const simRun = sim.state.runHistory.find((r) => r.name === run?.runName);
					assert.equal(simRun?.originalName, name);
				}
				assert.equal(executeJobs.length, CALLS);
				assert.equal(
					new Set(answers.map((a) => (a.body.ipsJob as { runHandle?: string }).runHandle)).size,
					CALLS,
				);
				assert.ok(
					perWorker.every((count) => count > 0),
					`both workers execute: ${perWorker.join(', ')}`,
				);
			},
		);

		await check(
			'2. the IPS Trigger fires exactly once per ended run (main instance polls, two workers up)',
			async () => {
				const ended = sim.state.runHistory
					.filter((run) => run.originalName.startsWith('Queue job'))
					.map((run) => run.name);
				await until(
					() => ended.every((name) => hook.fired.includes(name)),
					150_000,
					'a firing for every ended run',
				);
				endedRuns = ended;
				pollsWhenAllFired = sim.requestsFor('getJobLogs').length;
			},
		);

		await check(
			'3. a worker killed while its item waits for a run (recorded, n8n decides)',
			async () => {
				const before = [started(0), started(1)];
				const answer = fetch(`${main.base}/webhook/ips-run`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ job: 'j|2101|Long job||' }),
					signal: AbortSignal.timeout(150_000),
				}).then(
					async (response) => `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`,
					(error: unknown) => `no answer: ${(error as Error).message}`,
				);
				await until(
					() => started(0) > before[0] || started(1) > before[1],
					60_000,
					'a worker to take the execution',
				);
				const victim = started(0) > before[0] ? 0 : 1;
				await until(
					() =>
						sim.requestsFor('executeJob').some((r) => r.params.jobHandle === 'j|2101|Long job||'),
					30_000,
					'the job to start',
				);
				workers[victim].kill('SIGKILL');
				console.log(
					`       killed worker ${victim + 1} while its item waited for the run of "Long job"`,
				);
				console.log(`       the webhook caller got: ${await answer}`);
				console.log(
					`       executeJob for "Long job": ${sim.requestsFor('executeJob').filter((r) => r.params.jobHandle === 'j|2101|Long job||').length} (never started twice)`,
				);
				assert.equal(
					sim.requestsFor('executeJob').filter((r) => r.params.jobHandle === 'j|2101|Long job||')
						.length,
					1,
				);
			},
		);
		// After check 3 (its run lasts a minute and cannot end meanwhile), so its time overlaps the wait
		// for the trigger's next poll (n8n polls every minute).
		await check('4. the IPS Trigger, a poll later: still exactly once per ended run', async () => {
			await until(
				() => sim.requestsFor('getJobLogs').length > pollsWhenAllFired,
				90_000,
				'one more poll',
			);
			await new Promise((resolve) => setTimeout(resolve, 5_000));
			const perRun = endedRuns.map((name) => hook.fired.filter((fired) => fired === name).length);
			console.log(
				`       trigger firings per ended run: ${[...new Set(perRun)].join(', ')} (${hook.fired.length} in all for ${endedRuns.length} runs)`,
			);
			assert.deepEqual([...new Set(perRun)], [1]);
			// Check 3's run may have ended meanwhile (and fired once); nothing fires for a run still going.
			for (const name of hook.fired) {
				const run = sim.state.runHistory.find((candidate) => candidate.name === name);
				assert.ok(run && run.endsAtMs <= Date.now(), `fired for ${name}, which has not ended`);
			}
		});
		await main.stop();
	} finally {
		await stopAll();
		hook.server.close();
		await sim.stop();
		if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
	}
}

runSuite('n8n queue mode', main);
