/** Quick fixes of the `horizonExceeded` warning: `Set alpha to X` and `Set T to Y`. */

import * as vscode from 'vscode';

import { replaceValueEdit } from '../src/spec/edits';
import { FIX_DIGITS, HORIZON_EXCEEDED, quickFixValues } from './diagnosticRules';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { SPEC_SELECTOR } from './documentSelector';
import type { SpecDocuments } from './specDocuments';
import type { InspectedSpec, SourceLocation } from './workerProtocol';

/** Registers the quick-fix provider. */
export function registerQuickFixes(specDocuments: SpecDocuments): vscode.Disposable {
	return vscode.languages.registerCodeActionsProvider(
		SPEC_SELECTOR,
		{
			provideCodeActions: (document, _range, context) =>
				provideFixes(specDocuments, document, context),
		},
		{ providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
	);
}

function provideFixes(
	specDocuments: SpecDocuments,
	document: vscode.TextDocument,
	context: vscode.CodeActionContext,
): vscode.CodeAction[] {
	const specs = specDocuments.peek(document.uri);
	if (!specs || specs.version !== document.version) {
		return [];
	}
	const actions: vscode.CodeAction[] = [];
	for (const diagnostic of context.diagnostics) {
		if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== HORIZON_EXCEEDED) {
			continue;
		}
		const offset = document.offsetAt(diagnostic.range.start);
		const spec = specs.specs.find((candidate) => candidate.keys.T?.valueStart === offset);
		if (spec) {
			actions.push(...specFixes(specDocuments, document, spec, diagnostic));
		}
	}
	return actions;
}

function specFixes(
	specDocuments: SpecDocuments,
	document: vscode.TextDocument,
	spec: InspectedSpec,
	diagnostic: vscode.Diagnostic,
): vscode.CodeAction[] {
	const entry = spec.hash ? specDocuments.analysisEntry(spec.hash) : undefined;
	if (entry?.status !== 'ready') {
		return [];
	}
	const analysis = entry.analysis;
	const values = quickFixValues(analysis);
	const actions: vscode.CodeAction[] = [];
	const guaranteed = analysis.horizons.guaranteed;
	if (values.alpha !== undefined && analysis.minimumAlpha !== null && spec.keys.alpha) {
		actions.push(
			fixAction(
				document,
				`Set alpha to ${values.alpha}`,
				spec.keys.alpha,
				analysis.minimumAlpha,
				'up',
				diagnostic,
			),
		);
	}
	if (values.T !== undefined && guaranteed.kind === 'finite' && spec.keys.T) {
		actions.push(
			fixAction(
				document,
				`Set T to ${values.T}`,
				spec.keys.T,
				guaranteed.time,
				'down',
				diagnostic,
			),
		);
	}
	return actions;
}

function fixAction(
	document: vscode.TextDocument,
	title: string,
	location: SourceLocation,
	value: number,
	rounding: 'up' | 'down',
	diagnostic: vscode.Diagnostic,
): vscode.CodeAction {
	const edit = replaceValueEdit(document.getText(), location, value, {
		digits: FIX_DIGITS,
		rounding,
	});
	const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
	action.diagnostics = [diagnostic];
	action.edit = new vscode.WorkspaceEdit();
	action.edit.replace(
		document.uri,
		new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)),
		edit.newText,
	);
	return action;
}
