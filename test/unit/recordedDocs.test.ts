// The examples of Adobe's reference (shared/ips-recorded/docs, copied into test/fixtures) through the
// client as a server would send them: each parses, and says what the reference shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpsClient } from '../../nodes/Ips/ips/IpsClient';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { Loopback, startHttpLoopback } from '../support/loopback';

const doc = (name: string) =>
	readFileSync(join(__dirname, '../fixtures/ips-recorded/docs', name), 'utf8').replace(
		/<\?xml[^>]*\?>/,
		'',
	);

let server: Loopback;
beforeAll(async () => {
	server = await startHttpLoopback((req, res) => {
		const file: Record<string, string> = {
			getScheduledJobs: 'getScheduledJobs__response.xml',
			getCompanyMembership: 'getCompanyMembership__response.xml',
			getJobLogs: 'getJobLogs__response.xml',
			getJobLogDetails: 'getJobLogDetails__response.xml',
			getActiveJobs: 'getActiveJobs__empty_response.xml',
			getUserInfo: 'getUserInfo__response.xml',
		};
		const body = doc(file[String(req.headers.soapaction)]);
		const wrapped = body.includes('Envelope')
			? body
			: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
		res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(wrapped);
	});
});
afterAll(async () => {
	await server.stop();
	await closeTransport();
});

const client = () =>
	new IpsClient({
		serviceUrl: server.url,
		apiVersion: 'pre-4.0',
		auth: { user: 'u@example.com', password: 'secret-pw', appName: 't', appVersion: '1' },
	});

describe("the reference's examples through the client", () => {
	it('getScheduledJobs: a paused job whose originalName is empty', async () => {
		const [job] = await client().getScheduledJobs('0');
		expect(job).toMatchObject({
			jobHandle: '0|Cleanup|',
			name: 'Cleanup',
			originalName: '',
			triggerState: 'Paused',
		});
		expect(job.nextFireTime).toMatch(/-07:00$/);
	});

	it('getCompanyMembership: company fields flat in the membership items', async () => {
		expect(await client().getCompanyMembership()).toEqual([
			expect.objectContaining({ companyHandle: '48', name: 'AIR' }),
		]);
	});

	it('getJobLogs: a row without endDate, counts read as numbers', async () => {
		const logs = await client().getJobLogs('47', { startDate: new Date(0), endDate: new Date() });
		expect(logs).toEqual([
			expect.objectContaining({
				jobName: 'Add_2007-09-14-15:04:34',
				endDate: '',
				fileWarningCount: 205,
			}),
		]);
	});

	it('getJobLogDetails: Begin, OriginalJobName and JobClient are not problems', async () => {
		const { problems, runName, total } = await client().getProblems(
			'47',
			'47||Add_2007-09-14-15:04:34',
		);
		expect(problems).toEqual([]);
		expect(total).toBe(0);
		expect(runName).toBe('Add_2007-09-14-15:04:34');
	});

	it('getActiveJobs: an empty array sent as <jobArray></jobArray>', async () => {
		expect(await client().getActiveJobs('47')).toEqual([]);
	});

	it('getUserInfo: prefixed elements and the pre-6.0 role', async () => {
		expect((await client().getUserInfo()).role).not.toBe('');
	});
});
