/** CodeLens above each spec: the horizon, then Simulate, Sweep alpha and Charts. */

import * as vscode from 'vscode';

import { SPEC_SELECTOR } from './documentSelector';
import { horizonLensTitle, type SpecState } from './lensText';
import type { SpecDocuments } from './specDocuments';
import type { InspectedSpec } from './workerProtocol';

/** Registers the CodeLens provider; lenses refresh when a spec or its analysis changes. */
export function registerCodeLens(specDocuments: SpecDocuments): vscode.Disposable {
	const changed = new vscode.EventEmitter<void>();
	const subscription = specDocuments.onDidChange(() => changed.fire());
	const provider = vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, {
		onDidChangeCodeLenses: changed.event,
		provideCodeLenses: async (document) => {
			const specs = specDocuments.isSpecDocument(document)
				? await specDocuments.ensureInspected(document)
				: undefined;
			if (!specs || specs.version !== document.version) {
				return [];
			}
			return specs.specs.flatMap((spec) => specLenses(specDocuments, document, spec));
		},
	});
	return vscode.Disposable.from(provider, subscription, changed);
}

function specLenses(
	specDocuments: SpecDocuments,
	document: vscode.TextDocument,
	spec: InspectedSpec,
): vscode.CodeLens[] {
	const start = document.positionAt(spec.start);
	const range = new vscode.Range(start, start);
	const state = specState(specDocuments, spec);
	const args = [document.uri.toString(), spec.index];
	if (state.status === 'invalid') {
		return [
			new vscode.CodeLens(range, {
				title: horizonLensTitle(state),
				command: 'workbench.actions.view.problems',
			}),
		];
	}
	return [
		new vscode.CodeLens(range, {
			title: horizonLensTitle(state),
			command: 'ntkHorizon.showHorizon',
			arguments: args,
			tooltip: 'Show the horizons in the Charts view',
		}),
		new vscode.CodeLens(range, {
			title: 'Simulate',
			command: 'ntkHorizon.simulate',
			arguments: args,
		}),
		new vscode.CodeLens(range, {
			title: 'Sweep alpha',
			command: 'ntkHorizon.sweepAlpha',
			arguments: args,
		}),
		new vscode.CodeLens(range, {
			title: 'Charts',
			command: 'ntkHorizon.openCharts',
			arguments: args,
		}),
	];
}

/** Returns the state of a spec: invalid, analysis computing, analysis failed, or ready. */
export function specState(specDocuments: SpecDocuments, spec: InspectedSpec): SpecState {
	if (!spec.spec || !spec.hash) {
		return {
			status: 'invalid',
			errorCount: spec.issues.filter((issue) => issue.severity === 'error').length,
		};
	}
	const entry = specDocuments.analysisEntry(spec.hash);
	if (entry?.status === 'ready') {
		return { status: 'ready', analysis: entry.analysis };
	}
	if (entry?.status === 'failed') {
		return { status: 'failed', message: entry.error.message };
	}
	return { status: 'computing' };
}
