// One method per IPS operation this package uses: build → send → parse → typed result or error.
// Knows nothing of n8n, so the simulator's tests, the demo and the benchmarks use it as it is.
import {
	AuthHeader,
	buildEnvelope,
	EMPTY_ANSWER_OPERATIONS,
	envelopeStart,
	soapHttpHeaders,
} from './envelope';
import { cancelledError, IpsFault, IpsTransportError } from './faults';
import { ApiVersion, namespaceOf } from './namespaces';
import {
	itemsOf,
	numberOf,
	parseSoapResponseInSlices,
	ParsedObject,
	RowSink,
	textOf,
} from './parse';
import { DEFAULT_REQUEST_TIMEOUT_MS, SoapTransport, undiciTransport } from './transport';
import { logTypesOf, ProblemKind, severityOf } from './logTypes';
import { parseIpsDate } from './runs';
import { sleep } from './sleep';
import { SubmitJobRequest, submitJobChildren } from './submitJob';
import { escapeXmlText, XmlChild, xmlTextProblem } from './xml';

/** A connection refused before any byte left is retried this often, never more. */
export const MAX_RETRIES_WHEN_NEVER_SENT = 2;
const RETRY_DELAYS_MS = [250, 1_000];
/**
 * Operations that change something in IPS. Everything else only reads, and a read is sent once
 * more when a reused keep-alive connection turns out to have been closed by the server.
 */
const CHANGING_OPERATIONS = new Set([
	'executeJob',
	'pauseJob',
	'resumeJob',
	'stopJob',
	'deleteJob',
	'submitJob',
]);
/** The cap for answers that are an empty `…Return` (and faults): more is not IPS speaking. */
export const MAX_EMPTY_ANSWER_BYTES = 16 * 1024;
/** IPS's documented sort for job logs (Job Log Sort Fields) and the page size this client asks for. */
export const JOB_LOG_PAGE_ROWS = 1000;
/** A window holding more rows than this is cut, and the cut is reported. */
export const MAX_JOB_LOG_PAGES = 50;
/** At most this many pages of one run's details are read (100,000 files). */
const MAX_DETAIL_PAGES = 100;

export interface CallOptions {
	/** Overrides the client's request timeout for this call (a nearer deadline). */
	timeoutMs?: number;
}

/** Where a call's list rows go as they are read, if not into its answer (see readActiveJobs). */
interface RowsOption {
	rows?: RowSink;
}

export interface IpsClientOptions {
	serviceUrl: string;
	apiVersion: ApiVersion;
	auth: AuthHeader;
	requestTimeoutMs?: number;
	transport?: SoapTransport;
	/** Cancels every request of this client (n8n's execution cancel signal). */
	signal?: AbortSignal;
}

export interface UserInfo {
	userHandle: string;
	email: string;
	firstName: string;
	lastName: string;
	/** `role` before 6.0, `defaultRole` from 6.0 on. */
	role: string;
}

export interface Company {
	companyHandle: string;
	name: string;
	/** The user's role in it (6.0+ membership answers); empty where the version has none. */
	role: string;
}

export interface ScheduledJob {
	companyHandle: string;
	jobHandle: string;
	name: string;
	originalName: string;
	type: string;
	submitUserEmail: string;
	execSchedule: string;
	nextFireTime: string;
	timeZone: string;
	triggerState: string;
}

export interface ActiveJob {
	companyHandle: string;
	jobHandle: string;
	name: string;
	originalName: string;
	type: string;
	state: string;
	submitUserEmail: string;
	startDate: string;
	progress?: number;
	progressMessage: string;
}

export interface JobLog {
	companyHandle: string;
	jobHandle: string;
	jobName: string;
	submitUserEmail: string;
	logType: string;
	startDate: string;
	/** Empty while the run goes on (4.0+), and always empty before 4.0. */
	endDate: string;
	fileSuccessCount: number;
	fileErrorCount: number;
	fileWarningCount: number;
	totalFileCount: number;
	transferErrorCount?: number;
	transferWarningCount?: number;
	fatalError: boolean;
}

