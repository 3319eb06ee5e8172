// The Job Log Types (Adobe's reference, string constants) that mark a failed or a warned file.
// A detail of any other type (Begin…, OriginalJobName, JobClient, …) is not a problem.

export const ERROR_LOG_TYPES: readonly string[] = [
	'ImageServingPublishError',
	'UploadError',
	'AssetMigrationFailure',
	'GetFailure',
	'ImageRenderingPublishError',
	'EndImageRenderingPublishCleanupFailure',
	'MarkForPublishFailure',
	'MetadataFailure',
	'PdfRipError',
	'ImageServingPublishCleanupFailure',
	'PublishToCmError',
	'ServerDirectoryPublishError',
	'ReoptimizeFailure',
	'TemplateMergeError',
	'TrashFailure',
	'VideoPublishError',
	'VideoPublishCleanupFailure',
	'DeleteFailure',
	'FatalError',
];

export const WARNING_LOG_TYPES: readonly string[] = [
	'ImageServingPublishWarning',
	'UploadWarning',
	'ServerDirectoryPublishWarning',
	'TrashWarning',
	'VideoPublishWarning',
];

export type ProblemKind = 'errors' | 'warnings' | 'all';

export function logTypesOf(kind: ProblemKind): readonly string[] {
	if (kind === 'errors') return ERROR_LOG_TYPES;
	if (kind === 'warnings') return WARNING_LOG_TYPES;
	return [...ERROR_LOG_TYPES, ...WARNING_LOG_TYPES];
}

export function severityOf(logType: string): 'error' | 'warning' | undefined {
	if (ERROR_LOG_TYPES.includes(logType)) return 'error';
	if (WARNING_LOG_TYPES.includes(logType)) return 'warning';
	return undefined;
}
