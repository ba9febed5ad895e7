import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
	activateExtension,
	closeAllEditors,
	describe as describeValue,
	describeDiagnostic,
	diagnosticCode,
	diagnosticSource,
	formatRange,
	openDocument,
	valueRange,
	waitForDiagnostics,
} from './helpers';

function byCode(diagnostics: readonly vscode.Diagnostic[], code: string): vscode.Diagnostic[] {
	return diagnostics.filter((d) => d.source === diagnosticSource && diagnosticCode(d) === code);
}

describe('diagnostics', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('JSON schema reports a wrong type', async () => {
		const document = await openDocument('wrong-type.ntk.json');
		const expected = valueRange(document, 'alpha');
		// The built-in JSON language features validate *.ntk.json against the contributed schema.
		const diagnostics = await waitForDiagnostics(
			document.uri,
			(all) => all.some((d) => d.source !== diagnosticSource && d.range.isEqual(expected)),
			`a JSON schema diagnostic on ${formatRange(expected)} (the string "ten" for alpha)`,
		);
		const schemaDiagnostic = diagnostics.find((d) => d.source !== diagnosticSource && d.range.isEqual(expected))!;
		assert.match(schemaDiagnostic.message, /type|number/i, `schema diagnostic: ${describeDiagnostic(schemaDiagnostic)}`);
		assert.equal(schemaDiagnostic.severity, vscode.DiagnosticSeverity.Warning, describeDiagnostic(schemaDiagnostic));
	});

	it('wrong type gets a type error on the value', async () => {
		const document = await openDocument('wrong-type.ntk.json');
		const expected = valueRange(document, 'alpha');
		const diagnostics = await waitForDiagnostics(
			document.uri,
			(all) => byCode(all, 'type').length > 0,
			'an NTK Horizon diagnostic with code type',
		);
		const [typeError] = byCode(diagnostics, 'type');
		assert.ok(
			typeError.range.isEqual(expected),
			`type error range ${formatRange(typeError.range)}, expected ${formatRange(expected)} ("ten"): ${describeDiagnostic(typeError)}`,
		);
		assert.equal(typeError.severity, vscode.DiagnosticSeverity.Error, describeDiagnostic(typeError));
		assert.match(typeError.message, /alpha/, `message does not name alpha: ${typeError.message}`);
		assert.match(typeError.message, /ten/, `message does not show the value "ten": ${typeError.message}`);
	});

	it('negative alpha gets a range error on -5', async () => {
		const document = await openDocument('negative-alpha.ntk.json');
		const expected = valueRange(document, 'alpha');
		assert.equal(document.getText(expected), '-5');
		const diagnostics = await waitForDiagnostics(
			document.uri,
			(all) => byCode(all, 'range').length > 0,
			'an NTK Horizon diagnostic with code range',
		);
		const rangeErrors = byCode(diagnostics, 'range');
		assert.equal(rangeErrors.length, 1, `expected one range error, got ${describeValue(rangeErrors)}`);
		assert.ok(
			rangeErrors[0].range.isEqual(expected),
			`range error at ${formatRange(rangeErrors[0].range)}, expected ${formatRange(expected)} (-5)`,
		);
		assert.equal(rangeErrors[0].severity, vscode.DiagnosticSeverity.Error);
		assert.match(rangeErrors[0].message, /-5/, `message does not show the value -5: ${rangeErrors[0].message}`);
	});

	it('T beyond the guarantee warns on T', async () => {
		const document = await openDocument('horizon-exceeded.ntk.json');
		const expected = valueRange(document, 'T');
		const diagnostics = await waitForDiagnostics(
			document.uri,
			(all) => byCode(all, 'horizonExceeded').length > 0,
			'a horizonExceeded warning',
		);
		const [warning] = byCode(diagnostics, 'horizonExceeded');
		assert.ok(
			warning.range.isEqual(expected),
			`horizonExceeded at ${formatRange(warning.range)}, expected ${formatRange(expected)} (the value of T)`,
		);
		assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning, describeDiagnostic(warning));
		const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
		assert.deepEqual(errors.map(describeDiagnostic), [], 'a valid spec must have no errors');
	});

	it('valid spec within its horizon is clean', async () => {
		const document = await openDocument('quadratic.ntk.json');
		// Wait for the extension to have analysed the document (the hover needs the analysis too).
		await vscode.commands.executeCommand('ntkHorizon.showHorizon', document.uri, 0);
		const diagnostics = vscode.languages.getDiagnostics(document.uri);
		assert.deepEqual(diagnostics.map(describeDiagnostic), [], 'quadratic.ntk.json must have no diagnostics');
	});
});
