/**
 * Builds the webview, loads it in headless Chromium with the sample run of the reference case
 * quad_converse_alpha100 and a synthetic sweep, and saves full-page screenshots of the side panel
 * in the dark, light and high-contrast themes. Run with
 * `npx tsx scripts/panelScreenshots.ts [output folder] [--exports]` (default folder docs/images);
 * `--exports` also saves the panel's PNG and SVG chart exports beside the screenshots.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildWebview, openPanel, repoRoot, type ThemeName } from '../test/unit/webview/harness';
import { sampleMessages } from '../test/unit/webview/sampleData';

const args = process.argv.slice(2);
const outputFolder = args.find((arg) => !arg.startsWith('--')) ?? join(repoRoot, 'docs', 'images');
const shouldSaveExports = args.includes('--exports');
const themes: { theme: ThemeName; file: string }[] = [
	{ theme: 'dark', file: 'panel-dark.png' },
	{ theme: 'light', file: 'panel-light.png' },
	{ theme: 'highContrast', file: 'panel-high-contrast.png' },
];

async function main(): Promise<void> {
	await buildWebview();
	mkdirSync(outputFolder, { recursive: true });
	for (const { theme, file } of themes) {
		const panel = await openPanel({ theme, width: 420, height: 900 });
		try {
			for (const message of sampleMessages()) {
				await panel.post(message);
			}
			const path = join(outputFolder, file);
			await panel.page.screenshot({ path, fullPage: true });
			if (shouldSaveExports) {
				writeFileSync(join(outputFolder, file.replace('.png', '-export.svg')), await panel.exportChart('svg'));
				writeFileSync(join(outputFolder, file.replace('.png', '-export.png')), await panel.exportChart('png'));
			}
			process.stdout.write(`${path}\n`);
		} finally {
			await panel.close();
		}
		const problems = panel.problems();
		if (problems.length > 0) {
			process.stderr.write(`${theme}: ${problems.join('\n')}\n`);
			process.exitCode = 1;
		}
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
