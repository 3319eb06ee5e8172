// The one place where what went wrong becomes words a non-developer understands, and an n8n error.
import { IDataObject, INode, JsonObject, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { IpsConfigError, IpsFault, IpsTransportError } from '../ips/faults';
import { FollowingStopped, RunResult } from '../ips/runWatcher';
import { SubmitUnconfirmed } from '../ips/submittedJobs';
import { ROLES_THAT_MAY_EXECUTE_JOBS } from '../ips/roles';
import { XmlValueError } from '../ips/xml';

/** Input of one item that cannot be sent (an empty handle, an object where text belongs). */
export class ItemInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'ItemInputError';
	}
}

/** The publish guard kept an item from submitting (Fail, or Wait for It past Max Wait). */
export class PublishRunning extends Error {
	constructor(
		message: string,
		readonly advice: string,
	) {
		super(message);
		this.name = 'PublishRunning';
	}
}

/**
 * Where an item was when it failed: looking things up (nothing started), sending the request that
 * starts the job, or following a run that was started. Only a send may have started a job.
 */
export type ItemPhase = 'lookup' | 'send' | 'follow';

/**
 * What the operation does to IPS, which decides what a request that may have reached IPS means: a
 * read changes nothing, a change (pause, stop) is safe to repeat, a start (executeJob) is not.
 */
export type SideEffect = 'read' | 'change' | 'start';

export interface ErrorContext {
	/** The IPS operation being attempted, e.g. executeJob. */
	operation: string;
	phase: ItemPhase;
	sideEffect: SideEffect;
	/** What the user asked for, in words: "run the IPS job of item 0". */
	action: string;
	/** The name the user gave the IPS API credential in n8n. */
	credentialName?: string;
}

export interface Explanation {
	message: string;
	description: string;
	httpStatus?: number;
	details: JsonObject;
}

const MAY_HAVE_STARTED =
	'The request may have reached IPS, so the job may have started. Check the job in Dynamic Media ' +
	'Classic (Jobs → Active Jobs / Job Logs) before running this item again.';
const STARTED_FOLLOW_FAILED =
	'The job was started and its run goes on in IPS; only following it failed. Do not run this item ' +
	'again: see the run in Dynamic Media Classic (Jobs → Active Jobs / Job Logs).';
const MAY_HAVE_CHANGED =
	'The request may have reached IPS and taken effect. Doing it again is safe: check the job in ' +
	'Dynamic Media Classic, or run the item again.';
const NOTHING_STARTED = 'Nothing was started.';
const NOTHING_CHANGED = 'Nothing was changed in IPS.';

