// Drives the real n8n from its command line (set up by e2e/with-n8n.sh): imports and executions.
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialFor } from '../test/support/ips';

const CLI_TIMEOUT_MS = 600_000;
export const userFolder = process.env.N8N_USER_FOLDER ?? '';
const n8nBin = process.env.N8N_BIN ?? '';

export interface ExecutionJson {
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
