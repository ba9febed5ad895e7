import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HorizonAnalysis, SimulationResult, SweepResult } from '../../../src/results';
import { analyzeWithCore, finiteTime, simulateWithCore } from './core';
import { activateExtension, assertClose, closeAllEditors, openDocument } from './helpers';

/**
 * Returns E(t) = |r(t) - rbar(t)| of the scalar quadratic h(w) = a w + b w^2 / 2 with w0 = 0.
 * The residual solves dr/dt = -beta r + k r^2 with beta = a^2 + 2 b y / alpha and k = 2 b / alpha,
 * a Bernoulli equation: r(t) = r0 e^(-beta t) / D(t) with D(t) = 1 - k r0 (1 - e^(-beta t)) / beta.
 * The linearization gives rbar(t) = e^(-a^2 t) r0. The quadratic reference cases in
 * test/fixtures/cases use the same closed form.
 */
function quadraticError(a: number, b: number, y: number, alpha: number, t: number): number {
	const r0 = y;
	const beta = a * a + (2 * b * y) / alpha;
	const k = (2 * b) / alpha;
	const d = 1 - (k * r0 * -Math.expm1(-beta * t)) / beta;
	const r = (r0 * Math.exp(-beta * t)) / d;
	const rbar = Math.exp(-a * a * t) * r0;
	return Math.abs(r - rbar);
}

describe('commands', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('simulate matches the core and the closed form', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const result = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		assert.ok(result, 'ntkHorizon.simulate returned undefined');
		assert.equal(result.complete, true, `simulation stopped early: ${result.stopReason}`);
		const expected = simulateWithCore(document);
		assert.deepEqual(result.times, expected.times, 'report times differ from the core');
		assert.equal(result.err.length, expected.err.length, 'E(t) length');
		for (let i = 0; i < result.times.length; i++) {
			assertClose(`E(t = ${result.times[i]}) vs core`, result.err[i], expected.err[i], 1e-9);
			const exact = quadraticError(0.1, 1, 1, 10000, result.times[i]);
			// The core targets rtol 1e-8 on E, so allow 1e-6 of the value plus 1e-13 absolute.
			assert.ok(
				Math.abs(result.err[i] - exact) <= 1e-6 * exact + 1e-13,
				`E(t = ${result.times[i]}): got ${result.err[i]}, closed form ${exact}, tolerance 1e-6 relative + 1e-13`,
			);
		}
		assert.deepEqual(result.horizons.empirical, expected.horizons.empirical, 'empirical horizon');
		assertClose('R0', result.R0, 0.5, 1e-12);
	});

	it('simulate stores the result for the test API', async () => {
		const api = await activateExtension();
		const document = await openDocument('quadratic.ntk.json');
		const result = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		const stored = api.lastResult(document.uri.toString(), 0) as SimulationResult | undefined;
		assert.ok(stored, `lastResult(${document.uri.toString()}, 0) is undefined after a simulation`);
		assert.deepEqual(stored.err, result!.err, 'lastResult holds a different E(t)');
	});

	it('showHorizon returns the core analysis', async () => {
		const document = await openDocument('mlp-tanh.ntk.json');
		const analysis = await vscode.commands.executeCommand<HorizonAnalysis>('ntkHorizon.showHorizon', document.uri, 0);
		assert.ok(analysis, 'ntkHorizon.showHorizon returned undefined');
		const expected = analyzeWithCore(document);
		assertClose('R0', analysis.initialLoss, expected.initialLoss, 1e-12);
		assertClose('lambda max of K0', analysis.lambdaMaxK0, expected.lambdaMaxK0, 1e-9);
		assertClose('lambda min of K0', analysis.lambdaMinK0, expected.lambdaMinK0, 1e-6);
		assert.deepEqual(analysis.horizons, expected.horizons, 'horizons differ from the core');
		assert.equal(analysis.minimumAlpha, expected.minimumAlpha, 'minimum alpha');
	});

	it('sweepAlpha scales the estimate linearly in alpha', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const range = { from: 1000, to: 100000, count: 3 };
		const sweep = await vscode.commands.executeCommand<SweepResult>('ntkHorizon.sweepAlpha', document.uri, 0, range);
		assert.ok(sweep, 'ntkHorizon.sweepAlpha returned undefined');
		const alphas = sweep.points.map((point) => point.alpha);
		assert.equal(alphas.length, 3, `alphas ${JSON.stringify(alphas)}`);
		[1000, 10000, 100000].forEach((alpha, i) => assertClose(`sweep alpha ${i}`, alphas[i], alpha, 1e-9));
		// Estimate alpha epsilon / (Lip(Dh) sqrt(R0)) is linear in alpha: log-log slope 1.
		assert.ok(sweep.estimateSlope !== null, 'estimate slope is null');
		assertClose('estimate slope', sweep.estimateSlope, 1, 1e-6);
		const base = analyzeWithCore(document);
		const estimateAt10000 = finiteTime('estimate at alpha 10000', sweep.points[1].estimate);
		assertClose('estimate at alpha 10000 vs core', estimateAt10000, finiteTime('core estimate', base.horizons.estimate), 1e-9);
	});

	it('exportResults writes JSON and CSV', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const result = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		const folder = mkdtempSync(join(tmpdir(), 'ntk-export-'));
		const jsonTarget = vscode.Uri.file(join(folder, 'result.json'));
		await vscode.commands.executeCommand('ntkHorizon.exportResults', document.uri, 0, 'json', jsonTarget);
		const exported = JSON.parse(readFileSync(jsonTarget.fsPath, 'utf8')) as { times?: number[] };
		assert.deepEqual(exported.times, result!.times, 'exported JSON times');
		const csvTarget = vscode.Uri.file(join(folder, 'result.csv'));
		await vscode.commands.executeCommand('ntkHorizon.exportResults', document.uri, 0, 'csv', csvTarget);
		const rows = readFileSync(csvTarget.fsPath, 'utf8').trim().split(/\r?\n/);
		assert.equal(rows.length, result!.times.length + 1, `CSV rows (header + one per time): ${rows.length}`);
		assert.match(rows[0], /\bt(ime)?s?\b/i, `CSV header has no time column: ${rows[0]}`);
	});
});