export interface JobLogDetail {
	logType: string;
	logMessage: string;
	assetName: string;
	assetType: string;
}

export interface RunProblems {
	/** The failed and warned files, as many as were asked for (newest first where IPS sorts). */
	problems: Array<JobLogDetail & { severity: 'error' | 'warning' }>;
	/** How many there are in all (IPS's detailTotalRows, or counted). */
	total: number;
	runName: string;
	/** Whether the run's log is final (has endDate): false = the list may still grow; null before 4.0 (no end dates). */
	runEnded: boolean | null;
}

/** IPS's page size for job log details, and its maximum (getJobLogDetails, 4.0+). */
export const DETAIL_PAGE_ROWS = 1000;

export interface JobLogWindow {
	startDate: Date;
	endDate: Date;
}

export interface JobLogPages {
	logs: JobLog[];
	/** True when the window held more rows than MAX_JOB_LOG_PAGES pages: the oldest are missing. */
	truncated: boolean;
}

export class IpsClient {
	private readonly namespace: string;
	private readonly transport: SoapTransport;
	private readonly timeoutMs: number;
	/** The password as an echoing server could give it back: raw, escaped or encoded. */
	private readonly secretForms: string[];
	/** The envelope up to the body, auth header included: rendered on the first request, then reused. */
	private start: string | undefined;
	private lastEnvelope:
		{ operation: string; children: readonly XmlChild[]; body: string } | undefined;
	/**
	 * The last answer read to an operation whose answer is empty (a job run started, say): the same
	 * text again (every item of an Execute Job) reads the same, so it is not read again.
	 */
	private lastEmptyAnswer:
		{ operation: string; status: number; body: string; read: ParsedObject } | undefined;

	constructor(private readonly options: IpsClientOptions) {
		this.namespace = namespaceOf(options.apiVersion);
		this.transport = options.transport ?? undiciTransport;
		this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
		const { password } = options.auth;
		this.secretForms = echoedForms(options.auth.user, password);
	}

	get apiVersion(): ApiVersion {
		return this.options.apiVersion;
	}

	/**
	 * Resolves once a request can go out without loading the HTTP library first (a process's first
	 * request loads it): a bound on how long IPS takes to answer starts counting from here.
	 */
	async ready(): Promise<void> {
		await this.transport.ready?.();
	}

	/** Sends one operation; returns its `<operation>Return` content or throws IpsFault / IpsTransportError. */
	async call(
		operation: string,
		children: readonly XmlChild[],
		options: CallOptions & RowsOption = {},
	): Promise<ParsedObject> {
		const body = this.envelopeOf(operation, children);
		let resetRetried = false;
		for (let attempt = 0; ; attempt++) {
			let error: unknown;
			try {
				return await this.send(operation, body, options);
			} catch (thrown) {
				error = thrown;
			}
			// Only a refused connection proves that nothing left: anything else may have started a job.
			const neverSent =
				error instanceof IpsTransportError &&
				error.kind === 'connectionRefused' &&
				attempt < MAX_RETRIES_WHEN_NEVER_SENT;
			// A read may be repeated: once, when the connection was closed under it.
			const readReset =
				!resetRetried &&
				!CHANGING_OPERATIONS.has(operation) &&
				error instanceof IpsTransportError &&
				error.kind === 'connectionReset';
			if (!neverSent && !readReset) throw this.redacted(error);
			if (readReset) {
				resetRetried = true;
				continue;
			}
			if (!(await sleep(RETRY_DELAYS_MS[attempt], this.options.signal))) {
				throw cancelledError();
			}
		}
	}

	/**
	 * The request's envelope. The same call again (one job run for every item, a poll) sends the
	 * envelope already rendered: only flat text children are compared, anything else is rendered anew.
	 */
	private envelopeOf(operation: string, children: readonly XmlChild[]): string {
		const last = this.lastEnvelope;
		if (last && last.operation === operation && sameTextChildren(last.children, children))
			return last.body;
		// A credential XML cannot carry throws here, on every call, as the credential's problem.
		this.start ??= envelopeStart(this.options.auth);
		const body = buildEnvelope(
			{ operation, namespace: this.namespace, auth: this.options.auth, children },
			this.start,
		);
		this.lastEnvelope = { operation, children, body };
		return body;
	}

