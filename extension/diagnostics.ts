/** Publishes the diagnostics of every inspected spec document (source `NTK Horizon`). */

import * as vscode from 'vscode';

import { specDiagnostics, type AnalysisOutcome, type DiagnosticRecord } from './diagnosticRules';
import type { SpecDocuments } from './specDocuments';
import type { InspectedSpec } from './workerProtocol';

/** Source of every diagnostic this extension publishes. */
export const DIAGNOSTIC_SOURCE = 'NTK Horizon';

const SEVERITIES: Record<DiagnosticRecord['severity'], vscode.DiagnosticSeverity> = {
	error: vscode.DiagnosticSeverity.Error,
	warning: vscode.DiagnosticSeverity.Warning,
	information: vscode.DiagnosticSeverity.Information,
};

/** Keeps the diagnostic collection in step with the inspected specs and their analyses. */
export function registerDiagnostics(specDocuments: SpecDocuments): vscode.Disposable {
	const collection = vscode.languages.createDiagnosticCollection('ntkHorizon');
	const subscription = specDocuments.onDidChange((uri) =>
		publish(specDocuments, collection, uri),
	);
	return vscode.Disposable.from(subscription, collection);
}

function publish(
	specDocuments: SpecDocuments,
	collection: vscode.DiagnosticCollection,
	uri: vscode.Uri,
): void {
	const specs = specDocuments.peek(uri);
	const document = vscode.workspace.textDocuments.find(
		(candidate) => candidate.uri.toString() === uri.toString(),
	);
	if (!specs || !document) {
		collection.delete(uri);
		return;
	}
	if (specs.version !== document.version) {
		// A newer inspection is scheduled; its ranges replace these.
		return;
	}
	const diagnostics = specs.specs.flatMap((spec) =>
		specDiagnostics(spec, analysisOutcome(specDocuments, spec)).map((record) =>
			toDiagnostic(document, record),
		),
	);
	collection.set(uri, diagnostics);
}

function analysisOutcome(specDocuments: SpecDocuments, spec: InspectedSpec): AnalysisOutcome {
	const entry = spec.hash ? specDocuments.analysisEntry(spec.hash) : undefined;
	if (entry?.status === 'ready') {
		return { status: 'ready', analysis: entry.analysis };
	}
	if (entry?.status === 'failed' && !isTransient(entry.error.kind)) {
		return { status: 'failed', message: entry.error.message, issues: entry.error.issues };
	}
	return { status: 'none' };
}

/** Returns true for failures of the pool rather than of the spec, which are not shown on the spec. */
function isTransient(kind: string | undefined): boolean {
	return kind === 'crashed' || kind === 'cancelled' || kind === 'disposed' || kind === 'timeout';
}

function toDiagnostic(document: vscode.TextDocument, record: DiagnosticRecord): vscode.Diagnostic {
	const range = new vscode.Range(
		document.positionAt(record.start),
		document.positionAt(Math.max(record.end, record.start)),
	);
	const diagnostic = new vscode.Diagnostic(range, record.message, SEVERITIES[record.severity]);
	diagnostic.source = DIAGNOSTIC_SOURCE;
	diagnostic.code = record.code;
	return diagnostic;
}
