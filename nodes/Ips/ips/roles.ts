// IPS user types (roles) and which of them may run jobs (Adobe's IPS reference: executeJob, User Roles).

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
 * IpsCompanyAdmin: a typo, so company administrators are let through (see the README, Wait for Completion). IPS's own
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

/**
 * Every job operation (scheduled jobs, active jobs, logs, pause, resume, stop) lists these user types
 * in the reference; the IPS node checks them before sending, and IPS's fault 20003 stays the final word.
 */
export const JOB_OPERATION_ROLES = ROLES_THAT_MAY_EXECUTE_JOBS;

export function isRoleAllowed(role: string, roles: readonly string[] | undefined): boolean {
	return roles === undefined || roles.includes(role);
}

/** getJobLogDetails' own list in the reference: no TrialSiteAdmin, and ImagePortalUser too. */
export const JOB_LOG_DETAIL_ROLES: readonly IpsRole[] = [
	'IpsUser',
	'IpsAdmin',
	'IpsCompanyAdmin',
	'TrialSiteUser',
	'ImagePortalAdmin',
	'ImagePortalUser',
	'ImagePortalContrib',
	'ImagePortalContribUser',
];
