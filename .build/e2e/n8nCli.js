"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.userFolder = void 0;
exports.n8n = n8n;
exports.executionJson = executionJson;
exports.importInto = importInto;
exports.executeWorkflow = executeWorkflow;
// Drives the real n8n from its command line (set up by e2e/with-n8n.sh): imports and executions.
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_util_1 = require("node:util");
const run = (0, node_util_1.promisify)(node_child_process_1.execFile);
exports.userFolder = process.env.N8N_USER_FOLDER ?? '';
const n8nBin = process.env.N8N_BIN ?? '';
async function n8n(args) {
    try {
        const { stdout, stderr } = await run(n8nBin, args, { env: process.env, maxBuffer: 256 << 20, timeout: 600_000 });
        return { stdout, stderr, code: 0 };
    }
    catch (error) {
        const e = error;
        return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
    }
}
/**
 * n8n prints log lines around the execution JSON (pretty-printed): it starts at the first line
 * that is `{` and ends at the next line that is `}`.
 */
function executionJson(stdout) {
    const lines = stdout.split('\n');
    const start = lines.findIndex((line) => line.startsWith('{'));
    if (start === -1)
        return undefined;
    const end = lines.findIndex((line, index) => index > start && line === '}');
    return JSON.parse(lines.slice(start, end === -1 ? undefined : end + 1).join('\n'));
}
/** Writes `data` to a file in the user folder and imports it (`credentials` or `workflow`). */
async function importInto(kind, name, data) {
    const file = (0, node_path_1.join)(exports.userFolder, `${name}.json`);
    (0, node_fs_1.writeFileSync)(file, JSON.stringify(data));
    const result = await n8n([`import:${kind}`, `--input=${file}`]);
    if (result.code !== 0)
        throw new Error(`import:${kind} ${name} failed: ${result.stderr || result.stdout}`);
}
async function executeWorkflow(id) {
    const result = await n8n(['execute', `--id=${id}`, '--rawOutput']);
    // Kept next to the workflow for whoever has to find out why a check failed.
    (0, node_fs_1.writeFileSync)((0, node_path_1.join)(exports.userFolder, `${id}.out`), `${result.stdout}\n--- stderr ---\n${result.stderr}`);
    return { ...result, execution: executionJson(result.stdout) };
}
//# sourceMappingURL=n8nCli.js.map