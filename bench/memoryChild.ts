// Figure 5, in a process of its own: peak RSS while N items pass through the node (or, with
// "baseline", through the trigger alone) against a simulator in another process.
import { closeTransport } from '../nodes/Ips/ips/transport';
import { runIpsWorkflow } from '../test/support/engine';
import { COMPANY, JOB, PASSWORD, USER } from './wire';

async function main() {
	const [url, countText, mode] = process.argv.slice(2);
	const count = Number(countText);
	const { output, error } = await runIpsWorkflow({
		parameters: {
			companyHandle: { __rl: true, mode: 'id', value: COMPANY },
			jobHandle: { __rl: true, mode: 'id', value: JOB },
			options: { maxParallelRequests: 16 },
		},
		items: Array.from({ length: count }, (_, n) => ({ n, note: 'an ordinary item' })),
		credential: {
			user: USER,
			password: PASSWORD,
			role: 'IpsUser',
			region: 'custom',
			serviceUrl: url,
			apiVersion: '2014-04-03',
		},
		withoutIpsNode: mode === 'baseline',
	});
	if (error) throw new Error(String(error.message));
	await closeTransport();
	process.stdout.write(
		`${JSON.stringify({ items: output?.length ?? count, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
	);
}
void main();
