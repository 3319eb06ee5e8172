// "From list" for the Company and Job fields: what the signed-in IPS user can see, filtered by name.
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { ipsClientFor } from '../n8n/client';
import { explainError } from '../n8n/errors';

/** A list should come back quickly or say why not. */
const LIST_TIMEOUT_MS = 30_000;

export async function searchCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await listOrExplain(
		this,
		'getCompanyMembership',
		'list your companies',
		async () => {
			const { client } = await ipsClientFor(this, { requestTimeoutMs: LIST_TIMEOUT_MS });
			const companies = await client.getCompanyMembership();
			return companies.map((company) => ({
				name: company.name || company.companyHandle,
				value: company.companyHandle,
			}));
		},
		filter,
	);
}

export async function searchJobs(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const companyHandle = chosenCompany(this, 'The job list shows the scheduled jobs');
	return await listOrExplain(
		this,
		'getScheduledJobs',
		'list the scheduled jobs',
		async () => {
			const { client } = await ipsClientFor(this, { requestTimeoutMs: LIST_TIMEOUT_MS });
			const jobs = await client.getScheduledJobs(companyHandle);
			return jobs.map((job) => ({
				name: job.name || job.jobHandle,
				value: job.jobHandle,
				description: [job.type, job.triggerState].filter(Boolean).join(' · '),
			}));
		},
		filter,
	);
}

export async function searchActiveRuns(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const companyHandle = chosenCompany(this, 'The run list shows the active job runs');
	return await listOrExplain(
		this,
		'getActiveJobs',
		'list the active job runs',
		async () => {
			const { client } = await ipsClientFor(this, { requestTimeoutMs: LIST_TIMEOUT_MS });
			const runs = await client.getActiveJobs(companyHandle);
			return runs.map((run) => ({
				name: run.name || run.jobHandle,
				value: run.jobHandle,
				description: [run.state, run.originalName].filter(Boolean).join(' · '),
			}));
		},
		filter,
	);
}

/** The company chosen above a list that depends on it, or an error saying to choose one first. */
function chosenCompany(context: ILoadOptionsFunctions, listShows: string): string {
	const companyHandle = context.getNodeParameter('companyHandle', '', {
		extractValue: true,
	}) as unknown;
	if (typeof companyHandle !== 'string' || !companyHandle) {
		throw new NodeOperationError(context.getNode(), 'Choose a company first', {
			description: `${listShows} of the company chosen above.`,
		});
	}
	return companyHandle;
}

async function listOrExplain(
	context: ILoadOptionsFunctions,
	operation: string,
	action: string,
	load: () => Promise<INodeListSearchItems[]>,
	filter?: string,
): Promise<INodeListSearchResult> {
	let results: INodeListSearchItems[];
	try {
		results = await load();
	} catch (error) {
		const { message, description, details } = explainError(error, {
			operation,
			phase: 'lookup',
			sideEffect: 'read',
			action,
		});
		throw new NodeApiError(context.getNode(), details, { message, description });
	}
	const needle = (filter ?? '').trim().toLowerCase();
	const matching = needle
		? results.filter(
				(r) =>
					r.name.toLowerCase().includes(needle) || String(r.value).toLowerCase().includes(needle),
			)
		: results;
	return { results: matching.sort((a, b) => a.name.localeCompare(b.name)) };
}
