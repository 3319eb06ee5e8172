// This package's IPS client alone in a process of its own (the same Node as n8n, no n8n): `count`
// executeJob, `parallel` at a time. Set beside the bare loop and the node in n8n, it tells what the
// package costs over the wire from what n8n's process does around it.
// Usage: node clientLoopChild.js <credential data file> <count> <parallel> <company> <job>
import { readFileSync } from 'node:fs';
import { IpsClient } from '../nodes/Ips/ips/IpsClient';
import { closeTransport } from '../nodes/Ips/ips/transport';
import { clientOptionsFromCredential } from '../nodes/Ips/n8n/credentials';
import { inLanes } from './lanes';

async function main(): Promise<void> {
	const [credentialFile, countText, parallelText, company, job] = process.argv.slice(2);
	const client = new IpsClient(
		clientOptionsFromCredential(JSON.parse(readFileSync(credentialFile, 'utf8'))),
	);
	await inLanes(Number(countText), Number(parallelText), () => client.executeJob(company, job));
	await closeTransport();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
