// `npm run bench:n8n`, in a real n8n (set up by e2e/with-n8n.sh), against one simulator on loopback:
// 1. Throughput: a bare undici loop (its own process, the same Node as n8n, keep-alive, the very
//    body the node sends) before and after this node in n8n (Execute Job, 2,000 items, fixed
//    handles), at 1 and 8 in parallel; counted at the server, first to last executeJob, so n8n's
//    start-up is left out (the workflow waits a few seconds first: afterStartUp). Node / bare uses
//    the mean of the two bare runs. The package's client alone (its own process, no n8n) runs in
//    the same round: what is left between it and the node is n8n's process.
// 2. Against what users do today: the same 1,000-item workload through n8n's HTTP Request node with
//    a hand-built envelope; execution wall time from n8n's own start and stop times.
// Appends both tables to bench/RESULTS.md and prints the ratios last.
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { executeWorkflow, importInto, simulatorCredential } from '../e2e/n8nCli';
import { ipsWorkflow } from '../e2e/workflows';
import { IpsSimulator, startIpsSimulator } from '../simulator';
import { printSelfTime, sendWindow } from './profileSummary';
import { format, summarise } from './stats';

const ITEMS = Number(process.env.BENCH_N8N_ITEMS ?? 1_000);
const THROUGHPUT_ITEMS = Number(process.env.BENCH_N8N_THROUGHPUT_ITEMS ?? 2_000);
/** Five: this machine's speed changes by tens of percent from one run to the next (PROFILES.md). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PARALLEL = 8;
const JOB = 'j|2101|Nightly publish||';
const fixedJob = { __rl: true, mode: 'id', value: JOB };
/** Below n8n's 65 s, a Wait node waits in the process (the execution is not saved and resumed). */
const START_UP_SECONDS = 5;
const COMPANY = 'c|2101';
/** `npm run bench:n8n:profile`: one throughput run at 8 in parallel, n8n under `--cpu-prof`. */
const PROFILE_DIR = process.env.BENCH_N8N_PROFILE && resolve(process.env.BENCH_N8N_PROFILE);

/** executeJob requests per second at the server, from its first request to its last. */
function serverThroughput(sim: IpsSimulator, expected: number): number {
	const sent = sim.requestsFor('executeJob');
	if (sent.length !== expected) throw new Error(`${sent.length} executeJob, expected ${expected}`);
	const spanMs = sent[sent.length - 1].receivedAt - sent[0].receivedAt;
	return ((sent.length - 1) / Math.max(1, spanMs)) * 1000;
}

/** A loop child of this folder (its own process, the same Node as n8n): its rate at the server. */
async function loopInChild(
	sim: IpsSimulator,
	script: string,
	args: string[],
	count: number,
): Promise<number> {
	sim.requests.length = 0;
	await promisify(execFile)(process.execPath, [join(__dirname, script), ...args]);
	return serverThroughput(sim, count);
}

function bareLoop(sim: IpsSimulator, bodyFile: string, count: number, parallel: number) {
	return loopInChild(
		sim,
		'bareLoopChild.js',
		[sim.url, bodyFile, String(count), String(parallel)],
		count,
	);
}

/** The package's IpsClient in a loop of its own; it must send what the node sent. */
async function clientLoop(
	sim: IpsSimulator,
	credentialFile: string,
	nodeBody: string,
	count: number,
	parallel: number,
): Promise<number> {
	const args = [credentialFile, String(count), String(parallel), COMPANY, JOB];
	const throughput = await loopInChild(sim, 'clientLoopChild.js', args, count);
	if (sim.requestsFor('executeJob')[0]?.body !== nodeBody)
		throw new Error('the client loop sent another body than the node');
	return throughput;
}

function httpRequestWorkflow(url: string) {
	const workflow = ipsWorkflow({
		id: 'ipsBenchHttp0001',
		name: 'HTTP Request with a hand-built envelope',
		jobs: Array(ITEMS).fill(JOB),
		credentialId: 'ipsBenchCred0001',
	});
	const envelope =
		'=<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>' +
		'<authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>demo@example.com</user><password>demo-password</password><appName>n8n</appName><appVersion>1</appVersion></authHeader>' +
		'</soapenv:Header><soapenv:Body><executeJobParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"><companyHandle>c|2101</companyHandle>' +
		'<jobHandle>{{ $json.jobs }}</jobHandle></executeJobParam></soapenv:Body></soapenv:Envelope>';
	const last = workflow.nodes[3];
	workflow.nodes[3] = {
		id: last.id,
		name: last.name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: last.position,
		parameters: {
			method: 'POST',
			url,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'SOAPAction', value: 'executeJob' }] },
			sendBody: true,
			contentType: 'raw',
			rawContentType: 'text/xml; charset=UTF-8',
			body: envelope,
			options: { response: { response: { responseFormat: 'text' } } },
		},
	} as never;
	return workflow;
}

