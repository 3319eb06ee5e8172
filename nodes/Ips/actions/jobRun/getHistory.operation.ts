// Job Run → Get History: ended runs from the job logs (getJobLogs), newest first, with filters.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { IpsClient, JobLog } from '../../ips/IpsClient';
import { JOB_OPERATION_ROLES } from '../../ips/roles';
import { isRunOfJob, parseIpsDate, summaryOfLog } from '../../ips/runs';
import { ItemInputError } from '../../n8n/errors';
import { handleOf } from '../../n8n/handles';
import { runOperation } from '../../n8n/operation';
import { limitOf } from '../../n8n/parameters';
import { withField } from '../../n8n/withField';
import { companyField, returnAllFields, RUN_STATUS_FILTER_OPTIONS } from '../common.fields';

/** Without a From date, the history starts this long ago. */
const DEFAULT_HISTORY_DAYS = 7;

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['jobRun'], operation: ['getHistory'] } },
	[
		companyField,
		...returnAllFields,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'From',
					name: 'from',
					type: 'dateTime',
					default: '',
					description: `Runs that started at or after this time (default: ${DEFAULT_HISTORY_DAYS} days ago)`,
				},
				{
					displayName: 'Job Name',
					name: 'jobName',
					type: 'string',
					default: '',
					description: 'Only runs of the scheduled job with this exact name',
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					default: 'any',
					options: RUN_STATUS_FILTER_OPTIONS,
				},
				{
					displayName: 'To',
					name: 'to',
					type: 'dateTime',
					default: '',
					description: 'Runs that started at or before this time (default: now)',
				},
			],
		},
	],
);

interface HistoryFilters {
	from?: unknown;
	to?: unknown;
	jobName?: unknown;
	status?: unknown;
}

function dateFilter(value: unknown, field: string, fallback: number, itemIndex: number): Date {
	if (value === undefined || value === null || value === '') return new Date(fallback);
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(ms)) {
		throw new ItemInputError(
			field,
			`The ${field} date of item ${itemIndex} is not a date: "${String(value)}"`,
		);
	}
	return new Date(ms);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runOperation(this, {
		ipsOperation: 'getJobLogs',
		sideEffect: 'read',
		roles: JOB_OPERATION_ROLES,
		action: (itemIndex) => `read the job history for item ${itemIndex}`,
		work: async (client, itemIndex) => {
			const companyHandle = handleOf(this, 'companyHandle', itemIndex);
			const filters = this.getNodeParameter('filters', itemIndex, {}) as HistoryFilters;
			const now = Date.now();
			const from = dateFilter(
				filters.from,
				'From',
				now - DEFAULT_HISTORY_DAYS * 86_400_000,
				itemIndex,
			);
			const to = dateFilter(filters.to, 'To', now, itemIndex);
			const jobName = String(filters.jobName ?? '').trim();
			const status = String(filters.status ?? 'any');
			const limit = limitOf(this, itemIndex);
			const { logs, truncated } = await client.getJobLogsInWindow(companyHandle, {
				startDate: from,
				endDate: to,
			});
			const stillActive = await activeRunsBefore4(client, companyHandle);
			const ended = logs
				// A row without endDate is a run still going (4.0+); before 4.0 no row has one, and a
				// run still in the active list is left out (one read cannot tell more: see the README).
				.filter((log) =>
					stillActive
						? !stillActive.has(log.jobHandle) && !stillActive.has(log.jobName)
						: log.endDate,
				)
				.filter((log) => !jobName || isRunOfJob({ name: log.jobName }, jobName))
				.map((log) => historyEntry(log, companyHandle))
				.filter((run) => status === 'any' || run.status === status)
				.sort(
					(a, b) => (parseIpsDate(b.startDate ?? '') || 0) - (parseIpsDate(a.startDate ?? '') || 0),
				);
			return ended.slice(0, limit).map((run) => ({
				json: truncated ? withField(run, 'windowTruncated', true) : run,
			}));
		},
	});
}

/** Before 4.0: the handles and names of the runs still active (their rows are not final). */
async function activeRunsBefore4(
	client: IpsClient,
	companyHandle: string,
): Promise<Set<string> | undefined> {
	if (client.apiVersion !== 'pre-4.0') return undefined;
	const active = await client.getActiveJobs(companyHandle);
	return new Set(active.flatMap((run) => [run.jobHandle, run.name]));
}

function historyEntry(log: JobLog, companyHandle: string) {
	return {
		companyHandle: log.companyHandle || companyHandle,
		...summaryOfLog(log),
		logType: log.logType || null,
		submitUserEmail: log.submitUserEmail || null,
	};
}
