// `npm run probe`: for people with an IPS account. Signs in with the IPS_* variables, runs the
// read-only checks behind the unverified facts the README lists under Wait for Completion and, only with `--run-job <handle>`,
// runs that one job once and watches it end. Every exchange is written (password and auth header
// removed) to a folder that can be added to the test fixtures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpsFault } from '../nodes/Ips/ips/faults';
import { ActiveJob, IpsClient, JobLog } from '../nodes/Ips/ips/IpsClient';
import { isApiVersion } from '../nodes/Ips/ips/namespaces';
import { itemsOf } from '../nodes/Ips/ips/parse';
import { isRunOfJob, parseIpsDate } from '../nodes/Ips/ips/runs';
import { closeTransport, SoapTransport, undiciTransport } from '../nodes/Ips/ips/transport';
import { clientOptionsFromCredential } from '../nodes/Ips/n8n/credentials';

export type Verdict = 'confirmed' | 'contradicted' | 'not seen';

export interface ProbeOptions {
	env: Record<string, string | undefined>;
	/** A scheduled job handle: run it once and watch it (the only thing the probe changes). */
	runJob?: string;
	outDir: string;
	log: (line: string) => void;
	/** How long to watch a started run at most. */
	maxWatchMs?: number;
	pollMs?: number;
}

export interface ProbeReport {
	facts: Array<{ fact: string; verdict: Verdict; evidence: string }>;
	files: string[];
}

/** Removes the auth header and the password (raw or escaped) from a recorded exchange. */
function redact(text: string, password: string): string {
	let out = text.replace(
		/<([\w-]+:)?authHeader[\s\S]*?<\/([\w-]+:)?authHeader>/g,
		'<authHeader>removed</authHeader>',
	);
	for (const form of [password, password.replace(/&/g, '&amp;').replace(/</g, '&lt;')])
		if (form) out = out.split(form).join('***');
	return out;
}

export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
	const { env, log } = options;
	const password = env.IPS_PASSWORD ?? '';
	const apiVersion = env.IPS_API_VERSION || '2014-04-03';
	if (!isApiVersion(apiVersion))
		throw new Error(`IPS_API_VERSION "${apiVersion}" is not a version this package speaks`);
	mkdirSync(options.outDir, { recursive: true });
	const files: string[] = [];
	let sequence = 0;
	const recording: SoapTransport = {
		async post(request) {
			const operation = request.headers.soapaction;
			const name = `${String(++sequence).padStart(3, '0')}_${operation}`;
			const write = (suffix: string, text: string) => {
				const file = join(options.outDir, `${name}__${suffix}.xml`);
				writeFileSync(file, redact(text, password));
				files.push(file);
			};
			write('request', request.body);
			// Whole, to be written down: never in parts.
			const response = await undiciTransport.post({ ...request, inParts: false });
			write(`response_http${response.status}`, response.body as string);
			return response;
		},
	};
	const client = new IpsClient({
		...clientOptionsFromCredential({
			user: env.IPS_USER ?? '',
			password,
			region: env.IPS_REGION || (env.IPS_SERVICE_URL ? 'custom' : 'northAmerica'),
			environment: env.IPS_ENVIRONMENT || 'production',
			serviceUrl: env.IPS_SERVICE_URL ?? '',
			apiVersion,
		}),
		transport: recording,
		requestTimeoutMs: 60_000,
	});
	const facts: ProbeReport['facts'] = [];
	const fact = (text: string, verdict: Verdict, evidence: string) => {
		facts.push({ fact: text, verdict, evidence });
		log(`[${verdict}] ${text}: ${evidence}`);
	};

	const user = await client.getUserInfo();
	log(`signed in as ${user.email} (${user.role})`);
	const companies = await client.getCompanyMembership();
	const company = env.IPS_COMPANY || companies[0]?.companyHandle;
	if (!company) throw new Error('The user belongs to no company; set IPS_COMPANY');
	log(`company ${company} (${companies.length} in membership)`);

	const jobs = await client.getScheduledJobs(company);
	const emptyOriginal = jobs.filter((job) => !job.originalName).length;
	fact(
		"A scheduled job's originalName may be empty",
		emptyOriginal ? 'confirmed' : 'not seen',
		`${emptyOriginal} of ${jobs.length} scheduled jobs have none`,
	);

	const active = await client.getActiveJobs(company);
	const withWaiting = await client
		.call('getActiveJobs', [
			['companyHandle', company],
			['includeWaitingJobs', 'true'],
		])
		.then(
			(answer) => itemsOf(answer.jobArray).length,
			(error: unknown) => error,
		);
	if (typeof withWaiting === 'number') {
		fact(
			'getActiveJobs takes includeWaitingJobs (queued runs)',
			'confirmed',
			`${active.length} active without it, ${withWaiting} with it`,
		);
	} else {
		const reason =
			withWaiting instanceof IpsFault
				? `fault ${withWaiting.code}: ${withWaiting.reason}`
				: String(withWaiting);
		fact(
			'getActiveJobs takes includeWaitingJobs (queued runs)',
			'contradicted',
			`API ${apiVersion} refused it (${reason})`,
		);
	}
	const done = active.filter((run) => run.state === 'Done');
	fact(
		'A run may linger in getActiveJobs as Done',
		done.length ? 'confirmed' : 'not seen',
		`${done.length} of ${active.length} active entries are Done`,
	);

	const now = Date.now();
	const window = { startDate: new Date(now - 7 * 86_400_000), endDate: new Date(now + 3_600_000) };
	const withRows = await client.getJobLogs(company, window, { numRows: 5 });
	const withoutRows = await client.call('getJobLogs', [['companyHandle', company]]);
	const defaultCount = itemsOf(withoutRows.jobLogArray).length;
	fact(
		'getJobLogs honours numRows',
		withRows.length <= 5 ? 'confirmed' : 'contradicted',
		`numRows 5 gave ${withRows.length} rows; no numRows and no window gave ${defaultCount}`,
	);
	const noEnd = withRows.filter((row) => !row.endDate).length;
	fact(
		'A log row can exist without endDate',
		noEnd ? 'confirmed' : 'not seen',
		`${noEnd} of ${withRows.length} recent rows have none`,
	);

	if (options.runJob) await watchOneRun(client, company, options, jobs, fact);
	await closeTransport();
	writeFileSync(join(options.outDir, 'facts.json'), `${JSON.stringify(facts, null, 2)}\n`);
	return { facts, files };
}

