// The IPS operations the simulator answers, each returning the children of `<operation>Return`.
import type { XmlChild } from '../nodes/Ips/ips/xml';
import {
	advance,
	runState,
	SimCompany,
	SimJobLog,
	SimRun,
	SimScheduledJob,
	SimState,
	SimUser,
	startRun,
	startSubmittedRun,
	stopRun,
} from './state';
import { checkSubmitJobOrder } from './schema';
import { childText, XmlElement } from './xmlTree';

export type SimFaultKind = 'authentication' | 'authorization' | 'ipsApi';

export class SimFault extends Error {
	constructor(
		readonly kind: SimFaultKind,
		readonly code: number,
		readonly reason: string,
	) {
		super(reason);
	}
}

export interface OperationContext {
	state: SimState;
	user: SimUser;
	/** True for 6.0 and later (defaultRole, membershipArray). */
	membershipModel: boolean;
	/** True for the pre-4.0 API: job logs have no endDate there. */
	preV4: boolean;
	/** The API version of the request's namespace ('pre-4.0' or its date). */
	version: string;
	/** Raw XML fragments to put in place of markers after rendering (see rawXml). */
	raw: Map<string, string>;
	param: XmlElement;
	nowMs: number;
}

interface Operation {
	/** User types allowed; undefined = every signed-in user. */
	roles?: readonly string[];
	handle(ctx: OperationContext): XmlChild[];
}

// The user types Adobe's reference lists for the job operations (getActiveJobs' page, and 137 of 146
// operation pages). executeJob's page lists TrialSiteAdmin twice instead of IpsCompanyAdmin: a typo
// the simulator corrects, as IPS itself would have to for its company administrators.
const JOB_ROLES = [
	'IpsUser',
	'IpsAdmin',
	'IpsCompanyAdmin',
	'TrialSiteAdmin',
	'TrialSiteUser',
	'ImagePortalAdmin',
	'ImagePortalContrib',
	'ImagePortalContribUser',
];

// getJobLogDetails' own list in the reference: no TrialSiteAdmin, and ImagePortalUser too.
const JOB_LOG_DETAIL_ROLES = [
	'IpsUser',
	'IpsAdmin',
	'IpsCompanyAdmin',
	'TrialSiteUser',
	'ImagePortalAdmin',
	'ImagePortalUser',
	'ImagePortalContrib',
	'ImagePortalContribUser',
];

const SERVER_NAME = 'ips-simulator-1';

/** The job elements of submitJobParam the simulator runs, and the job type each becomes. */
const SUBMIT_JOB_TYPES: Record<string, string> = {
	imageServingPublishJob: 'ImageServingPublish',
	imageRenderingPublishJob: 'ImageRenderingPublish',
	videoPublishJob: 'VideoPublish',
	uploadUrlsJob: 'UrlUpload',
};

