// Drives the real n8n from its command line (set up by e2e/with-n8n.sh): imports and executions.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { credentialFor } from '../test/support/ips';

const CLI_TIMEOUT_MS = 600_000;
export const userFolder = process.env.N8N_USER_FOLDER ?? '';
const n8nBin = process.env.N8N_BIN ?? '';

export interface ExecutionJson {
	status?: string;
	startedAt?: string;
	stoppedAt?: string;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }>> };
				}>
			>;
			error?: { message?: string };
		};
	};
}

/** The items a node put out (its first run, first output) in an execution. */
export function nodeOutput(execution: ExecutionJson | undefined, node: string) {
	return execution?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];
}

/**
 * Runs the n8n CLI with its output going to files: through a pipe, n8n exits before a large
 * execution JSON (tens of MB) is written, and the JSON arrives cut.
 */
export async function n8n(
	args: string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
	const base = join(userFolder, `cli-${Date.now()}-${process.pid}`);
	const out = openSync(`${base}.out`, 'w');
	const err = openSync(`${base}.err`, 'w');
	const code = await new Promise<number>((resolve) => {
		const child = spawn(n8nBin, args, { env: process.env, stdio: ['ignore', out, err] });
		const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
		child.once('exit', (exitCode) => {
			clearTimeout(timer);
			resolve(exitCode ?? 1);
		});
		child.once('error', () => resolve(1));
	});
	closeSync(out);
	closeSync(err);
	const read = (file: string) => {
		const text = readFileSync(file, 'utf8');
		rmSync(file);
		return text;
	};
	return { stdout: read(`${base}.out`), stderr: read(`${base}.err`), code };
}

/**
 * n8n prints log lines around the execution JSON (pretty-printed): it starts at the first line
 * that is `{` and ends at the next line that is `}`.
 */
export function executionJson(stdout: string): ExecutionJson | undefined {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line.startsWith('{'));
	if (start === -1) return undefined;
	const end = lines.findIndex((line, index) => index > start && line === '}');
	// n8n's CLI can exit before a very large execution JSON (tens of MB) is fully written; such cut
	// output reads as no execution, and callers say so.
	if (end === -1) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionJson;
	} catch {
		// Cut inside, with a later log line that happens to be `}`.
		return undefined;
	}
}

/** Writes `data` to a file in the user folder and imports it (`credentials` or `workflow`). */
export async function importInto(
	kind: 'credentials' | 'workflow',
	name: string,
	data: unknown,
): Promise<void> {
	const file = join(userFolder, `${name}.json`);
	writeFileSync(file, JSON.stringify(data));
	const result = await n8n([`import:${kind}`, `--input=${file}`]);
	if (result.code !== 0)
		throw new Error(`import:${kind} ${name} failed: ${result.stderr || result.stdout}`);
}

export async function executeWorkflow(id: string) {
	const result = await n8n(['execute', `--id=${id}`, '--rawOutput']);
	// Kept next to the workflow for whoever has to find out why a check failed.
	writeFileSync(
		join(userFolder, `${id}.out`),
		`${result.stdout}\n--- stderr ---\n${result.stderr}`,
	);
	return { ...result, execution: executionJson(result.stdout) };
}

/** An "IPS API" credential for `import:credentials`, signed in as the simulator's demo user. */
export function simulatorCredential(
	id: string,
	name: string,
	serviceUrl: string,
	overrides: Record<string, unknown> = {},
) {
	return { id, name, type: 'ipsApi', data: credentialFor({ url: serviceUrl }, overrides as never) };
}

/** `n8n start` on a port of its own (the editor and production triggers), ready to be used. */
export async function startN8n(
	port: number,
	env: Record<string, string> = {},
): Promise<{ base: string; process: ChildProcess; stop: () => Promise<void> }> {
	const base = `http://127.0.0.1:${port}`;
	const child = spawn(n8nBin, ['start'], {
		env: { ...process.env, N8N_PORT: String(port), N8N_LOG_LEVEL: 'warn', ...env },
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	const stop = async () => {
		if (child.exitCode !== null) return;
		child.kill('SIGTERM');
		await new Promise((resolve) => child.once('exit', resolve));
	};
	for (let attempt = 0; attempt < 240; attempt++) {
		const ready = await fetch(`${base}/healthz/readiness`).then(
			(r) => r.ok,
			() => false,
		);
		if (ready) return { base, process: child, stop };
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await stop();
	throw new Error('n8n did not become ready within 2 minutes');
}

/** Waits until `condition` holds, checking every 250 ms; fails saying what did not happen. */
export async function until(
	condition: () => boolean | Promise<boolean>,
	timeoutMs: number,
	what: string,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Loads a package the way n8n itself would (sqlite3, flatted): from n8n's installation. */
const fromN8n = (name: string): unknown =>
	createRequire(join(dirname(n8nBin), '..', 'n8n', 'package.json'))(name);

/** n8n's own database (SQLite in the user folder), read with n8n's own sqlite3 and flatted. */
function n8nDatabase<T>(sql: string, params: unknown[]): Promise<T[]> {
	const sqlite3 = fromN8n('sqlite3') as {
		Database: new (
			file: string,
			mode: number,
			done: (error: Error | null) => void,
		) => {
			all(sql: string, params: unknown[], done: (error: Error | null, rows: T[]) => void): void;
			close(): void;
		};
		OPEN_READONLY: number;
	};
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(
			join(userFolder, '.n8n', 'database.sqlite'),
			sqlite3.OPEN_READONLY,
			(opened) => {
				if (opened) return reject(opened);
				db.all(sql, params, (error, rows) => {
					db.close();
					if (error) reject(error);
					else resolve(rows);
				});
			},
		);
	});
}

/** The id of the workflow's execution that n8n keeps waiting (a Wait node of over 65 s), if any. */
export async function waitingExecution(workflowId: string): Promise<string | undefined> {
	const rows = await n8nDatabase<{ id: number }>(
		"SELECT id FROM execution_entity WHERE workflowId = ? AND status = 'waiting' AND waitTill IS NOT NULL",
		[workflowId],
	);
	return rows.length === 1 ? String(rows[0].id) : undefined;
}

type RunData = NonNullable<NonNullable<ExecutionJson['data']>['resultData']>['runData'];

/** Waits until n8n has finished the execution; its status and each node's runs. */
export async function finishedExecution(
	executionId: string,
	timeoutMs: number,
): Promise<{ status: string; runData: NonNullable<RunData> }> {
	let status = '';
	await until(
		async () => {
			const [row] = await n8nDatabase<{ status: string }>(
				'SELECT status FROM execution_entity WHERE id = ?',
				[executionId],
			);
			status = row?.status ?? '';
			return !['new', 'running', 'waiting', ''].includes(status);
		},
		timeoutMs,
		`execution ${executionId} to finish`,
	);
	const [row] = await n8nDatabase<{ data: string }>(
		'SELECT data FROM execution_data WHERE executionId = ?',
		[executionId],
	);
	const { parse } = fromN8n('flatted') as { parse: (text: string) => ExecutionJson['data'] };
	return { status, runData: parse(row.data)?.resultData?.runData ?? {} };
}
