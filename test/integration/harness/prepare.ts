/**
 * Steps shared by both extension-host runners (code-server, and @vscode/test-electron where VS
 * Code can be downloaded). They bundle the mocha suite for the extension host's `require` and copy
 * the fixture workspace, so that quick fixes never edit the checked-in files.
 */

import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './codeServer';

/** Folder the suite is bundled into. Its `index.js` is the extensionTestsPath. */
export const suiteOutDir = join(repoRoot, 'out', 'integration', 'suite');

/** Source folder of the fixture workspace. */
export const workspaceSource = join(repoRoot, 'test', 'integration', 'workspace');

/**
 * Bundles test/integration/suite/index.ts and every *.test.ts beside it into CommonJS files.
 * `vscode` is provided by the extension host; npm packages are loaded from node_modules.
 */
export async function bundleSuite(): Promise<string> {
	const sourceDir = join(repoRoot, 'test', 'integration', 'suite');
	const entries = readdirSync(sourceDir).filter((name) => name === 'index.ts' || name.endsWith('.test.ts'));
	rmSync(suiteOutDir, { recursive: true, force: true });
	await esbuild.build({
		entryPoints: entries.map((name) => join(sourceDir, name)),
		outdir: suiteOutDir,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['vscode'],
		// Packages (mocha, typescript, ml-matrix, ...) load from node_modules at run time, so each
		// test file stays small and the extension host parses TypeScript's compiler only once.
		packages: 'external',
		sourcemap: 'inline',
		logLevel: 'warning',
	});
	return join(suiteOutDir, 'index.js');
}

/**
 * Copies the fixture workspace to a fresh temporary folder, adds the repository's examples/ (and
 * schemas/, which their `$schema` links point to) so they are tested as shipped, and returns the
 * copy's path.
 */
export function copyWorkspace(parent?: string): string {
	const target = join(parent ?? mkdtempSync(join(tmpdir(), 'ntk-workspace-')), 'workspace');
	cpSync(workspaceSource, target, { recursive: true });
	cpSync(join(repoRoot, 'examples'), join(target, 'examples'), { recursive: true });
	cpSync(join(repoRoot, 'schemas'), join(target, 'schemas'), { recursive: true });
	return target;
}
