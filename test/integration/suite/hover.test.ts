import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { analyzeWithCore, finiteTime } from './core';
import {
	activateExtension,
	assertDisplayed,
	closeAllEditors,
	hoverText,
	openDocument,
	parseDisplayedNumber,
	positionOf,
	waitFor,
} from './helpers';

/** Value cell of the first Markdown table row whose label cell matches `label`. */
function tableValue(markdown: string, label: RegExp): string {
	for (const line of markdown.split('\n')) {
		const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim()).filter((cell) => cell !== '');
		if (cells.length >= 2 && label.test(cells[0])) {
			return cells[cells.length - 1];
		}
	}
	assert.fail(`no table row matching ${label} in the hover:\n${markdown}`);
}

/** Waits for the hover on `alpha` to show the finished analysis (not "Computing ..."). */
async function alphaHover(document: vscode.TextDocument, occurrence = 0): Promise<string> {
	const key = document.languageId === 'json' ? '"alpha"' : 'alpha:';
	const position = positionOf(document, key, occurrence).translate(0, document.languageId === 'json' ? 2 : 1);
	return waitFor(
		`the analysed hover on alpha in ${document.uri.fsPath}`,
		() => hoverText(document.uri, position),
		(text) => /guaranteed/i.test(text) && !/Computing/i.test(text),
	);
}

/** Checks the horizon numbers of an alpha hover against the core's analysis. */
function checkHorizons(where: string, markdown: string, expected: ReturnType<typeof analyzeWithCore>): void {
	assert.match(markdown, /NTK Horizon/, `${where}: hover has no NTK Horizon heading:\n${markdown}`);
	const guaranteed = finiteTime(`${where} guaranteed horizon (core)`, expected.horizons.guaranteed);
	assertDisplayed(`${where} guaranteed horizon`, parseDisplayedNumber(tableValue(markdown, /guaranteed/i)), guaranteed);
	const estimate = finiteTime(`${where} estimated horizon (core)`, expected.horizons.estimate);
	assertDisplayed(`${where} estimated horizon`, parseDisplayedNumber(tableValue(markdown, /estimate/i)), estimate);
	assertDisplayed(`${where} R0`, parseDisplayedNumber(tableValue(markdown, /^R0/)), expected.initialLoss);
}

describe('hover', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('alpha in JSON shows the core horizons', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const markdown = await alphaHover(document);
		const expected = analyzeWithCore(document);
		checkHorizons('quadratic.ntk.json', markdown, expected);
		// The converse quadratic has Lip(Dh) = |b| = 1 exactly, R0 = 1/2.
		assertDisplayed('quadratic.ntk.json R0 (closed form)', parseDisplayedNumber(tableValue(markdown, /^R0/)), 0.5);
		assert.match(tableValue(markdown, /Lip\(Dh\)/), /^1 \(exact\)/, `Lip(Dh) cell:\n${markdown}`);
	});

	it('alpha in a network spec shows the core horizons', async () => {
		const document = await openDocument('mlp-tanh.ntk.json');
		checkHorizons('mlp-tanh.ntk.json', await alphaHover(document), analyzeWithCore(document));
	});

	it('alpha in TypeScript shows the core horizons', async () => {
		const document = await openDocument('specs.ts');
		checkHorizons('specs.ts spec 0', await alphaHover(document, 0), analyzeWithCore(document, 0));
		// Occurrence 2 is the third spec; the second one (occurrence 1) cannot be evaluated.
		checkHorizons('specs.ts spec 2', await alphaHover(document, 2), analyzeWithCore(document, 2));
	});

	it('hover outside the spec keys is empty', async () => {
		const document = await openDocument('quadratic.ntk.json');
		await alphaHover(document);
		const text = await hoverText(document.uri, positionOf(document, '"description"').translate(0, 3));
		assert.doesNotMatch(text, /NTK Horizon/, `hover on "description" shows the NTK hover:\n${text}`);
	});
});
