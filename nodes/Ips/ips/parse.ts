// Reads an IPS answer: the `<operation>Return` element as plain objects, or a typed fault or
// transport error. Never expands entities, refuses DTDs, keeps every value a string. The XML is read
// in one pass that also checks it is well-formed (xmlReader.ts); a large answer in slices.
import { XMLValidator } from 'fast-xml-parser';
import { IpsFault, IpsFaultKind, IpsTransportError } from './faults';
import {
	Parsed,
	ParsedObject,
	readXml,
	readXmlInSlices,
	RowSink,
	SLICE_CHARS,
	TextParts,
	XmlDoctypeRefused,
	XmlSyntaxError,
} from './xmlReader';

export type { Parsed, ParsedObject, RowSink, TextParts } from './xmlReader';

const BODY_START_CHARS = 200;

const HTML_START = /^\s*(<!doctype\s+html|<html)/i;

function quote(body: string): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	return flat.length > BODY_START_CHARS ? `${flat.slice(0, BODY_START_CHARS)}…` : flat;
}

/** What every reading of one answer shares: its status, its text, and how errors quote it. */
interface Answer {
	operation: string;
	httpStatus: number;
	status: string;
	/** The whole text; for an answer in parts, its start (what errors quote). */
	text: string;
	/** The answer came in parts: `text` is only its start. */
	inParts?: boolean;
	quoteStart: (raw: string) => string;
}

/** How much of an answer in parts is gathered before it is checked (see checkedStart). */
const START_CHARS = 4096;

/**
 * Parses one answer to `operation`. A fault is recognised at any HTTP status, 200 included.
 * Returns the content of `<operation>Return` ({} when it is empty).
 */
export function parseSoapResponse(
	operation: string,
	httpStatus: number,
	body: string,
	/** Applied to every text taken from the body into an error (removes secrets a server echoed). */
	redact: (text: string) => string = (text) => text,
	/** Where the rows of the answer's list go as they are read (see RowSink), if not into it. */
	rows?: RowSink,
): ParsedObject {
	const answer = checkedAnswer(operation, httpStatus, body, redact);
	return returnOf(
		answer,
		readDocument(answer, (text) => readXml(text, rows)),
		redact,
	);
}

/**
 * As parseSoapResponse; an answer of more than SLICE_CHARS is read in slices, yielding between, and
 * an answer in parts (the transport's TextParts) part by part, never as one string.
 */
export async function parseSoapResponseInSlices(
	operation: string,
	httpStatus: number,
	body: string | TextParts,
	redact: (text: string) => string = (text) => text,
	rows?: RowSink,
): Promise<ParsedObject> {
	if (typeof body === 'string' && body.length <= SLICE_CHARS)
		return parseSoapResponse(operation, httpStatus, body, redact, rows);
	const { answer, rest } =
		typeof body === 'string'
			? { answer: checkedAnswer(operation, httpStatus, body, redact), rest: undefined }
			: await checkedStart(operation, httpStatus, body, redact);
	let document: ParsedObject | XmlSyntaxError | Error;
	try {
		document = await readXmlInSlices(rest ?? answer.text, rows);
	} catch (error) {
		// A part could not be had (bytes that are not UTF-8): the transport's words.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- below the n8n layer: mapped to an n8n error in one place (n8n/errors.ts)
		if (error instanceof IpsTransportError) throw error;
		document = error as Error;
	}
	return returnOf(
		answer,
		readDocument(answer, () => {
			if (document instanceof Error) throw document;
			return document;
		}),
		redact,
	);
}

/** The checks made before the XML is read: empty, not XML, HTML. */
function checkedAnswer(
	operation: string,
	httpStatus: number,
	body: string,
	redact: (text: string) => string,
): Answer {
	const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
	// Redacted before it is cut, so a cut inside a secret cannot leak the secret's start.
	const quoteStart = (raw: string) => quote(redact(raw));
	const status = `HTTP ${httpStatus}`;
	if (!text.trim()) {
		throw new IpsTransportError('emptyResponse', `IPS answered ${status} with an empty body`, {
			httpStatus,
		});
	}
	if (HTML_START.test(text) || !text.trimStart().startsWith('<')) {
		throw new IpsTransportError(
			httpStatus >= 400 ? 'httpError' : 'notXml',
			`IPS answered ${status} with something that is not XML: ${quoteStart(text)}`,
			{ httpStatus, bodyStart: quoteStart(text) },
		);
	}
	return { operation, httpStatus, status, text, quoteStart };
}

/**
 * The checks of checkedAnswer on the start of an answer in parts, and the parts to read: that start,
 * then the rest.
 */
async function checkedStart(
	operation: string,
	httpStatus: number,
	parts: TextParts,
	redact: (text: string) => string,
): Promise<{ answer: Answer; rest: TextParts }> {
	const pieces: string[] = [];
	let length = 0;
	let blank = true;
	let ended = false;
	// Enough to quote, and past any leading white space (an answer of white space only is empty).
	while (!ended && (length < START_CHARS || blank)) {
		const part = await parts.next();
		if (part === undefined) ended = true;
		else {
			pieces.push(part);
			length += part.length;
			blank &&= !part.trim();
		}
	}
	const start = pieces.join('');
	const answer = { ...checkedAnswer(operation, httpStatus, start, redact), inParts: true };
	let first: string | undefined = answer.text;
	return {
		answer,
		rest: {
			next: async () => {
				if (first === undefined) return ended ? undefined : parts.next();
				const part = first;
				first = undefined;
				return part;
			},
		},
	};
}

/** The document, or the transport error that says why it cannot be read. */
function readDocument(answer: Answer, read: (text: string) => ParsedObject): ParsedObject {
	let failure: unknown;
	try {
		return read(answer.text);
	} catch (error) {
		failure = error;
	}
	throw unreadable(answer, failure);
}

