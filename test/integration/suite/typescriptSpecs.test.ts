import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulationResult } from '../../../src/results';
import { simulateWithCore } from './core';
import {
	activateExtension,
	assertClose,
	closeAllEditors,
	describeDiagnostic,
	diagnosticCode,
	formatRange,
	openDocument,
	ownDiagnostics,
	rangeOf,
	waitForDiagnostics,
} from './helpers';

describe('TypeScript specs', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('malformed spec gets an error on the expression', async () => {
		const document = await openDocument('specs.ts');
		const expected = rangeOf(document, 'Math.random()');
		await waitForDiagnostics(
			document.uri,
			() => ownDiagnostics(document.uri).some((d) => diagnosticCode(d) === 'notStatic'),
			'a notStatic diagnostic on Math.random()',
		);
		const diagnostics = ownDiagnostics(document.uri);
		const notStatic = diagnostics.filter((d) => diagnosticCode(d) === 'notStatic');
		assert.equal(notStatic.length, 1, `notStatic diagnostics: ${notStatic.map(describeDiagnostic).join('; ')}`);
		assert.ok(
			notStatic[0].range.isEqual(expected),
			`notStatic at ${formatRange(notStatic[0].range)}, expected ${formatRange(expected)} (Math.random())`,
		);
		assert.equal(notStatic[0].severity, vscode.DiagnosticSeverity.Error);
		const brokenSpecEnd = document.positionAt(document.getText().indexOf('export const networkSpec'));
		const elsewhere = diagnostics.filter(
			(d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.isAfter(brokenSpecEnd),
		);
		assert.deepEqual(elsewhere.map(describeDiagnostic), [], 'errors on the spec after the malformed one');
	});

	it('specs around the malformed one simulate', async () => {
		const document = await openDocument('specs.ts');
		for (const specIndex of [0, 2]) {
			const result = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, specIndex);
			assert.ok(result, `simulate of specs.ts spec ${specIndex} returned undefined`);
			assert.equal(result.complete, true, `spec ${specIndex} stopped early: ${result.stopReason}`);
			const expected = simulateWithCore(document, specIndex);
			assert.equal(result.spec.name, expected.spec.name, `name of spec ${specIndex}`);
			const last = result.err.length - 1;
			assertClose(`specs.ts spec ${specIndex} E(T) vs core`, result.err[last], expected.err[last], 1e-9);
		}
	});

	it('simulating the malformed spec fails with its error', async () => {
		const document = await openDocument('specs.ts');
		let outcome: unknown;
		try {
			outcome = await vscode.commands.executeCommand('ntkHorizon.simulate', document.uri, 1);
		} catch (error) {
			outcome = error;
		}
		// Either undefined (the error is shown to the user) or a rejection naming the problem.
		if (outcome instanceof Error) {
			assert.match(outcome.message, /alpha|Math\.random|static/i, `error: ${outcome.message}`);
		} else {
			assert.equal(outcome, undefined, `simulate of the malformed spec returned ${JSON.stringify(outcome)?.slice(0, 200)}`);
		}
	});
});
