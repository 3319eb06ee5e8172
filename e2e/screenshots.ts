// `npm run screenshots`: n8n with this package and the IPS simulator, driven in headless Chromium
// (Debian's chromium, playwright-core) to take the pictures the README shows, into docs/images/.
// Started by e2e/with-n8n.sh, which installed the packed package into N8N_USER_FOLDER.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Page } from 'playwright-core';
import { startIpsSimulator } from '../simulator';
import { findProjectFile } from '../simulator/files';
import { startRun } from '../simulator/state';
import { importInto, simulatorCredential, startN8n } from './n8nCli';
import { IPS_NODE, ipsNodeChain, PACKAGE_NODE_TYPE } from './workflows';

const PORT = Number(process.env.SCREENSHOT_N8N_PORT ?? 5688);
const BASE = `http://127.0.0.1:${PORT}`;
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Dana',
	lastName: 'Demo',
	password: 'Screenshots-2026!',
};
const IMAGES = join(findProjectFile('package.json'), '..', 'docs', 'images');
const EXAMPLES = join(IMAGES, '..', '..', 'examples');
const GET_WORKFLOW_ID = 'ipsScreenshots04';
const WORKFLOW_ID = 'ipsScreenshots01';
const LIFECYCLE_WORKFLOW_ID = 'ipsScreenshots02';
const UPLOAD_WORKFLOW_ID = 'ipsScreenshots03';

async function shot(page: Page, name: string): Promise<void> {
	await page.waitForTimeout(800);
	await page.screenshot({ path: join(IMAGES, name) });
	console.log(`saved docs/images/${name}`);
}

