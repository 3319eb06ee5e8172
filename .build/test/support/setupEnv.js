"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// n8n-core writes its config (with a new encryption key) under N8N_USER_FOLDER on first use;
// keep that out of the home folder and away from other runs.
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
process.env.N8N_USER_FOLDER ??= (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'n8n-ips-test-'));
//# sourceMappingURL=setupEnv.js.map