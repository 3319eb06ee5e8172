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

/** The user types Adobe's reference allows for executeJob. */
export const ROLES_THAT_MAY_EXECUTE_JOBS: readonly IpsRole[] = [
	'IpsUser',
	'IpsAdmin',
	'TrialSiteAdmin',
	'TrialSiteUser',
	'ImagePortalAdmin',
	'ImagePortalContrib',
	'ImagePortalContribUser',
];

export function mayExecuteJobs(role: string): boolean {
	return (ROLES_THAT_MAY_EXECUTE_JOBS as readonly string[]).includes(role);
}