	private async send(
		operation: string,
		body: string,
		options: CallOptions & RowsOption,
	): Promise<ParsedObject> {
		const emptyAnswer = EMPTY_ANSWER_OPERATIONS.has(operation);
		const { status, body: answer } = await this.transport.post({
			url: this.options.serviceUrl,
			headers: soapHttpHeaders(operation),
			body,
			timeoutMs: Math.max(1, Math.min(this.timeoutMs, options.timeoutMs ?? Infinity)),
			signal: this.options.signal,
			maxResponseBytes: emptyAnswer ? MAX_EMPTY_ANSWER_BYTES : undefined,
			inParts: !emptyAnswer,
		});
		const last = this.lastEmptyAnswer;
		if (last && last.body === answer && last.status === status && last.operation === operation)
			return last.read;
		const read = await parseSoapResponseInSlices(
			operation,
			status,
			answer,
			(text) => this.scrub(text),
			options.rows,
		);
		if (emptyAnswer && typeof answer === 'string')
			this.lastEmptyAnswer = { operation, status, body: answer, read: Object.freeze(read) };
		return read;
	}

	/** Starts a run of a scheduled job. Not idempotent: every call that reaches IPS starts one. */
	async executeJob(companyHandle: string, jobHandle: string): Promise<void> {
		await this.call('executeJob', [
			['companyHandle', companyHandle],
			['jobHandle', jobHandle],
		]);
	}

	/** Pauses, resumes or stops: the answer is empty; a change that is safe to repeat. */
	async changeJob(
		operation: 'pauseJob' | 'resumeJob' | 'stopJob',
		companyHandle: string,
		jobHandle: string,
	): Promise<void> {
		await this.call(operation, [
			['companyHandle', companyHandle],
			['jobHandle', jobHandle],
		]);
	}

	/** The signed-in user (empty handle and e-mail ask about the caller). */
	async getUserInfo(): Promise<UserInfo> {
		const answer = await this.call('getUserInfo', []);
		const info = objectChild(answer, 'userInfo');
		return {
			userHandle: textOf(info, 'userHandle'),
			email: textOf(info, 'email'),
			firstName: textOf(info, 'firstName'),
			lastName: textOf(info, 'lastName'),
			role: textOf(info, 'defaultRole') || textOf(info, 'role'),
		};
	}

	async getCompanyMembership(): Promise<Company[]> {
		const answer = await this.call('getCompanyMembership', []);
		// 6.0+ answers membershipArray, older versions companyArray: whichever came is read.
		// The reference's own example puts the company fields flat in membership items: both are read.
		const memberships = itemsOf(answer.membershipArray).map((item) => {
			const nested = objectChild(item, 'company');
			const company = textOf(nested, 'companyHandle') ? nested : item;
			return { company, role: textOf(item, 'role') };
		});
		const older = itemsOf(answer.companyArray).map((company) => ({ company, role: '' }));
		return [...memberships, ...older].map(({ company, role }) => ({
			companyHandle: textOf(company, 'companyHandle'),
			name: textOf(company, 'name'),
			role,
		}));
	}

	async getScheduledJobs(companyHandle: string): Promise<ScheduledJob[]> {
		const answer = await this.call('getScheduledJobs', [['companyHandle', companyHandle]]);
		return itemsOf(answer.jobArray).map((job) => ({
			companyHandle: textOf(job, 'companyHandle'),
			jobHandle: textOf(job, 'jobHandle'),
			name: textOf(job, 'name'),
			originalName: textOf(job, 'originalName'),
			type: textOf(job, 'type'),
			submitUserEmail: textOf(job, 'submitUserEmail'),
			execSchedule: textOf(job, 'execSchedule'),
			nextFireTime: textOf(job, 'nextFireTime'),
			timeZone: textOf(job, 'timeZone'),
			triggerState: textOf(job, 'triggerState'),
		}));
	}

