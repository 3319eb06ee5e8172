// The one-pass XML reader against fast-xml-parser, which the package read IPS answers with before:
// on every recorded answer and every example of Adobe's reference the same data; on thousands of
// damaged copies of them, never a document the validator refuses, and where both read one, the same
// data. Then the slices: the same data, with the event loop let through between them; and the
// parts: a document handed over in pieces cut anywhere reads as it does whole, errors included.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
	Parsed,
	ParsedObject,
	readXml,
	readXmlInSlices,
	SLICE_CHARS,
	TextParts,
	XmlSyntaxError,
} from '../../nodes/Ips/ips/xmlReader';

/** fast-xml-parser with the options parse.ts used (kept here as the reference). */
const reference = new XMLParser({
	removeNSPrefix: true,
	ignoreAttributes: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	parseTagValue: false,
	trimValues: true,
	isArray: (name) => name === 'items',
	htmlEntities: { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as unknown as boolean,
	maxNestedTags: 64,
});

const FIXTURES = join(__dirname, '../fixtures/ips-recorded');
const recorded = [
	...readdirSync(FIXTURES)
		.filter((f) => f.endsWith('.xml'))
		.map((f) => join(FIXTURES, f)),
	...readdirSync(join(FIXTURES, 'docs'))
		.filter((f) => f.endsWith('.xml'))
		.map((f) => join(FIXTURES, 'docs', f)),
].map((file) => ({ file, xml: readFileSync(file, 'utf8') }));

const envelope = (inner: string) =>
	`<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1='urn:x'>\n <soapenv:Body>${inner}</soapenv:Body>\n</soapenv:Envelope>\n`;

/** What IPS may send beyond the recordings: the odd shapes Adobe's reference allows. */
const shapes = [
	envelope(
		'<ns1:getActiveJobsReturn><ns1:jobArray><ns1:items><ns1:jobHandle>j|1||a &amp; b|7</ns1:jobHandle>' +
			'<ns1:progressMessage><![CDATA[50% <done> & "more"]]></ns1:progressMessage><!-- note --></ns1:items>' +
			'<ns1:items><ns1:name> Größe &#x1F600; &#13;x </ns1:name><ns1:empty/><ns1:empty2></ns1:empty2></ns1:items>' +
			'</ns1:jobArray></ns1:getActiveJobsReturn>',
	),
	envelope('<getJobLogsReturn><jobLogArray/></getJobLogsReturn>'),
	envelope('<a><b>1</b><b>2</b><b>3</b><c x="1" y = \'>\'>t</c></a>'),
	envelope('<a>text<b>child</b>tail</a>'),
	envelope('<?pi some data?><a>&unknown; &lt;&gt;&quot;&apos;</a>'),
];

const corpus = [...recorded, ...shapes.map((xml, i) => ({ file: `shape ${i}`, xml }))];

describe('the one-pass reader reads what fast-xml-parser read', () => {
	it('has the recordings and the reference examples', () => expect(recorded.length).toBe(25));

	it.each(corpus)('$file', ({ xml }) => {
		expect(XMLValidator.validate(xml)).toBe(true);
		expect(readXml(xml)).toEqual(reference.parse(xml));
	});
});

/** A small deterministic generator, so a failure names a damage that can be made again. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) & 0x7fffffff;
		return state / 0x7fffffff;
	};
}

const INSERTS = [
	'<',
	'>',
	'&',
	'</x>',
	'<x>',
	'"',
	"'",
	']]>',
	'<!--',
	'<![CDATA[',
	'<?x',
	'/',
	'=',
	' ',
];

function damaged(xml: string, next: () => number): string {
	const at = Math.floor(next() * xml.length);
	switch (Math.floor(next() * 4)) {
		case 0:
			return xml.slice(0, at);
		case 1:
			return xml.slice(0, at) + xml.slice(at + 1 + Math.floor(next() * 8));
		case 2:
			return xml.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + xml.slice(at);
		default: {
			const tag = /<\/?[^>]+>/g;
			const tags = [...xml.matchAll(tag)];
			const pick = tags[Math.floor(next() * tags.length)];
			return pick ? xml.slice(0, pick.index) + xml.slice(pick.index! + pick[0].length) : xml;
		}
	}
}

describe('names that Object has too', () => {
	it('are read as plain keys of their parent, and pollute nothing', () => {
		const read = readXml(
			envelope('<constructor>c</constructor><toString><valueOf/></toString><__x>y</__x>'),
		);
		expect(read).toEqual({
			Envelope: { Body: { constructor: 'c', toString: { valueOf: '' }, __x: 'y' } },
		});
		expect(({} as { constructor: unknown }).constructor).toBe(Object);
	});

	it('refuses __proto__', () => {
		expect(() => readXml(envelope('<__proto__><polluted>yes</polluted></__proto__>'))).toThrow(
			'__proto__',
		);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('tag names', () => {
	const problem = (xml: string) => {
		try {
			readXml(xml);
			return 'read';
		} catch (error) {
			return (error as XmlSyntaxError).message;
		}
	};

	it('an end tag must repeat its start tag (space before `>` allowed), and say which was expected', () => {
		expect(problem('<a><bb>1</bb \n></a>')).toBe('read');
		expect(problem('<a><bb>1</bc></a>')).toBe('</bc> where </bb> was expected');
		expect(problem('<a><bb>1</bbb></a>')).toBe('</bbb> where </bb> was expected');
		expect(problem('<a><bb>1</bb x></a>')).toBe('</bb x> where </bb> was expected');
		expect(problem('<a></a></a>')).toBe('</a> closes nothing');
	});

	it('a name the reader has met before is read again as that name; a new one of its length is checked', () => {
		expect(readXml('<a><ns:bb>1</ns:bb><ns:bb>2</ns:bb><ns:bc>3</ns:bc></a>')).toEqual({
			a: { bb: ['1', '2'], bc: '3' },
		});
		expect(problem('<a><bb/><1b/></a>')).toBe("'1b' is not a tag name");
	});
});

describe('damaged documents', () => {
	it('are refused whenever fast-xml-parser’s validator refuses them, and read alike otherwise', () => {
		const next = random(19);
		let refusedByBoth = 0;
		let readByBoth = 0;
		const stricter: string[] = [];
		for (const { xml } of corpus) {
			for (let round = 0; round < 150; round++) {
				const copy = damaged(xml, next);
				const valid = XMLValidator.validate(copy) === true;
				let read: unknown;
				try {
					read = readXml(copy);
				} catch (error) {
					expect(error).toBeInstanceOf(XmlSyntaxError);
					if (valid) stricter.push(copy);
					else refusedByBoth++;
					continue;
				}
				if (!valid) throw new Error(`read, though not well-formed: ${copy}`);
				let expected: unknown;
				try {
					expected = reference.parse(copy);
				} catch {
					// fast-xml-parser's parser refuses a few documents its own validator passes (a `?>`
					// found further on than it looks): nothing to compare with.
					continue;
				}
				expect(read).toEqual(expected);
				readByBoth++;
			}
		}
		expect(refusedByBoth).toBeGreaterThan(1000);
		expect(readByBoth).toBeGreaterThan(500);
		// The only kind the validator lets pass and the reader refuses: an end tag written `</x/>`.
		expect(stricter.filter((copy) => !/<\/[^<>]*\/>/.test(copy))).toEqual([]);
	});
});

describe('reading in slices', () => {
	const big = envelope(
		`<getJobLogsReturn><jobLogArray>${'<items><jobName>run &amp; more</jobName><fileErrorCount>0</fileErrorCount></items>'.repeat(20_000)}</jobLogArray></getJobLogsReturn>`,
	);

	it('gives the same data as reading at once, and lets timers run between slices', async () => {
		expect(big.length).toBeGreaterThan(4 * SLICE_CHARS);
		let ticks = 0;
		const timer = setInterval(() => ticks++, 0);
		const sliced = await readXmlInSlices(big);
		clearInterval(timer);
		expect(sliced).toEqual(readXml(big));
		expect(ticks).toBeGreaterThan(0);
	});

	it('refuses a damaged large document as reading at once does', async () => {
		const cut = big.slice(0, big.length - 30);
		await expect(readXmlInSlices(cut)).rejects.toBeInstanceOf(XmlSyntaxError);
	});
});

describe('rows handed on as they are read', () => {
	const listPath = ['Envelope', 'Body', 'getActiveJobsReturn', 'jobArray'];
	const activeLists = corpus.filter(({ xml }) => /getActiveJobsReturn/.test(xml));

	it('has active lists with rows among the recordings and shapes', () =>
		expect(activeLists.filter(({ xml }) => /<(\w+:)?items>/.test(xml)).length).toBeGreaterThan(1));

	/** The element at `path` in a document read whole, and the document without its `items`. */
	function split(whole: ParsedObject, path: readonly string[]) {
		let parent: ParsedObject | undefined;
		let node: Parsed | Parsed[] | undefined = whole;
		for (const name of path) {
			parent = typeof node === 'object' && !Array.isArray(node) ? node : undefined;
			node = parent?.[name];
		}
		if (!parent || typeof node !== 'object' || Array.isArray(node))
			return { rows: [], rest: whole };
		const { items = [], ...others } = node;
		// A list whose rows were all taken is an element with nothing left in it: empty text.
		parent[path[path.length - 1]] = Object.keys(others).length ? others : '';
		return { rows: items, rest: whole };
	}

	it.each(activeLists)(
		'$file: the rows of the list in order, and the document without them',
		({ xml }) => {
			// The recordings are envelopes; the reference's examples are the Return element alone.
			const path = xml.includes('Envelope>') ? listPath : listPath.slice(2);
			const taken: Parsed[] = [];
			const rest = readXml(xml, { path, take: (row) => taken.push(row) });
			const expected = split(readXml(xml), path);
			expect(taken).toEqual(expected.rows);
			expect(rest).toEqual(expected.rest);
		},
	);

	it('takes only the items at the path: not those nested in a row, nor a list elsewhere', () => {
		const xml = envelope(
			'<getActiveJobsReturn><jobArray><items><name>a</name><fileArray><items>f1</items></fileArray></items>' +
				'<items><name>b</name></items></jobArray><other><jobArray><items>x</items></jobArray></other></getActiveJobsReturn>',
		);
		const taken: Parsed[] = [];
		const rest = readXml(xml, { path: listPath, take: (row) => taken.push(row) });
		expect(taken).toEqual([{ name: 'a', fileArray: { items: ['f1'] } }, { name: 'b' }]);
		expect(rest).toEqual({
			Envelope: {
				Body: { getActiveJobsReturn: { jobArray: '', other: { jobArray: { items: ['x'] } } } },
			},
		});
	});

	it('in slices: the same rows, detached from the document; a damaged end still refuses it', async () => {
		const row =
			'<items><name>Nightly_2026-01-01-00:00:00.000 &amp; more</name><state>Running</state></items>';
		const xml = envelope(
			`<getActiveJobsReturn><jobArray>${row.repeat(5_000)}</jobArray></getActiveJobsReturn>`,
		);
		expect(xml.length).toBeGreaterThan(4 * SLICE_CHARS);
		const taken: Parsed[] = [];
		await readXmlInSlices(xml, { path: listPath, take: (r) => taken.push(r) });
		expect(taken).toHaveLength(5_000);
		expect(taken[4_999]).toEqual({
			name: 'Nightly_2026-01-01-00:00:00.000 & more',
			state: 'Running',
		});
		const late: Parsed[] = [];
		await expect(
			readXmlInSlices(xml.slice(0, -30), { path: listPath, take: (r) => late.push(r) }),
		).rejects.toBeInstanceOf(XmlSyntaxError);
		// Rows were handed on before the damage was found: the caller keeps them aside (RowSink).
		expect(late).toHaveLength(5_000);
	});
});

