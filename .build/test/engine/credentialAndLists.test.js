"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const credentialTest_1 = require("../../nodes/Ips/methods/credentialTest");
const listSearch_1 = require("../../nodes/Ips/methods/listSearch");
const transport_1 = require("../../nodes/Ips/ips/transport");
const simulator_1 = require("../../simulator");
const engine_1 = require("../support/engine");
const ips_1 = require("../support/ips");
const loopback_1 = require("../support/loopback");
let sim;
beforeAll(async () => {
    sim = await (0, simulator_1.startIpsSimulator)({ runDurationMs: 0 });
});
beforeEach(() => {
    sim.requests.length = 0;
});
afterAll(async () => {
    await sim.stop();
    await (0, transport_1.closeTransport)();
});
// n8n hands the test a context it does not use; the test needs only the credential's data.
const testCredential = (data) => credentialTest_1.ipsApiCredentialTest.call({}, {
    id: '1',
    name: 'IPS',
    type: 'ipsApi',
    data: data,
});
describe('the credential test', () => {
    it('signs in with getUserInfo and says who', async () => {
        const result = await testCredential((0, ips_1.credentialFor)(sim));
        expect(result).toEqual({ status: 'OK', message: 'Signed in as demo@example.com (IpsUser)' });
        expect(sim.requests.map((r) => r.operation)).toEqual(['getUserInfo']);
    });
    it.each(['2014-04-03', '2010-01-31', 'pre-4.0'])('reads the role of API %s (role or defaultRole)', async (apiVersion) => {
        const result = await testCredential((0, ips_1.credentialFor)(sim, { apiVersion, role: 'IpsAdmin' }));
        expect(result.status).toBe('Error');
        expect(result.message).toMatch(/role on IPS is "IpsUser", not "IpsAdmin".*Set Role to IpsUser/);
    });
    it('says when the password is wrong', async () => {
        const result = await testCredential((0, ips_1.credentialFor)(sim, { password: 'nope' }));
        expect(result.status).toBe('Error');
        expect(result.message).toMatch(/rejected the password.*Check the Password/);
        expect(result.message).not.toContain('nope');
    });
    it('says when the user is unknown', async () => {
        const result = await testCredential((0, ips_1.credentialFor)(sim, { user: 'ghost@example.com' }));
        expect(result.message).toMatch(/does not know this user/);
    });
    it('says when the endpoint is down, and that nothing was sent', async () => {
        const result = await testCredential((0, ips_1.credentialFor)({ url: await (0, loopback_1.closedPortUrl)() }));
        expect(result.status).toBe('Error');
        expect(result.message).toMatch(/connection was refused.*Nothing reached IPS/);
    });
    it('refuses a plain-HTTP service URL on the network before sending', async () => {
        const result = await testCredential((0, ips_1.credentialFor)({ url: 'http://ips.example.com/scene7/services/IpsApiService' }));
        expect(result.status).toBe('Error');
        expect(result.message).toMatch(/must use HTTPS/);
    });
});
describe('From list', () => {
    it('lists the companies of the user, sorted and searchable by name', async () => {
        const context = (0, engine_1.loadOptionsContext)({ companyHandle: (0, ips_1.fromList)(''), jobHandle: (0, ips_1.fromList)('') }, (0, ips_1.credentialFor)(sim));
        const all = await listSearch_1.searchCompanies.call(context);
        expect(all.results).toEqual([
            { name: 'Acme Outlet', value: 'c|2102' },
            { name: 'Acme Retail', value: 'c|2101' },
            { name: 'Example.com', value: '47' },
        ]);
        expect((await listSearch_1.searchCompanies.call(context, 'retail')).results.map((r) => r.value)).toEqual([
            'c|2101',
        ]);
    });
    it('lists the companies from the pre-6.0 companyArray too', async () => {
        const context = (0, engine_1.loadOptionsContext)({}, (0, ips_1.credentialFor)(sim, { apiVersion: '2010-01-31' }));
        expect((await listSearch_1.searchCompanies.call(context)).results).toHaveLength(3);
    });
    it('lists the scheduled jobs of the chosen company, filtered by name', async () => {
        const context = (0, engine_1.loadOptionsContext)({ companyHandle: (0, ips_1.fromList)('c|2101', 'Acme Retail'), jobHandle: (0, ips_1.fromList)('') }, (0, ips_1.credentialFor)(sim));
        const jobs = await listSearch_1.searchJobs.call(context);
        expect(jobs.results.map((r) => r.value)).toContain('j|2101|Nightly publish||');
        expect(jobs.results.every((r) => String(r.value).startsWith('j|2101|'))).toBe(true);
        const nightly = jobs.results.find((r) => r.value === 'j|2101|Nightly publish||');
        expect(nightly).toMatchObject({
            name: 'Nightly publish',
            description: 'ImageServingPublish · Normal',
        });
        expect((await listSearch_1.searchJobs.call(context, 'FTP')).results.map((r) => r.name)).toEqual([
            'Upload from FTP',
        ]);
        expect(sim.requestsFor('getScheduledJobs')[0].params.companyHandle).toBe('c|2101');
    });
    it('lists jobs for a company typed in by handle', async () => {
        const context = (0, engine_1.loadOptionsContext)({ companyHandle: (0, ips_1.byHandle)('c|2102'), jobHandle: (0, ips_1.fromList)('') }, (0, ips_1.credentialFor)(sim));
        expect((await listSearch_1.searchJobs.call(context)).results.map((r) => r.value)).toEqual([
            'j|2102|Outlet publish||',
        ]);
    });
    it('asks for a company first, and explains IPS refusals', async () => {
        const empty = (0, engine_1.loadOptionsContext)({ companyHandle: (0, ips_1.fromList)(''), jobHandle: (0, ips_1.fromList)('') }, (0, ips_1.credentialFor)(sim));
        await expect(listSearch_1.searchJobs.call(empty)).rejects.toThrow(/Choose a company first/);
        const foreign = (0, engine_1.loadOptionsContext)({ companyHandle: (0, ips_1.byHandle)('c|9999') }, (0, ips_1.credentialFor)(sim));
        await expect(listSearch_1.searchJobs.call(foreign)).rejects.toThrow(/not a member of this company/);
    });
});
//# sourceMappingURL=credentialAndLists.test.js.map