/** Opens a workflow in the editor and the panel of one of its nodes. */
async function openNode(page: Page, workflowId: string, nodeName: string) {
	await page.goto(`${BASE}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor({ timeout: 30_000 });
	await node.dblclick();
	const panel = page.locator('[data-test-id="ndv"]');
	await panel.waitFor();
	return panel;
}

async function main(): Promise<void> {
	const sim = await startIpsSimulator({ runDurationMs: 0 });
	await importInto('credentials', 'screenshot-credentials', [
		simulatorCredential('ipsScreenCred001', 'IPS account (simulator)', sim.url),
		// The id the examples name.
		simulatorCredential('ipsApiCredential', 'IPS API account', sim.url),
	]);
	const examples = readdirSync(EXAMPLES)
		.filter((file) => file.endsWith('.json'))
		.map((file, index) => ({
			file,
			workflow: {
				...(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as object),
				id: `ipsScreenExample${index}`,
			},
		}));
	await importInto(
		'workflow',
		'examples',
		examples.map((example) => example.workflow),
	);
	const nightly = sim.state.scheduledJobs.find((job) => job.name === 'Nightly publish')!;
	const endedRun = startRun(sim.state, { ...nightly, runDurationMs: 1_000 }, Date.now() - 60_000)!;
	await importInto('workflow', GET_WORKFLOW_ID, {
		...ipsNodeChain({
			id: GET_WORKFLOW_ID,
			name: 'How did the run go?',
			credentialId: 'ipsScreenCred001',
			steps: [
				{
					name: 'Job Run → Get',
					parameters: {
						resource: 'jobRun',
						operation: 'get',
						companyHandle: {
							__rl: true,
							mode: 'list',
							value: 'c|2101',
							cachedResultName: 'Acme Retail',
						},
						runHandle: { __rl: true, mode: 'id', value: endedRun.jobHandle },
					},
				},
			],
		}),
	});
	await importInto('workflow', WORKFLOW_ID, {
		id: WORKFLOW_ID,
		name: 'Publish after upload',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			'When clicking ‘Execute workflow’': { main: [[{ node: IPS_NODE, type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: 'b1000000-0000-4000-8000-000000000001',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b1000000-0000-4000-8000-000000000002',
				name: IPS_NODE,
				type: PACKAGE_NODE_TYPE,
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					companyHandle: {
						__rl: true,
						mode: 'list',
						value: 'c|2101',
						cachedResultName: 'Acme Retail',
					},
					jobHandle: {
						__rl: true,
						mode: 'list',
						value: 'j|2101|Nightly publish||',
						cachedResultName: 'Nightly publish',
					},
					options: { outputField: 'ipsJob' },
				},
				credentials: { ipsApi: { id: 'ipsScreenCred001', name: 'IPS account (simulator)' } },
			},
		],
	});

	await importInto('workflow', LIFECYCLE_WORKFLOW_ID, {
		...ipsNodeChain({
			id: LIFECYCLE_WORKFLOW_ID,
			name: 'Failed files of last night',
			credentialId: 'ipsScreenCred001',
			steps: [
				{
					name: 'IPS',
					parameters: {
						resource: 'jobRun',
						operation: 'getProblems',
						companyHandle: {
							__rl: true,
							mode: 'list',
							value: 'c|2101',
							cachedResultName: 'Acme Retail',
						},
						runHandle: { __rl: true, mode: 'id', value: '={{ $json.runHandle }}' },
					},
				},
			],
		}),
	});

	await importInto('workflow', UPLOAD_WORKFLOW_ID, {
		...ipsNodeChain({
			id: UPLOAD_WORKFLOW_ID,
			name: 'Upload new product images and publish them',
			credentialId: 'ipsScreenCred001',
			rows: [{ image: 'https://pim.example.com/img/shoe-1.jpg', sku: 'shoe-1' }],
			steps: [
				{
					name: 'Upload From URLs',
					parameters: {
						resource: 'job',
						operation: 'uploadFromUrls',
						companyHandle: {
							__rl: true,
							mode: 'list',
							value: 'c|2101',
							cachedResultName: 'Acme Retail',
						},
						sourceUrl: '={{ $json.image }}',
						destPath: '=products/{{ $json.sku }}.jpg',
						publishAfterUpload: true,
						waitForCompletion: true,
					},
				},
			],
		}),
	});

	// Playwright gives the browser a fresh, empty profile of its own.
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const n8n = await startN8n(PORT);
	try {
		const setup = await fetch(`${BASE}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!setup.ok) throw new Error(`owner setup: HTTP ${setup.status} ${await setup.text()}`);

		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await page.goto(`${BASE}/signin`);
		await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
		await page.fill('input[name="password"]', OWNER.password);
		await page.click('[data-test-id="form-submit-button"]');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });

		// 1. The canvas with the node and its icon.
		await page.goto(`${BASE}/workflow/${WORKFLOW_ID}`);
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${IPS_NODE}"]`);
		await node.waitFor({ timeout: 30_000 });
		await page.keyboard.press('Escape');
		await shot(page, 'canvas.png');

		// 2. The node's panel with the company list opened ("From list", filled by the simulator).
		await node.dblclick();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor();
		await panel
			.locator('[data-test-id="resource-locator-companyHandle"] [data-test-id="rlc-input"]')
			.first()
			.click();
		await page.getByText('Acme Outlet').first().waitFor({ timeout: 15_000 });
		await shot(page, 'node-company-list.png');
		// Close the list by clicking next to it (Escape would close the whole panel).
		await panel.locator('[data-test-id="node-title-container"]').first().click();

		// 3. The panel after "Execute step", with the output.
		await panel.locator('[data-test-id="node-execute-button"]').first().click();
		await panel
			.locator('[data-test-id="output-panel"]')
			.getByText(/1 item/)
			.first()
			.waitFor({ timeout: 30_000 });
		await shot(page, 'node-output.png');
		await page.keyboard.press('Escape');

		// 4. The credential dialog after "Test" succeeded.
		await page.goto(`${BASE}/home/credentials`);
		await page.getByText('IPS account (simulator)').first().click();
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor();
		const retry = dialog.getByRole('button', { name: /retry|test/i }).first();
		if (await retry.isVisible().catch(() => false)) await retry.click();
		await dialog
			.getByText(/tested successfully/i)
			.first()
			.waitFor({ timeout: 30_000 });
		await shot(page, 'credential-test.png');
		await page.keyboard.press('Escape');

		// 5. The IPS node's operations of the Job Run resource.
		const lifecyclePanel = await openNode(page, LIFECYCLE_WORKFLOW_ID, 'IPS');
		await lifecyclePanel.locator('[data-test-id="parameter-input-operation"]').first().click();
		await page.getByText('Get Active', { exact: true }).first().waitFor({ timeout: 15_000 });
		await shot(page, 'ips-node-operations.png');
		await page.keyboard.press('Escape');

		// 6. Upload From URLs, its fields filled from the rows before it.
		const uploadPanel = await openNode(page, UPLOAD_WORKFLOW_ID, 'Upload From URLs');
		await uploadPanel.getByText('URLs per Job').first().waitFor({ timeout: 15_000 });
		await shot(page, 'ips-node-upload.png');
		await page.keyboard.press('Escape');

		// 7. Job Run → Get after "Execute step": the state of one run by its handle.
		const getPanel = await openNode(page, GET_WORKFLOW_ID, 'Job Run → Get');
		await getPanel.locator('[data-test-id="node-execute-button"]').first().click();
		await getPanel
			.locator('[data-test-id="output-panel"]')
			.getByText(/succeeded/)
			.first()
			.waitFor({ timeout: 30_000 });
		await shot(page, 'ips-node-get.png');
		await page.keyboard.press('Escape');

		// 8. Each example's canvas, fitted to the view.
		for (const example of examples) {
			await page.goto(`${BASE}/workflow/${example.workflow.id}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 30_000 });
			await page.keyboard.press('Escape');
			await page.keyboard.press('1');
			await shot(page, `example-${example.file.replace(/\.json$/, '.png')}`);
		}
	} finally {
		await browser.close();
		await n8n.stop();
		await sim.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
