// Runs every test/unit/**/*.test.ts and bench/*.test.ts file with Node's test runner, TypeScript
// loaded through tsx.
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
process.exit(result.status ?? 1);
