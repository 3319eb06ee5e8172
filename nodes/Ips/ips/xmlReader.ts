// Reads an IPS answer's XML in one pass: it checks that the document is well-formed while it builds
// the plain data the client reads (what fast-xml-parser gives with parse.ts's old options: namespace
// prefixes dropped, attributes ignored, text trimmed and kept as strings, `items` always a list).
// A large answer is read in slices with a pause for the event loop between them, so that reading
// 20 MB never holds up the other executions of the process.
import { nextTurn } from './sleep';

/** An element parsed into plain data: text is a string, children an object, `items` a list. */
export type Parsed = string | ParsedObject;
export interface ParsedObject {
	[name: string]: Parsed | Parsed[] | undefined;
}

/**
 * Takes the rows of one list as they are read (the `items` of the element at `path`, names without
 * their prefix from the root down), instead of the document keeping them: a poll's rows that change
 * nothing then die young, where a whole list of 10,000 kept to its end outlives the collector's
 * scavenges (bench/PROFILES.md). Rows are handed on before the reader knows that the document is
 * well-formed: whoever takes them keeps them aside until the read has ended without an error.
 */
export interface RowSink {
	path: readonly string[];
	take(row: Parsed): void;
}

/** The document is not well-formed XML (or nests deeper than MAX_DEPTH). */
export class XmlSyntaxError extends Error {
	constructor(
		message: string,
		readonly line: number,
	) {
		super(message);
		this.name = 'XmlSyntaxError';
	}
}

/** A document type declaration: refused, so that no entity is ever declared, let alone expanded. */
export class XmlDoctypeRefused extends XmlSyntaxError {}

const MAX_DEPTH = 64;
/**
 * Characters read between two pauses for the event loop: about a millisecond of work, but the
 * collector's pauses fall inside the slices, and with 10,000 runs waiting 128 KB slices held the loop
 * up for 42–79 ms, 32 KB ones for 32–36 (bench figure 6b; 16 KB did no better).
 */
export const SLICE_CHARS = 32 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// A reference to one of XML's five entities or a character; any other `&` is not well-formed.
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+)|([A-Za-z_][\w.-]*));|&/g;
// XML's Name production, without its rarest characters: what a tag or attribute name may be.
const NAME = /^[A-Za-z_:\u00C0-\uFFEF][\w.\-:\u00B7\u00C0-\uFFEF]*$/;
const WHITE = /^[ \t\r\n]*$/;

interface Open {
	/** The name as written (prefix included): its end tag must repeat it exactly. */
	qname: string;
	/** The name without its namespace prefix: the key in its parent. */
	name: string;
	children: ParsedObject | undefined;
	text: string;
}

/** A tag name as written, and without its namespace prefix. */
interface KnownName {
	qname: string;
	name: string;
}
/** How many tag names of one length a reader remembers (see tagName). */
const KNOWN_NAMES = 16;

/** The line of `document` that position `at` is on. */
function lineOf(document: string, at: number): number {
	let line = 1;
	for (let i = document.indexOf('\n'); i !== -1 && i < at; i = document.indexOf('\n', i + 1))
		line++;
	return line;
}

/**
 * `text` stands at `at` in the text `reader` reads (for an error's line, the line of the reference:
 * told this way rather than by a function made for every piece of text, which a large answer would
 * make hundreds of thousands of times).
 */
function decode(text: string, reader: { lineAt(at: number): number }, at: number): string {
	if (!text.includes('&')) return text;
	return text.replace(
		REFERENCE,
		(
			match: string,
			named: string | undefined,
			decimal: string | undefined,
			hex: string | undefined,
			other: string | undefined,
			offset: number,
		) => {
			if (named) return ENTITIES[named];
			if (decimal || hex) {
				const code = decimal ? Number(decimal) : parseInt(hex!, 16);
				if (code > 0x10ffff || code === 0)
					throw new XmlSyntaxError(
						`character reference ${match} is not a character`,
						reader.lineAt(at + offset),
					);
				return String.fromCodePoint(code);
			}
			// An entity of a DTD, which IPS never sends and no DTD is read for: kept as written.
			if (other) return match;
			throw new XmlSyntaxError("'&' that starts no reference", reader.lineAt(at + offset));
		},
	);
}

