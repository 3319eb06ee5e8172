// IPS user types (roles) and which of them may run jobs (ips-api.md §1).

export const IPS_ROLES = [
	'IpsUser',
	'IpsAdmin',
	'IpsCompanyAdmin',
	'TrialSiteAdmin',
	'TrialSiteUser',
	'ImagePortalAdmin',
	'ImagePortalContrib',
	'ImagePortalContribUser',
	'ImagePortalUser',
	'WebServiceUser',
] as const;

export type IpsRole = (typeof IPS_ROLES)[number];

export const DEFAULT_ROLE: IpsRole = 'IpsUser';

/**
 * The user types that may run jobs. Adobe's executeJob page lists TrialSiteAdmin twice and no
 * IpsCompanyAdmin, where the other job operations (and 137 of 146 operation pages) list
 * IpsCompanyAdmin: a typo, so company administrators are let through (ips-api.md §8). IPS's own
 * authorizationFault 20003 stays the final word.
 */
export const ROLES_THAT_MAY_EXECUTE_JOBS: readonly IpsRole[] = [
	'IpsUser',
	'IpsAdmin',
	'IpsCompanyAdmin',
	'TrialSiteAdmin',
	'TrialSiteUser',
	'ImagePortalAdmin',
	'ImagePortalContrib',
	'ImagePortalContribUser',
];

export function mayExecuteJobs(role: string): boolean {
	return (ROLES_THAT_MAY_EXECUTE_JOBS as readonly string[]).includes(role);
}
