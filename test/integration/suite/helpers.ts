/**
 * Helpers for the extension-host suite: activating NTK Horizon, opening fixture documents,
 * waiting on editor events, and comparing numbers with a message that names input, value,
 * expected value and tolerance.
 */

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { NtkHorizonTestApi } from '../../../extension/testApi';

export type { NtkHorizonTestApi } from '../../../extension/testApi';

export const extensionId = 'ntk-horizon.ntk-horizon';

/** Diagnostic source of the extension's own diagnostics. */
export const diagnosticSource = 'NTK Horizon';

/**
 * Maximum wait for the editor to show something (an analysis, a diagnostic). The slowest fixture
 * analysis (long-run.ntk.json) took 1.5 s with the core alone; the margin covers cores shared
 * with other processes.
 */
export const defaultWaitMs = 45_000;

/** Activates the extension (a no-op when already active) and returns its test API. */
export async function activateExtension(): Promise<NtkHorizonTestApi> {
	const extension = vscode.extensions.getExtension<NtkHorizonTestApi>(extensionId);
	assert.ok(extension, `extension ${extensionId} is not installed in this editor`);
	const api = await extension.activate();
	assert.ok(api, `activate() of ${extensionId} returned ${String(api)}, expected the test API`);
	assert.equal(typeof api, 'object', `activate() of ${extensionId} returned a ${typeof api}, expected the test API object`);
	return api;
}

/** Absolute path of the copied fixture workspace. */
export function workspaceRoot(): string {
	const folder = vscode.workspace.workspaceFolders?.[0];
	assert.ok(folder, 'no workspace folder is open');
	return folder.uri.fsPath;
}

/** URI of a file of the fixture workspace. */
export function workspaceUri(name: string): vscode.Uri {
	return vscode.Uri.file(join(workspaceRoot(), name));
}

/** Opens a fixture file in an editor and returns its document. */
export async function openDocument(name: string): Promise<vscode.TextDocument> {
	const document = await vscode.workspace.openTextDocument(workspaceUri(name));
	await vscode.window.showTextDocument(document, { preview: false });
	return document;
}

