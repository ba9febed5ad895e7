import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';
import { analyzeWithCore } from './core';
import {
	activateExtension,
	assertDisplayed,
	closeAllEditors,
	describeDiagnostic,
	openDocument,
	parseDisplayedNumber,
	waitFor,
	workspaceRoot,
} from './helpers';

/** Example files shipped in examples/, copied into the workspace by the runner. */
function exampleFiles(): string[] {
	return readdirSync(join(workspaceRoot(), 'examples'))
		.filter((name) => name.endsWith('.ntk.json') || name.endsWith('.ts'))
		.sort()
		.map((name) => `examples/${name}`);
}

/** Waits until every spec of a document has an analysed horizon lens and returns their titles. */
async function horizonLensTitles(document: vscode.TextDocument, specCount: number): Promise<string[]> {
	return waitFor(
		`${specCount} analysed horizon lenses in ${document.uri.fsPath}`,
		async () => {
			const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
			return (lenses ?? []).map((lens) => lens.command?.title ?? '').filter((title) => title.startsWith('NTK horizon'));
		},
		(titles) => titles.length === specCount && titles.every((title) => !/computing/.test(title)),
	);
}

describe('examples', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('examples folder has specs', () => {
		assert.ok(exampleFiles().length >= 2, `examples found: ${JSON.stringify(exampleFiles())}`);
	});

	it('every example is valid and analysed like the core', async () => {
		for (const file of exampleFiles()) {
			const document = await openDocument(file);
			const specCount = file.endsWith('.ts') ? findTypeScriptSpecs(document.getText(), document.fileName).length : 1;
			const titles = await horizonLensTitles(document, specCount);
			const errors = vscode.languages
				.getDiagnostics(document.uri)
				.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
			assert.deepEqual(errors.map(describeDiagnostic), [], `errors in ${file}`);
			titles.forEach((title, specIndex) => {
				const expected = analyzeWithCore(document, specIndex).horizons.estimate;
				if (expected.kind === 'finite') {
					const shown = parseDisplayedNumber(title.replace(/^NTK horizon\D*/, ''));
					assertDisplayed(`${file} spec ${specIndex} lens "${title}"`, shown, expected.time);
				} else {
					assert.doesNotMatch(title, /~ \d/, `${file} spec ${specIndex}: core estimate is ${expected.kind}, lens "${title}"`);
				}
			});
		}
	});
});
