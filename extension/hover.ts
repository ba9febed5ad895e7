/** Hovers on `alpha`, `T` and `epsilon` of a spec, built by `hoverText.ts`. */

import * as vscode from 'vscode';

import { SPEC_SELECTOR } from './documentSelector';
import { buildHoverMarkdown, type AnalysisState } from './hoverText';
import { RunController } from './runs';
import { readSettings } from './settings';
import type { SpecDocuments } from './specDocuments';
import type { InspectedSpec } from './workerProtocol';

/** Maximum wait for an inspection plus an analysis before the hover shows "computing". */
export const HOVER_WAIT_MS = 1_500;

/** Registers the hover provider. */
export function registerHover(
	specDocuments: SpecDocuments,
	runs: RunController,
): vscode.Disposable {
	return vscode.languages.registerHoverProvider(SPEC_SELECTOR, {
		provideHover: (document, position) => provideHover(specDocuments, runs, document, position),
	});
}

async function provideHover(
	specDocuments: SpecDocuments,
	runs: RunController,
	document: vscode.TextDocument,
	position: vscode.Position,
): Promise<vscode.Hover | undefined> {
	if (!readSettings(document.uri).hoverEnabled || !specDocuments.isSpecDocument(document)) {
		return undefined;
	}
	const deadline = Date.now() + HOVER_WAIT_MS;
	const specs = await withDeadline(specDocuments.ensureInspected(document), deadline);
	if (specs === undefined && isSpecKeyWord(document, position)) {
		return new vscode.Hover(new vscode.MarkdownString(READING_SPEC_MARKDOWN));
	}
	const found = specs ? specDocuments.keyAt(specs, document.offsetAt(position)) : undefined;
	if (!found?.spec.spec || !found.spec.hash) {
		return undefined;
	}
	const state = await analysisState(specDocuments, found.spec, document.uri, deadline);
	const key = RunController.keyOf(document.uri, found.spec.index);
	const markdown = buildHoverMarkdown({
		key: found.key,
		spec: found.spec.spec,
		state,
		empirical: runs.empiricalHorizon(key, found.spec.hash),
	});
	const location = found.spec.keys[found.key];
	const range = location
		? new vscode.Range(
				document.positionAt(location.keyStart ?? location.valueStart),
				document.positionAt(location.valueEnd),
			)
		: undefined;
	return new vscode.Hover(new vscode.MarkdownString(markdown), range);
}

/** Hover text while the spec is still being read, for example when the worker starts. */
const READING_SPEC_MARKDOWN = '**NTK Horizon**: reading the spec... Hover again in a moment.';

/** Returns true when the word under the position is `alpha`, `T` or `epsilon`, quoted or not. */
function isSpecKeyWord(document: vscode.TextDocument, position: vscode.Position): boolean {
	const range = document.getWordRangeAtPosition(position, /[A-Za-z]+/);
	return range !== undefined && ['alpha', 'T', 'epsilon'].includes(document.getText(range));
}

async function analysisState(
	specDocuments: SpecDocuments,
	spec: InspectedSpec,
	uri: vscode.Uri,
	deadline: number,
): Promise<AnalysisState> {
	const entry = specDocuments.analysisEntry(spec.hash as string);
	if (entry?.status === 'ready') {
		return { status: 'ready', analysis: entry.analysis };
	}
	try {
		const analysis = await withDeadline(specDocuments.analyze(spec, uri), deadline);
		return analysis ? { status: 'ready', analysis } : { status: 'computing' };
	} catch (error) {
		return {
			status: 'failed',
			message: error instanceof Error ? error.message : String(error),
		};
	}
}

/** Resolves with the promise's value, or undefined when the deadline passes first. */
function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
	const remaining = Math.max(0, deadline - Date.now());
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<undefined>((resolve) => {
		timer = setTimeout(() => resolve(undefined), remaining);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