/** Closes every editor so that tests do not see each other's documents. */
export async function closeAllEditors(): Promise<void> {
	await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Position of the `occurrence`-th (0-based) match of `text` in the document, at its first character. */
export function positionOf(document: vscode.TextDocument, text: string, occurrence = 0): vscode.Position {
	return rangeOf(document, text, occurrence).start;
}

/** Range of the `occurrence`-th (0-based) match of `text` in the document. */
export function rangeOf(document: vscode.TextDocument, text: string, occurrence = 0): vscode.Range {
	const content = document.getText();
	let offset = -1;
	for (let i = 0; i <= occurrence; i++) {
		offset = content.indexOf(text, offset + 1);
		assert.ok(offset >= 0, `text ${JSON.stringify(text)} (occurrence ${occurrence}) not found in ${document.uri.fsPath}`);
	}
	return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
}

/** Range of the value in the `occurrence`-th `"key": value` (JSON) or `key: value` (TypeScript). */
export function valueRange(document: vscode.TextDocument, key: string, occurrence = 0): vscode.Range {
	const content = document.getText();
	const pattern = new RegExp(`"?${key}"?\\s*:\\s*`, 'g');
	let match: RegExpExecArray | null = null;
	for (let i = 0; i <= occurrence; i++) {
		match = pattern.exec(content);
		assert.ok(match, `key ${key} (occurrence ${occurrence}) not found in ${document.uri.fsPath}`);
	}
	const start = match!.index + match![0].length;
	const valueText = /^("[^"]*"|'[^']*'|[^,\s}\n]+)/.exec(content.slice(start));
	assert.ok(valueText, `no value after key ${key} in ${document.uri.fsPath}`);
	return new vscode.Range(document.positionAt(start), document.positionAt(start + valueText[0].length));
}

/** Formats a range as `line:character-line:character` (1-based lines) for messages. */
export function formatRange(range: vscode.Range): string {
	return `${range.start.line + 1}:${range.start.character}-${range.end.line + 1}:${range.end.character}`;
}

/**
 * Resolves once `read()` returns a value that `accept` takes. Checks again on every event of
 * `events` and at least every 200 ms, and rejects after `timeoutMs` naming the last value.
 */
export async function waitFor<T>(
	what: string,
	read: () => T | Promise<T>,
	accept: (value: T) => boolean,
	options: { timeoutMs?: number; events?: vscode.Event<unknown>[] } = {},
): Promise<T> {
	const timeoutMs = options.timeoutMs ?? defaultWaitMs;
	const deadline = Date.now() + timeoutMs;
	let last: T | undefined;
	while (Date.now() < deadline) {
		last = await read();
		if (accept(last)) {
			return last;
		}
		await nextEvent(options.events ?? [], Math.min(200, Math.max(0, deadline - Date.now())));
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(last)}`);
}

function nextEvent(events: vscode.Event<unknown>[], timeoutMs: number): Promise<void> {
	return new Promise((done) => {
		const disposables: vscode.Disposable[] = [];
		const finish = (): void => {
			clearTimeout(timer);
			disposables.forEach((disposable) => disposable.dispose());
			done();
		};
		const timer = setTimeout(finish, timeoutMs);
		for (const event of events) {
			disposables.push(event(finish));
		}
	});
}

/** Short JSON-like description of a value for failure messages (diagnostics summarised). */
export function describe(value: unknown): string {
	if (Array.isArray(value) && value.every((item) => item instanceof vscode.Diagnostic)) {
		return JSON.stringify(value.map(describeDiagnostic));
	}
	try {
		const text = JSON.stringify(value);
		if (text === undefined) {
			return String(value);
		}
		return text.length > 600 ? `${text.slice(0, 600)}...` : text;
	} catch {
		return String(value);
	}
}

/** One-line summary of a diagnostic: source, code, severity, range and message. */
export function describeDiagnostic(diagnostic: vscode.Diagnostic): string {
	const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
	const severity = vscode.DiagnosticSeverity[diagnostic.severity];
	return `${diagnostic.source ?? '?'}/${String(code)} ${severity} ${formatRange(diagnostic.range)} ${diagnostic.message}`;
}

/** Returns the diagnostic's code as a string, whether given plainly or as `{ value, target }`. */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
	const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
	return code === undefined ? undefined : String(code);
}

/** Waits until the document has diagnostics that `accept` takes and returns them all. */
export function waitForDiagnostics(
	uri: vscode.Uri,
	accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
	what: string,
	timeoutMs = defaultWaitMs,
): Promise<readonly vscode.Diagnostic[]> {
	return waitFor(what, () => vscode.languages.getDiagnostics(uri), accept, {
		timeoutMs,
		events: [vscode.languages.onDidChangeDiagnostics as vscode.Event<unknown>],
	});
}

/** Returns the extension's own diagnostics of a document. */
export function ownDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
	return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === diagnosticSource);
}

/** Plain text of the hovers at a position (Markdown and marked strings joined by newlines). */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
	const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
	return (hovers ?? [])
		.flatMap((hover) => hover.contents)
		.map((content) => (typeof content === 'string' ? content : content.value))
		.join('\n');
}

/**
 * Asserts `|value - expected| <= tolerance * max(1, |expected|)` with a message naming the input,
 * the value, the expected value and the tolerance.
 */
export function assertClose(input: string, value: number, expected: number, tolerance: number): void {
	const allowed = tolerance * Math.max(1, Math.abs(expected));
	assert.ok(
		Number.isFinite(value) && Math.abs(value - expected) <= allowed,
		`${input}: got ${value}, expected ${expected} within relative tolerance ${tolerance} (allowed difference ${allowed})`,
	);
}

/**
 * Asserts that a number printed with 3 significant digits is the rounding of `expected`:
 * relative difference at most 5e-3 (half a unit in the third digit) plus rounding slack.
 */
export function assertDisplayed(input: string, shown: number, expected: number): void {
	const allowed = 5.1e-3 * Math.abs(expected);
	assert.ok(
		Math.abs(shown - expected) <= allowed,
		`${input}: shown ${shown}, expected ${expected} rounded to 3 significant digits (allowed difference ${allowed})`,
	);
}

/** Parses a number as the editor prints it: `123`, `0.0123`, `1.23e5`, `4e-7`. */
export function parseDisplayedNumber(text: string): number {
	const match = /-?\d+(?:\.\d+)?(?:e-?\d+)?/.exec(text.replace(/[−]/g, '-'));
	assert.ok(match, `no number in ${JSON.stringify(text)}`);
	return Number(match[0]);
}

/** Milliseconds since `start` (from `performance.now()`). */
export function elapsedMs(start: number): number {
	return performance.now() - start;
}