export const OPERATIONS: Record<string, Operation> = {
	checkLogin: {
		handle: ({ state, param }) => {
			const email = required(param, 'email');
			const password = required(param, 'password');
			const user = state.users.find((u) => u.email === email && u.password === password);
			const company = childText(param, 'companyHandle');
			const valid = user !== undefined && (!company || user.companies.includes(company));
			return [['status', valid ? 'ValidLogin' : 'InvalidLogin']];
		},
	},
	getUserInfo: {
		handle: ({ state, user, param, membershipModel }) => {
			const handle = childText(param, 'userHandle');
			const email = childText(param, 'email');
			const target =
				handle || email
					? state.users.find((u) => u.userHandle === handle || u.email === email)
					: user;
			if (!target)
				throw new SimFault('ipsApi', 30001, `Invalid parameter: no user ${handle || email}`);
			return [
				[
					'userInfo',
					[
						['userHandle', target.userHandle],
						['firstName', target.firstName],
						['lastName', target.lastName],
						['email', target.email],
						[membershipModel ? 'defaultRole' : 'role', target.role],
						['isValid', 'true'],
					],
				],
			];
		},
	},
	getCompanyMembership: {
		handle: ({ state, user, membershipModel }) => {
			const companies = state.companies.filter((c) => user.companies.includes(c.companyHandle));
			if (!membershipModel)
				return [['companyArray', companies.map((c) => ['items', companyChildren(c)] as const)]];
			return [
				[
					'membershipArray',
					companies.map(
						(c) =>
							[
								'items',
								[
									['company', companyChildren(c)],
									['role', user.role],
									['isActive', 'true'],
								],
							] as const,
					),
				],
			];
		},
	},
	getCompanyInfo: {
		handle: (ctx) => {
			const byName = childText(ctx.param, 'companyName');
			const handle =
				childText(ctx.param, 'companyHandle') ||
				ctx.state.companies.find((c) => c.name === byName)?.companyHandle;
			return [['companyInfo', companyChildren(memberCompany(ctx, handle ?? ''))]];
		},
	},
	getScheduledJobs: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
			const jobHandle = childText(ctx.param, 'jobHandle');
			const originalName = childText(ctx.param, 'originalName');
			const jobs = ctx.state.scheduledJobs.filter(
				(j) =>
					j.companyHandle === company.companyHandle &&
					(!jobHandle || j.jobHandle === jobHandle) &&
					(!originalName || j.name === originalName),
			);
			return [['jobArray', jobs.map((j) => ['items', scheduledJobChildren(j)] as const)]];
		},
	},
	getActiveJobs: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			advance(ctx.state, ctx.nowMs);
			const companyHandle = childText(ctx.param, 'companyHandle');
			if (companyHandle) memberCompany(ctx, companyHandle);
			const jobHandle = childText(ctx.param, 'jobHandle');
			const originalName = childText(ctx.param, 'originalName');
			// Queued runs are listed only when asked for (includeWaitingJobs, newer schemas).
			const withWaiting = childText(ctx.param, 'includeWaitingJobs') === 'true';
			const runs = ctx.state.runs.filter(
				(r) =>
					(companyHandle
						? r.companyHandle === companyHandle
						: ctx.user.companies.includes(r.companyHandle)) &&
					(!jobHandle || r.jobHandle === jobHandle) &&
					(!originalName || r.originalName === originalName) &&
					(withWaiting || runState(r, ctx.nowMs) !== 'WaitingCoordinator'),
			);
			return [['jobArray', runs.map((r) => ['items', activeJobChildren(r, ctx)] as const)]];
		},
	},
	getJobLogs: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			advance(ctx.state, ctx.nowMs);
			const companyHandle = childText(ctx.param, 'companyHandle');
			if (companyHandle) memberCompany(ctx, companyHandle);
			const from = dateParam(ctx.param, 'startDate');
			const to = dateParam(ctx.param, 'endDate');
			const numRows = Number(childText(ctx.param, 'numRows') || Infinity);
			const ascending = childText(ctx.param, 'sortDirection') === 'Ascending';
			const logs = ctx.state.jobLogs
				.filter(
					(l) =>
						(companyHandle
							? l.companyHandle === companyHandle
							: ctx.user.companies.includes(l.companyHandle)) &&
						(from === undefined || Date.parse(l.startDate) >= from) &&
						(to === undefined ||
							(ctx.state.jobLogEndDateExclusive
								? Date.parse(l.startDate) < to
								: Date.parse(l.startDate) <= to)),
				)
				.sort((a, b) => (ascending ? 1 : -1) * (Date.parse(a.startDate) - Date.parse(b.startDate)))
				.slice(0, numRows);
			return [['jobLogArray', logs.map((l) => ['items', jobLogChildren(l, ctx.preV4)] as const)]];
		},
	},
	getJobLogDetails: {
		roles: JOB_LOG_DETAIL_ROLES,
		handle: (ctx) => {
			advance(ctx.state, ctx.nowMs);
			const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
			const jobHandle = childText(ctx.param, 'jobHandle');
			const originalName = childText(ctx.param, 'originalName');
			const logs = ctx.state.jobLogs.filter(
				(l) =>
					l.companyHandle === company.companyHandle &&
					(!jobHandle || l.jobHandle === jobHandle) &&
					(!originalName || l.jobName.startsWith(`${originalName}_`)),
			);
			const page = detailPage(ctx);
			return [
				['jobLogArray', logs.map((l) => ['items', jobLogChildren(l, ctx.preV4, page)] as const)],
			];
		},
	},
	executeJob: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			const job = scheduledJob(ctx);
			if (job.triggerState === 'Paused') {
				throw new SimFault(
					'ipsApi',
					30000,
					`Job '${job.name}' is paused; resume it before running it`,
				);
			}
			startRun(ctx.state, job, ctx.nowMs, ctx.user.email);
			return [];
		},
	},
	submitJob: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
			const jobName = required(ctx.param, 'jobName');
			// Newer versions are checked here against the simulator's own list of what they added.
			if (!ctx.preV4) {
				const problem = checkSubmitJobOrder(ctx.param, ctx.version);
				if (problem) throw new SimFault('ipsApi', 30003, `Invalid request XML: ${problem}`);
			}
			const jobElements = ctx.param.children.filter((c) => SUBMIT_JOB_TYPES[c.name]);
			if (jobElements.length !== 1)
				throw new SimFault('ipsApi', 30001, 'Invalid parameter: submitJob needs exactly one job');
			const [job] = jobElements;
			if (
				ctx.state.scheduledJobs.some(
					(j) => j.companyHandle === company.companyHandle && j.name === jobName,
				) ||
				ctx.state.runs.some(
					(r) => r.companyHandle === company.companyHandle && r.originalName === jobName,
				)
			)
				throw new SimFault('ipsApi', 30000, `A job named '${jobName}' already exists`);
			const execTimeMs = dateParam(ctx.param, 'execTime');
			const files =
				job.name === 'uploadUrlsJob'
					? (job.children.find((c) => c.name === 'urlArray')?.children ?? []).map((item) => {
							const sourceUrl = childText(item, 'sourceUrl') ?? '';
							return {
								sourceUrl,
								destPath: childText(item, 'destPath') ?? '',
								ok: !ctx.state.failingSourceUrls.includes(sourceUrl),
							};
						})
					: undefined;
			const post = job.children.find((c) => c.name === 'postImageServingPublishJob');
			startSubmittedRun(ctx.state, {
				companyHandle: company.companyHandle,
				jobName,
				type: SUBMIT_JOB_TYPES[job.name],
				submitUserEmail: ctx.user.email,
				nowMs: ctx.nowMs,
				execTimeMs,
				files,
				postPublish: post ? { publishType: childText(post, 'publishType') ?? 'Full' } : undefined,
			});
			const companyId = company.companyHandle.replace(/^c\|/, '');
			return [['jobHandle', `j|${companyId}|${jobName}||`]];
		},
	},
	pauseJob: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			scheduledJob(ctx).triggerState = 'Paused';
			return [];
		},
	},
	resumeJob: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			scheduledJob(ctx).triggerState = 'Normal';
			return [];
		},
	},
	stopJob: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
			const handle = required(ctx.param, 'jobHandle');
			const run = ctx.state.runs.find(
				(r) => r.companyHandle === company.companyHandle && r.jobHandle === handle,
			);
			if (!run) throw new SimFault('ipsApi', 30001, `Invalid parameter: no active job ${handle}`);
			if (runState(run, ctx.nowMs) === 'Done')
				throw new SimFault(
					'ipsApi',
					30000,
					`Job ${run.name} has already ended and cannot be stopped`,
				);
			if (!run.stopped) stopRun(run, ctx.nowMs);
			return [];
		},
	},
	deleteJob: {
		roles: JOB_ROLES,
		handle: (ctx) => {
			const job = scheduledJob(ctx);
			ctx.state.scheduledJobs = ctx.state.scheduledJobs.filter((j) => j !== job);
			return [];
		},
	},
};

