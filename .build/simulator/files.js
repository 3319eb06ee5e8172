"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.findProjectFile = findProjectFile;
// Finds a project file from the sources (simulator/) and from compiled output (.build/simulator/),
// which tsc does not copy data files into.
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
function findProjectFile(relativePath) {
    for (let dir = __dirname; dir !== (0, node_path_1.dirname)(dir); dir = (0, node_path_1.dirname)(dir)) {
        const candidate = (0, node_path_1.join)(dir, relativePath);
        if ((0, node_fs_1.existsSync)(candidate))
            return candidate;
    }
    throw new Error(`${relativePath} not found above ${__dirname}`);
}
//# sourceMappingURL=files.js.map