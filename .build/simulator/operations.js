"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OPERATIONS = exports.SimFault = void 0;
const state_1 = require("./state");
const xmlTree_1 = require("./xmlTree");
class SimFault extends Error {
    kind;
    code;
    reason;
    constructor(kind, code, reason) {
        super(reason);
        this.kind = kind;
        this.code = code;
        this.reason = reason;
    }
}
exports.SimFault = SimFault;
// The user types Adobe's reference lists for executeJob; the simulator applies them to every job operation.
const JOB_ROLES = [
    'IpsUser',
    'IpsAdmin',
    'TrialSiteAdmin',
    'TrialSiteUser',
    'ImagePortalAdmin',
    'ImagePortalContrib',
    'ImagePortalContribUser',
];
const SERVER_NAME = 'ips-simulator-1';
exports.OPERATIONS = {
    checkLogin: {
        handle: ({ state, param }) => {
            const email = required(param, 'email');
            const password = required(param, 'password');
            const user = state.users.find((u) => u.email === email && u.password === password);
            const company = (0, xmlTree_1.childText)(param, 'companyHandle');
            const valid = user !== undefined && (!company || user.companies.includes(company));
            return [['status', valid ? 'ValidLogin' : 'InvalidLogin']];
        },
    },
    getUserInfo: {
        handle: ({ state, user, param, membershipModel }) => {
            const handle = (0, xmlTree_1.childText)(param, 'userHandle');
            const email = (0, xmlTree_1.childText)(param, 'email');
            const target = handle || email
                ? state.users.find((u) => u.userHandle === handle || u.email === email)
                : user;
            if (!target)
                throw new SimFault('ipsApi', 30001, `Invalid parameter: no user ${handle || email}`);
            return [
                [
                    'userInfo',
                    [
                        ['userHandle', target.userHandle],
                        ['firstName', target.firstName],
                        ['lastName', target.lastName],
                        ['email', target.email],
                        [membershipModel ? 'defaultRole' : 'role', target.role],
                        ['isValid', 'true'],
                    ],
                ],
            ];
        },
    },
    getCompanyMembership: {
        handle: ({ state, user, membershipModel }) => {
            const companies = state.companies.filter((c) => user.companies.includes(c.companyHandle));
            if (!membershipModel)
                return [['companyArray', companies.map((c) => ['items', companyChildren(c)])]];
            return [
                [
                    'membershipArray',
                    companies.map((c) => [
                        'items',
                        [
                            ['company', companyChildren(c)],
                            ['role', user.role],
                            ['isActive', 'true'],
                        ],
                    ]),
                ],
            ];
        },
    },
    getCompanyInfo: {
        handle: (ctx) => {
            const byName = (0, xmlTree_1.childText)(ctx.param, 'companyName');
            const handle = (0, xmlTree_1.childText)(ctx.param, 'companyHandle') ||
                ctx.state.companies.find((c) => c.name === byName)?.companyHandle;
            return [['companyInfo', companyChildren(memberCompany(ctx, handle ?? ''))]];
        },
    },
    getScheduledJobs: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
            const jobHandle = (0, xmlTree_1.childText)(ctx.param, 'jobHandle');
            const originalName = (0, xmlTree_1.childText)(ctx.param, 'originalName');
            const jobs = ctx.state.scheduledJobs.filter((j) => j.companyHandle === company.companyHandle &&
                (!jobHandle || j.jobHandle === jobHandle) &&
                (!originalName || j.name === originalName));
            return [['jobArray', jobs.map((j) => ['items', scheduledJobChildren(j)])]];
        },
    },
    getActiveJobs: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            (0, state_1.advance)(ctx.state, ctx.nowMs);
            const companyHandle = (0, xmlTree_1.childText)(ctx.param, 'companyHandle');
            if (companyHandle)
                memberCompany(ctx, companyHandle);
            const jobHandle = (0, xmlTree_1.childText)(ctx.param, 'jobHandle');
            const originalName = (0, xmlTree_1.childText)(ctx.param, 'originalName');
            const runs = ctx.state.runs.filter((r) => (companyHandle
                ? r.companyHandle === companyHandle
                : ctx.user.companies.includes(r.companyHandle)) &&
                (!jobHandle || r.jobHandle === jobHandle) &&
                (!originalName || r.originalName === originalName));
            return [['jobArray', runs.map((r) => ['items', activeJobChildren(r, ctx.nowMs)])]];
        },
    },
    getJobLogs: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            (0, state_1.advance)(ctx.state, ctx.nowMs);
            const companyHandle = (0, xmlTree_1.childText)(ctx.param, 'companyHandle');
            if (companyHandle)
                memberCompany(ctx, companyHandle);
            const from = dateParam(ctx.param, 'startDate');
            const to = dateParam(ctx.param, 'endDate');
            const numRows = Number((0, xmlTree_1.childText)(ctx.param, 'numRows') || Infinity);
            const ascending = (0, xmlTree_1.childText)(ctx.param, 'sortDirection') === 'Ascending';
            const logs = ctx.state.jobLogs
                .filter((l) => (companyHandle
                ? l.companyHandle === companyHandle
                : ctx.user.companies.includes(l.companyHandle)) &&
                (from === undefined || Date.parse(l.startDate) >= from) &&
                (to === undefined || Date.parse(l.startDate) <= to))
                .sort((a, b) => (ascending ? 1 : -1) * (Date.parse(a.startDate) - Date.parse(b.startDate)))
                .slice(0, numRows);
            return [['jobLogArray', logs.map((l) => ['items', jobLogChildren(l, false)])]];
        },
    },
    getJobLogDetails: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            (0, state_1.advance)(ctx.state, ctx.nowMs);
            const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
            const jobHandle = (0, xmlTree_1.childText)(ctx.param, 'jobHandle');
            const originalName = (0, xmlTree_1.childText)(ctx.param, 'originalName');
            const logs = ctx.state.jobLogs.filter((l) => l.companyHandle === company.companyHandle &&
                (!jobHandle || l.jobHandle === jobHandle) &&
                (!originalName || l.jobName.startsWith(`${originalName}_`)));
            return [['jobLogArray', logs.map((l) => ['items', jobLogChildren(l, true)])]];
        },
    },
    executeJob: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            const job = scheduledJob(ctx);
            if (job.triggerState === 'Paused') {
                throw new SimFault('ipsApi', 30000, `Job '${job.name}' is paused; resume it before running it`);
            }
            (0, state_1.startRun)(ctx.state, job, ctx.nowMs);
            return [];
        },
    },
    pauseJob: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            scheduledJob(ctx).triggerState = 'Paused';
            return [];
        },
    },
    resumeJob: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            scheduledJob(ctx).triggerState = 'Normal';
            return [];
        },
    },
    stopJob: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
            const handle = required(ctx.param, 'jobHandle');
            const run = ctx.state.runs.find((r) => r.companyHandle === company.companyHandle && r.jobHandle === handle);
            if (!run)
                throw new SimFault('ipsApi', 30001, `Invalid parameter: no active job ${handle}`);
            run.stopped = true;
            (0, state_1.advance)(ctx.state, ctx.nowMs);
            return [];
        },
    },
    deleteJob: {
        roles: JOB_ROLES,
        handle: (ctx) => {
            const job = scheduledJob(ctx);
            ctx.state.scheduledJobs = ctx.state.scheduledJobs.filter((j) => j !== job);
            return [];
        },
    },
};
function required(param, name) {
    const value = (0, xmlTree_1.childText)(param, name);
    if (!value)
        throw new SimFault('ipsApi', 30002, `Missing parameter: ${name}`);
    return value;
}
function dateParam(param, name) {
    const text = (0, xmlTree_1.childText)(param, name);
    if (!text)
        return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms))
        throw new SimFault('ipsApi', 30001, `Invalid parameter: ${name} "${text}"`);
    return ms;
}
function memberCompany({ state, user }, handle) {
    const company = state.companies.find((c) => c.companyHandle === handle);
    if (!company || !user.companies.includes(handle)) {
        throw new SimFault('authorization', 20000, `Invalid company handle: '${handle}'`);
    }
    return company;
}
function scheduledJob(ctx) {
    const company = memberCompany(ctx, required(ctx.param, 'companyHandle'));
    const handle = required(ctx.param, 'jobHandle');
    const job = ctx.state.scheduledJobs.find((j) => j.companyHandle === company.companyHandle && j.jobHandle === handle);
    if (!job)
        throw new SimFault('ipsApi', 30001, `Invalid parameter: no scheduled job with handle '${handle}'`);
    return job;
}
function companyChildren(c) {
    return [
        ['companyHandle', c.companyHandle],
        ['name', c.name],
        ['rootPath', c.rootPath ?? `${c.name}/`],
    ];
}
function scheduledJobChildren(j) {
    return [
        ['companyHandle', j.companyHandle],
        ['jobHandle', j.jobHandle],
        ['name', j.name],
        ['originalName', j.name],
        ['type', j.type],
        ['submitUserEmail', j.submitUserEmail],
        ['execSchedule', j.execSchedule],
        ['timeZone', j.timeZone],
        ['triggerState', j.triggerState],
    ];
}
function activeJobChildren(r, nowMs) {
    const state = (0, state_1.runState)(r, nowMs);
    const span = Math.max(1, r.endsAtMs - r.startedAtMs);
    const progress = state === 'New' ? 0 : Math.min(99, Math.floor(((nowMs - r.startedAtMs) / span) * 100));
    return [
        ['companyHandle', r.companyHandle],
        ['jobHandle', r.jobHandle],
        ['name', r.name],
        ['originalName', r.originalName],
        ['type', r.type],
        ['state', state],
        ['submitUserEmail', r.submitUserEmail],
        ['serverName', SERVER_NAME],
        ['startDate', new Date(r.startedAtMs).toISOString()],
        ['totalSize', String(r.fileCount * 1024)],
        ['progress', String(progress)],
        ['progressMessage', state === 'New' ? 'Waiting' : 'Processing files'],
        ['lastProgressUpdate', new Date(nowMs).toISOString()],
    ];
}
function jobLogChildren(l, withDetails) {
    const children = [
        ['companyHandle', l.companyHandle],
        ['jobHandle', l.jobHandle],
        ['jobName', l.jobName],
        ['submitUserEmail', l.submitUserEmail],
        ['logType', l.logType],
        ['startDate', l.startDate],
        ['endDate', l.endDate],
        ['fileSuccessCount', String(l.fileSuccessCount)],
        ['fileErrorCount', String(l.fileErrorCount)],
        ['fileWarningCount', String(l.fileWarningCount)],
        ['fileDuplicateCount', String(l.fileDuplicateCount)],
        ['fileUpdateCount', String(l.fileUpdateCount)],
        ['totalFileCount', String(l.totalFileCount)],
        ['fatalError', String(l.fatalError)],
    ];
    if (withDetails) {
        const details = l.details.map((d) => [
            'items',
            [
                ['logMessage', d.logMessage],
                ['logType', d.logType],
                ['assetName', d.assetName],
            ],
        ]);
        children.push(['detailArray', details]);
    }
    return children;
}
//# sourceMappingURL=operations.js.map