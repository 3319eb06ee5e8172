// Job → Upload From URLs (submitJob with an UploadUrlsJob): the items of an execution go into one
// job per company, or into batches of "URLs per Job"; each job is submitted once under a unique
// name. Out comes one item per input item: with Wait for Completion, that file's own outcome.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { IpsClient } from '../../ips/IpsClient';
import { RunResult } from '../../ips/runWatcher';
import {
	EmailSetting,
	MAX_URLS_PER_JOB,
	PublishType,
	SubmitJobRequest,
	uniqueJobName,
	UploadUrl,
} from '../../ips/submitJob';
import { FileOutcome, outcomesOfUpload, PER_FILE_LOG_TYPES } from '../../ips/uploadOutcomes';
import { xmlTextProblem } from '../../ips/xml';
import {
	ItemError,
	ItemInputError,
	ItemPhase,
	n8nError,
	PublishRunning,
	toItemError,
} from '../../n8n/errors';
import { handleOf } from '../../n8n/handles';
import { NumberRange, numberSetting } from '../../n8n/parameters';
import { ItemOutcome, runPerItem } from '../../n8n/perItem';
import { withField } from '../../n8n/withField';
import { companyField } from '../common.fields';
import {
	checkVersion,
	commonOptions,
	emailSettingField,
	publishGuard,
	publishTypeOptions,
	setUpSubmit,
	Skipped,
	startTimeOf,
	startTimeOption,
	submitErrorContext,
	Submitted,
	submitFields,
	submitOnce,
} from './submit';

const URLS_PER_JOB: NumberRange = {
	label: 'URLs per Job',
	min: 1,
	max: MAX_URLS_PER_JOB,
	fallback: 500,
	integer: true,
};

/** The schemes an upload job fetches from. */
const SOURCE_URL_SCHEMES = ['http:', 'https:', 'ftp:'];

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['uploadFromUrls'] } },
	[
		companyField,
		{
			displayName: 'Source URL',
			name: 'sourceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://pim.example.com/images/shoe-123.jpg',
			description: 'Where IPS fetches the file from (http, https or ftp); usually an expression',
		},
		{
			displayName: 'Destination Path',
			name: 'destPath',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'products/shoes/shoe-123.jpg',
			description: "Folder and file name in the company's Dynamic Media Classic folders",
		},
		{
			displayName: 'URLs per Job',
			name: 'urlsPerJob',
			type: 'number',
			typeOptions: { minValue: URLS_PER_JOB.min, maxValue: URLS_PER_JOB.max },
			default: URLS_PER_JOB.fallback,
			description:
				'The items of one execution go into one upload job per company, split into jobs of at most this many URLs',
		},
		{
			displayName: 'Overwrite',
			name: 'overwrite',
			type: 'boolean',
			default: true,
			description: 'Whether a file already at the destination path is replaced',
		},
		{
			displayName: 'Ready for Publish',
			name: 'readyForPublish',
			type: 'boolean',
			default: true,
			description: 'Whether the uploaded files are marked ready for publish',
		},
		{
			displayName: 'Publish After Upload',
			name: 'publishAfterUpload',
			type: 'boolean',
			default: false,
			description:
				'Whether IPS runs an Image Serving publish once the upload has finished (it shows as a run of its own)',
		},
		{
			displayName: 'Publish Type',
			name: 'postPublishType',
			type: 'options',
			default: 'Incremental',
			options: publishTypeOptions,
			displayOptions: { show: { publishAfterUpload: [true] } },
			description: 'Incremental publishes what changed since the last publish; Full everything',
		},
		emailSettingField,
		...submitFields,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				...commonOptions,
				{
					displayName: 'Preserve Publish State',
					name: 'preservePublishState',
					type: 'boolean',
					default: true,
					description:
						"Whether an overwritten file keeps its publish state. Not set: the company's default. IPS API 4.5 and later.",
				},
				startTimeOption,
			],
		},
	],
);

interface Batch {
	/** Its place among the execution's jobs, in input order (the job name's batch number). */
	number: number;
	companyHandle: string;
	/** The input items whose URLs it carries, in input order. */
	itemIndexes: number[];
	urls: UploadUrl[];
	started?: Promise<Started>;
	ended?: Promise<Ended>;
}

type Started = { skipped: Skipped } | { submitted: Submitted; request: SubmitJobRequest };

interface Ended {
	run: RunResult;
	outcomes: FileOutcome[];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const { client, problem, settings } = await setUpSubmit(this);
	const { outputField, watcher } = settings;
	const credentialName = node.credentials?.ipsApi?.name;
	const phases = new Map<number, ItemPhase>();
	const action = (itemIndex: number) => `upload the file of item ${itemIndex}`;
	const toError = (thrown: unknown, itemIndex: number) =>
		toItemError(
			node,
			thrown,
			itemIndex,
			submitErrorContext(phases.get(itemIndex) ?? 'lookup', action(itemIndex), credentialName),
		);

