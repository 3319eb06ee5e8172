"use strict";
// IPS user types (roles) and which of them may run jobs (ips-api.md §1).
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROLES_THAT_MAY_EXECUTE_JOBS = exports.DEFAULT_ROLE = exports.IPS_ROLES = void 0;
exports.mayExecuteJobs = mayExecuteJobs;
exports.IPS_ROLES = [
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
];
exports.DEFAULT_ROLE = 'IpsUser';
/** The user types Adobe's reference allows for executeJob. */
exports.ROLES_THAT_MAY_EXECUTE_JOBS = [
    'IpsUser',
    'IpsAdmin',
    'TrialSiteAdmin',
    'TrialSiteUser',
    'ImagePortalAdmin',
    'ImagePortalContrib',
    'ImagePortalContribUser',
];
function mayExecuteJobs(role) {
    return exports.ROLES_THAT_MAY_EXECUTE_JOBS.includes(role);
}
//# sourceMappingURL=roles.js.map