function isWhite(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

function allWhite(text: string, from: number, to: number): boolean {
	for (let i = from; i < to; i++) if (!isWhite(text.charCodeAt(i))) return false;
	return true;
}

function localName(qname: string): string {
	const colon = qname.indexOf(':');
	return colon === -1 ? qname : qname.slice(colon + 1);
}

/** What `read` says: the document has been read to its end, the limit reached, or it needs more. */
type ReadState = 'done' | 'paused' | 'needMore';

/**
 * One document, read from start to end: whole, or as parts of its text handed to `push` (the last
 * followed by `end`), so that a large answer never has to be one string. `read(limit)` goes on
 * until `limit` characters of the document have been read. A construct cut by the end of a part (a
 * tag, a comment, a reference) waits for the next part; text is taken as it comes.
 */
class Reader {
	/** The text being read: what is left of the parts before, and the parts pushed since. */
	private xml = '';
	private pos = 0;
	/** Where `xml` starts in the document, and how many lines are before it (for errors). */
	private offset = 0;
	private linesBefore = 0;
	/** Parts not yet joined to `xml`, and their length. */
	private readonly parts: string[] = [];
	private partChars = 0;
	/**
	 * The length `xml` had when a construct in it last needed more text: parts are joined again only
	 * once they at least double it, so a construct cut across many parts costs linear time.
	 */
	private waitedAt = 0;
	private ended = false;
	private readonly stack: Open[] = [];
	/** The records of open elements, by depth (see startTag). */
	private readonly opened: Open[] = [];
	private readonly knownNames: KnownName[][] = [];
	private root: ParsedObject = {};
	private roots = 0;

	constructor(
		/** Whether every value must be a string of its own (see `detached`). */
		private readonly detach = false,
		private readonly rows?: RowSink,
	) {}

	push(part: string): void {
		this.parts.push(part);
		this.partChars += part.length;
	}

	end(): void {
		this.ended = true;
	}

	result(): ParsedObject {
		return this.root;
	}

	/** Reads on until `limit` characters of the document have been read (or it needs more). */
	read(limit: number): ReadState {
		for (;;) {
			const state = this.readWindow(limit - this.offset);
			if (state !== 'needMore') return state;
			// Once everything has come, the parts are joined whatever their length.
			const rest = this.xml.length - this.pos;
			if (!this.ended && (!this.parts.length || rest + this.partChars < 2 * this.waitedAt))
				return 'needMore';
			this.join();
		}
	}

	/** Drops what has been read from `xml` and joins the parts to what is left. */
	private join(): void {
		const { xml, pos } = this;
		for (let i = xml.indexOf('\n'); i !== -1 && i < pos; i = xml.indexOf('\n', i + 1))
			this.linesBefore++;
		this.offset += pos;
		const joined = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
		this.xml = pos < xml.length ? xml.slice(pos) + joined : joined;
		this.parts.length = 0;
		this.partChars = 0;
		this.pos = 0;
	}

	/**
	 * Reads `xml` on to `limit`. `needMore` when a construct is cut by its end and more text may
	 * come; `last` (everything has come) turns that into the error the construct's end is missing.
	 */
	private readWindow(limit: number, last = this.ended && !this.parts.length): ReadState {
		const { xml } = this;
		while (this.pos < xml.length) {
			if (this.pos >= limit) return 'paused';
			const lt = xml.indexOf('<', this.pos);
			if (lt === -1) {
				if (!last) {
					this.takeTextUpToReference(xml.length);
					return this.waitFor();
				}
				this.text(xml.slice(this.pos));
				this.pos = xml.length;
				break;
			}
			if (lt > this.pos) this.text(xml.slice(this.pos, lt));
			this.pos = lt;
			if (!this.markup(lt, last)) return this.waitFor();
		}
		if (!last) return this.waitFor();
		if (this.stack.length) {
			throw this.error(`<${this.stack[this.stack.length - 1].qname}> is never closed`);
		}
		if (!this.roots) throw this.error('no root element');
		return 'done';
	}

	private waitFor(): ReadState {
		this.waitedAt = this.xml.length - this.pos;
		return 'needMore';
	}

	/**
	 * Takes the text from `pos` to `to` except a reference the end of the text may have cut (an `&`
	 * with no `;` after it), which waits for the rest.
	 */
	private takeTextUpToReference(to: number): void {
		const { xml } = this;
		const amp = xml.lastIndexOf('&', to - 1);
		const end = amp >= this.pos && xml.indexOf(';', amp) === -1 ? amp : to;
		if (end > this.pos) this.text(xml.slice(this.pos, end));
		this.pos = end;
	}

	/**
	 * Markup at `at` that `xml` ends inside: false (read nothing yet) while more text may come, the
	 * error once everything has come (`last`).
	 */
	private unfinished(what: string, at: number, last: boolean): false {
		if (!last) return false;
		throw this.error(`${what} is never closed`, at);
	}

	private error(message: string, at = this.pos): XmlSyntaxError {
		return new XmlSyntaxError(message, this.lineAt(at));
	}

	/** The line of the document that position `at` of the text being read is on. */
	lineAt(at: number): number {
		return this.linesBefore + lineOf(this.xml, at);
	}

	private text(raw: string): void {
		const open = this.stack[this.stack.length - 1];
		if (!open) {
			if (!WHITE.test(raw)) throw this.error('text outside the root element');
			return;
		}
		open.text += decode(raw, this, this.pos);
	}

	/**
	 * Reads the markup at `lt`. False, with nothing read, when `xml` ends before the markup does and
	 * more text may come (`last` is false).
	 */
	private markup(lt: number, last: boolean): boolean {
		const { xml } = this;
		// Enough text to tell what the markup is: `<![CDATA[` is the longest start.
		if (!last && xml.length - lt < 9) return false;
		const next = xml.charCodeAt(lt + 1);
		if (next === 0x2f /* / */) return this.endTag(lt, last);
		if (next === 0x21 /* ! */) {
			if (xml.startsWith('<!--', lt)) {
				const end = xml.indexOf('-->', lt + 4);
				if (end === -1) return this.unfinished('a comment', lt, last);
				this.pos = end + 3;
				return true;
			}
			if (xml.startsWith('<![CDATA[', lt)) {
				const end = xml.indexOf(']]>', lt + 9);
				if (end === -1) return this.unfinished('a CDATA section', lt, last);
				const open = this.stack[this.stack.length - 1];
				if (!open) throw this.error('a CDATA section outside the root element', lt);
				open.text += xml.slice(lt + 9, end);
				this.pos = end + 3;
				return true;
			}
			if (/^<!(DOCTYPE|ENTITY)/i.test(xml.slice(lt, lt + 9)))
				throw new XmlDoctypeRefused('a document type declaration', this.lineAt(lt));
			throw this.error('a declaration that is not allowed here', lt);
		}
		if (next === 0x3f /* ? */) {
			const end = xml.indexOf('?>', lt + 2);
			if (end === -1) return this.unfinished('a processing instruction', lt, last);
			const target = /^[^\s?]+/.exec(xml.slice(lt + 2, end))?.[0] ?? '';
			if (target.toLowerCase() === 'xml' && this.offset + lt !== 0)
				throw this.error('an XML declaration that is not at the start', lt);
			this.pos = end + 2;
			return true;
		}
		return this.startTag(lt, last);
	}

	private startTag(lt: number, last: boolean): boolean {
		const { xml } = this;
		// The tag ends at the first `>` outside quotes.
		let i = lt + 1;
		let quote = 0;
		for (; i < xml.length; i++) {
			const c = xml.charCodeAt(i);
			if (quote) {
				if (c === quote) quote = 0;
			} else if (c === 0x22 || c === 0x27) quote = c;
			else if (c === 0x3e /* > */) break;
			else if (c === 0x3c) throw this.error("'<' inside a tag", i);
		}
		if (i >= xml.length) return this.unfinished('a tag', lt, last);
		const selfClosing = xml.charCodeAt(i - 1) === 0x2f;
		const tagEnd = selfClosing ? i - 1 : i;
		let nameEnd = lt + 1;
		while (nameEnd < tagEnd && !isWhite(xml.charCodeAt(nameEnd))) nameEnd++;
		const { qname, name } = this.tagName(lt + 1, nameEnd);
		if (nameEnd < tagEnd) this.checkAttributes(xml.slice(nameEnd, tagEnd), lt);
		const depth = this.stack.length;
		if (!depth) {
			if (this.roots++) throw this.error('a second root element', lt);
		} else if (depth >= MAX_DEPTH) {
			throw this.error(`elements nested deeper than ${MAX_DEPTH}`, lt);
		}
		this.pos = i + 1;
		// An element is open only while it is on the stack: one record per depth serves them all.
		const open = (this.opened[depth] ??= { qname, name, children: undefined, text: '' });
		open.qname = qname;
		open.name = name;
		open.children = undefined;
		open.text = '';
		if (selfClosing) this.close(open);
		else this.stack.push(open);
		return true;
	}

	/**
	 * The tag name between `from` and `to`. A name met before is found in `knownNames` rather than
	 * cut out of the document and checked again: an answer repeats a few names thousands of times.
	 */
	private tagName(from: number, to: number): KnownName {
		const length = to - from;
		const known = this.knownNames[length];
		if (known) for (const entry of known) if (this.xml.startsWith(entry.qname, from)) return entry;
		const cut = this.xml.slice(from, to);
		// Kept for the whole read: it must not keep the part it was cut from.
		const qname = this.detach ? detached(cut) : cut;
		if (!NAME.test(qname)) throw this.error(`'${qname.slice(0, 40)}' is not a tag name`, from - 1);
		const entry = { qname, name: localName(qname) };
		// Bounded, whatever a document holds: at most KNOWN_NAMES names of each length up to 64.
		if (length <= 64 && (known?.length ?? 0) < KNOWN_NAMES)
			(this.knownNames[length] ??= []).push(entry);
		return entry;
	}

	/**
	 * Attributes are not read, only checked for their form: each a name, `=`, and a quoted value
	 * (what is inside the quotes is not looked at, as fast-xml-parser's validator did not).
	 */
	private checkAttributes(attributes: string, lt: number): void {
		const ATTRIBUTE = /[ \t\r\n]+([^\s=]+)[ \t\r\n]*=[ \t\r\n]*("[^"]*"|'[^']*')|[ \t\r\n]+$/y;
		const names = new Set<string>();
		let at = 0;
		while (at < attributes.length) {
			ATTRIBUTE.lastIndex = at;
			const match = ATTRIBUTE.exec(attributes);
			if (!match) throw this.error('an attribute that is not name="value"', lt);
			if (match[1] !== undefined) {
				if (!NAME.test(match[1]) || names.has(match[1]))
					throw this.error(`attribute '${match[1].slice(0, 40)}' is not allowed here`, lt);
				names.add(match[1]);
			}
			at = ATTRIBUTE.lastIndex;
		}
	}

	private endTag(lt: number, last: boolean): boolean {
		const { xml } = this;
		const gt = xml.indexOf('>', lt + 2);
		if (gt === -1) return this.unfinished('an end tag', lt, last);
		// Compared where it stands: a large answer has hundreds of thousands of end tags.
		const open = this.stack.pop();
		const nameEnd = lt + 2 + (open?.qname.length ?? 0);
		if (!open || !xml.startsWith(open.qname, lt + 2) || !allWhite(xml, nameEnd, gt)) {
			const qname = xml
				.slice(lt + 2, gt)
				.replace(/[ \t\r\n]+$/, '')
				.slice(0, 40);
			throw this.error(
				open ? `</${qname}> where </${open.qname}> was expected` : `</${qname}> closes nothing`,
				lt,
			);
		}
		this.pos = gt + 1;
		this.close(open);
		return true;
	}

	/** Whether an element that has ended is a row of the list at `path`. */
	private isRow(element: Open, path: readonly string[]): boolean {
		const { stack } = this;
		if (element.name !== 'items' || stack.length !== path.length) return false;
		for (let depth = 0; depth < path.length; depth++)
			if (stack[depth].name !== path[depth]) return false;
		return true;
	}

	/** Adds an element that has ended to its parent, as fast-xml-parser would. */
	private close(element: Open): void {
		const trimmed = element.text.trim();
		const text = this.detach ? detached(trimmed) : trimmed;
		let value: Parsed;
		if (element.children) {
			value = element.children;
			if (text) value['#text'] = text;
		} else {
			value = text;
		}
		if (element.name === '__proto__') throw new Error('an element named __proto__');
		if (this.rows && this.isRow(element, this.rows.path)) return this.rows.take(value);
		const parent = this.stack[this.stack.length - 1];
		const into = parent ? (parent.children ??= {}) : this.root;
		// Own keys only: an element named "constructor" is not Object's.
		const existing = Object.hasOwn(into, element.name) ? into[element.name] : undefined;
		if (existing === undefined) into[element.name] = element.name === 'items' ? [value] : value;
		else if (Array.isArray(existing)) existing.push(value);
		else into[element.name] = [existing, value];
	}
}

/** Reads a whole document at once: for answers of ordinary size. */
export function readXml(xml: string, rows?: RowSink): ParsedObject {
	const reader = new Reader(false, rows);
	reader.push(xml);
	reader.end();
	reader.read(Infinity);
	return reader.result();
}

/**
 * An answer's text part by part, as it is unpacked: `next` resolves to the next part, or to
 * undefined after the last. A part that cannot be had (bytes that are not UTF-8) rejects.
 */
export interface TextParts {
	next(): Promise<string | undefined>;
}

/**
 * A copy of a value that does not hold on to the document it was cut from. V8 keeps a cut of 13
 * characters or more as a view of the whole text: one run's name kept from a poll's answer of
 * 10,000 runs would keep all 7 MB of it alive (bench figure 6b measures what this saves).
 */
function detached(value: string): string {
	return value.length < 13 ? value : (' ' + value).slice(1);
}

/**
 * Reads a document, whole or part by part, in slices of SLICE_CHARS, letting the event loop run
 * between them. Its values are detached from the document: the answers this reads are the large
 * ones whose values are kept. Given parts, it never holds the whole text: each part is read as it
 * comes and dropped (bench/PROFILES.md: a whole answer of 7 MB lived through the read's scavenges
 * and reached the old generation on every poll).
 */
export async function readXmlInSlices(
	xml: string | TextParts,
	rows?: RowSink,
): Promise<ParsedObject> {
	const reader = new Reader(true, rows);
	if (typeof xml === 'string') {
		reader.push(xml);
		reader.end();
	}
	for (let limit = SLICE_CHARS; ;) {
		const state = reader.read(limit);
		if (state === 'done') return reader.result();
		if (state === 'paused') {
			await nextTurn();
			limit += SLICE_CHARS;
			continue;
		}
		const part = await (xml as TextParts).next();
		if (part === undefined) reader.end();
		else reader.push(part);
	}
}
