// A bare undici loop in a process of its own (the same Node as n8n): `count` POSTs of one prebuilt
// body, `parallel` at a time, keep-alive. What the wire allows; the n8n benchmark's baseline.
// Usage: node bareLoopChild.js <url> <body file> <count> <parallel>
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { inLanes } from './lanes';

async function main(): Promise<void> {
	const [url, bodyFile, countText, parallelText] = process.argv.slice(2);
	const body = readFileSync(bodyFile, 'utf8');
	const count = Number(countText);
	const parallel = Number(parallelText);
	const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
	const headers = { 'content-type': 'text/xml; charset=UTF-8', soapaction: 'executeJob' };
	await inLanes(count, parallel, async () => {
		const response = await request(url, { method: 'POST', headers, body, dispatcher });
		const text = await response.body.text();
		if (response.statusCode !== 200 || !text.includes('executeJobReturn'))
			throw new Error(`bare loop: HTTP ${response.statusCode}`);
	});
	await dispatcher.close();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
