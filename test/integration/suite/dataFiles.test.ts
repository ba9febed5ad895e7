import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openDocument, waitFor, workspaceRoot } from './helpers';

/** Writes a CSV whose targets are all `target`, four rows, one feature. */
function writeCsv(path: string, targets: readonly number[]): void {
	const rows = targets.map((target, i) => `${i + 1},${target}`);
	writeFileSync(path, ['x1,y', ...rows].join('\n') + '\n');
}

describe('data files', () => {
	afterEach(closeAllEditors);

	it('changed CSV on disk is read again', async () => {
		const api = await activateExtension();
		const root = workspaceRoot();
		mkdirSync(join(root, 'data-watch'), { recursive: true });
		const csv = join(root, 'data-watch', 'targets.csv');
		writeCsv(csv, [1, 1, 1, 1]);
		const specName = join('data-watch', 'watched.ntk.json');
		writeFileSync(
			join(root, specName),
			JSON.stringify({
				model: { type: 'mlp', widths: [1, 8, 1], activation: 'tanh' },
				data: { file: 'targets.csv', target: 'y', features: ['x1'], standardize: false },
				training: { alpha: 10, T: 1 },
			}),
		);
		const document = await openDocument(specName);
		const uri = document.uri.toString();
		// Centering is `initial`, so r0 = y and R0 = ||y||^2 / 2.
		const before = await waitFor('the analysis of the first CSV', () => api.analysis(uri, 0), (a) => a !== undefined);
		assert.equal(before?.initialLoss, 2, `R0 before the change: ${before?.initialLoss}, expected 2`);

		writeCsv(csv, [5, -5, 5, -5]);
		const after = await waitFor(
			'R0 of the rewritten CSV',
			() => api.analysis(uri, 0),
			(a) => a?.initialLoss === 50,
			{ timeoutMs: 20_000 },
		);
		assert.equal(after?.initialLoss, 50, `R0 after the change: ${after?.initialLoss}, expected 50`);
		const simulated = await vscode.commands.executeCommand<{ spec: { data: { y: number[] } } }>('ntkHorizon.simulate', document.uri, 0);
		assert.deepEqual(simulated?.spec.data.y, [5, -5, 5, -5], 'simulate used the old data');
	});
});
