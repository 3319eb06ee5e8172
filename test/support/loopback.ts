// Purpose-built loopback servers for misbehaviour the simulator cannot produce.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Socket } from 'node:net';

export interface Loopback {
	url: string;
	/** How many requests reached the handler. */
	hits: () => number;
	stop: () => Promise<void>;
}

async function listen(
	server: Server | ReturnType<typeof createTcpServer>,
	sockets: Set<Socket>,
): Promise<number> {
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

function stopper(server: Server | ReturnType<typeof createTcpServer>, sockets: Set<Socket>) {
	return async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
}

/** An HTTP server whose every request goes to `handler` (after the body was read). */
export async function startHttpLoopback(
	handler: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>,
	path = '/scene7/services/IpsApiService',
): Promise<Loopback> {
	let hits = 0;
	const sockets = new Set<Socket>();
	const server = createServer(async (req, res) => {
		hits++;
		const chunks: Buffer[] = [];
		for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
		await handler(req, res, Buffer.concat(chunks).toString('utf8'));
	});
	const port = await listen(server, sockets);
	return {
		url: `http://127.0.0.1:${port}${path}`,
		hits: () => hits,
		stop: stopper(server, sockets),
	};
}

/**
 * A raw TCP server, for answers HTTP servers refuse to produce (cut connections, stalls). A hit is a
 * connection something was sent on: after an exchange it aborted (a timeout, an answer refused),
 * undici connects once more and closes that connection unused (nodejs/undici#5845), which is no
 * request, and which a test that stops the server a little later does not see.
 */
export async function startTcpLoopback(onConnection: (socket: Socket) => void): Promise<Loopback> {
	let hits = 0;
	const sockets = new Set<Socket>();
	const server = createTcpServer((socket) => {
		socket.once('data', () => hits++);
		onConnection(socket);
	});
	const port = await listen(server, sockets);
	return {
		url: `http://127.0.0.1:${port}/scene7/services/IpsApiService`,
		hits: () => hits,
		stop: stopper(server, sockets),
	};
}

/** A loopback port on which nothing listens (connection refused). */
export async function closedPortUrl(): Promise<string> {
	const sockets = new Set<Socket>();
	const server = createTcpServer();
	const port = await listen(server, sockets);
	await stopper(server, sockets)();
	return `http://127.0.0.1:${port}/scene7/services/IpsApiService`;
}

export const SOAP_OK = (operation: string) =>
	`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><${operation}Return xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"/></soapenv:Body></soapenv:Envelope>`;