/** `text` cut into parts of the given lengths (the last repeated), handed over as TextParts. */
function partsOf(text: string, lengths: readonly number[]): TextParts & { handedOver: number } {
	let at = 0;
	let index = 0;
	const parts = {
		handedOver: 0,
		next: async () => {
			if (at >= text.length) return undefined;
			const length = lengths[Math.min(index++, lengths.length - 1)];
			parts.handedOver++;
			return text.slice(at, (at += length));
		},
	};
	return parts;
}

/** What reading gives: the data, or the error's kind, message and line. */
async function outcomeOf(read: () => Promise<ParsedObject> | ParsedObject) {
	try {
		return { data: await read() };
	} catch (error) {
		const { name, message, line } = error as XmlSyntaxError;
		return { name, message, line };
	}
}

describe('reading a document handed over in parts', () => {
	const cuts = [[1], [2], [3], [5], [8], [9], [13], [64], [1000], [7, 1, 30, 2, 500]];

	it.each(corpus)('$file: the same data, wherever the parts are cut', async ({ xml }) => {
		const whole = readXml(xml);
		for (const lengths of cuts) expect(await readXmlInSlices(partsOf(xml, lengths))).toEqual(whole);
	});

	it('a damaged document: the same error (kind, words, line) or the same data as read whole', async () => {
		const next = random(23);
		let refused = 0;
		for (const { xml } of corpus) {
			for (let round = 0; round < 40; round++) {
				const copy = damaged(xml, next);
				const lengths = [1 + Math.floor(next() * 40), 1 + Math.floor(next() * 3)];
				const whole = await outcomeOf(() => readXml(copy));
				if (!('data' in whole)) refused++;
				expect(await outcomeOf(() => readXmlInSlices(partsOf(copy, lengths)))).toEqual(whole);
			}
		}
		expect(refused).toBeGreaterThan(300);
	});

	it('references, CDATA and comments cut at every place read as whole; errors name the line of the reference', async () => {
		const xml = envelope(
			'<a>\n1 &amp; 2 &#x1F600; &lt;<![CDATA[ x ]] > ]]><!-- c -- >? -->&#169;\n</a>',
		);
		const whole = readXml(xml);
		for (let first = 1; first < xml.length; first++)
			expect(await readXmlInSlices(partsOf(xml, [first, 1]))).toEqual(whole);
		const misplaced = '<a>x<?xml version="1.0"?></a>';
		for (let first = 1; first < misplaced.length; first++)
			expect(await outcomeOf(() => readXmlInSlices(partsOf(misplaced, [first, 1])))).toEqual({
				name: 'XmlSyntaxError',
				message: 'an XML declaration that is not at the start',
				line: 1,
			});
		const bad = envelope('<a>fine\nfine\n&bad ref</a>');
		const error = await outcomeOf(() => readXmlInSlices(partsOf(bad, [4])));
		expect(error).toEqual({
			name: 'XmlSyntaxError',
			message: "'&' that starts no reference",
			line: 5,
		});
		expect(await outcomeOf(() => readXml(bad))).toEqual(error);
	});

	it('reads a large document part by part, the rows handed on, and lets timers run even when every part is there at once', async () => {
		const row =
			'<items><name>Nightly_2026-01-01-00:00:00.000 &amp; more</name><state>Running</state></items>';
		const xml = envelope(
			`<getActiveJobsReturn><jobArray>${row.repeat(5_000)}</jobArray></getActiveJobsReturn>`,
		);
		const path = ['Envelope', 'Body', 'getActiveJobsReturn', 'jobArray'];
		const fromWhole: Parsed[] = [];
		const fromParts: Parsed[] = [];
		const expected = readXml(xml, { path, take: (r) => fromWhole.push(r) });
		let ticks = 0;
		const timer = setInterval(() => ticks++, 0);
		const parts = partsOf(xml, [16 * 1024]);
		const read = await readXmlInSlices(parts, { path, take: (r) => fromParts.push(r) });
		clearInterval(timer);
		expect(read).toEqual(expected);
		expect(fromParts).toEqual(fromWhole);
		expect(parts.handedOver).toBe(Math.ceil(xml.length / (16 * 1024)));
		expect(ticks).toBeGreaterThan(0);
	});

	it('a part that cannot be had fails the read with its own error', async () => {
		const broken: TextParts = {
			next: jest
				.fn()
				.mockResolvedValueOnce('<a><b>1</b>')
				.mockRejectedValueOnce(new Error('the gzip body does not unpack')),
		};
		await expect(readXmlInSlices(broken)).rejects.toThrow('the gzip body does not unpack');
	});
});
