/** Resolves command arguments (`uri?`, `specIndex?`) to a valid spec of an open document. */

import * as vscode from 'vscode';

import type { Log } from './log';
import { RunController, type SpecTarget } from './runs';
import type { SpecDocuments } from './specDocuments';

/** A command argument naming a document: a Uri, or a string with a scheme or a file path. */
export type UriArgument = vscode.Uri | string | undefined;

/** Converts a string argument to a Uri: `file:///...`, `untitled:...` or a plain file path. */
export function toUri(argument: vscode.Uri | string): vscode.Uri {
	if (typeof argument !== 'string') {
		return argument;
	}
	return /^[a-zA-Z][\w+.-]+:/.test(argument)
		? vscode.Uri.parse(argument)
		: vscode.Uri.file(argument);
}

/**
 * Finds the spec a command acts on: the given document (or the active editor's), the given index
 * (or the spec under the cursor, or the first). Shows one error and returns undefined when there
 * is no such valid spec.
 */
export async function resolveSpecTarget(
	specDocuments: SpecDocuments,
	log: Log,
	uriArgument: UriArgument,
	specIndex: number | undefined,
): Promise<SpecTarget | undefined> {
	const document = await openDocument(uriArgument, log);
	if (!document) {
		return undefined;
	}
	const specs = specDocuments.isSpecDocument(document)
		? await specDocuments.ensureInspected(document)
		: undefined;
	if (!specs || specs.specs.length === 0) {
		log.notifyError(
			'noSpec',
			`No spec found in ${displayName(document.uri)}. Open a *.ntk.json file or a TypeScript file with an @ntk spec.`,
		);
		return undefined;
	}
	const index = specIndex ?? cursorSpecIndex(specDocuments, document, specs);
	const inspected = specs.specs[index];
	if (!inspected) {
		log.notifyError(
			'noSpec',
			`${displayName(document.uri)} has ${specs.specs.length} specs; spec index ${index} does not exist.`,
		);
		return undefined;
	}
	if (!inspected.spec || !inspected.hash) {
		const first = inspected.issues.find((issue) => issue.severity === 'error');
		log.notifyError(
			'invalidSpec',
			`The spec ${inspected.name} is invalid: ${first?.message ?? 'see the Problems view'} Fix it and run again.`,
		);
		return undefined;
	}
	return {
		uri: document.uri,
		spec: inspected as SpecTarget['spec'],
		key: RunController.keyOf(document.uri, index),
	};
}

async function openDocument(
	uriArgument: UriArgument,
	log: Log,
): Promise<vscode.TextDocument | undefined> {
	if (uriArgument === undefined) {
		const document = vscode.window.activeTextEditor?.document;
		if (!document) {
			log.notifyError('noSpec', 'Open a *.ntk.json file or a TypeScript spec first.');
		}
		return document;
	}
	const uri = toUri(uriArgument);
	try {
		return await vscode.workspace.openTextDocument(uri);
	} catch (error) {
		log.error(`Opening ${uri.toString()} failed.`, error);
		log.notifyError('noSpec', `Cannot open ${displayName(uri)}. Check that the file exists.`);
		return undefined;
	}
}

function cursorSpecIndex(
	specDocuments: SpecDocuments,
	document: vscode.TextDocument,
	specs: NonNullable<ReturnType<SpecDocuments['peek']>>,
): number {
	const editor = vscode.window.activeTextEditor;
	if (editor?.document !== document) {
		return 0;
	}
	return specDocuments.specAt(specs, document.offsetAt(editor.selection.active))?.index ?? 0;
}

function displayName(uri: vscode.Uri): string {
	return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.toString();
}
