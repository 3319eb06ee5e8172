// Each URL's own outcome in an ended upload job, read from the job log details: a row is tied to a
// URL by its asset name (the destination path, its file name, or the file name without extension)
// or, without an asset name, by a message that quotes the source URL (as a word) or else the
// destination path. A row that fits several URLs is tied to none. A URL without a row of its own is "uploaded" only when the
// log leaves no room for doubt (no fatal error, every failed file accounted for); otherwise "unknown".
import { ERROR_LOG_TYPES, severityOf, WARNING_LOG_TYPES } from './logTypes';
import type { JobLogDetail } from './IpsClient';
import type { RunStatus } from './runs';
import type { UploadUrl } from './submitJob';

/** The reference's Job Log Type for a file uploaded. */
export const UPLOAD_SUCCESS_LOG_TYPE = 'UploadSuccess';

/** The detail types that speak of one file; asked for alone, so a large log costs less. */
export const PER_FILE_LOG_TYPES: readonly string[] = [
	UPLOAD_SUCCESS_LOG_TYPE,
	...ERROR_LOG_TYPES.filter((type) => type !== 'FatalError'),
	...WARNING_LOG_TYPES,
];

export type FileStatus = 'uploaded' | 'failed' | 'unknown';

export interface FileOutcome {
	status: FileStatus;
	sourceUrl: string;
	destPath: string;
	/** The asset name IPS logged for this file, when a row names it. */
	assetName: string | null;
	/** Why it failed, or why its outcome is unknown. */
	message: string | null;
	warnings: string[];
}

export interface EndedUpload {
	status: RunStatus;
	fatalError: boolean | null;
	fileErrorCount: number | null;
	/** The run's own message (set when its status is unknown). */
	message?: string;
}

interface FileRows {
	errors: JobLogDetail[];
	warnings: JobLogDetail[];
	success?: JobLogDetail;
}

export function outcomesOfUpload(
	urls: readonly UploadUrl[],
	run: EndedUpload,
	details: readonly JobLogDetail[],
	detailsComplete: boolean,
): FileOutcome[] {
	if (run.status === 'unknown') {
		const message = run.message ?? 'How the upload job ended is not known.';
		return urls.map((url) => outcome(url, 'unknown', null, message, []));
	}
	const byAssetName = new Map<string, number[]>();
	urls.forEach((url, index) => {
		for (const key of assetNamesOf(url.destPath)) {
			const list = byAssetName.get(key);
			if (!list) byAssetName.set(key, [index]);
			else if (list[list.length - 1] !== index) list.push(index);
		}
	});
	const bySourceUrl = new Map<string, number[]>();
	urls.forEach((url, index) => {
		const list = bySourceUrl.get(url.sourceUrl);
		if (list) list.push(index);
		else bySourceUrl.set(url.sourceUrl, [index]);
	});
	const rows: FileRows[] = urls.map(() => ({ errors: [], warnings: [] }));
	let untiedErrors = 0;
	for (const detail of details) {
		const severity = severityOf(detail.logType);
		if (!severity && detail.logType !== UPLOAD_SUCCESS_LOG_TYPE) continue;
		const fits = detail.assetName
			? (byAssetName.get(detail.assetName) ?? [])
			: urlsQuotedIn(urls, bySourceUrl, detail.logMessage);
		if (fits.length !== 1) {
			if (severity === 'error') untiedErrors++;
			continue;
		}
		const own = rows[fits[0]];
		if (severity === 'error') own.errors.push(detail);
		else if (severity === 'warning') own.warnings.push(detail);
		else own.success ??= detail;
	}
	const failedFiles = rows.filter((row) => row.errors.length).length;
	const doubt = doubtOf(run, untiedErrors, failedFiles, detailsComplete);
	return urls.map((url, index) => {
		const { errors, warnings, success } = rows[index];
		const warningTexts = warnings.map((row) => row.logMessage);
		const assetName = (errors[0] ?? success ?? warnings[0])?.assetName || null;
		if (errors.length)
			return outcome(
				url,
				'failed',
				assetName,
				errors.map((row) => row.logMessage).join('; '),
				warningTexts,
			);
		if (success || !doubt) return outcome(url, 'uploaded', assetName, null, warningTexts);
		return outcome(url, 'unknown', assetName, doubt, warningTexts);
	});
}

/** Why a URL without a row of its own cannot be called uploaded, or undefined when it can. */
function doubtOf(
	run: EndedUpload,
	untiedErrors: number,
	failedFiles: number,
	detailsComplete: boolean,
): string | undefined {
	if (run.fatalError)
		return 'The upload job ended with a fatal error and its log says nothing of this file.';
	if (!detailsComplete)
		return 'The job log has more details than could be read, and none read was about this file.';
	if (untiedErrors)
		return `The job log has ${untiedErrors} failed file(s) it does not tie to exactly one URL of this job; this file may be one of them.`;
	if ((run.fileErrorCount ?? 0) > failedFiles)
		return `IPS counts ${run.fileErrorCount} failed file(s) but its log names only ${failedFiles}; this file may be one of the others.`;
	return undefined;
}

/** The names IPS may log for an uploaded file: the path, the file name, the file name without extension. */
function assetNamesOf(destPath: string): string[] {
	const fileName = destPath.slice(destPath.lastIndexOf('/') + 1);
	const dot = fileName.lastIndexOf('.');
	const names = [destPath, fileName];
	if (dot > 0) names.push(fileName.slice(0, dot));
	return names.filter(Boolean);
}

/** The URLs (by index) a message quotes: a source URL found as a word of it, else a destination path in it. */
function urlsQuotedIn(
	urls: readonly UploadUrl[],
	bySourceUrl: ReadonlyMap<string, number[]>,
	message: string,
): number[] {
	if (!message) return [];
	const fits = new Set<number>();
	for (const word of message.match(URL_WORD) ?? []) {
		// A URL at the end of a sentence or before ": reason" carries that punctuation.
		for (const candidate of [word, word.replace(TRAILING_PUNCTUATION, '')])
			for (const index of bySourceUrl.get(candidate) ?? []) fits.add(index);
	}
	if (fits.size) return [...fits];
	urls.forEach((url, index) => {
		if (url.destPath && message.includes(url.destPath)) fits.add(index);
	});
	return [...fits];
}

const URL_WORD = /(?:https?|ftp):\/\/[^\s"'<>]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

function outcome(
	url: UploadUrl,
	status: FileStatus,
	assetName: string | null,
	message: string | null,
	warnings: string[],
): FileOutcome {
	return { status, sourceUrl: url.sourceUrl, destPath: url.destPath, assetName, message, warnings };
}
