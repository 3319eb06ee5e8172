// The IPS Trigger's poll: job runs of a company that ended since the last poll, each once. The
// cursor (in the workflow's static data, which n8n saves after a poll) is the set of log handles
// already seen within the look-back window; nothing is written to it unless the poll succeeded.
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { IpsClient, JobLog } from '../../ips/IpsClient';
import { isRoleAllowed, JOB_OPERATION_ROLES } from '../../ips/roles';
import { problemsOfRun } from '../../ips/runProblems';
import { jobNameOfRun, logRowSignature, parseIpsDate, summaryOfLog } from '../../ips/runs';
import { sleep } from '../../ips/sleep';
import { ipsClientFor } from '../../n8n/client';
import { credentialRole } from '../../n8n/credentials';
import { explainError, n8nError } from '../../n8n/errors';
import { numberSetting } from '../../n8n/parameters';

/** The Job Types constants of Adobe's reference. */
export const JOB_TYPES = [
	'ImageServingPublish',
	'ImageRenderingPublish',
	'ServerDirectoryPublish',
	'ServerDirectoryPublishWithTemplate',
	'VideoPublish',
	'UploadFromServerDirectory',
	'UrlUpload',
	'MetadataUpload',
	'ImageOptimization',
	'Cleanup',
] as const;

export const TRIGGER_RANGES = {
	longestRunHours: { label: 'Longest Run (Hours)', min: 1, max: 168, fallback: 24 },
};

/** IPS's clock may differ from ours by minutes: remembered runs are kept this much longer. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The window reaches past now (IPS's clock may be ahead): a future bound costs nothing. */
const WINDOW_AHEAD_MS = 86_400_000;
const STATIC_DATA_KEY = 'ipsEndedRuns';
/** Before 4.0, Fetch Test Event reads the logs twice, this far apart (see endedRuns). */
const TEST_EVENT_SECOND_READ_MS = 2_000;

interface Cursor {
	/** Log key → when this poll first saw the run ended (our clock). */
	seen: Record<string, number>;
	/**
	 * Before 4.0 (no end dates): log key → the row's signature when a poll first saw its run no longer
	 * active. The run fires when the next poll reads the same row (isFinalLog's rule).
	 */
	settling?: Record<string, string>;
}

interface Settings {
	companyHandle: string;
	jobs: string[];
	jobTypes: string[];
	outcome: string;
	includeFailedFiles: boolean;
	lookBackMs: number;
}

function settingsOf(context: IPollFunctions): Settings {
	const node = context.getNode();
	const company = context.getNodeParameter('companyHandle', '', { extractValue: true });
	if (typeof company !== 'string' || !company.trim()) {
		throw new NodeOperationError(node, 'Choose the company whose job runs start the workflow');
	}
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const list = (value: unknown) =>
		(Array.isArray(value) ? value : typeof value === 'string' && value ? value.split(',') : [])
			.map((entry) => String(entry).trim())
			.filter(Boolean);
	return {
		companyHandle: company.trim(),
		jobs: list(filters.jobs),
		jobTypes: list(filters.jobTypes),
		outcome: typeof filters.outcome === 'string' ? filters.outcome : 'any',
		includeFailedFiles: options.includeFailedFiles === true,
		lookBackMs:
			numberSetting(node, options.longestRunHours, TRIGGER_RANGES.longestRunHours) * 3_600_000,
	};
}

const keyOf = (log: JobLog) => log.jobHandle || log.jobName;

export async function pollEndedRuns(
	context: IPollFunctions,
	staticData: IDataObject,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	const settings = settingsOf(context);
	try {
		const { client, credential } = await ipsClientFor(context);
		const role = credentialRole(credential);
		if (!isRoleAllowed(role, JOB_OPERATION_ROLES)) {
			throw new NodeOperationError(
				node,
				`The IPS API credential's role "${role}" may not read job logs`,
				{ description: `Roles that may: ${JOB_OPERATION_ROLES.join(', ')}.` },
			);
		}
		const now = Date.now();
		const cursor = staticData[STATIC_DATA_KEY] as Cursor | undefined;
		if (context.getMode() === 'manual') {
			let { ended, settling } = await endedRuns(client, settings, now);
			// Before 4.0 a row is final only when a second read finds it unchanged: read once more.
			if (settling) {
				await sleep(TEST_EVENT_SECOND_READ_MS);
				({ ended } = await endedRuns(client, settings, Date.now(), settling));
			}
			return await latestForTest(context, client, settings, ended);
		}
		const { ended, settling } = await endedRuns(client, settings, now, cursor?.settling);
		const seen: Record<string, number> = {};
		// Only what can come back in a later window is remembered: the set stays bounded.
		for (const [key, at] of Object.entries(cursor?.seen ?? {}))
			if (at >= now - settings.lookBackMs - CLOCK_SKEW_MS) seen[key] = at;
		const fresh = cursor ? ended.filter((log) => !(keyOf(log) in seen)) : [];
		const items = await itemsFor(client, settings, fresh);
		for (const log of ended) seen[keyOf(log)] ??= now;
		// Written last: a poll that failed above leaves the cursor where it was.
		staticData[STATIC_DATA_KEY] = {
			seen,
			...(settling ? { settling } : {}),
		} satisfies Cursor as unknown as IDataObject;
		return items;
	} catch (error) {
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already an n8n error with its own words
		if (error instanceof NodeOperationError) throw error;
		const explanation = explainError(error, {
			operation: 'getJobLogs',
			phase: 'lookup',
			sideEffect: 'read',
			action: `check company "${settings.companyHandle}" for ended job runs`,
			credentialName: node.credentials?.ipsApi?.name,
		});
		throw n8nError(node, true, explanation);
	}
}

