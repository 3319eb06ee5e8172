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
import { CHANGES_NOTHING, EVERY_CALL_STARTS_A_RUN, toolDescriptionField } from './common.fields';

/** Changes IPS and must not be repeated by an agent: said in the action's description. */
const CHANGES_IPS = 'Changes IPS: call it once per request, never repeat it to check.';
/** Said by every operation that starts a job: an agent must know that a second call is a second run. */
const STARTS_A_RUN = `${EVERY_CALL_STARTS_A_RUN}. ${CHANGES_IPS}`;

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
 * What a model reads of each operation when the node is an AI Agent's tool. A field named
 * toolDescription shown only in the tool variant ('@tool') is the one n8n sends to the model, and the
 * user may edit it there (n8n then adds no description fields of its own); the node itself is as it was.
 */
const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	company: {
		getMany: `List the IPS companies the user belongs to, with their handles. ${CHANGES_NOTHING}`,
	},
	scheduledJob: {
		getMany: `List an IPS company's scheduled jobs and their state. ${CHANGES_NOTHING}`,
		pause:
			'Pause a scheduled IPS job so its schedule stops firing. Changes the job: call it once per request.',
		resume: 'Resume a paused scheduled IPS job. Changes the job: call it once per request.',
		runNow: `Run a scheduled IPS job now. ${EVERY_CALL_STARTS_A_RUN} (use Get or Get Active).`,
	},
	job: {
		publish: `Submit an IPS publish job. ${EVERY_CALL_STARTS_A_RUN}.`,
		uploadFromUrls: `Upload files from URLs into IPS. ${EVERY_CALL_STARTS_A_RUN}.`,
	},
	jobRun: {
		get: `Get the state of one IPS job run by its handle: running, or how it ended. ${CHANGES_NOTHING}`,
		getActive: `List the running and queued IPS job runs of a company. ${CHANGES_NOTHING}`,
		getHistory: `List ended IPS job runs, newest first, with their outcome and file counts. ${CHANGES_NOTHING}`,
		getProblems: `List the failed and warned files of an IPS job run. ${CHANGES_NOTHING}`,
		stop: 'Stop a running IPS job run. Ends the run: call it once per request.',
	},
};

properties.push(
	...Object.entries(TOOL_DESCRIPTIONS).flatMap(([resource, operations]) =>
		Object.entries(operations).map(([operation, text]) =>
			toolDescriptionField(text, { resource: [resource], operation: [operation] }),
		),
	),
);