	async getActiveJobs(
		companyHandle: string,
		originalName?: string,
		options: CallOptions = {},
	): Promise<ActiveJob[]> {
		const jobs: ActiveJob[] = [];
		await this.readActiveJobs(companyHandle, (job) => jobs.push(job), { ...options, originalName });
		return jobs;
	}

	/**
	 * As getActiveJobs, handing each run to `take` as it is read rather than as one list at the end
	 * (see RowSink): whoever keeps few of them keeps a large list from outliving its read. Resolves
	 * once the whole answer has been read; on an error, the runs already taken are not an answer.
	 */
	async readActiveJobs(
		companyHandle: string,
		take: (job: ActiveJob) => void,
		options: CallOptions & { originalName?: string } = {},
	): Promise<void> {
		const rows: RowSink = {
			path: ['Envelope', 'Body', 'getActiveJobsReturn', 'jobArray'],
			take: (row) => {
				if (typeof row === 'object') take(activeJobOf(row));
			},
		};
		await this.call(
			'getActiveJobs',
			[
				['companyHandle', companyHandle],
				['originalName', options.originalName],
			],
			{ timeoutMs: options.timeoutMs, rows },
		);
	}

	/**
	 * One page of job logs in a date window, newest first. Sort, direction, row count and window are
	 * always sent: IPS documents no defaults for them (see the README, Wait for Completion).
	 */
	async getJobLogs(
		companyHandle: string,
		window: JobLogWindow,
		options: CallOptions & { numRows?: number } = {},
	): Promise<JobLog[]> {
		const answer = await this.call(
			'getJobLogs',
			[
				['companyHandle', companyHandle],
				['sortBy', 'StartDate'],
				['sortDirection', 'Descending'],
				['startDate', window.startDate.toISOString()],
				['endDate', window.endDate.toISOString()],
				['numRows', String(options.numRows ?? JOB_LOG_PAGE_ROWS)],
			],
			options,
		);
		return itemsOf(answer.jobLogArray).map(jobLogOf);
	}

	/**
	 * Every job log in a window: a full page asks again for the rows that started up to just after the
	 * oldest row seen (rows are told apart by handle and name, so a boundary row is kept once).
	 */
	async getJobLogsInWindow(
		companyHandle: string,
		window: JobLogWindow,
		options: CallOptions & { pageRows?: number } = {},
	): Promise<JobLogPages> {
		const pageRows = options.pageRows ?? JOB_LOG_PAGE_ROWS;
		const seen = new Set<string>();
		const logs: JobLog[] = [];
		let endDate = window.endDate;
		for (let page = 0; page < MAX_JOB_LOG_PAGES; page++) {
			const rows = await this.getJobLogs(
				companyHandle,
				{ startDate: window.startDate, endDate },
				{ ...options, numRows: pageRows },
			);
			let oldest = Infinity;
			for (const row of rows) {
				const key = `${row.jobHandle}\u0000${row.jobName}\u0000${row.startDate}`;
				if (seen.has(key)) continue;
				seen.add(key);
				logs.push(row);
				const start = parseIpsDate(row.startDate);
				if (start < oldest) oldest = start;
			}
			if (rows.length < pageRows) return { logs, truncated: false };
			// A full page whose oldest new row did not move the window back cannot be paged further.
			if (!(oldest < endDate.getTime())) return { logs, truncated: true };
			// The next page ends just after this one's oldest row: rows that start at that same
			// moment may not all have fit on this page, and IPS does not say whether a row that starts
			// at endDate itself is in the window. Rows read again are skipped (`seen`).
			endDate = new Date(oldest + 1);
		}
		return { logs, truncated: true };
	}

	/**
	 * The failed and warned files of one run (getJobLogDetails filtered to the problem log types).
	 * Reads pages until `max` problems are in hand, and counts the rest from detailTotalRows.
	 */
	async getProblems(
		companyHandle: string,
		runHandle: string,
		options: { kind?: ProblemKind; max?: number; pageRows?: number } = {},
	): Promise<RunProblems> {
		const { details, total, runName, runEnded } = await this.getRunDetails(
			companyHandle,
			runHandle,
			{ ...options, logTypes: logTypesOf(options.kind ?? 'all') },
		);
		const problems = details.map((detail) => ({
			...detail,
			severity: severityOf(detail.logType) ?? 'error',
		}));
		return { problems, total, runName, runEnded };
	}

