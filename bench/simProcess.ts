// Starts the IPS simulator in a child process, so that the benchmark process measures the
// client side only.
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface SimProcess {
	url: string;
	stop(): Promise<void>;
}

export async function startSimulatorProcess(
	runDurationMs = 0,
	/** Runs of another user's job already going on in the company (a busy one). */
	otherRuns = 0,
): Promise<SimProcess> {
	const child: ChildProcess = fork(
		join(__dirname, '..', 'simulator', 'cli.js'),
		['--port', '0', '--run-duration-ms', String(runDurationMs), '--other-runs', String(otherRuns)],
		{
			stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
		},
	);
	const url = await new Promise<string>((resolve, reject) => {
		let seen = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			seen += chunk.toString();
			const match = /listening on (\S+)/.exec(seen);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	});
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}
