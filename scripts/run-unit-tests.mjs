// Runs every test/unit/**/*.test.ts and bench/*.test.ts file with Node's test runner, TypeScript
// loaded through tsx, and then, without a filter, the SciPy baseline's tests where python3 can
// import scipy.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
	const files = [];
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) {
			files.push(...findTests(path));
		} else if (entry.endsWith('.test.ts')) {
			files.push(path);
		}
	}
	return files;
}

const filter = process.argv.slice(2);
const files = [...findTests('test/unit'), ...findTests('bench')].filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
	stdio: 'inherit',
});
let status = result.status ?? 1;
if (filter.length === 0) {
	const scipy = spawnSync('python3', ['-c', 'import scipy'], { stdio: 'ignore' });
	if (scipy.status === 0) {
		const baseline = spawnSync('python3', ['-m', 'unittest', 'bench/test_scipy_baseline.py'], { stdio: 'inherit' });
		status = status === 0 ? (baseline.status ?? 1) : status;
	} else {
		console.log('run-unit-tests: skipped the SciPy baseline tests, because python3 cannot import scipy');
	}
}
process.exit(status);
