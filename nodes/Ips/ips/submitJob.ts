// submitJob: the publish and upload-from-URL jobs this package submits, written in the schema's
// element order (submitJobParam, ImageServingPublishJob, UploadUrlsJob in Adobe's WSDL), and the
// unique names that let a submitted job's run be found exactly.
import { randomBytes } from 'node:crypto';
import { ApiVersion, API_VERSION_LABELS } from './namespaces';
import { XmlChild } from './xml';

/** The publish jobs a user can submit (submitJobParam's imageServing…/imageRendering…/videoPublishJob). */
export type PublishTarget = 'imageServing' | 'imageRendering' | 'video';
/** The reference's Publish Types; Incremental is what IPS's own UI starts by default. */
export const PUBLISH_TYPES = ['Incremental', 'Full', 'FullWithSearch'] as const;
export type PublishType = (typeof PUBLISH_TYPES)[number];
/** The reference's Email Settings. */
export const EMAIL_SETTINGS = ['None', 'All', 'Error', 'ErrorAndWarning', 'JobCompletion'] as const;
export type EmailSetting = (typeof EMAIL_SETTINGS)[number];

export interface PublishJob {
	target: PublishTarget;
	/** Image Serving only. */
	publishType?: PublishType;
	emailSetting: EmailSetting;
}

export interface UploadUrl {
	sourceUrl: string;
	destPath: string;
}

export interface UploadUrlsJob {
	urls: UploadUrl[];
	overwrite: boolean;
	readyForPublish: boolean;
	/** Unset: the company's default (the reference). */
	preservePublishState?: boolean;
	emailSetting: EmailSetting;
	/** An Image Serving publish IPS runs once the upload has finished. */
	postImageServingPublish?: { publishType: PublishType; emailSetting: EmailSetting };
}

export interface SubmitJobRequest {
	companyHandle: string;
	jobName: string;
	/** When IPS should run the job; unset = now. */
	execTime?: Date;
	publish?: PublishJob;
	uploadUrls?: UploadUrlsJob;
}

/** The most URLs one upload job carries (the node's "URLs per Job" limit). */
export const MAX_URLS_PER_JOB = 1000;

/** The element submitJobParam holds for each publish target (same names in every version). */
const PUBLISH_ELEMENTS: Record<PublishTarget, string> = {
	imageServing: 'imageServingPublishJob',
	imageRendering: 'imageRenderingPublishJob',
	video: 'videoPublishJob',
};

/**
 * The first API version whose UploadUrlsJob has preservePublishState: the 2010-01-31 answers
 * recorded from the live service carry it; the pre-4.0 WSDL does not have it; for 4.0–4.4 no
 * schema is public, so it is not sent there.
 */
const PRESERVE_PUBLISH_STATE_SINCE: ApiVersion = '2010-01-31';

function isAtLeast(version: ApiVersion, since: ApiVersion): boolean {
	return version !== 'pre-4.0' && version >= since;
}

/** What `version` cannot carry of this request (the field and why), or undefined when all fits. */
export function versionProblem(
	request: Pick<SubmitJobRequest, 'uploadUrls'>,
	version: ApiVersion,
): { field: string; message: string } | undefined {
	const preserve = request.uploadUrls?.preservePublishState;
	if (preserve !== undefined && !isAtLeast(version, PRESERVE_PUBLISH_STATE_SINCE)) {
		return {
			field: 'preservePublishState',
			message: `Preserve Publish State is not part of IPS API ${API_VERSION_LABELS[version]} (it is from ${API_VERSION_LABELS[PRESERVE_PUBLISH_STATE_SINCE]} on); remove the option or choose a newer API version in the credential`,
		};
	}
	return undefined;
}

/** submitJobParam's children, in the schema's order. */
export function submitJobChildren(request: SubmitJobRequest, version: ApiVersion): XmlChild[] {
	const problem = versionProblem(request, version);
	if (problem) throw new Error(problem.message);
	const { publish, uploadUrls } = request;
	if ((publish === undefined) === (uploadUrls === undefined))
		throw new Error('A submitted job is either a publish or an upload from URLs');
	// submitJobParam: companyHandle, userHandle?, jobName, (locale? from later versions), execTime?,
	// execSchedule?, then one job element in the order imageServing, imageRendering, video,
	// serverDirectory publish, uploadDirectory, uploadUrls.
	const children: XmlChild[] = [
		['companyHandle', request.companyHandle],
		['jobName', request.jobName],
		['execTime', request.execTime?.toISOString()],
	];
	if (publish) children.push([PUBLISH_ELEMENTS[publish.target], publishChildren(publish)]);
	if (uploadUrls) children.push(['uploadUrlsJob', uploadUrlsChildren(uploadUrls)]);
	return children;
}

function publishChildren(publish: PublishJob): XmlChild[] {
	// ImageServingPublishJob: publishType, emailSetting, httpCompletionUrl?; the others start at emailSetting.
	return [
		[
			'publishType',
			publish.target === 'imageServing' ? (publish.publishType ?? 'Incremental') : undefined,
		],
		['emailSetting', publish.emailSetting],
	];
}

function uploadUrlsChildren(job: UploadUrlsJob): XmlChild[] {
	// UploadUrlsJob: urlArray, overwrite, readyForPublish, preservePublishState? (4.5+), createMask,
	// crop/format options?, projectHandleArray?, emailSetting, postJobOnlyIfFiles?, postHttpUrl?,
	// postImageServingPublishJob?, …
	const post = job.postImageServingPublish;
	return [
		[
			'urlArray',
			job.urls.map(
				(url) =>
					[
						'items',
						[
							['sourceUrl', url.sourceUrl],
							['destPath', url.destPath],
						],
					] as const,
			),
		],
		['overwrite', String(job.overwrite)],
		['readyForPublish', String(job.readyForPublish)],
		[
			'preservePublishState',
			job.preservePublishState === undefined ? undefined : String(job.preservePublishState),
		],
		['createMask', 'false'],
		['emailSetting', job.emailSetting],
		[
			'postImageServingPublishJob',
			post
				? [
						['publishType', post.publishType],
						['emailSetting', post.emailSetting],
					]
				: undefined,
		],
	];
}

/** IPS keeps job names short in its UI; ours stay far below any limit (the run adds `_<time>`). */
const MAX_NAME_PART = 24;

/**
 * `n8n_<workflow id>_<execution id>_<batch>_<random>`: unique (12 random hex digits), ours, and
 * made of letters, digits and `-` between the underscores, so it is valid in any IPS job name.
 */
export function uniqueJobName(
	workflowId: string | undefined,
	executionId: string | undefined,
	batch: number,
): string {
	const part = (text: string | undefined) =>
		(text ?? '').replace(/[^A-Za-z0-9-]/g, '').slice(0, MAX_NAME_PART) || 'none';
	return `n8n_${part(workflowId)}_${part(executionId)}_${batch}_${randomBytes(6).toString('hex')}`;
}
