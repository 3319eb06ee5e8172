// Copies what tsc does not: node/credential icons and codex files, next to the compiled classes.
const { src, dest, task } = require('gulp');

function copyIconsAndCodex() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:icons', copyIconsAndCodex);