async function watchOneRun(
	client: IpsClient,
	company: string,
	options: ProbeOptions,
	jobs: Array<{ jobHandle: string; name: string }>,
	fact: (text: string, verdict: Verdict, evidence: string) => void,
): Promise<void> {
	const job = jobs.find((candidate) => candidate.jobHandle === options.runJob);
	if (!job) throw new Error(`Company ${company} has no scheduled job ${options.runJob}`);
	const before = new Set((await client.getActiveJobs(company)).map((run) => run.jobHandle));
	const sentAt = Date.now();
	await client.executeJob(company, job.jobHandle);
	options.log(
		`executeJob sent for "${job.name}"; watching every ${(options.pollMs ?? 1000) / 1000} s`,
	);
	let ours: ActiveJob | undefined;
	let appearedAfterMs: number | undefined;
	let logWithoutEnd = false;
	let ended: JobLog | undefined;
	const states: string[] = [];
	while (Date.now() - sentAt < (options.maxWatchMs ?? 3_600_000) && !ended) {
		await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
		const active = await client.getActiveJobs(company);
		const fresh = active.filter((run) => !before.has(run.jobHandle) && isRunOfJob(run, job.name));
		ours ??= fresh[0];
		if (ours && appearedAfterMs === undefined) appearedAfterMs = Date.now() - sentAt;
		const now = active.find((run) => run.jobHandle === ours?.jobHandle);
		if (now && states.at(-1) !== now.state) states.push(now.state);
		const { logs } = await client.getJobLogsInWindow(company, {
			startDate: new Date(sentAt - 600_000),
			endDate: new Date(Date.now() + 600_000),
		});
		const row = logs.find((l) =>
			ours
				? l.jobName === ours.name
				: isRunOfJob({ name: l.jobName }, job.name) &&
					parseIpsDate(l.startDate) >= sentAt - 600_000,
		);
		if (row && !row.endDate && now) logWithoutEnd = true;
		if (row && (row.endDate || (client.apiVersion === 'pre-4.0' && !now))) ended = row;
	}
	const named = ours
		? `name ${ours.name}, originalName "${ours.originalName}", handle ${ours.jobHandle}`
		: 'never listed';
	fact(
		'A started run shows up in getActiveJobs',
		ours ? 'confirmed' : 'contradicted',
		`${named}${appearedAfterMs === undefined ? '' : `, after ${appearedAfterMs} ms`}`,
	);
	if (ours) {
		const form = /_\d{4}-\d{2}-\d{2}-\d{2}:\d{2}/.test(ours.name.slice(job.name.length));
		fact(
			'A run is named <job>_<IPS timestamp>',
			form && ours.name.startsWith(`${job.name}_`) ? 'confirmed' : 'contradicted',
			ours.name,
		);
		fact(
			"IPS's clock and ours may differ",
			'not seen',
			`run start ${ours.startDate}, request sent ${new Date(sentAt).toISOString()}`,
		);
	}
	fact(
		'A log row exists while the run goes on, without endDate',
		logWithoutEnd ? 'confirmed' : 'not seen',
		`states seen: ${states.join(' → ') || 'none'}`,
	);
	fact(
		'A run that ended has a log row with endDate (4.0+)',
		ended?.endDate ? 'confirmed' : ended ? 'contradicted' : 'not seen',
		ended
			? `${ended.jobName}: ${ended.startDate} → ${ended.endDate || '(none)'}`
			: 'no log row before the watch ended',
	);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const flag = (name: string) => {
		const at = args.indexOf(name);
		return at === -1 ? undefined : args[at + 1];
	};
	const outDir =
		flag('--out') ?? join('.cache', `probe-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	if (!process.env.IPS_USER || !process.env.IPS_PASSWORD) {
		console.error(
			'Set IPS_USER and IPS_PASSWORD (and IPS_REGION or IPS_SERVICE_URL, IPS_API_VERSION, IPS_COMPANY).',
		);
		process.exitCode = 2;
		return;
	}
	const report = await runProbe({
		env: process.env,
		runJob: flag('--run-job'),
		outDir,
		log: (line) => console.log(line),
	});
	console.log(
		`${report.files.length} exchanges written to ${outDir} (password and auth header removed)`,
	);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : String(error));
		process.exitCode = 1;
	});
}
