"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_zlib_1 = require("node:zlib");
const IpsClient_1 = require("../../nodes/Ips/ips/IpsClient");
const faults_1 = require("../../nodes/Ips/ips/faults");
const transport_1 = require("../../nodes/Ips/ips/transport");
const loopback_1 = require("../support/loopback");
const PASSWORD = 'Pa$$w0rd&<secret>';
function clientFor(url, requestTimeoutMs = 5_000, signal) {
    return new IpsClient_1.IpsClient({
        serviceUrl: url,
        apiVersion: '2014-04-03',
        auth: { user: 'someone@example.com', password: PASSWORD, appName: 'test', appVersion: '1' },
        requestTimeoutMs,
        signal,
    });
}
async function transportErrorOf(promise) {
    const error = await promise.then(() => undefined, (e) => e);
    expect(error).toBeInstanceOf(faults_1.IpsTransportError);
    return error;
}
let server;
afterEach(async () => {
    await server?.stop();
    server = undefined;
});
afterAll(transport_1.closeTransport);
describe('the transport', () => {
    it('sends the SOAP request and decodes a gzip answer', async () => {
        let seen;
        server = await (0, loopback_1.startHttpLoopback)((req, res, body) => {
            seen = { headers: req.headers, body };
            res
                .writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' })
                .end((0, node_zlib_1.gzipSync)((0, loopback_1.SOAP_OK)('executeJob')));
        });
        // The answer is decoded by its Content-Encoding, whether or not gzip was asked for.
        await clientFor(server.url).executeJob('c|1', 'j|1|x||');
        expect(seen?.headers['soapaction']).toBe('executeJob');
        expect(seen?.headers['content-type']).toBe('text/xml; charset=UTF-8');
        expect(seen?.body).toContain('<jobHandle>j|1|x||</jobHandle>');
    });
    it('asks for gzip for list answers and reads them', async () => {
        const list = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getScheduledJobsReturn><jobArray>' +
            '<items><companyHandle>c|1</companyHandle><jobHandle>j|1|A||</jobHandle><name>A</name></items></jobArray></getScheduledJobsReturn></soapenv:Body></soapenv:Envelope>';
        let acceptEncoding;
        server = await (0, loopback_1.startHttpLoopback)((req, res) => {
            acceptEncoding = req.headers['accept-encoding'];
            res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end((0, node_zlib_1.gzipSync)(list));
        });
        const jobs = await clientFor(server.url).getScheduledJobs('c|1');
        expect(acceptEncoding).toBe('gzip');
        expect(jobs.map((job) => job.jobHandle)).toEqual(['j|1|A||']);
    });
    it('accepts valid SOAP with a wrong content type', async () => {
        server = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res.writeHead(200, { 'content-type': 'text/html' }).end((0, loopback_1.SOAP_OK)('executeJob'));
        });
        await expect(clientFor(server.url).executeJob('c|1', 'j')).resolves.toBeUndefined();
    });
    it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
        server = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res.writeHead(200, {
                'content-type': 'text/xml',
                'content-length': String(transport_1.MAX_RESPONSE_BYTES + 1),
            });
            res.write('<x>');
        });
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('responseTooLarge');
    });
    it('stops reading a streamed answer once it passes the cap, with memory staying bounded', async () => {
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        let chunksWritten = 0;
        let closed;
        const connectionClosed = new Promise((resolve) => (closed = resolve));
        server = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res.writeHead(200, { 'content-type': 'text/xml' });
            res.on('close', closed);
            // 500 MB offered, without a Content-Length; the client must hang up long before.
            const pump = () => {
                while (chunksWritten < 500 && !res.destroyed) {
                    chunksWritten++;
                    if (!res.write(chunk))
                        return void res.once('drain', pump);
                }
            };
            pump();
        });
        const before = process.memoryUsage().rss;
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('responseTooLarge');
        await connectionClosed;
        expect(chunksWritten).toBeLessThan(100);
        expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    });
    it('refuses a small gzip that unpacks past the cap', async () => {
        const bomb = (0, node_zlib_1.gzipSync)(Buffer.alloc(transport_1.MAX_RESPONSE_BYTES * 3, ' '));
        server = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res.writeHead(200, { 'content-type': 'text/xml', 'content-encoding': 'gzip' }).end(bomb);
        });
        expect(bomb.length).toBeLessThan(transport_1.MAX_RESPONSE_BYTES / 10);
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('responseTooLarge');
    });
    it('refuses invalid UTF-8', async () => {
        server = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res
                .writeHead(200, { 'content-type': 'text/xml' })
                .end(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]));
        });
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('invalidEncoding');
    });
    it('does not follow a redirect (the password stays here) and says where it pointed', async () => {
        const target = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res.end((0, loopback_1.SOAP_OK)('executeJob'));
        });
        server = await (0, loopback_1.startHttpLoopback)((_req, res) => {
            res.writeHead(302, { location: `${target.url}?token=abc` }).end();
        });
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('redirect');
        expect(error.message).toContain(target.url);
        expect(error.message).not.toContain('token=abc');
        expect(target.hits()).toBe(0);
        await target.stop();
    });
    it('times out when the headers never come, and says the job may have started', async () => {
        server = await (0, loopback_1.startTcpLoopback)(() => undefined);
        const error = await transportErrorOf(clientFor(server.url, 300).executeJob('c|1', 'j'));
        expect(error.kind).toBe('timeout');
        expect(error.requestMayHaveReachedServer).toBe(true);
        expect(server.hits()).toBe(1);
    });
    it('times out when the body stalls halfway', async () => {
        server = await (0, loopback_1.startTcpLoopback)((socket) => {
            socket.once('data', () => {
                socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 1000\r\n\r\n<soapenv:Envelope');
            });
        });
        const error = await transportErrorOf(clientFor(server.url, 300).executeJob('c|1', 'j'));
        expect(error.kind).toBe('timeout');
    });
    it('reports a connection reset mid-body, without retrying', async () => {
        server = await (0, loopback_1.startTcpLoopback)((socket) => {
            socket.once('data', () => {
                socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: 1000\r\n\r\n<soapenv:Envelope', () => socket.resetAndDestroy());
            });
        });
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('connectionReset');
        expect(error.requestMayHaveReachedServer).toBe(true);
        expect(server.hits()).toBe(1);
    });
    it('retries a refused connection at most twice, and says nothing was sent', async () => {
        const url = await (0, loopback_1.closedPortUrl)();
        let attempts = 0;
        const counting = {
            post: (req) => {
                attempts++;
                return transport_1.undiciTransport.post(req);
            },
        };
        const client = new IpsClient_1.IpsClient({
            serviceUrl: url,
            apiVersion: '2014-04-03',
            auth: { user: 'u', password: 'p', appName: 'a', appVersion: '1' },
            transport: counting,
        });
        const error = await transportErrorOf(client.executeJob('c|1', 'j'));
        expect(error.kind).toBe('connectionRefused');
        expect(error.requestMayHaveReachedServer).toBe(false);
        expect(attempts).toBe(1 + IpsClient_1.MAX_RETRIES_WHEN_NEVER_SENT);
    });
    it('names a host that does not resolve', async () => {
        const error = await transportErrorOf(clientFor('http://no-such-host.invalid/scene7/services/IpsApiService').executeJob('c', 'j'));
        expect(error.kind).toBe('dnsFailure');
        expect(error.requestMayHaveReachedServer).toBe(false);
        expect(error.message).toContain('no-such-host.invalid');
    });
    it('stops at once when the cancel signal fires', async () => {
        server = await (0, loopback_1.startTcpLoopback)(() => undefined);
        const controller = new AbortController();
        const started = Date.now();
        setTimeout(() => controller.abort(), 100);
        const error = await transportErrorOf(clientFor(server.url, 30_000, controller.signal).executeJob('c|1', 'j'));
        expect(error.kind).toBe('cancelled');
        expect(Date.now() - started).toBeLessThan(2_000);
    });
    it('never lets the password out in an error, even when a server echoes the request', async () => {
        server = await (0, loopback_1.startHttpLoopback)((_req, res, body) => {
            // The password sits past the quoted start too: a cut inside it must not leak a prefix.
            const password = /<password>(.*?)<\/password>/.exec(body)?.[1] ?? '';
            const page = `<html><body>Bad password ${password}; ${'.'.repeat(185)} ${password}</body></html>`;
            res.writeHead(502, { 'content-type': 'text/html' }).end(page);
        });
        const error = await transportErrorOf(clientFor(server.url).executeJob('c|1', 'j'));
        expect(error.kind).toBe('httpError');
        const everything = JSON.stringify({ message: error.message, details: error.details });
        expect(everything).not.toContain('Pa$$');
        expect(everything).toContain('***');
    });
});
//# sourceMappingURL=transport.test.js.map