// Simulation options and conversions: mean loss, cancellation, deadline, progress, T = 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadSpec, simulateSpec } from '../../../src/api';
import type { SimulationProgress } from '../../../src/api';

const X = [[1, 0.5], [-0.3, 2], [0.7, -1]];
const Y = [1, -0.5, 0.25];

function mlpSpec(loss: 'sum' | 'mean', trainingTime: number, times?: number[]) {
	return loadSpec({
		name: 'mlp',
		model: { type: 'mlp', widths: [2, 8, 1], activation: 'tanh', init: { seed: 3 } },
		data: { x: X, y: Y },
		training: { alpha: 2, T: trainingTime, loss },
		analysis: times === undefined ? { epsilon: 0.05, relative: true } : { epsilon: 0.05, relative: true, times },
	}).spec;
}

describe('simulation options', () => {
	it('mean loss equals sum loss at t / n', () => {
		const n = Y.length;
		const sum = simulateSpec(mlpSpec('sum', 20, [5, 10, 20]));
		const mean = simulateSpec(mlpSpec('mean', 20 * n, [5 * n, 10 * n, 20 * n]));
		assert.equal(mean.analysis.timeScale, 1 / n);
		for (let i = 0; i < sum.times.length; i++) {
			const deviation = Math.abs(mean.err[i] - sum.err[i]) / sum.err[i];
			assert.ok(deviation <= 1e-6, `t ${sum.times[i]}: mean ${mean.err[i]}, sum ${sum.err[i]}, deviation ${deviation}`);
		}
		assert.ok(mean.analysis.notes.some((note) => note.startsWith('Mean loss')), 'no mean-loss note');
	});

	it('cancellation returns a partial result', () => {
		let calls = 0;
		const result = simulateSpec(mlpSpec('sum', 20, [5, 10, 20]), { shouldStop: () => ++calls > 3 });
		assert.equal(result.complete, false);
		assert.match(result.stopReason ?? '', /cancelled/);
		assert.ok(result.times.length < 3, `times ${result.times}`);
	});

	it('past deadline returns a partial result', () => {
		const result = simulateSpec(mlpSpec('sum', 20, [5, 10, 20]), { deadlineMs: Date.now() - 1 });
		assert.equal(result.complete, false);
		assert.match(result.stopReason ?? '', /time budget/);
	});

	it('progress reports finite points', () => {
		const reports: SimulationProgress[] = [];
		const spec = mlpSpec('sum', 20, [5, 10, 20]);
		simulateSpec(spec, { method: 'dopri5', rtol: 1e-12, onProgress: (progress) => reports.push(progress) });
		for (const report of reports) {
			assert.ok(report.fraction >= 0, `fraction ${report.fraction} below 0`);
			assert.ok(report.fraction <= 1, `fraction ${report.fraction} above 1`);
			assert.ok(report.normR.every(Number.isFinite), 'non-finite ||r|| in progress');
		}
	});

	it('T = 0 gives empty series', () => {
		const result = simulateSpec(mlpSpec('sum', 0));
		assert.equal(result.complete, true);
		assert.equal(result.times.length, 0);
		assert.equal(result.solver.steps, 0);
		assert.equal(result.horizons.empirical.kind, 'notReached');
	});
});
