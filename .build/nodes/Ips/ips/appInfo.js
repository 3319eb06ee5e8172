"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PACKAGE_VERSION = exports.PACKAGE_NAME = void 0;
// The package's own name and version, sent as authHeader appName/appVersion by default.
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
exports.PACKAGE_NAME = 'n8n-nodes-scene7-ips';
function findPackageVersion() {
    // Source (nodes/Ips/ips) and compiled (dist/nodes/Ips/ips) sit at different depths: walk up.
    for (let dir = __dirname; dir !== (0, node_path_1.dirname)(dir); dir = (0, node_path_1.dirname)(dir)) {
        const file = (0, node_path_1.join)(dir, 'package.json');
        if (!(0, node_fs_1.existsSync)(file))
            continue;
        const pkg = JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8'));
        if (pkg.name === exports.PACKAGE_NAME && pkg.version)
            return pkg.version;
    }
    return '0.0.0';
}
exports.PACKAGE_VERSION = findPackageVersion();
//# sourceMappingURL=appInfo.js.map