function required(param: XmlElement, name: string): string {
	const value = childText(param, name);
	if (!value) throw new SimFault('ipsApi', 30002, `Missing parameter: ${name}`);
	return value;
}

function dateParam(param: XmlElement, name: string): number | undefined {
	const text = childText(param, name);
	if (!text) return undefined;
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new SimFault('ipsApi', 30001, `Invalid parameter: ${name} "${text}"`);
	return ms;
}

function memberCompany({ state, user }: OperationContext, handle: string): SimCompany {
	const company = state.companies.find((c) => c.companyHandle === handle);
	if (!company || !user.companies.includes(handle)) {
		throw new SimFault('authorization', 20000, `Invalid company handle: '${handle}'`);
	}
	return company;
}

function scheduledJob(ctx: OperationContext): SimScheduledJob {
	const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
	const handle = required(ctx.param, 'jobHandle');
	const job = ctx.state.scheduledJobs.find(
		(j) => j.companyHandle === company.companyHandle && j.jobHandle === handle,
	);
	if (!job)
		throw new SimFault(
			'ipsApi',
			30001,
			`Invalid parameter: no scheduled job with handle '${handle}'`,
		);
	return job;
}

function companyChildren(c: SimCompany): XmlChild[] {
	return [
		['companyHandle', c.companyHandle],
		['name', c.name],
		['rootPath', c.rootPath ?? `${c.name}/`],
	];
}

function scheduledJobChildren(j: SimScheduledJob): XmlChild[] {
	return [
		['companyHandle', j.companyHandle],
		['jobHandle', j.jobHandle],
		['name', j.name],
		['originalName', j.name],
		['type', j.type],
		['submitUserEmail', j.submitUserEmail],
		['execSchedule', j.execSchedule],
		['timeZone', j.timeZone],
		['triggerState', j.triggerState],
	];
}

