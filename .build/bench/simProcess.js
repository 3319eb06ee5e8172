"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startSimulatorProcess = startSimulatorProcess;
// Starts the IPS simulator in a child process, so that the benchmark process measures the
// client side only.
const node_child_process_1 = require("node:child_process");
const node_path_1 = require("node:path");
async function startSimulatorProcess(runDurationMs = 0) {
    const child = (0, node_child_process_1.fork)((0, node_path_1.join)(__dirname, '..', 'simulator', 'cli.js'), ['--port', '0', '--run-duration-ms', String(runDurationMs)], {
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const url = await new Promise((resolve, reject) => {
        let seen = '';
        child.stdout?.on('data', (chunk) => {
            seen += chunk.toString();
            const match = /listening on (\S+)/.exec(seen);
            if (match)
                resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    });
    return {
        url,
        stop: () => new Promise((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
        }),
    };
}
//# sourceMappingURL=simProcess.js.map