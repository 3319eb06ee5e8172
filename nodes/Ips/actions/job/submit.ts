// What Publish and Upload From URLs share: their common fields, the publish guard, the one submit
// per job (never re-sent; after a send that may have reached IPS, the job is looked up by its
// unique name), and Wait for Completion through the shared RunWatcher.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { IpsTransportError } from '../../ips/faults';
import { ActiveJob, IpsClient } from '../../ips/IpsClient';
import { ROLES_THAT_MAY_EXECUTE_JOBS } from '../../ips/roles';
import { DEFAULT_CLOCK_SKEW_MS, JobKind, RunResult, RunWatcher } from '../../ips/runWatcher';
import {
	EMAIL_SETTINGS,
	PUBLISH_TYPES,
	SubmitJobRequest,
	versionProblem,
} from '../../ips/submitJob';
import {
	findSubmittedJob,
	runningPublishes,
	SubmitUnconfirmed,
	waitWhilePublishing,
} from '../../ips/submittedJobs';
import { ErrorContext, ItemInputError, ItemPhase, PublishRunning } from '../../n8n/errors';
import { clientOrProblem } from '../../n8n/operation';
import { numberParameter, numberSetting } from '../../n8n/parameters';
import { WAIT_FOR_COMPLETION_HINT } from '../common.fields';
import {
	maxWaitField,
	pollIntervalField,
	requestTimeoutOption,
	SETTING_RANGES,
} from '../scheduledJob/runNow.operation';

export type IfPublishRunning = 'waitForIt' | 'skip' | 'fail' | 'submitAnyway';

export const publishTypeOptions = PUBLISH_TYPES.map((value) => ({
	name: value === 'FullWithSearch' ? 'Full With Search' : value,
	value,
}));

/** Which e-mails IPS sends about a submitted job (the reference's Email Settings). */
export const emailSettingField: INodeProperties = {
	displayName: 'E-Mail',
	name: 'emailSetting',
	type: 'options',
	default: 'None',
	options: EMAIL_SETTINGS.map((value) => ({
		name: value.replace(/([a-z])([A-Z])/g, '$1 $2'),
		value,
	})),
	description: 'Which e-mails IPS sends about the job (to the IPS user of the credential)',
};