/**
 * The workflow with a Wait node of a few seconds after its trigger. `n8n execute` starts n8n's task
 * runner (a Node process of its own) alongside the workflow: on two cores, its start-up took a core
 * for about a second, in the middle of the node's requests. Waiting first leaves all of n8n's
 * start-up out of the span counted at the server, as the throughput figure means to.
 */
function afterStartUp<W extends ReturnType<typeof ipsWorkflow>>(workflow: W): W {
	const trigger = workflow.nodes[0].name;
	const wait = {
		id: 'a1b2c3d4-0001-4000-8000-0000000000aa',
		name: 'Let n8n finish starting',
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [110, 160],
		parameters: { amount: START_UP_SECONDS, unit: 'seconds' },
		webhookId: 'a1b2c3d4-0001-4000-8000-0000000000ab',
	};
	return {
		...workflow,
		nodes: [...workflow.nodes, wait as never],
		connections: {
			...workflow.connections,
			[trigger]: { main: [[{ node: wait.name, type: 'main', index: 0 }]] },
			[wait.name]: workflow.connections[trigger],
		},
	};
}

async function main(): Promise<void> {
	const sim = await startIpsSimulator({ runDurationMs: 0 });
	try {
		const credential = simulatorCredential('ipsBenchCred0001', 'IPS bench', sim.url);
		await importInto('credentials', 'bench-credentials', [credential]);
		const nodeAt = (parallel: number, items: number) =>
			ipsWorkflow({
				id: `ipsBenchNode${String(items).padStart(4, '0')}P${String(parallel).padStart(2, '0')}`,
				name: `IPS: Execute Job, ${items} items, ${parallel} in parallel`,
				jobs: Array(items).fill(JOB),
				credentialId: 'ipsBenchCred0001',
				ipsParameters: { jobHandle: fixedJob, options: { maxParallelRequests: parallel } },
			});
		const throughputRuns = [1, PARALLEL].map((parallel) => ({
			parallel,
			workflow: afterStartUp(nodeAt(parallel, THROUGHPUT_ITEMS)),
		}));
		const workflows = {
			http: httpRequestWorkflow(sim.url),
			node8: nodeAt(PARALLEL, ITEMS),
			node32: nodeAt(32, ITEMS),
		};
		for (const workflow of [...Object.values(workflows), ...throughputRuns.map((r) => r.workflow)])
			await importInto('workflow', workflow.id, workflow);

		// The execution's own start and stop times: all of the node's work, not n8n's CLI start-up.
		const run = async (id: string, expected: number) => {
			sim.requests.length = 0;
			const { code, stderr, execution } = await executeWorkflow(id);
			const sent = sim.requestsFor('executeJob');
			const ms = Date.parse(execution?.stoppedAt ?? '') - Date.parse(execution?.startedAt ?? '');
			if (code !== 0 || sent.length !== expected || !Number.isFinite(ms)) {
				throw new Error(`${id}: exit ${code}, ${sent.length} requests: ${stderr.slice(-500)}`);
			}
			return ms;
		};

		if (PROFILE_DIR) {
			const throughputAt8 = throughputRuns[1].workflow.id;
			rmSync(PROFILE_DIR, { recursive: true, force: true });
			process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}`;
			await run(throughputAt8, THROUGHPUT_ITEMS);
			delete process.env.NODE_OPTIONS;
			const { spanMs, byPackage } = sendWindow(PROFILE_DIR);
			console.log(
				`n8n's process while the node sent ${THROUGHPUT_ITEMS} executeJob (${PARALLEL} in parallel, ` +
					`${serverThroughput(sim, THROUGHPUT_ITEMS).toFixed(0)}/s at the server): ${spanMs.toFixed(0)} ms, self time by package`,
			);
			printSelfTime(byPackage);
			return;
		}

		// 1. Throughput. The bare loop replays the body the node sent, byte for byte.
		await run(throughputRuns[0].workflow.id, THROUGHPUT_ITEMS);
		const folder = mkdtempSync(join(tmpdir(), 'ips-bench-'));
		const nodeBody = sim.requestsFor('executeJob')[0].body;
		const bodyFile = join(folder, 'executeJob.xml');
		writeFileSync(bodyFile, nodeBody);
		const credentialFile = join(folder, 'credential.json');
		writeFileSync(credentialFile, JSON.stringify(credential.data));
		const throughput = [];
		for (const { parallel, workflow } of throughputRuns) {
			const bare: number[] = [];
			const client: number[] = [];
			const node: number[] = [];
			const ratio: number[] = [];
			const clientRatio: number[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				const before = await bareLoop(sim, bodyFile, THROUGHPUT_ITEMS, parallel);
				await run(workflow.id, THROUGHPUT_ITEMS);
				const ofNode = serverThroughput(sim, THROUGHPUT_ITEMS);
				const ofClient = await clientLoop(
					sim,
					credentialFile,
					nodeBody,
					THROUGHPUT_ITEMS,
					parallel,
				);
				const after = await bareLoop(sim, bodyFile, THROUGHPUT_ITEMS, parallel);
				const bareMean = (before + after) / 2;
				bare.push(before, after);
				client.push(ofClient);
				node.push(ofNode);
				ratio.push(ofNode / bareMean);
				clientRatio.push(ofClient / bareMean);
			}
			throughput.push({
				parallel,
				bare: summarise(bare),
				client: summarise(client),
				node: summarise(node),
				ratio: summarise(ratio),
				clientRatio: summarise(clientRatio),
			});
		}

		// 2. Against the HTTP Request node.
		const times: Record<keyof typeof workflows, number[]> = { http: [], node8: [], node32: [] };
		for (let round = 0; round < ROUNDS; round++) {
			for (const [name, workflow] of Object.entries(workflows)) {
				times[name as keyof typeof workflows].push(await run(workflow.id, ITEMS));
			}
		}
		const [http, node8, node32] = [
			summarise(times.http),
			summarise(times.node8),
			summarise(times.node32),
		];
		const date = new Date().toISOString().slice(0, 10);
		const lines = [
			'## 7a. In a real n8n: this node vs the wire',
			'',
			`\`npm run bench:n8n\` on ${date}: ${THROUGHPUT_ITEMS.toLocaleString('en')} items through IPS: Execute Job (fixed handles) in n8n 2.41.1 on Node ${process.version}, the simulator on loopback; a bare undici loop (its own process, same Node, keep-alive, the body the node sent) before and after each node run. Throughput in executeJob/s counted at the server from the first request to the last (n8n's start-up left out); node / bare uses the mean of the bare run before and after. In the same round, the package's IPS client alone (its own process, same Node, no n8n, the same body checked byte for byte). Median of ${ROUNDS} (min, max).`,
			'',
			"| parallel | bare undici loop | the package's client alone | this node in n8n | client alone / bare | node / bare |",
			'|---|---|---|---|---|---|',
			...throughput.map(
				(t) =>
					`| ${t.parallel} | ${format(t.bare, 0)} | ${format(t.client, 0)} | ${format(t.node, 0)} | ${format(t.clientRatio, 2)} | **${format(t.ratio, 2)}** |`,
			),
			'',
			'## 7b. In a real n8n: this node vs the HTTP Request node',
			'',
			`${ITEMS.toLocaleString('en')} items, same n8n and simulator; execution wall time (n8n's own start and stop times), median of ${ROUNDS}. The HTTP Request node sends every item's request at once (its "batching" option only spaces out when requests start), so it is compared with this node at ${PARALLEL} and at its maximum of 32 in parallel.`,
			'',
			'| workflow | wall time | ratio |',
			'|---|---|---|',
			`| HTTP Request node, hand-built envelope, all at once (baseline) | ${format(http, 0, ' ms')} | 1.00 |`,
			`| IPS: Execute Job, ${PARALLEL} in parallel | ${format(node8, 0, ' ms')} | ${(node8.median / http.median).toFixed(2)} |`,
			`| IPS: Execute Job, 32 in parallel | ${format(node32, 0, ' ms')} | ${(node32.median / http.median).toFixed(2)} |`,
			'',
		];
		appendFileSync(join(__dirname, '..', '..', 'bench', 'RESULTS.md'), `${lines.join('\n')}\n`);
		console.log(lines.join('\n'));
		// The ratios last.
		for (const t of throughput) {
			console.log(
				`client alone / bare at ${t.parallel} in parallel: ${t.clientRatio.median.toFixed(2)}`,
			);
			console.log(`node / bare at ${t.parallel} in parallel: ${t.ratio.median.toFixed(2)}`);
		}
		console.log(`node (8) / HTTP Request: ${(node8.median / http.median).toFixed(2)}`);
		console.log(`node (32) / HTTP Request: ${(node32.median / http.median).toFixed(2)}`);
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
