"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SOAP_OK = void 0;
exports.startHttpLoopback = startHttpLoopback;
exports.startTcpLoopback = startTcpLoopback;
exports.closedPortUrl = closedPortUrl;
// Purpose-built loopback servers for misbehaviour the simulator cannot produce.
const node_http_1 = require("node:http");
const node_net_1 = require("node:net");
async function listen(server, sockets) {
    server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server.address().port;
}
function stopper(server, sockets) {
    return async () => {
        for (const socket of sockets)
            socket.destroy();
        await new Promise((resolve) => server.close(() => resolve()));
    };
}
/** An HTTP server whose every request goes to `handler` (after the body was read). */
async function startHttpLoopback(handler, path = '/scene7/services/IpsApiService') {
    let hits = 0;
    const sockets = new Set();
    const server = (0, node_http_1.createServer)(async (req, res) => {
        hits++;
        const chunks = [];
        for await (const chunk of req)
            chunks.push(chunk);
        await handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
    const port = await listen(server, sockets);
    return {
        url: `http://127.0.0.1:${port}${path}`,
        hits: () => hits,
        stop: stopper(server, sockets),
    };
}
/** A raw TCP server, for answers HTTP servers refuse to produce (cut connections, stalls). */
async function startTcpLoopback(onConnection) {
    let hits = 0;
    const sockets = new Set();
    const server = (0, node_net_1.createServer)((socket) => {
        hits++;
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
async function closedPortUrl() {
    const sockets = new Set();
    const server = (0, node_net_1.createServer)();
    const port = await listen(server, sockets);
    await stopper(server, sockets)();
    return `http://127.0.0.1:${port}/scene7/services/IpsApiService`;
}
const SOAP_OK = (operation) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><${operation}Return xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"/></soapenv:Body></soapenv:Envelope>`;
exports.SOAP_OK = SOAP_OK;
//# sourceMappingURL=loopback.js.map