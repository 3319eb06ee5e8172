// The IPS simulator: a real SOAP server on loopback that behaves like IPS for everything this
// package touches, records every request, and misbehaves on demand for tests.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
	SOAP_ENVELOPE_NAMESPACE,
	UNVERSIONED_NAMESPACE,
	hasMembershipModel,
	versionOfNamespace,
} from '../nodes/Ips/ips/namespaces';
import { renderElement, XmlChild } from '../nodes/Ips/ips/xml';
import { OPERATIONS, SimFault, SimFaultKind } from './operations';
import { validateAgainstSchema } from './schema';
import { advance, loadState, normaliseState, SimState, startOtherRuns } from './state';
import { childOf, childText, parseXmlTree, XmlElement, XmlReadError } from './xmlTree';

export const SERVICE_PATH = '/scene7/services/IpsApiService';
const MAX_REQUEST_BYTES = 20 * 1024 * 1024;

export interface RecordedRequest {
	operation: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	receivedAt: number;
	/** Text of each child of `<operation>Param` (empty when the body did not parse). */
	params: Record<string, string>;
	/** The namespace of the body element. */
	namespace: string;
	/** What an injection did to this request, if anything. */
	injected?: Injection['kind'];
}

export type Injection =
	| {
			kind: 'fault';
			fault: { kind: SimFaultKind; code: number; reason: string };
			httpStatus?: number;
	  }
	/** The answer is made when the request has been handled, `delayMs` after it arrived. */
	| { kind: 'delay'; delayMs: number }
	/** The answer is made when the request arrives and reaches the client `delayMs` late (a slow network). */
	| { kind: 'lateAnswer'; delayMs: number }
	| { kind: 'html'; status: number }
	| { kind: 'drop' }
	/** The request is carried out, then the connection is cut before any answer. */
	| { kind: 'dropAfterHandling' }
	| { kind: 'raw'; status: number; body: string | Buffer; headers?: Record<string, string> };

interface InjectionRule {
	operation: string;
	injection: Injection;
	remaining: number;
	when?: (request: RecordedRequest) => boolean;
}

export interface IpsSimulator {
	url: string;
	state: SimState;
	requests: RecordedRequest[];
	/** Makes matching requests to `operation` ('*' = any) misbehave, `times` times (default always). */
	inject(
		operation: string,
		injection: Injection,
		options?: { times?: number; when?: (r: RecordedRequest) => boolean },
	): void;
	clearInjections(): void;
	/** Requests to one operation, in order. */
	requestsFor(operation: string): RecordedRequest[];
	/** Client connections open right now. */
	openConnections(): number;
	stop(): Promise<void>;
}

export interface SimulatorOptions {
	port?: number;
	/** A state object, a path to a JSON state file, or nothing for the demo seed. */
	state?: SimState | string;
	/** Overrides every job's run duration (0 = runs finish at once). */
	runDurationMs?: number;
	/** Runs of another user's job already going on in the first company (see startOtherRuns). */
	otherRuns?: number;
}

