'use strict';
// n8n loads the classes through package.json's "n8n" section; this entry point is for code that
// requires the package directly.
module.exports = {
	IpsExecuteJob: require('./dist/nodes/Ips/IpsExecuteJob.node').IpsExecuteJob,
	IpsApi: require('./dist/credentials/IpsApi.credentials').IpsApi,
};