/** Why the reader could not read an answer, as the transport error the node reports. */
function unreadable(answer: Answer, error: unknown): IpsTransportError {
	const { httpStatus, status, quoteStart } = answer;
	const bodyStart = quoteStart(answer.text);
	// Found as markup only: quoted in a CDATA section or a comment (a progress message may quote one),
	// it is text.
	if (error instanceof XmlDoctypeRefused)
		return new IpsTransportError(
			'doctypeRefused',
			`IPS answered ${status} with a document type declaration, which is refused (no entities are expanded)`,
			{ httpStatus, bodyStart },
		);
	if (error instanceof XmlSyntaxError) {
		// fast-xml-parser's validator words most of these the way this package always has; only what
		// it lets pass (an end tag written `</x/>`, nesting past the limit) keeps the reader's words,
		// and so does an answer in parts, which is never whole.
		const validation = answer.inParts ? true : XMLValidator.validate(answer.text);
		const { msg, line } =
			validation === true ? { msg: error.message, line: error.line } : validation.err;
		return new IpsTransportError(
			'malformedXml',
			`IPS answered ${status} with XML that is not well-formed (${msg}, line ${line}): ${bodyStart}`,
			{ httpStatus, bodyStart },
		);
	}
	// An element named __proto__, say: still an answer that may follow a request IPS received, so it
	// keeps "may have reached IPS" like every other unreadable answer.
	return new IpsTransportError(
		'unexpectedResponse',
		`IPS answered ${status} with XML that cannot be read (${error instanceof Error ? error.message : String(error)}): ${bodyStart}`,
		{ httpStatus, bodyStart, cause: error },
	);
}

/** The `<operation>Return` of a document, or its fault, or why it has neither. */
function returnOf(
	answer: Answer,
	document: ParsedObject,
	redact: (text: string) => string,
): ParsedObject {
	const { operation, httpStatus, status, text, quoteStart } = answer;
	const soapBody = child(child(document, 'Envelope'), 'Body');
	if (soapBody === undefined) {
		throw new IpsTransportError(
			httpStatus >= 400 ? 'httpError' : 'unexpectedResponse',
			`IPS answered ${status} with XML that is not a SOAP envelope: ${quoteStart(text)}`,
			{ httpStatus, bodyStart: quoteStart(text) },
		);
	}
	const fault = child(soapBody, 'Fault');
	if (fault !== undefined) throw faultFromParsed(asObject(fault), httpStatus).scrubbed(redact);

	const returnName = `${operation}Return`;
	if (typeof soapBody !== 'object' || !(returnName in soapBody)) {
		throw new IpsTransportError(
			httpStatus >= 400 ? 'httpError' : 'unexpectedResponse',
			`IPS answered ${status} without a ${returnName} element: ${quoteStart(text)}`,
			{ httpStatus, bodyStart: quoteStart(text) },
		);
	}
	if (httpStatus >= 400) {
		throw new IpsTransportError('httpError', `IPS answered ${status} to ${operation}`, {
			httpStatus,
			bodyStart: quoteStart(text),
		});
	}
	return asObject(soapBody[returnName] as Parsed);
}

const FAULT_DETAIL_KINDS: Record<string, IpsFaultKind> = {
	authenticationFault: 'authentication',
	authorizationFault: 'authorization',
	ipsApiFault: 'ipsApi',
};

/**
 * Classifies a `Fault` by its detail element and code; faultcode/faultstring vary too much. A SOAP
 * 1.2 fault (the WSDL has a 1.2 binding too) says the same with Code/Value, Reason/Text and Detail.
 */
function faultFromParsed(fault: ParsedObject, httpStatus: number): IpsFault {
	const faultCode = textOf(fault, 'faultcode') || textOf(asObject(child(fault, 'Code')), 'Value');
	const faultString =
		textOf(fault, 'faultstring') || textOf(asObject(child(fault, 'Reason')), 'Text');
	const detail = asObject(child(fault, 'detail') ?? child(fault, 'Detail'));
	for (const [element, kind] of Object.entries(FAULT_DETAIL_KINDS)) {
		const body = child(detail, element);
		if (body !== undefined) {
			const details = asObject(body);
			const code = Number.parseInt(textOf(details, 'code'), 10);
			return new IpsFault(
				kind,
				Number.isFinite(code) ? code : undefined,
				textOf(details, 'reason') || faultString || 'no reason given',
				httpStatus,
				faultCode,
				faultString,
			);
		}
	}
	const reason = faultString || faultCode || 'no reason given';
	return new IpsFault('soap', undefined, reason, httpStatus, faultCode, faultString);
}

function child(node: Parsed | Parsed[] | undefined, name: string): Parsed | undefined {
	if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
	const value = node[name];
	return Array.isArray(value) ? value[0] : value;
}

function asObject(node: Parsed | undefined): ParsedObject {
	return node && typeof node === 'object' ? node : {};
}

/** The `items` of an IPS array element, always as a list (an empty array may be `<x/>`). */
export function itemsOf(container: Parsed | Parsed[] | undefined): ParsedObject[] {
	if (!container || typeof container !== 'object' || Array.isArray(container)) return [];
	const items = container.items;
	if (!Array.isArray(items)) return [];
	return items.filter((item): item is ParsedObject => typeof item === 'object');
}

/** A text child as a string ('' when missing or not text). */
export function textOf(node: ParsedObject, name: string): string {
	const value = node[name];
	return typeof value === 'string' ? value : '';
}

/** A numeric child, or undefined when missing. */
export function numberOf(node: ParsedObject, name: string): number | undefined {
	const text = textOf(node, name);
	if (!text) return undefined;
	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}