export async function startIpsSimulator(options: SimulatorOptions = {}): Promise<IpsSimulator> {
	const state =
		typeof options.state === 'object' ? normaliseState(options.state) : loadState(options.state);
	if (options.runDurationMs !== undefined) {
		state.runDurationMs = options.runDurationMs;
		for (const job of state.scheduledJobs) job.runDurationMs = options.runDurationMs;
	}
	if (options.otherRuns) startOtherRuns(state, options.otherRuns, Date.now());
	const requests: RecordedRequest[] = [];
	let rules: InjectionRule[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();

	const server = createServer((req, res) => {
		void handle(req, res).catch((error: unknown) => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(`simulator error: ${(error as Error).message}`);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.add(timer);
		});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const body = await readBody(req);
		if (body === undefined) {
			res.writeHead(413, { 'content-type': 'text/plain' }).end('request too large');
			return;
		}
		advance(state, Date.now());
		const { record, envelope } = recordOf(req, body);
		requests.push(record);

		const rule = rules.find(
			(r) =>
				r.remaining > 0 &&
				(r.operation === '*' || r.operation === record.operation) &&
				(!r.when || r.when(record)),
		);
		if (rule) {
			rule.remaining--;
			record.injected = rule.injection.kind;
			const injection = rule.injection;
			if (injection.kind === 'delay') await sleep(injection.delayMs);
			else if (injection.kind === 'lateAnswer') {
				const reply = answer(envelope);
				await sleep(injection.delayMs);
				send(req, res, reply.status ?? 200, reply.xml);
				return;
			} else if (injection.kind === 'dropAfterHandling') {
				answer(envelope);
				req.socket.destroy();
				return;
			} else return respondInjected(injection, req, res);
		}

		if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== SERVICE_PATH) {
			res
				.writeHead(404, { 'content-type': 'text/html' })
				.end('<html><body><h1>404 Not Found</h1></body></html>');
			return;
		}
		const reply = answer(envelope);
		send(req, res, reply.status ?? 200, reply.xml);
	}

	function answer(envelope: XmlElement | XmlReadError): { xml: string; status?: number } {
		if (envelope instanceof XmlReadError) {
			return faultReply(new SimFault('ipsApi', 30003, `Invalid request XML: ${envelope.message}`));
		}
		const header = childOf(envelope, 'Header');
		const auth = header?.children.find((c) => c.name === 'authHeader');
		const faultStatus = Number(childText(auth, 'faultHttpStatusCode') ?? '') || 500;
		const param = childOf(envelope, 'Body')?.children[0];
		try {
			if (envelope.name !== 'Envelope' || envelope.ns !== SOAP_ENVELOPE_NAMESPACE || !param) {
				throw new SimFault(
					'ipsApi',
					30003,
					'Invalid request XML: not a SOAP 1.1 envelope with a body element',
				);
			}
			const version = versionOfNamespace(param.ns);
			if (version === undefined) {
				throw new SimFault(
					'ipsApi',
					30003,
					`Invalid request XML: unknown namespace "${param.ns}" of ${param.name}`,
				);
			}
			const user = authenticate(auth);
			const operationName = param.name.replace(/Param$/, '');
			const operation = param.name.endsWith('Param') ? OPERATIONS[operationName] : undefined;
			if (!operation)
				throw new SimFault(
					'ipsApi',
					30003,
					`Invalid request XML: unknown operation element ${param.name}`,
				);
			if (operation.roles && !operation.roles.includes(user.role)) {
				throw new SimFault(
					'authorization',
					20003,
					`User does not have permission to access operation '${operationName}'`,
				);
			}
			if (version === 'pre-4.0') {
				const problem = validateAgainstSchema(param);
				if (problem) throw new SimFault('ipsApi', 30003, `Invalid request XML: ${problem}`);
			}
			const raw = new Map<string, string>();
			const children = operation.handle({
				state,
				user,
				membershipModel: hasMembershipModel(version),
				preV4: version === 'pre-4.0',
				version,
				raw,
				param,
				nowMs: Date.now(),
			});
			let xml = envelopeOf(renderElement(`${operationName}Return`, children, param.ns));
			for (const [marker, fragment] of raw) xml = xml.replace(marker, () => fragment);
			return { xml };
		} catch (error) {
			if (error instanceof SimFault) return faultReply(error, faultStatus);
			throw error;
		}
	}

	function authenticate(auth: XmlElement | undefined) {
		const email = childText(auth, 'user');
		const password = childText(auth, 'password');
		if (!auth || !email || password === undefined)
			throw new SimFault('authentication', 10000, 'No credentials');
		const user = state.users.find((u) => u.email === email);
		if (!user) throw new SimFault('authentication', 10002, `Invalid user: ${email}`);
		if (user.password !== password)
			throw new SimFault('authentication', 10001, 'Invalid credentials');
		return user;
	}

	function respondInjected(injection: Injection, req: IncomingMessage, res: ServerResponse): void {
		if (injection.kind === 'drop') {
			req.socket.destroy();
			return;
		}
		if (injection.kind === 'html') {
			res
				.writeHead(injection.status, { 'content-type': 'text/html' })
				.end(
					`<html><head><title>${injection.status} Bad Gateway</title></head><body><h1>${injection.status}</h1><p>The proxy could not reach the upstream server.</p></body></html>`,
				);
			return;
		}
		if (injection.kind === 'fault') {
			const { xml, status } = faultReply(
				new SimFault(injection.fault.kind, injection.fault.code, injection.fault.reason),
				injection.httpStatus,
			);
			send(req, res, status ?? 500, xml);
			return;
		}
		if (injection.kind === 'raw') {
			res
				.writeHead(injection.status, {
					'content-type': 'text/xml; charset=UTF-8',
					...injection.headers,
				})
				.end(injection.body);
		}
	}

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}${SERVICE_PATH}`,
		state,
		requests,
		inject(operation, injection, injectionOptions = {}) {
			rules.push({
				operation,
				injection,
				remaining: injectionOptions.times ?? Infinity,
				when: injectionOptions.when,
			});
		},
		clearInjections() {
			rules = [];
		},
		requestsFor(operation) {
			return requests.filter((r) => r.operation === operation);
		},
		openConnections() {
			return sockets.size;
		},
		async stop() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		total += chunk.length;
		if (total > MAX_REQUEST_BYTES) return undefined;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** The request as recorded, and its parsed envelope (or why it does not parse). */
function recordOf(
	req: IncomingMessage,
	body: string,
): { record: RecordedRequest; envelope: XmlElement | XmlReadError } {
	let operation = String(req.headers.soapaction ?? '').replace(/"/g, '');
	const params: Record<string, string> = {};
	let namespace = '';
	let envelope: XmlElement | XmlReadError;
	try {
		envelope = parseXmlTree(body);
	} catch (error) {
		envelope = error instanceof XmlReadError ? error : new XmlReadError('unreadable');
	}
	const param =
		envelope instanceof XmlReadError ? undefined : childOf(envelope, 'Body')?.children[0];
	if (param) {
		operation = param.name.replace(/Param$/, '');
		namespace = param.ns;
		for (const child of param.children) params[child.name] = child.text;
	}
	const record = {
		operation,
		headers: req.headers,
		body,
		receivedAt: Date.now(),
		params,
		namespace,
	};
	return { record, envelope };
}

function envelopeOf(bodyContent: string): string {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NAMESPACE}"><soapenv:Body>${bodyContent}</soapenv:Body></soapenv:Envelope>`
	);
}

