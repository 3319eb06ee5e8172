// Each URL's own outcome from an upload's job log details: tied by asset name or quoted path/URL,
// and "uploaded" without a row of its own only when the log leaves no doubt.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpsClient } from '../../nodes/Ips/ips/IpsClient';
import { runningPublishes } from '../../nodes/Ips/ips/submittedJobs';
import { outcomesOfUpload } from '../../nodes/Ips/ips/uploadOutcomes';

const urls = [
	{ sourceUrl: 'https://cdn.example.com/a.jpg', destPath: 'shoes/a.jpg' },
	{ sourceUrl: 'https://cdn.example.com/b.jpg', destPath: 'shoes/b.jpg' },
	{ sourceUrl: 'https://cdn.example.com/b2.jpg', destPath: 'boots/b.jpg' },
];
const ended = { status: 'failed' as const, fatalError: false, fileErrorCount: 1 };
const row = (logType: string, assetName: string, logMessage = '') => ({
	logType,
	assetName,
	logMessage,
	assetType: 'Image',
});

describe('outcomesOfUpload', () => {
	it('ties rows by asset name, and a row that fits two URLs to neither', () => {
		const outcomes = outcomesOfUpload(
			urls,
			ended,
			[row('UploadSuccess', 'a'), row('UploadError', 'b', 'b.jpg: HTTP 404')],
			true,
		);
		expect(outcomes[0]).toMatchObject({ status: 'uploaded', assetName: 'a' });
		// "b" is the file name of two URLs: the error is nobody's, and both are unknown.
		expect(outcomes[1]).toMatchObject({ status: 'unknown', assetName: null });
		expect(outcomes[1].message).toBe(
			'The job log has 1 failed file(s) it does not tie to exactly one URL of this job; this file may be one of them.',
		);
		expect(outcomes[2].status).toBe('unknown');
	});

	it('ties a row without asset name by the source URL it quotes; deduces the rest when every failure is accounted for', () => {
		const outcomes = outcomesOfUpload(
			urls,
			ended,
			[row('UploadError', '', 'Could not get https://cdn.example.com/b2.jpg: 404')],
			true,
		);
		expect(outcomes.map((o) => o.status)).toEqual(['uploaded', 'uploaded', 'failed']);
		expect(outcomes[2].message).toBe('Could not get https://cdn.example.com/b2.jpg: 404');
	});

	it('says unknown where IPS counts more failures than its log names, on a fatal error, or with details unread', () => {
		const more = outcomesOfUpload(
			urls,
			{ ...ended, fileErrorCount: 2 },
			[row('UploadError', 'a')],
			true,
		);
		expect(more.map((o) => o.status)).toEqual(['failed', 'unknown', 'unknown']);
		expect(more[1].message).toBe(
			'IPS counts 2 failed file(s) but its log names only 1; this file may be one of the others.',
		);
		const fatal = outcomesOfUpload(
			urls,
			{ ...ended, fatalError: true, fileErrorCount: 0 },
			[],
			true,
		);
		expect(fatal.every((o) => o.status === 'unknown')).toBe(true);
		const unread = outcomesOfUpload(urls, { ...ended, fileErrorCount: 0 }, [], false);
		expect(unread[0].message).toBe(
			'The job log has more details than could be read, and none read was about this file.',
		);
		const clean = outcomesOfUpload(
			urls,
			{ status: 'succeeded', fatalError: false, fileErrorCount: 0 },
			[],
			true,
		);
		expect(clean.every((o) => o.status === 'uploaded')).toBe(true);
	});

	it('keeps warnings with an uploaded file, and passes an unknown run on to every file', () => {
		const warned = outcomesOfUpload(
			urls.slice(0, 1),
			{ status: 'succeededWithWarnings', fatalError: false, fileErrorCount: 0 },
			[row('UploadWarning', 'a', 'no color profile'), row('UploadSuccess', 'a')],
			true,
		);
		expect(warned[0]).toMatchObject({ status: 'uploaded', warnings: ['no color profile'] });
		const unknown = outcomesOfUpload(
			urls,
			{ status: 'unknown', fatalError: null, fileErrorCount: null, message: 'Max Wait reached' },
			[],
			false,
		);
		expect(unknown.map((o) => [o.status, o.message])).toEqual(
			urls.map(() => ['unknown', 'Max Wait reached']),
		);
	});
});

describe('rows without asset names', () => {
	it('a quoted URL is matched as a word (trailing punctuation aside), not as the start of a longer URL', () => {
		const twins = [
			{ sourceUrl: 'https://cdn.example.com/a.jpg', destPath: 'x/a.jpg' },
			{ sourceUrl: 'https://cdn.example.com/a.jpg?v=2', destPath: 'y/a2.jpg' },
		];
		const outcomes = outcomesOfUpload(
			twins,
			ended,
			[row('UploadError', '', 'Could not get https://cdn.example.com/a.jpg: HTTP 404')],
			true,
		);
		expect(outcomes.map((o) => o.status)).toEqual(['failed', 'uploaded']);
	});

	it('without a URL in the message, a quoted destination path ties the row', () => {
		const outcomes = outcomesOfUpload(
			urls,
			ended,
			[row('UploadError', '', 'boots/b.jpg is not a supported image')],
			true,
		);
		expect(outcomes.map((o) => o.status)).toEqual(['uploaded', 'uploaded', 'failed']);
	});
});

describe('runningPublishes on answers recorded from the live service', () => {
	const answering = (file: string) =>
		new IpsClient({
			serviceUrl: 'https://ips.invalid/scene7/services/IpsApiService',
			apiVersion: '2010-01-31',
			auth: { user: 'u', password: 'p', appName: 'a', appVersion: '1' },
			transport: {
				post: async () => ({
					status: 200,
					body: readFileSync(join(__dirname, '../fixtures/ips-recorded', file), 'utf8'),
				}),
			},
		});

	it('finds the running Image Serving publish beside an upload, and none where there is none', async () => {
		const running = await runningPublishes(
			answering('get_active_jobs__one_publish_job.xml'),
			'111',
		);
		expect(running.map((job) => [job.originalName, job.type, job.state])).toEqual([
			['b4ab644caf2b8d253b0a5', 'ImageServingPublish', 'Running'],
		]);
		expect(await runningPublishes(answering('get_active_jobs__no_publish_job.xml'), '111')).toEqual(
			[],
		);
	});
});