	/**
	 * One run's log details (getJobLogDetails), newest first, of `logTypes` only when given: paged by
	 * IPS's 1,000 rows from 4.0 on; before 4.0 every detail comes at once and is filtered here.
	 */
	async getRunDetails(
		companyHandle: string,
		runHandle: string,
		options: { logTypes?: readonly string[]; max?: number; pageRows?: number } = {},
	): Promise<{
		details: JobLogDetail[];
		total: number;
		runName: string;
		runEnded: boolean | null;
	}> {
		const types = options.logTypes;
		const max = options.max ?? Infinity;
		const pageRows = Math.min(options.pageRows ?? DETAIL_PAGE_ROWS, DETAIL_PAGE_ROWS);
		const preV4 = this.apiVersion === 'pre-4.0';
		const details: JobLogDetail[] = [];
		let total: number | undefined;
		let runName = '';
		let runEnded: boolean | null = preV4 ? null : false;
		for (let page = 1; page <= MAX_DETAIL_PAGES; page++) {
			const answer = await this.call('getJobLogDetails', [
				['companyHandle', companyHandle],
				['jobHandle', runHandle],
				...(preV4
					? []
					: ([
							['logTypeArray', types?.map((type) => ['items', type] as const)],
							['recordsPerPage', String(pageRows)],
							['resultsPage', String(page)],
							['sortBy', 'Date'],
							['sortDirection', 'Descending'],
						] as const)),
			]);
			const log = itemsOf(answer.jobLogArray)[0];
			if (!log) break;
			runName ||= textOf(log, 'jobName');
			if (!preV4 && textOf(log, 'endDate')) runEnded = true;
			total ??= numberOf(log, 'detailTotalRows');
			const rows = itemsOf(log.detailArray);
			for (const row of rows) {
				const logType = textOf(row, 'logType');
				if (types && !types.includes(logType)) continue;
				details.push({
					logType,
					logMessage: textOf(row, 'logMessage'),
					assetName: textOf(row, 'assetName'),
					assetType: textOf(row, 'assetType'),
				});
			}
			const more =
				!preV4 && rows.length >= pageRows && (total === undefined || page * pageRows < total);
			if (!more || details.length >= max) break;
		}
		if (preV4) details.reverse();
		return {
			details: details.slice(0, max),
			total: total ?? details.length,
			runName,
			runEnded,
		};
	}

	/**
	 * The log row of one run (getJobLogDetails asked for its first detail only, from 4.0 on), or
	 * undefined when IPS has none for that handle.
	 */
	async getRunLog(companyHandle: string, runHandle: string): Promise<JobLog | undefined> {
		const answer = await this.call('getJobLogDetails', [
			['companyHandle', companyHandle],
			['jobHandle', runHandle],
			...(this.apiVersion === 'pre-4.0'
				? []
				: ([
						['recordsPerPage', '1'],
						['resultsPage', '1'],
					] as const)),
		]);
		const log = itemsOf(answer.jobLogArray)[0];
		return log ? jobLogOf(log) : undefined;
	}

	/**
	 * Submits a publish or upload job under a name of our choosing; answers the job's handle. Not
	 * idempotent: a submit that reaches IPS creates a job.
	 */
	async submitJob(request: SubmitJobRequest): Promise<string> {
		const answer = await this.call('submitJob', submitJobChildren(request, this.apiVersion));
		return textOf(answer, 'jobHandle');
	}

	/**
	 * A hostile or broken server may echo the request (and so the password) in an error page:
	 * no error leaves this client with the password in it, raw or XML-escaped.
	 */
	private redacted(error: unknown): unknown {
		if (!(error instanceof IpsFault || error instanceof IpsTransportError)) return error;
		return error.scrubbed((text) => this.scrub(text));
	}