/**
 * The runs that ended within the look-back window, oldest end first: their log row is final
 * (isFinalLog). 4.0+: the row has an end date. Before 4.0 (no end dates): the run is no longer
 * active and its row read the same as at the previous poll (`settling` holds the rows seen once).
 */
async function endedRuns(
	client: IpsClient,
	settings: Settings,
	now: number,
	settlingBefore: Record<string, string> = {},
): Promise<{ ended: JobLog[]; settling?: Record<string, string> }> {
	const { logs } = await client.getJobLogsInWindow(settings.companyHandle, {
		startDate: new Date(now - settings.lookBackMs),
		endDate: new Date(now + WINDOW_AHEAD_MS),
	});
	const endOf = (log: JobLog) => parseIpsDate(log.endDate) || parseIpsDate(log.startDate) || 0;
	if (client.apiVersion !== 'pre-4.0')
		return { ended: logs.filter((log) => log.endDate).sort((a, b) => endOf(a) - endOf(b)) };
	const active = new Set(
		(await client.getActiveJobs(settings.companyHandle)).flatMap((run) => [
			run.jobHandle,
			run.name,
		]),
	);
	const ended: JobLog[] = [];
	const settling: Record<string, string> = {};
	for (const log of logs) {
		if (active.has(log.jobHandle) || active.has(log.jobName)) continue;
		const signature = logRowSignature(log);
		if (settlingBefore[keyOf(log)] === signature) ended.push(log);
		settling[keyOf(log)] = signature;
	}
	return { ended: ended.sort((a, b) => endOf(a) - endOf(b)), settling };
}

/** "Fetch Test Event": the latest matching ended run, or a clear word that there is none. */
async function latestForTest(
	context: IPollFunctions,
	client: IpsClient,
	settings: Settings,
	ended: JobLog[],
): Promise<INodeExecutionData[]> {
	const items = await itemsFor(client, settings, ended);
	const latest = items.at(-1);
	if (latest) return [latest];
	const hours = settings.lookBackMs / 3_600_000;
	throw new NodeOperationError(
		context.getNode(),
		`No job run of company "${settings.companyHandle}" that matches the filters ended in the last ${hours} hours`,
		{ description: 'Run a job in Dynamic Media Classic (or widen the filters), then fetch again.' },
	);
}

async function itemsFor(
	client: IpsClient,
	settings: Settings,
	logs: JobLog[],
): Promise<INodeExecutionData[]> {
	if (!logs.length) return [];
	// The type of a run is its scheduled job's: read only when a type filter needs it.
	const types = new Map<string, string>();
	if (settings.jobTypes.length)
		for (const job of await client.getScheduledJobs(settings.companyHandle))
			types.set(job.name, job.type);
	const items: INodeExecutionData[] = [];
	for (const log of logs) {
		const jobName = jobNameOfRun(log.jobName) ?? null;
		const jobType = (jobName && types.get(jobName)) || null;
		const summary = summaryOfLog(log);
		if (settings.jobs.length && !(jobName && settings.jobs.includes(jobName))) continue;
		if (settings.jobTypes.length && !(jobType && settings.jobTypes.includes(jobType))) continue;
		if (settings.outcome !== 'any' && summary.status !== settings.outcome) continue;
		const json: IDataObject = {
			companyHandle: log.companyHandle || settings.companyHandle,
			jobName,
			...(settings.jobTypes.length ? { jobType } : {}),
			...summary,
			submitUserEmail: log.submitUserEmail || null,
		};
		if (settings.includeFailedFiles)
			Object.assign(json, await problemsOfRun(client, settings.companyHandle, summary));
		items.push({ json });
	}
	return items;
}