	// Every item's input is read before anything is sent: a bad one fails the node at once, or
	// (Continue On Fail) becomes an error item and stays out of the jobs.
	const inputs = items.map((_, itemIndex) => {
		try {
			return {
				companyHandle: handleOf(this, 'companyHandle', itemIndex),
				url: uploadUrlOf(this, itemIndex),
			};
		} catch (error) {
			return { error };
		}
	});
	const firstBad = inputs.findIndex((input) => 'error' in input);
	if (client && firstBad >= 0 && !this.continueOnFail())
		throw toError((inputs[firstBad] as { error: unknown }).error, firstBad).error;

	const batchOfItem = client ? batchesOf(this, inputs) : [];

	const startBatch = async (ips: IpsClient, batch: Batch): Promise<Started> => {
		const first = batch.itemIndexes[0];
		const setPhase = (phase: ItemPhase) => {
			for (const index of batch.itemIndexes) phases.set(index, phase);
		};
		setPhase('lookup');
		const request = uploadRequestOf(
			this,
			first,
			batch,
			uniqueJobName(this.getWorkflow().id, this.getExecutionId(), batch.number),
		);
		checkVersion(ips, request);
		const waitingSinceMs = Date.now();
		const skipped = await publishGuard(
			ips,
			batch.companyHandle,
			settings,
			`the ${batch.urls.length} URL(s) of its upload job`,
			waitingSinceMs,
		);
		if (skipped) return { skipped };
		const submitted = await submitOnce(ips, settings, request, 'upload', setPhase, waitingSinceMs);
		setPhase(submitted.follow ? 'follow' : 'send');
		return { submitted, request };
	};

	const endBatch = async (ips: IpsClient, batch: Batch, submitted: Submitted): Promise<Ended> => {
		const run = await submitted.follow!();
		if (run.status === 'unknown' || !run.runHandle)
			return { run, outcomes: outcomesOfUpload(batch.urls, run, [], false) };
		try {
			const { details, total } = await ips.getRunDetails(batch.companyHandle, run.runHandle, {
				logTypes: PER_FILE_LOG_TYPES,
			});
			return { run, outcomes: outcomesOfUpload(batch.urls, run, details, details.length >= total) };
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			const message = `The job ended (${run.status}), but its log details could not be read: ${reason}`;
			return {
				run,
				outcomes: outcomesOfUpload(batch.urls, { ...run, status: 'unknown', message }, [], false),
			};
		}
	};

	return await runPerItem(
		this,
		items.length,
		async (itemIndex, releaseSlot): Promise<ItemOutcome> => {
			if (!client) throw problem;
			const input = inputs[itemIndex];
			if ('error' in input) throw input.error;
			const { json, binary } = items[itemIndex];
			const { batch, position } = batchOfItem[itemIndex]!;
			batch.started ??= startBatch(client, batch);
			const started = await batch.started.catch((error: unknown) => {
				throw asItemsError(error, itemIndex);
			});
			releaseSlot();
			const file = { sourceUrl: input.url.sourceUrl, destPath: input.url.destPath };
			if ('skipped' in started) {
				const out = { ...file, ...started.skipped, companyHandle: batch.companyHandle };
				return { json: withField(json, outputField, out), binary };
			}
			const { submitted, request } = started;
			const job: IDataObject = {
				companyHandle: batch.companyHandle,
				jobName: submitted.jobName,
				jobHandle: submitted.jobHandle,
				submittedAt: submitted.submittedAt,
				startTime: request.execTime?.toISOString() ?? null,
				urlCount: batch.urls.length,
				postPublish: request.uploadUrls?.postImageServingPublish
					? {
							type: 'ImageServing',
							publishType: request.uploadUrls.postImageServingPublish.publishType,
						}
					: null,
				...(submitted.foundAfterFailedAnswer ? { message: submitted.foundAfterFailedAnswer } : {}),
			};
			if (!submitted.follow)
				return {
					json: withField(json, outputField, { status: 'submitted', ...file, job }),
					binary,
				};
			batch.ended ??= endBatch(client, batch, submitted);
			const { run, outcomes } = await batch.ended;
			phases.delete(itemIndex);
			const own = outcomes[position];
			const { companyHandle: _company, jobHandle: _job, ...runSummary } = run;
			const out = { ...own, job: { ...job, run: runSummary } };
			if (settings.failOnJobErrors && own.status === 'failed')
				throw fileFailed(this, itemIndex, own, out, outputField);
			return { json: withField(json, outputField, out), binary };
		},
		{
			// Items start one after another; an item that has its job submitted lets the next go on.
			concurrency: 1,
			signal: settings.signal,
			toError,
			onFirstFailure: (error) => watcher?.stop(error),
		},
	);
}

/**
 * A failure of a whole job (the guard, the API version) as each of its items reads it: the item
 * named first. IPS's and the network's errors name the item already (through the action).
 */
