/**
 * The core's results for a fixture spec, computed inside the test and not through the extension,
 * so the suite can compare what the editor shows with what the core computes.
 */

import * as assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { analyzeSpec, loadSpec, simulateSpec } from '../../../src/api';
import type { Horizon, HorizonAnalysis, SimulationResult } from '../../../src/results';
import { createNodeFileReader } from '../../../src/spec/nodeFiles';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';
import type { ResolvedSpec } from '../../../src/spec/types';

/** Resolves spec number `specIndex` of a JSON or TypeScript document with the core. */
export function resolveWithCore(document: vscode.TextDocument, specIndex = 0): ResolvedSpec {
	const fileName = document.uri.fsPath;
	const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
	const options = {
		readFile: createNodeFileReader(root),
		workspaceRoot: root,
		baseDirectory: dirname(fileName),
		defaultName: basename(fileName).replace(/\.ntk\.json$|\.json$|\.ts$/, ''),
	};
	if (document.languageId === 'json' || fileName.endsWith('.json')) {
		assert.equal(specIndex, 0, 'a JSON document holds one spec');
		return loadSpec(document.getText(), options).spec;
	}
	const entries = findTypeScriptSpecs(document.getText(), fileName);
	const entry = entries[specIndex];
	assert.ok(entry, `${fileName} has ${entries.length} specs, no spec ${specIndex}`);
	return loadSpec(entry.value, { ...options, defaultName: entry.name }).spec;
}

/** Analyzes a document's spec with the core. */
export function analyzeWithCore(document: vscode.TextDocument, specIndex = 0): HorizonAnalysis {
	return analyzeSpec(resolveWithCore(document, specIndex));
}

/** Simulates a document's spec with the core and the spec's own solver settings. */
export function simulateWithCore(document: vscode.TextDocument, specIndex = 0): SimulationResult {
	return simulateSpec(resolveWithCore(document, specIndex));
}

/** Returns the time of a finite horizon, and fails naming the horizon otherwise. */
export function finiteTime(what: string, horizon: Horizon): number {
	assert.equal(horizon.kind, 'finite', `${what} is ${JSON.stringify(horizon)}, expected a finite horizon`);
	return (horizon as { time: number }).time;
}
