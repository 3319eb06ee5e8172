import type { ICredentialTestFunctions } from 'n8n-workflow';
import { ipsApiCredentialTest } from '../../nodes/Ips/methods/credentialTest';
import { searchCompanies, searchJobs } from '../../nodes/Ips/methods/listSearch';
import { closeTransport } from '../../nodes/Ips/ips/transport';
import { IpsSimulator, startIpsSimulator } from '../../simulator';
import { loadOptionsContext } from '../support/engine';
import { byHandle, credentialFor, fromList } from '../support/ips';
import { closedPortUrl } from '../support/loopback';

let sim: IpsSimulator;
beforeAll(async () => {
	sim = await startIpsSimulator({ runDurationMs: 0 });
});
beforeEach(() => {
	sim.requests.length = 0;
});
afterAll(async () => {
	await sim.stop();
	await closeTransport();
});

// n8n hands the test a context it does not use; the test needs only the credential's data.
const testCredential = (data: Record<string, unknown>) =>
	ipsApiCredentialTest.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'IPS',
		type: 'ipsApi',
		data: data as never,
	});

describe('the credential test', () => {
	it('signs in with getUserInfo and says who', async () => {
		const result = await testCredential(credentialFor(sim));
		expect(result).toEqual({ status: 'OK', message: 'Signed in as demo@example.com (IpsUser)' });
		expect(sim.requests.map((r) => r.operation)).toEqual(['getUserInfo']);
	});

	it.each(['2014-04-03', '2010-01-31', 'pre-4.0'])(
		'reads the role of API %s (role or defaultRole)',
		async (apiVersion) => {
			const result = await testCredential(credentialFor(sim, { apiVersion, role: 'IpsAdmin' }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(
				/role on IPS is "IpsUser", not "IpsAdmin".*Set Role to IpsUser/,
			);
		},
	);

	it('says when the password is wrong', async () => {
		const result = await testCredential(credentialFor(sim, { password: 'nope' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/rejected the password.*Check the Password/);
		expect(result.message).not.toContain('nope');
	});

	it('says when the user is unknown', async () => {
		const result = await testCredential(credentialFor(sim, { user: 'ghost@example.com' }));
		expect(result.message).toMatch(/does not know this user/);
	});

	it('says when the endpoint is down, and that nothing was sent', async () => {
		const result = await testCredential(credentialFor({ url: await closedPortUrl() }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/connection was refused.*Nothing reached IPS/);
	});

	it('refuses a plain-HTTP service URL on the network before sending', async () => {
		const result = await testCredential(
			credentialFor({ url: 'http://ips.example.com/scene7/services/IpsApiService' }),
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/must use HTTPS/);
	});
});

describe('From list', () => {
	it('lists the companies of the user, sorted and searchable by name', async () => {
		const context = loadOptionsContext(
			{ companyHandle: fromList(''), jobHandle: fromList('') },
			credentialFor(sim),
		);
		const all = await searchCompanies.call(context);
		expect(all.results).toEqual([
			{ name: 'Acme Outlet', value: 'c|2102' },
			{ name: 'Acme Retail', value: 'c|2101' },
			{ name: 'Example.com', value: '47' },
		]);
		expect((await searchCompanies.call(context, 'retail')).results.map((r) => r.value)).toEqual([
			'c|2101',
		]);
	});

	it('lists the companies from the pre-6.0 companyArray too', async () => {
		const context = loadOptionsContext({}, credentialFor(sim, { apiVersion: '2010-01-31' }));
		expect((await searchCompanies.call(context)).results).toHaveLength(3);
	});

	it('lists the scheduled jobs of the chosen company, filtered by name', async () => {
		const context = loadOptionsContext(
			{ companyHandle: fromList('c|2101', 'Acme Retail'), jobHandle: fromList('') },
			credentialFor(sim),
		);
		const jobs = await searchJobs.call(context);
		expect(jobs.results.map((r) => r.value)).toContain('j|2101|Nightly publish||');
		expect(jobs.results.every((r) => String(r.value).startsWith('j|2101|'))).toBe(true);
		const nightly = jobs.results.find((r) => r.value === 'j|2101|Nightly publish||');
		expect(nightly).toMatchObject({
			name: 'Nightly publish',
			description: 'ImageServingPublish · Normal',
		});
		expect((await searchJobs.call(context, 'FTP')).results.map((r) => r.name)).toEqual([
			'Upload from FTP',
		]);
		expect(sim.requestsFor('getScheduledJobs')[0].params.companyHandle).toBe('c|2101');
	});

	it('lists jobs for a company typed in by handle', async () => {
		const context = loadOptionsContext(
			{ companyHandle: byHandle('c|2102'), jobHandle: fromList('') },
			credentialFor(sim),
		);
		expect((await searchJobs.call(context)).results.map((r) => r.value)).toEqual([
			'j|2102|Outlet publish||',
		]);
	});

	it('asks for a company first, and explains IPS refusals', async () => {
		const empty = loadOptionsContext(
			{ companyHandle: fromList(''), jobHandle: fromList('') },
			credentialFor(sim),
		);
		await expect(searchJobs.call(empty)).rejects.toThrow(/Choose a company first/);
		const foreign = loadOptionsContext({ companyHandle: byHandle('c|9999') }, credentialFor(sim));
		await expect(searchJobs.call(foreign)).rejects.toThrow(/not a member of this company/);
	});
});
