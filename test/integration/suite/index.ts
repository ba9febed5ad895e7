/**
 * Entry point the extension host loads as extensionTestsPath (under @vscode/test-electron or
 * code-server): runs every *.test.js file bundled beside this one with mocha.
 *
 * Environment: NTK_E2E_GREP filters tests by title; NTK_E2E_SUMMARY names a JSON file that
 * receives the pass, failure and pending counts and the duration.
 */

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Runs the suite; rejects when a test fails so that the runner exits with code 1. */
export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90_000, reporter: 'spec' });
	if (process.env.NTK_E2E_GREP) {
		mocha.grep(process.env.NTK_E2E_GREP);
	}
	for (const name of readdirSync(__dirname).sort()) {
		if (name.endsWith('.test.js')) {
			mocha.addFile(join(__dirname, name));
		}
	}
	const started = Date.now();
	return new Promise((done, fail) => {
		const runner = mocha.run((failures) => {
			const summaryFile = process.env.NTK_E2E_SUMMARY;
			if (summaryFile) {
				const { passes, pending } = runner.stats ?? { passes: 0, pending: 0 };
				const summary = { passes, failures, pending, durationMs: Date.now() - started };
				writeFileSync(summaryFile, JSON.stringify(summary));
			}
			if (failures > 0) {
				fail(new Error(`${failures} integration test(s) failed`));
			} else {
				done();
			}
		});
	});
}
