// The workflows of examples/ in a real n8n, as a user would run them: each is imported unchanged
// but for its Settings node (a chat webhook and a sheet on loopback, a short check interval) and
// the credential, which is the simulator's under the id the examples name. Also: the IPS nodes as
// tools of an AI Agent, with a stand-in model on loopback that records what a model would see.
// Started by e2e/with-n8n.sh (`npm run test:n8n`), beside e2e/acceptance.ts, with a simulator of
// its own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startIpsSimulator } from '../simulator';
import { check, runSuite, sayOnlySchedulesLeft } from './checks';
import { findProjectFile } from '../simulator/files';
import { SimRun, startRun } from '../simulator/state';
import {
	executeWorkflow,
	importInto,
	n8n,
	nodeOutput,
	simulatorCredential,
	startN8n,
	until,
	waitingExecution,
	finishedExecution,
} from './n8nCli';
import { agentWorkflow, AGENT_TOOLS } from './workflows';

const EXAMPLES = join(findProjectFile('package.json'), '..', 'examples');
/** The credential id every example names: importing the simulator's under it is the swap. */
const EXAMPLE_CREDENTIAL_ID = 'ipsApiCredential';
const NIGHTLY = 'Nightly publish';
const BROKEN = 'Broken metadata feed';
const HOUR_MS = 3_600_000;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Workflow = {
	id?: string;
	name: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
};

/** An example as a user imports it, with its Settings node's values replaced by `settings`. */
function example(file: string, id: string, settings: Record<string, unknown>): Workflow {
	const workflow = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
	const node = workflow.nodes.find((n) => n.name === 'Settings');
	const assignments = (
		node?.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
	).assignments;
	for (const [name, value] of Object.entries(settings)) {
		const assignment = assignments.find((a) => a.name === name);
		assert.ok(assignment, `${file}: Settings has no ${name}`);
		assignment.value = value;
	}
	return { ...workflow, id };
}

/** Loopback: the chat webhook (records each message) and the sheet (a CSV file). */
async function startLoopback(sheetCsv: string) {
	const messages: string[] = [];
	const modelRequests: Array<Record<string, unknown>> = [];
	let answerModel: (body: Record<string, unknown>) => unknown = () => ({});
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			if (req.url === '/sheet.csv') {
				res.setHeader('content-type', 'text/csv');
				res.end(sheetCsv);
			} else if (req.url === '/chat') {
				messages.push(String((JSON.parse(body) as { text?: unknown }).text));
				res.end('ok');
			} else if (req.url?.startsWith('/v1/chat/completions')) {
				const request = JSON.parse(body) as Record<string, unknown>;
				modelRequests.push(request);
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify(answerModel(request)));
			} else {
				res.statusCode = 404;
				res.end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		base,
		messages,
		modelRequests,
		onModelRequest: (answer: typeof answerModel) => (answerModel = answer),
		close: () => server.close(),
	};
}