const FAULT_ELEMENTS: Record<SimFaultKind, [string, string]> = {
	authentication: ['authenticationFault', 'AuthenticationException'],
	authorization: ['authorizationFault', 'AuthorizationException'],
	ipsApi: ['ipsApiFault', 'IpsApiException'],
};

function faultReply(fault: SimFault, status = 500): { xml: string; status: number } {
	const [element, faultString] = FAULT_ELEMENTS[fault.kind];
	const detail: XmlChild[] = [
		['code', String(fault.code)],
		['reason', fault.reason],
	];
	const faultXml =
		'<soapenv:Fault>' +
		`<faultcode>soapenv:${fault.kind === 'ipsApi' ? 'Server' : 'Client'}</faultcode>` +
		renderElement('faultstring', faultString) +
		`<detail>${renderElement(element, detail, UNVERSIONED_NAMESPACE)}</detail>` +
		'</soapenv:Fault>';
	return { xml: envelopeOf(faultXml), status };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, xml: string): void {
	const headers: Record<string, string> = { 'content-type': 'text/xml; charset=UTF-8' };
	if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
		headers['content-encoding'] = 'gzip';
		res.writeHead(status, headers).end(gzipSync(xml));
		return;
	}
	res.writeHead(status, headers).end(xml);
}

export { advance, loadState } from './state';
export type { SimState } from './state';
