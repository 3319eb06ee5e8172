// Figures 1 and 2: the same executeJob requests through the node (n8n's engine), through a bare
// undici loop (the limit) and through the generic `soap` client, at the same parallelism.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createClientAsync } from 'soap';
import { buildEnvelope, soapHttpHeaders } from '../nodes/Ips/ips/envelope';
import { namespaceOf } from '../nodes/Ips/ips/namespaces';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { runIpsWorkflow } from '../test/support/engine';
import { credentialFor, DEMO_PASSWORD as PASSWORD, DEMO_USER as USER } from '../test/support/ips';
import { findProjectFile } from '../simulator/files';
import { inLanes } from './lanes';

export const COMPANY = 'c|2101';
export const JOB = 'j|2101|Nightly publish||';

/** `count` items through the node in n8n's engine, every one running the same job. */
export function nodeRun(
	url: string,
	count: number,
	options: {
		parameters?: INodeParameters;
		apiVersion?: string;
		withoutIpsNode?: boolean;
		item?: IDataObject;
	} = {},
) {
	return runIpsWorkflow({
		parameters: {
			companyHandle: { __rl: true, mode: 'id', value: COMPANY },
			jobHandle: { __rl: true, mode: 'id', value: JOB },
			...options.parameters,
		},
		items: Array.from({ length: count }, (_, n) => ({ n, ...options.item })),
		credential: credentialFor({ url }, { apiVersion: options.apiVersion ?? '2014-04-03' }),
		withoutIpsNode: options.withoutIpsNode,
	});
}

/**
 * The memory figures' run (5, 6b, `npm run bench:alloc`): `count` ordinary items, 16 in parallel,
 * through the node ("node"), waited for ("waiting": poll every 1 s), or through the trigger alone
 * ("baseline").
 */
export function atScale(url: string, count: number, mode: 'node' | 'waiting' | 'baseline') {
	return nodeRun(url, count, {
		parameters: {
			options: { maxParallelRequests: 16 },
			...(mode === 'waiting'
				? { waitForCompletion: true, pollIntervalSeconds: 1, maxWaitSeconds: 600 }
				: {}),
		},
		item: { note: 'an ordinary item' },
		withoutIpsNode: mode === 'baseline',
	});
}

export async function throughNode(url: string, count: number, parallel: number): Promise<void> {
	const parameters = { options: { maxParallelRequests: parallel } };
	const { output, error } = await nodeRun(url, count, { parameters, apiVersion: 'pre-4.0' });
	if (error || output?.length !== count)
		throw new Error(`node run failed: ${String(error?.message)}`);
}

const bareAgent = new Agent({ keepAliveTimeout: 30_000 });

/** The prebuilt executeJob request the bare loops send (pre-4.0, as the node sends in figure 1). */
function executeJobEnvelope(): string {
	return buildEnvelope({
		operation: 'executeJob',
		namespace: namespaceOf('pre-4.0'),
		auth: { user: USER, password: PASSWORD, appName: 'bench', appVersion: '1' },
		children: [
			['companyHandle', COMPANY],
			['jobHandle', JOB],
		],
	});
}

/**
 * The price of the transport's short keep-alive (idle sockets are dropped after 4 s): a request that
 * finds no idle socket opens a new connection. `count` sequential requests on one reused connection
 * vs a new connection for each (ms per request, both through the node's own transport).
 */
export async function connectionCost(
	url: string,
	count: number,
): Promise<{ reusedMs: number; freshMs: number }> {
	const { undiciTransport, closeTransport } = await import('../nodes/Ips/ips/transport');
	const body = executeJobEnvelope();
	const send = () =>
		undiciTransport.post({ url, headers: soapHttpHeaders('executeJob'), body, timeoutMs: 10_000 });
	await closeTransport();
	await send();
	let started = performance.now();
	for (let i = 0; i < count; i++) await send();
	const reusedMs = (performance.now() - started) / count;
	started = performance.now();
	for (let i = 0; i < count; i++) {
		await closeTransport();
		await send();
	}
	const freshMs = (performance.now() - started) / count;
	await closeTransport();
	return { reusedMs, freshMs };
}

/** The limit: a prebuilt envelope POSTed with undici, the answer read as text and checked by eye. */
export async function throughBareLoop(url: string, count: number, parallel: number): Promise<void> {
	const body = executeJobEnvelope();
	const headers = soapHttpHeaders('executeJob');
	delete headers['accept-encoding'];
	await inLanes(count, parallel, async () => {
		const response = await request(url, { method: 'POST', headers, body, dispatcher: bareAgent });
		const text = await response.body.text();
		if (response.statusCode !== 200 || !text.includes('executeJobReturn'))
			throw new Error(`bare loop: ${response.statusCode}`);
	});
}

/** Adobe's WSDL with its two same-namespace schema blocks merged: the soap package keeps only one. */
function mergedWsdl(): string {
	const wsdl = readFileSync(findProjectFile('simulator/schema/IpsApi.wsdl'), 'utf8');
	const blocks = [...wsdl.matchAll(/(<schema [^>]*>)([\s\S]*?)<\/schema>/g)];
	const merged = `${blocks[0][1]}${blocks.map((b) => b[2]).join('')}</schema>`;
	const out = wsdl.replace(/<types>[\s\S]*<\/types>/, `<types>${merged}</types>`);
	const dir = join(findProjectFile('package.json'), '..', '.cache', 'bench');
	mkdirSync(dir, { recursive: true });
	const file = join(dir, 'IpsApi.merged.wsdl');
	writeFileSync(file, out);
	return file;
}

export async function throughSoapPackage(
	url: string,
	count: number,
	parallel: number,
): Promise<void> {
	const client = await createClientAsync(mergedWsdl(), { endpoint: url });
	client.addSoapHeader(
		`<authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>${USER}</user><password>${PASSWORD}</password><appName>bench</appName><appVersion>1</appVersion></authHeader>`,
	);
	await inLanes(count, parallel, async () => {
		await client.executeJobAsync({ companyHandle: COMPANY, jobHandle: JOB });
	});
}