/** A chat completion as OpenAI's API answers it: a tool call, or the final text. */
function completion(message: Record<string, unknown>, finishReason: string) {
	return {
		id: `chatcmpl-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: 'stand-in',
		choices: [
			{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason },
		],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

async function main(): Promise<void> {
	const sim = await startIpsSimulator({ runDurationMs: 1_500 });
	sim.state.failingSourceUrls.push('https://pim.example.com/img/missing.jpg');
	const loopback = await startLoopback(
		[
			'sku,image_url',
			'shoe-1,https://pim.example.com/img/shoe-1.jpg',
			'"shoe-2","https://pim.example.com/img/shoe-2.jpg?v=2&size=xl"',
			'gone,https://pim.example.com/img/missing.jpg',
		].join('\r\n'),
	);
	const chat = `${loopback.base}/chat`;
	const job = (name: string) => sim.state.scheduledJobs.find((j) => j.name === name)!;
	const runsOf = (name: string) => sim.state.runHistory.filter((r) => r.originalName === name);
	try {
		await importInto('credentials', 'credentials', [
			simulatorCredential(EXAMPLE_CREDENTIAL_ID, 'IPS API account', sim.url),
			{
				id: 'standInModel0001',
				name: 'Stand-in model',
				type: 'openAiApi',
				data: { apiKey: 'sk-stand-in', url: `${loopback.base}/v1` },
			},
		]);
		await importInto('workflow', 'examples', [
			example('nightly-run-report.json', 'ipsExample000001', { chatWebhookUrl: chat }),
			example('upload-from-sheet-then-publish.json', 'ipsExample000002', {
				sheetCsvUrl: `${loopback.base}/sheet.csv`,
			}),
			example('stop-long-publish.json', 'ipsExample000003', { chatWebhookUrl: chat }),
			// 1.1 minutes: n8n keeps a wait of over 65 s in its database, not in memory.
			example('wait-for-a-long-run.json', 'ipsExample000004', { checkEveryMinutes: 1.1 }),
			example('alert-on-failed-files.json', 'ipsExample000005', { chatWebhookUrl: chat }),
			agentWorkflow({
				id: 'ipsExample000006',
				credentialId: EXAMPLE_CREDENTIAL_ID,
				modelCredentialId: 'standInModel0001',
			}),
		]);

		await check(
			'E1. nightly report: the runs of the last day by outcome, failed ones named',
			async () => {
				const now = Date.now();
				for (const [name, startMs] of [
					[NIGHTLY, now - 3 * HOUR_MS],
					['Upload from FTP', now - 2 * HOUR_MS],
					[BROKEN, now - HOUR_MS],
					[BROKEN, now - 30 * HOUR_MS],
				] as const)
					startRun(sim.state, { ...job(name), runDurationMs: 60_000 }, startMs);
				const [failedToday, failedYesterday] = runsOf(BROKEN).map((r) => r.name);
				loopback.messages.length = 0;
				const { execution } = await executeWorkflow('ipsExample000001');
				assert.equal(execution?.data?.resultData?.error, undefined);
				assert.equal(loopback.messages.length, 1, `messages: ${JSON.stringify(loopback.messages)}`);
				const [text] = loopback.messages;
				assert.match(
					text,
					/^IPS job runs in the last 24 hours: 3 \(1 succeeded, 1 with warnings, 1 failed\)\./,
				);
				assert.ok(text.includes(`• ${failedToday}: `), text);
				assert.ok(!text.includes(failedYesterday), `a run of 30 hours ago is in: ${text}`);
			},
		);

		await check(
			'E2. upload from a sheet, then publish: one job, each row its own outcome',
			async () => {
				sim.requests.length = 0;
				const { execution } = await executeWorkflow('ipsExample000002');
				const rows = nodeOutput(execution, 'Outcome per row').map((item) => item.json);
				assert.deepEqual(
					rows.map((row) => [row.sku, row.status, row.destPath]),
					[
						['shoe-1', 'uploaded', 'products/shoe-1.jpg'],
						['shoe-2', 'uploaded', 'products/shoe-2.jpg'],
						['gone', 'failed', 'products/gone.jpg'],
					],
				);
				assert.match(String(rows[2].message), /missing\.jpg/);
				const submits = sim.requestsFor('submitJob');
				assert.equal(submits.length, 1, 'the three rows go into one upload job');
				assert.ok(submits[0].body.includes('<postImageServingPublishJob>'), 'published after');
				assert.ok(submits[0].body.includes('shoe-2.jpg?v=2&amp;size=xl'));
			},
		);

		await check(
			'E3. stop a long publish: only the publish past its hours is stopped, and said',
			async () => {
				const now = Date.now();
				const long = { runDurationMs: 10 * HOUR_MS };
				const old = startRun(sim.state, { ...job(NIGHTLY), ...long }, now - 3 * HOUR_MS)!;
				const oldUpload = startRun(
					sim.state,
					{ ...job('Upload from FTP'), ...long },
					now - 3 * HOUR_MS,
				)!;
				const recent = startRun(
					sim.state,
					{ ...job('Price & <Promo> "Q4" \'s\' ]]> Größe'), ...long },
					now,
				)!;
				try {
					sim.requests.length = 0;
					loopback.messages.length = 0;
					const { execution } = await executeWorkflow('ipsExample000003');
					assert.equal(execution?.data?.resultData?.error, undefined);
					assert.deepEqual(
						sim.requestsFor('stopJob').map((r) => r.params.jobHandle),
						[old.jobHandle],
					);
					assert.equal(loopback.messages.length, 1);
					assert.match(
						loopback.messages[0],
						new RegExp(`^Stopped the IPS publish ${escape(old.name)}: .*Now: stopped, failed\\.$`),
					);
				} finally {
					for (const run of [old, oldUpload, recent]) run.endsAtMs = run.leavesAtMs = Date.now();
				}
			},
		);

		await check('E4. AI Agent: the IPS tools a model sees, and a read it asks for', async () => {
			const active = startRun(sim.state, { ...job(NIGHTLY), runDurationMs: 120_000 }, Date.now())!;
			try {
				sim.requests.length = 0;
				loopback.modelRequests.length = 0;
				loopback.onModelRequest((request) => {
					const messages = request.messages as Array<{ role: string; content?: string }>;
					const toolAnswer = messages.find((m) => m.role === 'tool');
					if (!toolAnswer)
						return completion(
							{
								content: null,
								tool_calls: [
									{
										id: 'call_1',
										type: 'function',
										function: { name: 'Active_runs', arguments: '{"companyHandle":"c|2101"}' },
									},
								],
							},
							'tool_calls',
						);
					return completion({ content: `Seen: ${toolAnswer.content ?? ''}` }, 'stop');
				});
				const { execution } = await executeWorkflow('ipsExample000006');
				assert.equal(execution?.data?.resultData?.error, undefined);
				const [first] = loopback.modelRequests;
				const tools = (first?.tools ?? []) as Array<{
					function: {
						name: string;
						description: string;
						parameters: { properties: object };
					};
				}>;
				const byName = Object.fromEntries(tools.map((t) => [t.function.name, t.function]));
				assert.deepEqual(Object.keys(byName).sort(), AGENT_TOOLS.map((t) => t.toolName).sort());
				for (const tool of AGENT_TOOLS) {
					const seen = byName[tool.toolName];
					assert.equal(seen.description, tool.description, tool.toolName);
					assert.deepEqual(
						Object.keys(seen.parameters.properties).sort(),
						[...tool.arguments].sort(),
					);
				}
				// The read the model asked for ran against IPS, and its answer went back to the model.
				assert.equal(loopback.modelRequests.length, 2);
				const output = String(nodeOutput(execution, 'AI Agent')[0]?.json.output);
				assert.ok(output.includes(active.jobHandle), output);
				assert.equal(sim.requestsFor('executeJob').length, 0, 'nothing was started');
			} finally {
				active.endsAtMs = active.leavesAtMs = Date.now();
			}
		});

		// E5 starts here and ends in E6's n8n: its wait outlives the n8n that started it.
		let longRunExecutionId = '';
		let longRun: SimRun | undefined;
		await check(
			'E5. a run of hours: started once, the execution waits (saved) and its n8n exits',
			async () => {
				// Longer than the first Wait: the loop goes round once (running), then ends (succeeded).
				job(NIGHTLY).runDurationMs = 150_000;
				const before = runsOf(NIGHTLY).length;
				const { execution } = await executeWorkflow('ipsExample000004');
				const started = runsOf(NIGHTLY).slice(before);
				assert.equal(started.length, 1, 'one run started');
				longRun = started[0];
				assert.equal(execution?.status, 'waiting', `status: ${execution?.status}`);
				assert.equal(nodeOutput(execution, 'Its run')[0]?.json.runHandle, longRun.jobHandle);
				assert.ok(Date.now() < longRun.endsAtMs, 'the run outlived the n8n that started it');
				const waiting = await waitingExecution('ipsExample000004');
				assert.ok(waiting, 'no waiting execution in n8n’s database');
				longRunExecutionId = waiting;
			},
		);

		sayOnlySchedulesLeft();
		await check(
			'E6. alert on failed files (published, in `n8n start`); the long run ends in this n8n',
			async () => {
				const published = await n8n(['publish:workflow', '--id=ipsExample000005']);
				assert.equal(published.code, 0, published.stderr || published.stdout);
				const server = await startN8n(Number(process.env.EXAMPLES_N8N_PORT ?? 5687));
				try {
					const polls = () => sim.requestsFor('getJobLogs').length;
					sim.requests.length = 0;
					loopback.messages.length = 0;
					await until(() => polls() > 0, 120_000, 'the trigger never polled');
					const broken = startRun(sim.state, { ...job(BROKEN), runDurationMs: 1_000 }, Date.now())!;
					startRun(sim.state, { ...job('Upload from FTP'), runDurationMs: 1_000 }, Date.now());
					await until(() => loopback.messages.length > 0, 150_000, 'no alert for the failed run');
					const [title, count, ...files] = loopback.messages[0].split('\n');
					assert.equal(title, `IPS job run ${broken.name} failed (8 of 8 files).`);
					assert.equal(count, '9 failed or warned files, the first 9:');
					const missing =
						'• file-0001.jpg: Could not process file-0001.jpg: the source file is missing';
					assert.ok(files.includes(missing), files.join('\n'));
					const pollsAfter = polls();
					await until(() => polls() > pollsAfter, 90_000, 'no poll after the alert');
					assert.equal(loopback.messages.length, 1, `alerts: ${JSON.stringify(loopback.messages)}`);
					if (longRunExecutionId) {
						const ended = await finishedExecution(longRunExecutionId, 300_000);
						assert.equal(ended.status, 'success', `status: ${ended.status}`);
						const states = (ended.runData['State of the run'] ?? []).map(
							(run) => run.data?.main?.[0]?.[0]?.json,
						);
						assert.deepEqual(
							states.map((state) => [state?.runHandle, state?.status]),
							[
								[longRun?.jobHandle, 'running'],
								[longRun?.jobHandle, 'succeeded'],
							],
						);
						assert.equal(runsOf(NIGHTLY).filter((r) => r.name === longRun?.name).length, 1);
						assert.equal(sim.requestsFor('executeJob').length, 0, 'the job was not started again');
					}
				} finally {
					await server.stop();
				}
			},
		);
	} finally {
		await sim.stop();
		loopback.close();
	}
}

runSuite('n8n examples', main);
