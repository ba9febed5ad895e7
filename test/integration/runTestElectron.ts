/**
 * Runs the extension-host integration suite in desktop VS Code through @vscode/test-electron, for
 * machines that can download VS Code (it comes from update.code.visualstudio.com). The suite is
 * the same bundle that runCodeServer.ts loads into code-server.
 *
 * Usage: npm run build && node --import tsx test/integration/runTestElectron.ts [--grep PATTERN]
 * Environment: VSCODE_VERSION (default 'stable'), VSCODE_EXECUTABLE (use an installed VS Code).
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { offlineSettings, repoRoot } from './harness/codeServer';
import { bundleSuite, copyWorkspace } from './harness/prepare';

async function main(): Promise<number> {
	const grepIndex = process.argv.indexOf('--grep');
	const grep = grepIndex >= 0 ? process.argv[grepIndex + 1] : undefined;
	const testsPath = await bundleSuite();
	const scratch = mkdtempSync(join(tmpdir(), 'ntk-electron-'));
	try {
		const workspace = copyWorkspace(scratch);
		const userSettingsDir = join(scratch, 'user-data', 'User');
		mkdirSync(userSettingsDir, { recursive: true });
		writeFileSync(join(userSettingsDir, 'settings.json'), JSON.stringify(offlineSettings, null, '\t'));
		await runTests({
			version: process.env.VSCODE_VERSION ?? 'stable',
			vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
			extensionDevelopmentPath: repoRoot,
			extensionTestsPath: testsPath,
			extensionTestsEnv: {
				NTK_E2E_WORKSPACE: workspace,
				NTK_E2E_SUMMARY: join(scratch, 'summary.json'),
				...(grep === undefined ? {} : { NTK_E2E_GREP: grep }),
			},
			launchArgs: [
				workspace,
				'--disable-extensions',
				'--disable-workspace-trust',
				'--skip-welcome',
				'--skip-release-notes',
				`--user-data-dir=${join(scratch, 'user-data')}`,
				`--extensions-dir=${join(scratch, 'extensions')}`,
			],
		});
		return 0;
	} catch (error) {
		process.stderr.write(`integration suite (test-electron) failed: ${String(error)}\n`);
		return 1;
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

void main().then((code) => process.exit(code));
