// `npm run simulator -- --port 8081 [--state file.json] [--run-duration-ms 3000] [--other-runs 10000]`
import { startIpsSimulator } from './index';

function option(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
	const port = Number(option('port') ?? 8081);
	const duration = option('run-duration-ms');
	const sim = await startIpsSimulator({
		port,
		state: option('state'),
		runDurationMs: duration === undefined ? undefined : Number(duration),
		otherRuns: Number(option('other-runs') ?? 0),
	});
	const user = sim.state.users[0];
	console.log(`IPS simulator listening on ${sim.url}`);
	console.log(
		'In an "IPS API" credential: Region = Custom Service URL, Service URL = the address above,',
	);
	if (user) console.log(`User = ${user.email}, Password = ${user.password}, Role = ${user.role}`);
	console.log('Ctrl+C stops it.');
	const stop = () => void sim.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