export function explainError(error: unknown, context: ErrorContext): Explanation {
	const doing = context.action;
	if (error instanceof FollowingStopped) {
		return explainError(error.reason, { ...context, phase: 'follow' });
	}
	if (error instanceof IpsFault) return explainFault(error, doing, context);
	if (error instanceof IpsTransportError) return explainTransport(error, context, doing);
	if (error instanceof IpsConfigError) {
		const credential = context.credentialName ? ` "${context.credentialName}"` : '';
		return {
			message: error.message,
			description: `${context.sideEffect === 'start' ? NOTHING_STARTED : NOTHING_CHANGED} Fix the "${error.field}" field of the IPS API credential${credential}.`,
			details: { kind: 'configuration', field: error.field },
		};
	}
	if (error instanceof PublishRunning) {
		return {
			message: error.message,
			description: error.advice,
			details: { kind: 'publishRunning' },
		};
	}
	if (error instanceof SubmitUnconfirmed) return explainUnconfirmed(error, context);
	if (error instanceof XmlValueError || error instanceof ItemInputError) {
		return {
			message: error.message,
			description: 'Nothing was sent to IPS for this item. Correct the value and run it again.',
			details: { kind: 'input', field: error.field },
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	return {
		message: `Could not ${doing}: ${message}`,
		description: context.phase === 'follow' ? STARTED_FOLLOW_FAILED : '',
		details: { kind: 'unknown' },
	};
}

/** A submit whose answer was lost and whose job was then looked up by name: not found, or no answer. */
function explainUnconfirmed(error: SubmitUnconfirmed, context: ErrorContext): Explanation {
	const sendReason =
		error.sendError instanceof Error ? error.sendError.message : String(error.sendError);
	const check = `Look for "${error.jobName}" in Dynamic Media Classic (Jobs → Active Jobs / Scheduled Jobs / Job Logs) before running this item again: it was not sent a second time.`;
	if (error.lookupError === undefined) {
		return {
			message: `Could not ${context.action}: the submit failed on its way (${sendReason}) and IPS has no job named "${error.jobName}" (not active, not scheduled, not in the job logs), so it was not created`,
			description: `IPS can show a queued job late. ${check}`,
			details: { kind: 'submitNotCreated', jobName: error.jobName, created: false },
		};
	}
	const lookupReason =
		error.lookupError instanceof Error ? error.lookupError.message : String(error.lookupError);
	return {
		message: `Could not ${context.action}: the submit failed on its way (${sendReason}), and whether IPS created the job "${error.jobName}" cannot be told: looking it up failed too (${lookupReason})`,
		description: check,
		details: { kind: 'submitUnconfirmed', jobName: error.jobName, created: null },
	};
}

function explainFault(fault: IpsFault, doing: string, context: ErrorContext): Explanation {
	const { kind, code, reason, httpStatus } = fault;
	const [summary, fix] =
		context.operation === 'stopJob' && kind === 'ipsApi' && (code === 30000 || code === 30001)
			? [
					`the run is not active (${reason})`,
					'A run that has already ended cannot be stopped. Check the run handle: take it from Get Active.',
				]
			: faultWords(fault, context.operation);
	const started = context.phase === 'follow' ? `${STARTED_FOLLOW_FAILED} ` : '';
	return {
		message: `Could not ${doing}: ${summary}`,
		description: `${started}${fix} (IPS ${kind} fault ${code ?? '-'}: "${reason}", HTTP ${httpStatus})`,
		httpStatus,
		details: { kind, code: code ?? null, reason, httpStatus },
	};
}

function faultWords({ kind, code, reason }: IpsFault, operation: string): [string, string] {
	if (kind === 'authentication') {
		if (code === 10000)
			return [
				'IPS received no user name or password',
				'Fill in User and Password in the IPS API credential.',
			];
		if (code === 10001)
			return ['IPS rejected the password', 'Check the Password in the IPS API credential.'];
		if (code === 10002)
			return [
				'IPS does not know this user',
				'Check the User (the sign-in e-mail) and the Region of the IPS API credential.',
			];
		return [
			`IPS could not sign in (${reason})`,
			'Check User, Password and Region in the IPS API credential.',
		];
	}
	if (kind === 'authorization') {
		if (code === 20000 || code === 20006) {
			return [
				'the user is not a member of this company, or the company does not exist',
				'Pick the company from the list, or check the company handle.',
			];
		}
		if (code === 20003 || code === 20009) {
			return [
				`the user may not do this (${reason})`,
				operation === 'executeJob'
					? `Ask your IPS administrator for a role that may run jobs: ${ROLES_THAT_MAY_EXECUTE_JOBS.join(', ')}.`
					: `Ask your IPS administrator for a role that may use ${operation}.`,
			];
		}
		return [
			`IPS refused the request (${reason})`,
			"Check the user's permissions in Dynamic Media Classic.",
		];
	}
	if (kind === 'ipsApi') {
		if (code === 30001 || code === 30002)
			return [
				`IPS refused a value (${reason})`,
				'Check the company and job handles: pick them from the list to be sure.',
			];
		if (code === 30003)
			return [
				`IPS could not read the request (${reason})`,
				'Check the API Version of the IPS API credential.',
			];
		return [
			reason,
			'IPS reported an error for this request; check the handles and the job in Dynamic Media Classic.',
		];
	}
	return [
		`IPS answered with a SOAP fault (${reason})`,
		'Check the Region / Service URL of the IPS API credential.',
	];
}

function explainTransport(
	error: IpsTransportError,
	context: ErrorContext,
	doing: string,
): Explanation {
	const reached = error.requestMayHaveReachedServer;
	const nothing = context.sideEffect === 'start' ? NOTHING_STARTED : NOTHING_CHANGED;
	const mayHaveActed =
		context.phase === 'send' && reached && context.sideEffect !== 'read'
			? context.sideEffect === 'start'
				? MAY_HAVE_STARTED
				: MAY_HAVE_CHANGED
			: undefined;
	let description: string;
	if (context.phase === 'follow') description = STARTED_FOLLOW_FAILED;
	else if (mayHaveActed) {
		description =
			error.kind === 'cancelled'
				? `The execution was stopped while the request was on its way. ${mayHaveActed}`
				: mayHaveActed;
	} else if (error.kind === 'cancelled') description = `The execution was stopped. ${nothing}`;
	else if (!reached) {
		description =
			`Nothing reached IPS, so ${nothing.charAt(0).toLowerCase()}${nothing.slice(1)} Check the Region or Service URL of the IPS API ` +
			'credential and the network (proxy variables HTTPS_PROXY / NO_PROXY).';
	} else if (error.kind === 'redirect')
		description = `${nothing} Check the Region or Service URL of the IPS API credential.`;
	else
		description = `${nothing} IPS or something between n8n and IPS (a proxy, a load balancer) failed. Try again later.`;
	const { httpStatus, bodyStart } = error.details;
	return {
		message: `Could not ${doing}: ${error.message}`,
		description,
		httpStatus,
		details: {
			kind: error.kind,
			httpStatus: httpStatus ?? null,
			requestMayHaveReachedServer: reached,
			...(bodyStart ? { bodyStart } : {}),
		},
	};
}

/** An n8n error as the node throws it: NodeApiError for IPS's answers, NodeOperationError else. */
export type N8nError = NodeApiError | NodeOperationError;

/**
 * An item's failure: the n8n error the node throws for it (naming the item), and the details its
 * error item carries with Continue On Fail (the fault code, the failed run). Work may throw it as is.
 */
export class ItemError extends Error {
	constructor(
		readonly error: N8nError,
		readonly details: IDataObject,
	) {
		super(error.message);
		this.name = 'ItemError';
	}
}

/** n8n's own errors (an expression that failed) carry a context; they pass through as they are. */
function isN8nError(thrown: unknown): thrown is N8nError {
	const context = (thrown as { context?: unknown } | null)?.context;
	return thrown instanceof Error && typeof context === 'object' && context !== null;
}

/**
 * Builds the n8n error with our message kept: n8n replaces a message that contains a Node.js error
 * code (ECONNRESET, EPERM, …, anywhere in the text, job names included) with generic advice, so
 * the message is set again after construction.
 */
export function n8nError(
	node: INode,
	api: boolean,
	explanation: Pick<Explanation, 'message' | 'description' | 'httpStatus' | 'details'>,
	itemIndex?: number,
): N8nError {
	const { message, description, httpStatus, details } = explanation;
	const error = api
		? new NodeApiError(node, details, {
				message,
				description,
				httpCode: httpStatus === undefined ? undefined : String(httpStatus),
				itemIndex,
			})
		: new NodeOperationError(node, message, { description, itemIndex });
	error.message = message;
	error.description = description;
	return error;
}

/** Maps any failure of one item to the n8n error that names the item. */
export function toItemError(
	node: INode,
	thrown: unknown,
	itemIndex: number,
	context: ErrorContext,
): ItemError {
	if (thrown instanceof ItemError) return thrown;
	if (isN8nError(thrown)) {
		thrown.context.itemIndex ??= itemIndex;
		return new ItemError(thrown, { description: thrown.description ?? '' });
	}
	const explanation = explainError(thrown, context);
	const api = thrown instanceof IpsFault || thrown instanceof IpsTransportError;
	const error = n8nError(node, api, explanation, itemIndex);
	return new ItemError(error, { ...explanation.details, description: explanation.description });
}

/** A job run that ended badly, as the error of its item; the run itself stays in the details. */
export function jobRunFailed(
	node: INode,
	run: RunResult,
	itemIndex: number,
	outputField: string,
): ItemError {
	const counts = `${run.fileErrorCount ?? 0} of ${run.totalFileCount ?? 0} files failed`;
	const transfers = run.transferErrorCount ? `, ${run.transferErrorCount} transfers failed` : '';
	const message = `The IPS job run ${run.runName ?? run.jobHandle} of item ${itemIndex} failed${run.fatalError ? ' with a fatal error' : ''}: ${counts}${transfers}`;
	const description =
		'See the job log in Dynamic Media Classic (Jobs → Job Logs) for the files and reasons. ' +
		'Turn off "Fail on Job Errors" to pass such runs on as ordinary items.';
	const details = { kind: 'jobRunFailed', description, [outputField]: { ...run } };
	return new ItemError(n8nError(node, true, { message, description, details }, itemIndex), details);
}
