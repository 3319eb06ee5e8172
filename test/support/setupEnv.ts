// n8n-core writes its config (with a new encryption key) under N8N_USER_FOLDER on first use;
// keep that out of the home folder and away from other runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-ips-test-'));
