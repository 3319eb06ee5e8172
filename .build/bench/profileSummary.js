"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// `node .build/bench/profileSummary.js <dir>`: self time by package of the largest .cpuprofile in
// <dir> (as written by `node --cpu-prof`), to see where the node's time goes.
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
function packageOf(url, functionName) {
    if (url.includes('node_modules/')) {
        const parts = url.split('node_modules/').pop().split('/');
        return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    }
    if (url.includes('/.build/'))
        return `ours: ${url.split('/.build/')[1].split('/').slice(0, 3).join('/')}`;
    return url || functionName;
}
const dir = process.argv[2] ?? '.cache/profile';
const file = (0, node_fs_1.readdirSync)(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => (0, node_path_1.join)(dir, name))
    .sort((a, b) => (0, node_fs_1.statSync)(b).size - (0, node_fs_1.statSync)(a).size)[0];
const profile = JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8'));
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const selfMs = new Map();
profile.samples.forEach((id, index) => {
    const frame = frames.get(id);
    const key = frame ? packageOf(frame.url, frame.functionName) : '?';
    selfMs.set(key, (selfMs.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
});
for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms  ${key}`);
}
//# sourceMappingURL=profileSummary.js.map