	private scrub(text: string): string {
		// An echoed request: its whole auth header goes, not only the password in it.
		let out = text.includes('<authHeader')
			? text.replace(/<authHeader[\s\S]*?(<\/authHeader>|$)/g, '<authHeader>***</authHeader>')
			: text;
		for (const secret of this.secretForms)
			if (out.includes(secret)) out = out.split(secret).join('***');
		return out;
	}
}

/**
 * Every form in which a server, a proxy or an error page may echo the password: as sent (XML-escaped),
 * raw, JSON-escaped, URL-encoded, and base64 (alone or as HTTP Basic's `user:password`).
 */
function echoedForms(user: string, password: string): string[] {
	if (!password) return [];
	const forms = [
		password,
		// A password XML cannot carry is refused when the envelope is built, as the credential's problem.
		xmlTextProblem(password) ? '' : escapeXmlText(password, 'password'),
		JSON.stringify(password).slice(1, -1),
		encodeURIComponent(password),
		encodeURIComponent(password).replace(/%20/g, '+'),
		Buffer.from(password).toString('base64'),
		Buffer.from(`${user}:${password}`).toString('base64'),
	];
	// Longest first, so a form inside another is not left half-replaced.
	return [...new Set(forms.filter((form) => form.length >= 4))].sort((a, b) => b.length - a.length);
}

function jobLogOf(log: ParsedObject): JobLog {
	return {
		companyHandle: textOf(log, 'companyHandle'),
		jobHandle: textOf(log, 'jobHandle'),
		jobName: textOf(log, 'jobName'),
		submitUserEmail: textOf(log, 'submitUserEmail'),
		logType: textOf(log, 'logType'),
		startDate: textOf(log, 'startDate'),
		endDate: textOf(log, 'endDate'),
		fileSuccessCount: numberOf(log, 'fileSuccessCount') ?? 0,
		fileErrorCount: numberOf(log, 'fileErrorCount') ?? 0,
		fileWarningCount: numberOf(log, 'fileWarningCount') ?? 0,
		totalFileCount: numberOf(log, 'totalFileCount') ?? 0,
		transferErrorCount: numberOf(log, 'transferErrorCount'),
		transferWarningCount: numberOf(log, 'transferWarningCount'),
		fatalError: textOf(log, 'fatalError') === 'true',
	};
}

/** The job type an active job's own job element tells (its `type` may be missing). */
const TYPE_OF_JOB_ELEMENT: Record<string, string> = {
	imageServingPublishJob: 'ImageServingPublish',
	imageRenderingPublishJob: 'ImageRenderingPublish',
	videoPublishJob: 'VideoPublish',
	serverDirectoryPublishJob: 'ServerDirectoryPublish',
	uploadDirectoryJob: 'UploadFromServerDirectory',
	uploadUrlsJob: 'UrlUpload',
};

function activeJobOf(job: ParsedObject): ActiveJob {
	return {
		companyHandle: textOf(job, 'companyHandle'),
		jobHandle: textOf(job, 'jobHandle'),
		name: textOf(job, 'name'),
		originalName: textOf(job, 'originalName'),
		type: textOf(job, 'type') || typeOfJobElement(job),
		state: textOf(job, 'state'),
		submitUserEmail: textOf(job, 'submitUserEmail'),
		startDate: textOf(job, 'startDate'),
		progress: numberOf(job, 'progress'),
		progressMessage: textOf(job, 'progressMessage'),
	};
}

function typeOfJobElement(job: ParsedObject): string {
	const element = Object.keys(TYPE_OF_JOB_ELEMENT).find((name) => name in job);
	return element ? TYPE_OF_JOB_ELEMENT[element] : '';
}

function objectChild(node: ParsedObject, name: string): ParsedObject {
	const value = node[name];
	return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

/** Whether two lists of children are the same names and the same text values (no nested ones). */
function sameTextChildren(a: readonly XmlChild[], b: readonly XmlChild[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const [name, value] = b[i];
		if (a[i][0] !== name || a[i][1] !== value || (value !== undefined && typeof value !== 'string'))
			return false;
	}
	return true;
}
