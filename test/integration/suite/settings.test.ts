import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HorizonAnalysis, SimulationResult } from '../../../src/results';
import { analyzeWithCore, finiteTime } from './core';
import {
	activateExtension,
	assertDisplayed,
	closeAllEditors,
	describeDiagnostic,
	elapsedMs,
	hoverText,
	openDocument,
	ownDiagnostics,
	parseDisplayedNumber,
	positionOf,
	waitFor,
	workspaceRoot,
} from './helpers';

/** Sets an `ntkHorizon.*` setting in the workspace for the duration of `body`, then removes it. */
async function withSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
	const configuration = vscode.workspace.getConfiguration('ntkHorizon');
	await configuration.update(key, value, vscode.ConfigurationTarget.Workspace);
	try {
		return await body();
	} finally {
		await vscode.workspace.getConfiguration('ntkHorizon').update(key, undefined, vscode.ConfigurationTarget.Workspace);
	}
}

/** Runs ntkHorizon.simulate and returns its result, or the error it rejected with. */
async function simulateOutcome(uri: vscode.Uri): Promise<SimulationResult | Error | undefined> {
	try {
		return await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', uri, 0);
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

describe('settings', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('hover.enabled false hides the hover', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const position = positionOf(document, '"alpha"').translate(0, 2);
		await waitFor('the NTK hover on alpha', () => hoverText(document.uri, position), (text) => /guaranteed/.test(text));
		await withSetting('hover.enabled', false, async () => {
			const text = await hoverText(document.uri, position);
			assert.doesNotMatch(text, /NTK Horizon/, `hover with ntkHorizon.hover.enabled = false:\n${text}`);
		});
		await waitFor('the NTK hover to return', () => hoverText(document.uri, position), (text) => /guaranteed/.test(text));
	});

	it('budget.timeSeconds stops a long run', async () => {
		const document = await openDocument('long-run.ntk.json');
		await withSetting('budget.timeSeconds', 2, async () => {
			const started = performance.now();
			const outcome = await simulateOutcome(document.uri);
			const seconds = elapsedMs(started) / 1000;
			// The run may also spend its first second or two preparing the problem in the worker.
			assert.ok(seconds < 8, `a 2 s budget let the run go on for ${seconds.toFixed(1)} s`);
			if (outcome instanceof Error) {
				assert.match(outcome.message, /budget|time/i, `error after the time budget: ${outcome.message}`);
			} else {
				assert.ok(outcome, 'simulate returned undefined after the time budget');
				assert.equal(outcome.complete, false, 'a run stopped by the budget must be marked incomplete');
				assert.match(outcome.stopReason ?? '', /budget/i, `stopReason: ${outcome.stopReason}`);
			}
		});
	});

	it('budget.memoryMB rejects a spec too large', async () => {
		const document = await openDocument('long-run.ntk.json');
		// The long run's Jacobian is 64 inputs x 2304 parameters x 8 bytes, about 1.2 MB.
		await withSetting('budget.memoryMB', 1, async () => {
			const outcome = await simulateOutcome(document.uri);
			if (outcome instanceof Error) {
				assert.match(outcome.message, /memory|MiB|MB/i, `error with a 1 MB budget: ${outcome.message}`);
			} else {
				assert.equal(outcome, undefined, `simulate with a 1 MB budget returned ${JSON.stringify(outcome)?.slice(0, 200)}`);
				// Undefined alone could have another cause: the spec must also carry the size error.
				const sizeErrors = await waitFor(
					'a diagnostic naming the memory budget',
					() => ownDiagnostics(document.uri).filter((d) => /memory|MiB|MB/i.test(d.message)),
					(found) => found.length > 0,
				);
				assert.equal(sizeErrors[0].severity, vscode.DiagnosticSeverity.Error, describeDiagnostic(sizeErrors[0]));
			}
		});
	});

	it('defaultEpsilon applies to specs without epsilon', async () => {
		const document = await openDocument('horizon-exceeded.ntk.json');
		const base = finiteTime('guaranteed horizon at epsilon 0.05', analyzeWithCore(document).horizons.guaranteed);
		await withSetting('defaultEpsilon', 0.1, async () => {
			const analysis = await waitFor(
				'an analysis with the new default epsilon',
				() => Promise.resolve(vscode.commands.executeCommand<HorizonAnalysis>('ntkHorizon.showHorizon', document.uri, 0)),
				(value) => value !== undefined && value.horizons.guaranteed.kind === 'finite' && value.horizons.guaranteed.time !== base,
			);
			const time = finiteTime('guaranteed horizon at epsilon 0.1', analysis.horizons.guaranteed);
			// The guarantee grows about linearly in epsilon: a larger epsilon gives a later horizon.
			assert.ok(time > base * 1.5, `guaranteed horizon ${time} at epsilon 0.1, ${base} at 0.05`);
		});
	});
});

describe('New Spec', () => {
	before(activateExtension);
	after(closeAllEditors);

	it('writes a valid, analysed spec', async () => {
		const target = vscode.Uri.file(join(workspaceRoot(), 'new-experiment.ntk.json'));
		const document = await vscode.commands.executeCommand<vscode.TextDocument>('ntkHorizon.newSpec', target);
		assert.ok(document, 'ntkHorizon.newSpec returned undefined');
		assert.equal(document.uri.fsPath, target.fsPath, 'the new spec opened at another path');
		const lenses = await waitFor(
			'the analysed horizon lens of the new spec',
			async () =>
				((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10)) ?? [])
					.map((lens) => lens.command?.title ?? '')
					.filter((title) => title.startsWith('NTK horizon ~')),
			(titles) => titles.length === 1,
		);
		const errors = ownDiagnostics(document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
		assert.deepEqual(errors.map(describeDiagnostic), [], 'errors in the new spec');
		const estimate = finiteTime('core estimate for the new spec', analyzeWithCore(document).horizons.estimate);
		assertDisplayed(`lens "${lenses[0]}"`, parseDisplayedNumber(lenses[0].replace(/^NTK horizon\D*/, '')), estimate);
	});
});
