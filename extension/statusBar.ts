/**
 * Status bar item for the spec under the cursor (`NTK T* = ...`, `NTK computing...`,
 * `NTK error`), and the Charts view following that spec.
 */

import * as vscode from 'vscode';

import { specState } from './codeLens';
import { horizonLensTitle, statusBarText } from './lensText';
import { RunController, type ChartsView } from './runs';
import type { SpecDocuments } from './specDocuments';
import type { InspectedSpec } from './workerProtocol';

/** Registers the status bar item and the listeners that update it. */
export function registerStatusBar(
	specDocuments: SpecDocuments,
	runs: RunController,
	charts: () => ChartsView | undefined,
): vscode.Disposable {
	const item = vscode.window.createStatusBarItem(
		'ntkHorizon.status',
		vscode.StatusBarAlignment.Left,
		50,
	);
	item.name = 'NTK Horizon';
	item.command = 'ntkHorizon.openCharts';
	let focusedKey: string | undefined;
	let shownAnalysis: string | undefined;
	const update = () => {
		const found = specUnderCursor(specDocuments);
		if (!found) {
			item.hide();
			return;
		}
		const key = RunController.keyOf(found.uri, found.spec.index);
		const run = runs.runState(key);
		const state = specState(specDocuments, found.spec);
		item.text = run
			? statusBarText({ status: 'running', percent: run.percent })
			: statusBarText(state);
		item.tooltip = `${found.spec.name}: ${horizonLensTitle(state)}`;
		item.show();
		const view = charts();
		if (key !== focusedKey && view) {
			focusedKey = key;
			view.focusSpec(key);
		}
		if (view && state.status === 'ready' && shownAnalysis !== `${key}:${found.spec.hash}`) {
			shownAnalysis = `${key}:${found.spec.hash}`;
			view.showAnalysis(key, found.spec.name, state.analysis);
		}
	};
	update();
	return vscode.Disposable.from(
		item,
		vscode.window.onDidChangeActiveTextEditor(update),
		vscode.window.onDidChangeTextEditorSelection(update),
		specDocuments.onDidChange(update),
		runs.onDidChange(update),
	);
}

/** Finds the spec under the active editor's cursor: the one containing it, else the document's first. */
function specUnderCursor(
	specDocuments: SpecDocuments,
): { uri: vscode.Uri; spec: InspectedSpec } | undefined {
	const editor = vscode.window.activeTextEditor;
	if (!editor) {
		return undefined;
	}
	const specs = specDocuments.peek(editor.document.uri);
	if (!specs || specs.specs.length === 0) {
		return undefined;
	}
	const offset = editor.document.offsetAt(editor.selection.active);
	const spec = specDocuments.specAt(specs, offset) ?? specs.specs[0];
	return { uri: editor.document.uri, spec };
}