function asItemsError(error: unknown, itemIndex: number): unknown {
	if (error instanceof PublishRunning)
		return new PublishRunning(`Item ${itemIndex}: ${error.message}`, error.advice);
	if (error instanceof ItemInputError)
		return new ItemInputError(error.field, `Item ${itemIndex}: ${error.message}`);
	return error;
}

/** The file of an item that failed to upload, as its error (the outcome stays in the details). */
function fileFailed(
	context: IExecuteFunctions,
	itemIndex: number,
	own: FileOutcome,
	out: IDataObject,
	outputField: string,
): ItemError {
	const message = `The file of item ${itemIndex} (${own.sourceUrl} → ${own.destPath}) was not uploaded: ${own.message ?? 'IPS logged an error for it'}`;
	const description =
		'IPS could not fetch or process this file; the other files of the job are not affected. Turn off "Fail on Job Errors" to pass failed files on as ordinary items.';
	const details = { kind: 'fileFailed', description, [outputField]: out } as JsonObject;
	return new ItemError(
		n8nError(context.getNode(), true, { message, description, details }, itemIndex),
		details,
	);
}

/** One item's URL and destination path: text, trimmed, non-empty, XML-safe; the URL absolute. */
function uploadUrlOf(context: IExecuteFunctions, itemIndex: number): UploadUrl {
	const sourceUrl = textOf(context, 'sourceUrl', 'Source URL', itemIndex);
	let scheme: string | undefined;
	try {
		scheme = new URL(sourceUrl).protocol;
	} catch {
		scheme = undefined;
	}
	if (!scheme || !SOURCE_URL_SCHEMES.includes(scheme)) {
		throw new ItemInputError(
			'sourceUrl',
			`The Source URL of item ${itemIndex} is not an http, https or ftp URL: "${sourceUrl.slice(0, 200)}"`,
		);
	}
	return { sourceUrl, destPath: textOf(context, 'destPath', 'Destination Path', itemIndex) };
}

function textOf(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	if (value === null || value === undefined) {
		const gave = value === null ? 'null' : 'nothing';
		throw new ItemInputError(
			name,
			`The ${label} of item ${itemIndex} is empty (its expression gave ${gave})`,
		);
	}
	if (typeof value !== 'string' && typeof value !== 'number') {
		const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
		throw new ItemInputError(
			name,
			`The ${label} of item ${itemIndex} must be text, but it is ${got}`,
		);
	}
	// Spaces around a URL or path come from a sheet or a mapping, never from the file's name.
	const text = String(value).trim();
	if (!text) throw new ItemInputError(name, `The ${label} of item ${itemIndex} is empty`);
	const problem = xmlTextProblem(text);
	if (problem) throw new ItemInputError(name, `The ${label} of item ${itemIndex} ${problem}`);
	return text;
}

/** Each good item's batch and place in it: per company, in input order, at most URLs per Job in one. */
function batchesOf(
	context: IExecuteFunctions,
	inputs: Array<{ companyHandle: string; url: UploadUrl } | { error: unknown }>,
): Array<{ batch: Batch; position: number } | undefined> {
	const perJob = numberSetting(
		context.getNode(),
		context.getNodeParameter('urlsPerJob', 0, URLS_PER_JOB.fallback),
		URLS_PER_JOB,
	);
	const open = new Map<string, Batch>();
	let count = 0;
	return inputs.map((input, itemIndex) => {
		if ('error' in input) return undefined;
		let batch = open.get(input.companyHandle);
		if (!batch || batch.itemIndexes.length >= perJob) {
			batch = { number: count++, companyHandle: input.companyHandle, itemIndexes: [], urls: [] };
			open.set(input.companyHandle, batch);
		}
		batch.itemIndexes.push(itemIndex);
		batch.urls.push(input.url);
		return { batch, position: batch.urls.length - 1 };
	});
}

/** The job of a batch, with the settings of its first item. */
function uploadRequestOf(
	context: IExecuteFunctions,
	itemIndex: number,
	batch: Batch,
	jobName: string,
): SubmitJobRequest {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const emailSetting = context.getNodeParameter('emailSetting', itemIndex, 'None') as EmailSetting;
	const publishAfter = context.getNodeParameter('publishAfterUpload', itemIndex, false) === true;
	const preserve = options.preservePublishState;
	return {
		companyHandle: batch.companyHandle,
		jobName,
		execTime: startTimeOf(context, itemIndex),
		uploadUrls: {
			urls: batch.urls,
			overwrite: context.getNodeParameter('overwrite', itemIndex, true) !== false,
			readyForPublish: context.getNodeParameter('readyForPublish', itemIndex, true) !== false,
			preservePublishState: typeof preserve === 'boolean' ? preserve : undefined,
			emailSetting,
			postImageServingPublish: publishAfter
				? {
						publishType: context.getNodeParameter(
							'postPublishType',
							itemIndex,
							'Incremental',
						) as PublishType,
						emailSetting,
					}
				: undefined,
		},
	};
}
