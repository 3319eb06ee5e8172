// `npm run bench:n8n`: the same 1,000-item executeJob workload in a real n8n (set up by
// e2e/with-n8n.sh): this node against n8n's HTTP Request node with a hand-built SOAP envelope,
// what users do today, with the same simulator; execution wall time from n8n's own start and
// stop times, so the CLI's start-up is not counted.
// Appends to bench/RESULTS.md.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeWorkflow, importInto, simulatorCredential } from '../e2e/n8nCli';
import { ipsWorkflow } from '../e2e/workflows';
import { startIpsSimulator } from '../simulator';
import { format, summarise } from './stats';

const ITEMS = Number(process.env.BENCH_N8N_ITEMS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARALLEL = 8;
const JOB = 'j|2101|Nightly publish||';

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

async function main(): Promise<void> {
	const sim = await startIpsSimulator({ runDurationMs: 0 });
	try {
		await importInto('credentials', 'bench-credentials', [
			simulatorCredential('ipsBenchCred0001', 'IPS bench', sim.url),
		]);
		const nodeAt = (parallel: number) =>
			ipsWorkflow({
				id: `ipsBenchNodeP${String(parallel).padStart(3, '0')}`,
				name: `IPS: Execute Job, ${parallel} in parallel`,
				jobs: Array(ITEMS).fill(JOB),
				credentialId: 'ipsBenchCred0001',
				ipsParameters: { options: { maxParallelRequests: parallel } },
			});
		const workflows = {
			http: httpRequestWorkflow(sim.url),
			node8: nodeAt(PARALLEL),
			node32: nodeAt(32),
		};
		for (const workflow of Object.values(workflows))
			await importInto('workflow', workflow.id, workflow);

		// The execution's own start and stop times: all of the node's work, not n8n's CLI start-up.
		const wallMs = async (id: string) => {
			sim.requests.length = 0;
			const { code, stderr, execution } = await executeWorkflow(id);
			const sent = sim.requestsFor('executeJob');
			const ms = Date.parse(execution?.stoppedAt ?? '') - Date.parse(execution?.startedAt ?? '');
			if (code !== 0 || sent.length !== ITEMS || !Number.isFinite(ms)) {
				throw new Error(`${id}: exit ${code}, ${sent.length} requests: ${stderr.slice(-500)}`);
			}
			return ms;
		};
		const times: Record<keyof typeof workflows, number[]> = { http: [], node8: [], node32: [] };
		for (let round = 0; round < ROUNDS; round++) {
			for (const [name, workflow] of Object.entries(workflows)) {
				times[name as keyof typeof workflows].push(await wallMs(workflow.id));
			}
		}
		const [http, node8, node32] = [
			summarise(times.http),
			summarise(times.node8),
			summarise(times.node32),
		];
		const lines = [
			'## 7. In a real n8n: this node vs the HTTP Request node',
			'',
			`\`npm run bench:n8n\`: ${ITEMS.toLocaleString('en')} items, n8n 2.41.1 on Node ${process.version}, the simulator in the same network namespace; execution wall time (n8n's own start and stop times, so the CLI's start-up is left out), median of ${ROUNDS}. The HTTP Request node sends every item's request at once (its "batching" option only spaces out when requests start, it does not limit how many are in flight), so it is compared with this node at ${PARALLEL} and at its maximum of 32 in parallel.`,
			'',
			'| workflow | wall time | ratio |',
			'|---|---|---|',
			`| HTTP Request node, hand-built envelope, all at once (baseline) | ${format(http, 0, ' ms')} | 1.00 |`,
			`| IPS: Execute Job, ${PARALLEL} in parallel | ${format(node8, 0, ' ms')} | ${(node8.median / http.median).toFixed(2)} |`,
			`| IPS: Execute Job, 32 in parallel | ${format(node32, 0, ' ms')} | ${(node32.median / http.median).toFixed(2)} |`,
			'',
		];
		console.log(lines.join('\n'));
		appendFileSync(join(__dirname, '..', '..', 'bench', 'RESULTS.md'), `${lines.join('\n')}\n`);
	} finally {
		await sim.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
