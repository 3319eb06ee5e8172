"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.searchCompanies = searchCompanies;
exports.searchJobs = searchJobs;
const n8n_workflow_1 = require("n8n-workflow");
const client_1 = require("../n8n/client");
const errors_1 = require("../n8n/errors");
/** A list should come back quickly or say why not. */
const LIST_TIMEOUT_MS = 30_000;
async function searchCompanies(filter) {
    return await listOrExplain(this, 'getCompanyMembership', 'list your companies', async () => {
        const { client } = await (0, client_1.ipsClientFor)(this, { requestTimeoutMs: LIST_TIMEOUT_MS });
        const companies = await client.getCompanyMembership();
        return companies.map((company) => ({
            name: company.name || company.companyHandle,
            value: company.companyHandle,
        }));
    }, filter);
}
async function searchJobs(filter) {
    const companyHandle = this.getNodeParameter('companyHandle', '', {
        extractValue: true,
    });
    if (typeof companyHandle !== 'string' || !companyHandle) {
        throw new n8n_workflow_1.NodeOperationError(this.getNode(), 'Choose a company first', {
            description: 'The job list shows the scheduled jobs of the company chosen above.',
        });
    }
    return await listOrExplain(this, 'getScheduledJobs', 'list the scheduled jobs', async () => {
        const { client } = await (0, client_1.ipsClientFor)(this, { requestTimeoutMs: LIST_TIMEOUT_MS });
        const jobs = await client.getScheduledJobs(companyHandle);
        return jobs.map((job) => ({
            name: job.name || job.jobHandle,
            value: job.jobHandle,
            description: [job.type, job.triggerState].filter(Boolean).join(' · '),
        }));
    }, filter);
}
async function listOrExplain(context, operation, action, load, filter) {
    let results;
    try {
        results = await load();
    }
    catch (error) {
        const { message, description, details } = (0, errors_1.explainError)(error, { operation, action });
        throw new n8n_workflow_1.NodeApiError(context.getNode(), details, { message, description });
    }
    const needle = (filter ?? '').trim().toLowerCase();
    const matching = needle
        ? results.filter((r) => r.name.toLowerCase().includes(needle) || String(r.value).toLowerCase().includes(needle))
        : results;
    return { results: matching.sort((a, b) => a.name.localeCompare(b.name)) };
}
//# sourceMappingURL=listSearch.js.map