// The IPS node's resources and operations, and every operation's fields.
import type { INodeProperties } from 'n8n-workflow';
import * as companyGetMany from './company/getMany.operation';
import * as jobPublish from './job/publish.operation';
import * as jobUploadFromUrls from './job/uploadFromUrls.operation';
import * as jobRunGet from './jobRun/get.operation';
import * as jobRunGetActive from './jobRun/getActive.operation';
import * as jobRunGetHistory from './jobRun/getHistory.operation';
import * as jobRunGetProblems from './jobRun/getProblems.operation';
import * as jobRunStop from './jobRun/stop.operation';
import * as scheduledJobGetMany from './scheduledJob/getMany.operation';
import * as scheduledJobPause from './scheduledJob/pause.operation';
import * as scheduledJobResume from './scheduledJob/resume.operation';
import * as scheduledJobRunNow from './scheduledJob/runNow.operation';

/** Changes IPS and must not be repeated by an agent: said in the action's description. */
const CHANGES_IPS = 'Changes IPS: call it once per request, never repeat it to check.';
/** Said by every operation that starts a job: an agent must know that a second call is a second run. */
const STARTS_A_RUN = `Every call starts a new run. ${CHANGES_IPS}`;
const CHANGES_NOTHING = 'Changes nothing.';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'jobRun',
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Job', value: 'job' },
			{ name: 'Job Run', value: 'jobRun' },
			{ name: 'Scheduled Job', value: 'scheduledJob' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['company'] } },
		default: 'getMany',
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: `List the companies your IPS user belongs to. ${CHANGES_NOTHING}`,
				action: 'Get many companies',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['scheduledJob'] } },
		default: 'getMany',
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: `List a company's scheduled jobs. ${CHANGES_NOTHING}`,
				action: 'Get many scheduled jobs',
			},
			{
				name: 'Pause',
				value: 'pause',
				description: `Pause a scheduled job so its schedule stops firing. ${CHANGES_IPS}`,
				action: 'Pause a scheduled job',
			},
			{
				name: 'Resume',
				value: 'resume',
				description: `Resume a paused scheduled job. ${CHANGES_IPS}`,
				action: 'Resume a scheduled job',
			},
			{
				name: 'Run Now',
				value: 'runNow',
				description: `Start a run of a scheduled job now, optionally waiting for it to end. ${STARTS_A_RUN}`,
				action: 'Run a scheduled job now',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		default: 'publish',
		options: [
			{
				name: 'Publish',
				value: 'publish',
				description: `Submit a publish (Image Serving, Image Rendering or Video), optionally waiting for it to end. ${STARTS_A_RUN}`,
				action: 'Publish',
			},
			{
				name: 'Upload From URLs',
				value: 'uploadFromUrls',
				description: `Upload files from URLs (one job for the items of an execution), optionally publishing them after. ${STARTS_A_RUN}`,
				action: 'Upload files from URLs',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['jobRun'] } },
		default: 'getActive',
		options: [
			{
				name: 'Get',
				value: 'get',
				description:
					'Get the state of one job run by its handle: running, how it ended (from its final job log), or unknown with the reason. Changes nothing; for runs of hours, call it from a loop with a Wait node.',
				action: 'Get a job run',
			},
			{
				name: 'Get Active',
				value: 'getActive',
				description: `List the running and queued job runs of a company. ${CHANGES_NOTHING}`,
				action: 'Get active job runs',
			},
			{
				name: 'Get History',
				value: 'getHistory',
				description: `List ended job runs from the job logs, newest first. ${CHANGES_NOTHING}`,
				action: 'Get the job run history',
			},
			{
				name: 'Get Problems',
				value: 'getProblems',
				description: `List the failed and warned files of a job run, with their messages. ${CHANGES_NOTHING}`,
				action: 'Get the problems of a job run',
			},
			{
				name: 'Stop',
				value: 'stop',
				description: `Stop a running job run. ${CHANGES_IPS}`,
				action: 'Stop a job run',
			},
		],
	},
	...companyGetMany.description,
	...scheduledJobGetMany.description,
	...scheduledJobRunNow.description,
	...scheduledJobPause.description,
	...scheduledJobResume.description,
	...jobPublish.description,
	...jobUploadFromUrls.description,
	...jobRunGet.description,
	...jobRunGetActive.description,
	...jobRunGetHistory.description,
	...jobRunGetProblems.description,
	...jobRunStop.description,
];

/**
 * What a model reads of each operation when the node is an AI Agent's tool: n8n's automatic tool
 * description is the operation's action plus " in IPS", so each says what the call changes.
 */
const TOOL_ACTIONS: Record<string, string> = {
	'company.getMany': 'List the companies the user belongs to; changes nothing',
	'scheduledJob.getMany': "List a company's scheduled jobs and their state; changes nothing",
	'scheduledJob.pause':
		'Pause a scheduled job so its schedule stops firing; it changes the job, call it once per request',
	'scheduledJob.resume':
		'Resume a paused scheduled job; it changes the job, call it once per request',
	'scheduledJob.runNow':
		'Run a scheduled job now; every call starts a new run, so never call it again to check on a run (use Get or Get Active)',
	'job.publish':
		'Submit a publish job; every call starts a new publish run, so never call it again to check on it',
	'job.uploadFromUrls':
		'Upload files from URLs; every call starts a new upload run, so never call it again to check on it',
	'jobRun.get':
		'Get the state of one job run by its handle (running, or how it ended); changes nothing',
	'jobRun.getActive': 'List the running and queued job runs of a company; changes nothing',
	'jobRun.getHistory':
		'List ended job runs, newest first, with their outcome and file counts; changes nothing',
	'jobRun.getProblems': 'List the failed and warned files of a job run; changes nothing',
	'jobRun.stop': 'Stop a running job run; it ends the run, call it once per request',
};

/** The node's fields as an AI Agent's tool: the same, with the actions a model reads. */
export const toolProperties: INodeProperties[] = properties.map((property) => {
	const resource = property.displayOptions?.show?.resource?.[0];
	if (property.name !== 'operation' || typeof resource !== 'string') return property;
	return {
		...property,
		options: property.options?.map((option) =>
			'value' in option
				? { ...option, action: TOOL_ACTIONS[`${resource}.${option.value}`] }
				: option,
		),
	};
});
