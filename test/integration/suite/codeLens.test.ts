import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { analyzeWithCore, finiteTime } from './core';
import { activateExtension, assertDisplayed, closeAllEditors, openDocument, parseDisplayedNumber, waitFor } from './helpers';

/** Resolved CodeLenses of a document, in document order. */
async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
	// The last argument makes the editor resolve up to that many lenses (titles and commands).
	const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
	return (lenses ?? []).filter((lens) => lens.command !== undefined);
}

function titles(lenses: readonly vscode.CodeLens[]): string[] {
	return lenses.map((lens) => lens.command!.title);
}

/** Waits until the horizon lens shows a number (the analysis is done). */
function analysedLenses(uri: vscode.Uri, expectedHorizonLenses: number): Promise<vscode.CodeLens[]> {
	return waitFor(
		`${expectedHorizonLenses} analysed "NTK horizon" lenses in ${uri.fsPath}`,
		() => codeLenses(uri),
		(lenses) => titles(lenses).filter((title) => /^NTK horizon ~ /.test(title)).length === expectedHorizonLenses,
	);
}

describe('CodeLens', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('JSON spec gets horizon, Simulate, Sweep alpha, Charts', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const lenses = await analysedLenses(document.uri, 1);
		const shown = titles(lenses);
		assert.match(shown[0], /^NTK horizon/, `first lens: ${JSON.stringify(shown)}`);
		assert.deepEqual(shown.slice(1), ['Simulate', 'Sweep alpha', 'Charts'], `lens titles: ${JSON.stringify(shown)}`);
		const commands = lenses.map((lens) => lens.command!.command);
		assert.deepEqual(commands.slice(1), ['ntkHorizon.simulate', 'ntkHorizon.sweepAlpha', 'ntkHorizon.openCharts']);
		const simulateArguments = lenses[1].command!.arguments ?? [];
		assert.equal(String(simulateArguments[0]), document.uri.toString(), 'Simulate lens must pass the document URI');
		assert.equal(simulateArguments[1], 0, 'Simulate lens must pass spec index 0');
	});

	it('horizon lens shows the core estimate', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const [horizonLens] = await analysedLenses(document.uri, 1);
		const title = horizonLens.command!.title;
		const expected = analyzeWithCore(document);
		const estimate = finiteTime('estimated horizon (core)', expected.horizons.estimate);
		assertDisplayed(`lens "${title}" estimate`, parseDisplayedNumber(title.replace(/^NTK horizon\D*/, '')), estimate);
		const guaranteedText = /guaranteed\s+([^)\s]+)/.exec(title);
		assert.ok(guaranteedText, `lens "${title}" does not show the guaranteed horizon`);
		const guaranteed = finiteTime('guaranteed horizon (core)', expected.horizons.guaranteed);
		assertDisplayed(`lens "${title}" guaranteed`, parseDisplayedNumber(guaranteedText[1]), guaranteed);
	});

	it('TypeScript file gets lenses on its valid specs', async () => {
		const document = await openDocument('specs.ts');
		const lenses = await analysedLenses(document.uri, 2);
		const simulateLenses = lenses.filter((lens) => lens.command!.command === 'ntkHorizon.simulate');
		const indices = simulateLenses.map((lens) => lens.command!.arguments?.[1]);
		assert.ok(indices.includes(0), `Simulate lenses for spec indices ${JSON.stringify(indices)}, expected 0 among them`);
		assert.ok(indices.includes(2), `Simulate lenses for spec indices ${JSON.stringify(indices)}, expected 2 among them`);
		const text = document.getText();
		const firstSpecLine = document.positionAt(text.indexOf("name: 'quadratic from TypeScript'")).line;
		const horizonLines = lenses.filter((lens) => /^NTK horizon/.test(lens.command!.title)).map((lens) => lens.range.start.line);
		assert.ok(
			horizonLines.some((line) => line <= firstSpecLine && line >= firstSpecLine - 2),
			`horizon lens lines ${JSON.stringify(horizonLines)}, expected one just above line ${firstSpecLine}`,
		);
	});
});
