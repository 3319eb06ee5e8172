// Runs after every test of the suite: fails the test if any output item, error, description or
// log line it produced holds a password or a SOAP auth header.
import { findLeaks, recordProduced, startRecording, takeProduced } from './secrets';

startRecording();

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
for (const method of methods) {
	const original = console[method].bind(console);
	console[method] = (...args: unknown[]) => {
		recordProduced(
			`console.${method}`,
			args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : a)),
		);
		original(...args);
	};
}
for (const stream of [process.stdout, process.stderr]) {
	const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
	stream.write = ((chunk: unknown, ...rest: unknown[]) => {
		recordProduced(stream === process.stdout ? 'stdout' : 'stderr', String(chunk));
		return original(chunk, ...rest);
	}) as typeof stream.write;
}

afterEach(() => {
	const leaks = findLeaks(takeProduced());
	expect(leaks).toEqual([]);
});