/** The fields after the job's own: the guard, waiting, and the options every submit has. */
export const submitFields: INodeProperties[] = [
	{
		displayName: 'If a Publish Is Running',
		name: 'ifPublishRunning',
		type: 'options',
		default: 'waitForIt',
		description:
			'IPS runs one publish at a time and holds further jobs in standby. What to do when the company has a publish running before this job is submitted.',
		options: [
			{
				name: 'Wait for It',
				value: 'waitForIt',
				description: 'Submit once no publish runs; fail the item if one still runs after Max Wait',
			},
			{
				name: 'Skip',
				value: 'skip',
				description: 'Submit nothing; the item comes out marked skipped',
			},
			{ name: 'Fail', value: 'fail', description: 'Submit nothing; the item fails' },
			{ name: 'Submit Anyway', value: 'submitAnyway', description: 'Submit now; IPS queues it' },
		],
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the job run has ended and output how it went (status, file counts, failed files)',
		hint: WAIT_FOR_COMPLETION_HINT,
	},
	pollIntervalField(
		'How often to ask IPS whether a publish still runs, or whether the run has ended. All items share these checks.',
	),
	maxWaitField(
		'How long to wait at most, all waiting together: for a running publish to end (Wait for It) and, with Wait for Completion, for the run to end (a run not ended by then comes out "unknown" and goes on in IPS)',
	),
	{
		displayName: 'Fail on Job Errors',
		name: 'failOnJobErrors',
		type: 'boolean',
		default: true,
		description:
			'Whether an item whose run (or, for an upload, whose file) failed fails (with Continue On Fail: an error item that still holds the outcome)',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
];

export const startTimeOption: INodeProperties = {
	displayName: 'Start Time',
	name: 'startTime',
	type: 'dateTime',
	default: '',
	description:
		"When IPS should run the job (in the workflow's time zone unless the value has an offset). Empty: now. With Wait for Completion, Max Wait still counts from when the item began waiting: set it past the start time.",
};

export const commonOptions: INodeProperties[] = [
	{
		displayName: 'Output Field',
		name: 'outputField',
		type: 'string',
		default: 'ipsJob',
		description:
			'The field of each output item that gets the job (and, when waiting, how it ended)',
	},
	requestTimeoutOption,
];

export interface SubmitSettings {
	ifPublishRunning: IfPublishRunning;
	pollIntervalMs: number;
	maxWaitMs: number;
	failOnJobErrors: boolean;
	outputField: string;
	signal: AbortSignal;
	/** Present when the node waits for the runs to end. */
	watcher?: RunWatcher;
}

export interface SubmitSetup {
	client?: IpsClient;
	problem?: unknown;
	settings: SubmitSettings;
}

/** The client (or the problem every item fails with) and the settings shared by every item. */
export async function setUpSubmit(context: IExecuteFunctions): Promise<SubmitSetup> {
	const node = context.getNode();
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const signal = context.getExecutionCancelSignal() ?? new AbortController().signal;
	const requestTimeoutSeconds = numberSetting(
		node,
		options.requestTimeoutSeconds,
		SETTING_RANGES.requestTimeoutSeconds,
	);
	const waiting = context.getNodeParameter('waitForCompletion', 0, false) === true;
	const pollIntervalMs =
		numberParameter(context, 'pollIntervalSeconds', SETTING_RANGES.pollIntervalSeconds) * 1000;
	const maxWaitMs =
		numberParameter(context, 'maxWaitSeconds', SETTING_RANGES.maxWaitSeconds) * 1000;
	const setup = await clientOrProblem(context, {
		ipsOperation: 'submitJob',
		sideEffect: 'start',
		roles: ROLES_THAT_MAY_EXECUTE_JOBS,
		deniedAction: 'submit IPS jobs',
		requestTimeoutMs: requestTimeoutSeconds * 1000,
	});
	const outputField = typeof options.outputField === 'string' ? options.outputField.trim() : '';
	return {
		...setup,
		settings: {
			ifPublishRunning: context.getNodeParameter(
				'ifPublishRunning',
				0,
				'waitForIt',
			) as IfPublishRunning,
			pollIntervalMs,
			maxWaitMs,
			failOnJobErrors: waiting && context.getNodeParameter('failOnJobErrors', 0, true) !== false,
			outputField: outputField || 'ipsJob',
			signal,
			watcher:
				waiting && setup.client
					? new RunWatcher(setup.client, { pollIntervalMs, maxWaitMs, signal })
					: undefined,
		},
	};
}

/** Why an item came out without submitting: the publishes that were running. */
export interface Skipped {
	status: 'skipped';
	reason: string;
	runningPublishes: Array<{ name: string; runHandle: string; type: string; state: string }>;
}

/**
 * The publish guard, before a submit: undefined = go on; Skipped = the item submits nothing.
 * Fail, and Wait for It past Max Wait, throw. Wait for It spends the item's Max Wait, counted from
 * `waitingSinceMs`: what is left of it bounds the wait for the run.
 */
export async function publishGuard(
	client: IpsClient,
	companyHandle: string,
	settings: SubmitSettings,
	what: string,
	waitingSinceMs: number,
): Promise<Skipped | undefined> {
	const choice = settings.ifPublishRunning;
	if (choice === 'submitAnyway') return undefined;
	const running =
		choice === 'waitForIt'
			? await waitWhilePublishing(client, companyHandle, {
					pollIntervalMs: settings.pollIntervalMs,
					deadlineMs: waitingSinceMs + settings.maxWaitMs,
					signal: settings.signal,
				})
			: await runningPublishes(client, companyHandle);
	if (!running.length) return undefined;
	const names = running.map((job) => `${job.name} (${job.state || 'active'})`).join(', ');
	if (choice === 'skip') {
		return {
			status: 'skipped',
			reason: `A publish was running in company ${companyHandle}: ${names}. Nothing was submitted (If a Publish Is Running: Skip).`,
			runningPublishes: running.map(publishOf),
		};
	}
	const waited =
		choice === 'waitForIt'
			? ` still, after waiting ${Math.round(settings.maxWaitMs / 1000)} s`
			: '';
	throw new PublishRunning(
		`A publish is running in company ${companyHandle}${waited}: ${names}. Nothing was submitted for ${what}.`,
		choice === 'fail'
			? 'If a Publish Is Running is set to Fail. Run the item again when the publish has ended, or choose Wait for It.'
			: 'Raise Max Wait, or run the item again when the publish has ended.',
	);
}

function publishOf(job: ActiveJob) {
	return { name: job.name, runHandle: job.jobHandle, type: job.type, state: job.state };
}

export interface Submitted {
	jobName: string;
	jobHandle: string;
	submittedAt: string;
	/** Set when the answer to the submit was lost and the job was found by its name. */
	foundAfterFailedAnswer?: string;
	/** With Wait for Completion: the run's end (or `unknown`). */
	follow?: () => Promise<RunResult>;
}

/**
 * Submits the job once. A send that may have reached IPS is never repeated: the job is looked up by
 * its unique name, and the item says whether it was created (and goes on), was not, or cannot be told.
 */
export async function submitOnce(
	client: IpsClient,
	settings: SubmitSettings,
	request: SubmitJobRequest,
	kind: JobKind,
	setPhase: (phase: ItemPhase) => void,
	waitingSinceMs: number,
): Promise<Submitted> {
	const { watcher } = settings;
	const { companyHandle, jobName } = request;
	// No look before sending (as executeJob needs): no run can carry a name that did not exist yet.
	setPhase('send');
	const sentAtMs = Date.now();
	const reservation = watcher?.reserve(companyHandle, '', jobName, {
		kind,
		waitingSinceMs,
		uniqueName: true,
	});
	const submittedAt = new Date(sentAtMs).toISOString();
	let jobHandle: string;
	try {
		jobHandle = await client.submitJob(request);
	} catch (error) {
		const mayHaveReached = error instanceof IpsTransportError && error.requestMayHaveReachedServer;
		if (!mayHaveReached) {
			reservation?.withdraw();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- mapped to an n8n error in one place (n8n/errors.ts)
			throw error;
		}
		const found = await findSubmittedJob(
			client,
			companyHandle,
			jobName,
			sentAtMs,
			DEFAULT_CLOCK_SKEW_MS,
		).catch((lookupError: unknown) => {
			reservation?.keepPlace();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- mapped to an n8n error in one place (n8n/errors.ts)
			throw new SubmitUnconfirmed(jobName, error, lookupError);
		});
		if (!found) {
			reservation?.keepPlace();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- mapped to an n8n error in one place (n8n/errors.ts)
			throw new SubmitUnconfirmed(jobName, error);
		}
		return {
			jobName,
			jobHandle: found.handle,
			submittedAt,
			foundAfterFailedAnswer: `The answer to the submit was lost (${error.message}); IPS has the job "${jobName}" (${found.where}), so it was created once and not sent again.`,
			follow: reservation && (() => reservation.follow()),
		};
	}
	return { jobName, jobHandle, submittedAt, follow: reservation && (() => reservation.follow()) };
}

/** What a submit item was doing when it failed, for its error message. */
export function submitErrorContext(
	phase: ItemPhase,
	action: string,
	credentialName?: string,
): ErrorContext {
	return { operation: 'submitJob', phase, sideEffect: 'start', action, credentialName };
}

/** Refuses, before anything is sent, what the credential's API version cannot carry. */
export function checkVersion(
	client: IpsClient,
	request: Pick<SubmitJobRequest, 'uploadUrls'>,
): void {
	const problem = versionProblem(request, client.apiVersion);
	if (problem) throw new ItemInputError(problem.field, problem.message);
}

/** The Start Time option as a date: text (workflow time zone unless it has an offset) or a date. */
export function startTimeOf(context: IExecuteFunctions, itemIndex: number): Date | undefined {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const raw = options.startTime as unknown;
	if (raw === undefined || raw === null || raw === '') return undefined;
	let date: Date | undefined;
	if (raw instanceof Date) date = raw;
	else if (
		typeof raw === 'object' &&
		typeof (raw as { toJSDate?: unknown }).toJSDate === 'function'
	)
		date = (raw as { toJSDate: () => Date }).toJSDate();
	else if (typeof raw === 'string') date = zonedDate(raw.trim(), context.getTimezone());
	if (!date || Number.isNaN(date.getTime())) {
		throw new ItemInputError(
			'startTime',
			`The Start Time of item ${itemIndex} is not a date: ${JSON.stringify(raw)?.slice(0, 60)}`,
		);
	}
	return date;
}

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** `2026-12-24T18:00:00` in `timeZone`, or as it says when it carries an offset. */
function zonedDate(text: string, timeZone: string): Date | undefined {
	if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
	if (HAS_OFFSET.test(text)) return new Date(text);
	const asUtc = Date.parse(`${text.length === 10 ? `${text}T00:00:00` : text}Z`);
	if (Number.isNaN(asUtc)) return undefined;
	// The zone's offset at that moment, found twice so a DST change between the guesses settles.
	const first = asUtc - offsetMs(asUtc, timeZone);
	return new Date(asUtc - offsetMs(first, timeZone));
}

function offsetMs(atMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(atMs);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const local = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second'),
	);
	return local - Math.floor(atMs / 1000) * 1000;
}
