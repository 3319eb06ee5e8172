"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.IpsExecuteJob = void 0;
const n8n_workflow_1 = require("n8n-workflow");
const executeJob_1 = require("./actions/executeJob");
const credentialTest_1 = require("./methods/credentialTest");
const listSearch_1 = require("./methods/listSearch");
class IpsExecuteJob {
    description = {
        displayName: 'IPS: Execute Job',
        name: 'ipsExecuteJob',
        icon: { light: 'file:ips.svg', dark: 'file:ips.dark.svg' },
        group: ['transform'],
        version: 1,
        subtitle: '={{"Run " + ($parameter["jobHandle"].cachedResultName || $parameter["jobHandle"].value || $parameter["jobHandle"] || "a job")}}',
        description: 'Run an Adobe Dynamic Media Classic (Scene7) IPS job',
        defaults: { name: 'IPS: Execute Job' },
        usableAsTool: true,
        inputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        outputs: [n8n_workflow_1.NodeConnectionTypes.Main],
        credentials: [{ name: 'ipsApi', required: true, testedBy: 'ipsApiCredentialTest' }],
        properties: executeJob_1.executeJobProperties,
    };
    methods = {
        listSearch: { searchCompanies: listSearch_1.searchCompanies, searchJobs: listSearch_1.searchJobs },
        credentialTest: { ipsApiCredentialTest: credentialTest_1.ipsApiCredentialTest },
    };
    async execute() {
        return [await executeJob_1.executeJob.call(this)];
    }
}
exports.IpsExecuteJob = IpsExecuteJob;
//# sourceMappingURL=IpsExecuteJob.node.js.map