// Every password a test hands to the node, and every text the suite produces (outputs, errors,
// descriptions, log lines), so that a check after each test can prove no secret got out.

const secrets = new Set<string>(['demo-password', 'admin-password', 'webservice-password']);
const produced: Array<{ source: string; text: string }> = [];
// Only the test suite scans (scanForSecrets.ts turns it on); the demo and benchmarks keep nothing.
let recording = false;

export function startRecording(): void {
	recording = true;
}

export function registerSecret(secret: unknown): void {
	if (typeof secret === 'string' && secret.length >= 4) secrets.add(secret);
}

export function recordProduced(source: string, value: unknown): void {
	if (!recording) return;
	produced.push({
		source,
		text: typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
	});
}

/**
 * A secret as it may stand in a produced text: raw, inside JSON (quotes and backslashes escaped),
 * XML-escaped, URL-encoded or base64 (the test's own list, not the product's).
 */
function formsOf(secret: string): string[] {
	const xml = secret
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
	const forms = [
		secret,
		JSON.stringify(secret).slice(1, -1),
		xml,
		JSON.stringify(xml).slice(1, -1),
		encodeURIComponent(secret),
		Buffer.from(secret).toString('base64'),
	];
	return [...new Set(forms)];
}

/** The produced texts that hold a registered secret or an unredacted SOAP auth header. */
export function findLeaks(texts = produced): Array<{ source: string; leak: string }> {
	const leaks: Array<{ source: string; leak: string }> = [];
	for (const { source, text } of texts) {
		for (const secret of secrets)
			if (formsOf(secret).some((form) => text.includes(form)))
				leaks.push({ source, leak: `password ${secret.slice(0, 2)}…` });
		if (/<password>(?!\*\*\*<)/.test(text)) leaks.push({ source, leak: 'a <password> element' });
	}
	return leaks;
}

export function takeProduced(): Array<{ source: string; text: string }> {
	return produced.splice(0);
}