function activeJobChildren(r: SimRun, { nowMs, state: sim, raw }: OperationContext): XmlChild[] {
	const state = runState(r, nowMs);
	const span = Math.max(1, r.endsAtMs - r.startedAtMs);
	const progress =
		state === 'New' || state === 'WaitingCoordinator'
			? 0
			: state === 'Done'
				? 100
				: Math.min(99, Math.floor(((nowMs - r.startedAtMs) / span) * 100));
	const message =
		state === 'Running'
			? 'Processing files'
			: state === 'New' || state === 'WaitingCoordinator'
				? 'Waiting'
				: state;
	return [
		['companyHandle', r.companyHandle],
		['jobHandle', r.jobHandle],
		['name', r.name],
		['originalName', r.originalName],
		['type', sim.activeJobsWithoutType ? undefined : r.type],
		['state', state],
		['submitUserEmail', r.submitUserEmail],
		['serverName', SERVER_NAME],
		['startDate', new Date(r.startedAtMs + sim.clockOffsetMs).toISOString()],
		['totalSize', String(r.fileCount * 1024)],
		['progress', String(progress)],
		['progressMessage', r.progressMessageXml ? rawXml(raw, r.progressMessageXml) : message],
		['lastProgressUpdate', new Date(nowMs + sim.clockOffsetMs).toISOString()],
		// Like the recorded answers: the job's own element after the common fields.
		...jobElementOf(r),
	];
}

/** The active job's own job element, as the answers recorded from IPS carry it. */
function jobElementOf(r: SimRun): XmlChild[] {
	const element = Object.keys(SUBMIT_JOB_TYPES).find((name) => SUBMIT_JOB_TYPES[name] === r.type);
	if (!element) return [];
	if (element === 'uploadUrlsJob')
		return [
			[
				element,
				[
					['urlArray', []],
					['overwrite', 'true'],
					['emailSetting', 'None'],
				],
			],
		];
	return [
		[
			element,
			[
				['publishType', element === 'imageServingPublishJob' ? 'Full' : undefined],
				['emailSetting', 'None'],
			],
		],
	];
}

/**
 * Text the XML builder would escape, sent as it is instead: a marker goes into the tree and the
 * server puts the fragment in its place after rendering (markers hold only safe characters).
 */
function rawXml(raw: Map<string, string>, fragment: string): string {
	const marker = `SIMRAW${raw.size}X${Math.random().toString(36).slice(2)}`;
	raw.set(marker, fragment);
	return marker;
}

/** How getJobLogDetails pages (4.0+: logTypeArray, recordsPerPage at most 1000, resultsPage, sortDirection). */
interface DetailPage {
	logTypes?: Set<string>;
	perPage: number;
	page: number;
	descending: boolean;
}

const MAX_DETAIL_RECORDS = 1000;

function detailPage(ctx: OperationContext): DetailPage {
	const types = ctx.param.children.find((c) => c.name === 'logTypeArray');
	const perPage = Number(childText(ctx.param, 'recordsPerPage') || MAX_DETAIL_RECORDS);
	const page = Number(childText(ctx.param, 'resultsPage') || 1);
	if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_DETAIL_RECORDS)
		throw new SimFault('ipsApi', 30001, `Invalid parameter: recordsPerPage ${perPage} (1 to 1000)`);
	if (!Number.isInteger(page) || page < 1)
		throw new SimFault('ipsApi', 30001, `Invalid parameter: resultsPage ${page}`);
	return {
		logTypes: types ? new Set(types.children.map((c) => c.text)) : undefined,
		perPage,
		page,
		descending: childText(ctx.param, 'sortDirection') === 'Descending',
	};
}

function jobLogChildren(l: SimJobLog, preV4: boolean, details?: DetailPage): XmlChild[] {
	const children: XmlChild[] = [
		['companyHandle', l.companyHandle],
		['jobHandle', l.jobHandle],
		['jobName', l.jobName],
		['submitUserEmail', l.submitUserEmail],
		['logType', l.logType],
		['startDate', l.startDate],
		// endDate came with 4.0, and only once the run has completed.
		['endDate', preV4 || !l.endDate ? undefined : l.endDate],
		['fileSuccessCount', String(l.fileSuccessCount)],
		['fileErrorCount', String(l.fileErrorCount)],
		['fileWarningCount', String(l.fileWarningCount)],
		['fileDuplicateCount', String(l.fileDuplicateCount)],
		['fileUpdateCount', String(l.fileUpdateCount)],
		['totalFileCount', String(l.totalFileCount)],
		['fatalError', String(l.fatalError)],
	];
	if (l.transferErrorCount !== undefined && !preV4)
		children.push(['transferErrorCount', String(l.transferErrorCount)]);
	if (details) {
		const matching = l.details.filter((d) => !details.logTypes || details.logTypes.has(d.logType));
		if (details.descending) matching.reverse();
		// Before 4.0 there is no paging: every detail comes at once.
		const shown = preV4
			? matching
			: matching.slice((details.page - 1) * details.perPage, details.page * details.perPage);
		if (!preV4) children.push(['detailTotalRows', String(matching.length)]);
		const rows = shown.map(
			(d) =>
				[
					'items',
					[
						['logMessage', d.logMessage],
						['logType', d.logType],
						['assetName', d.assetName],
						['assetType', d.assetType],
					],
				] as const,
		);
		children.push(['detailArray', rows]);
	}
	return children;
}
