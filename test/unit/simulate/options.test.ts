// Simulation options and conversions: mean loss, cancellation, deadline, progress, T = 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SimulationError, loadSpec, simulateSpec } from '../../../src/api';
import { prepareProblem } from '../../../src/simulate/problem';
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

	it('past deadline fails before preparing', () => {
		assert.throws(
			() => simulateSpec(mlpSpec('sum', 20, [5, 10, 20]), { deadlineMs: Date.now() - 1 }),
			(error: unknown) => {
				assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
				assert.equal(error.kind, 'timeBudget');
				assert.match(error.message, /time budget/);
				return true;
			},
		);
	});

	it('past deadline with a prepared problem returns a partial result', () => {
		const spec = mlpSpec('sum', 20, [5, 10, 20]);
		const problem = prepareProblem(spec);
		const result = simulateSpec(spec, { problem, deadlineMs: Date.now() - 1 });
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

	it('search past the decay ends early', () => {
		// ||r|| + ||rbar|| bounds E from above for all later times, so a search to 1e12 stops once
		// that bound falls below the peak and the threshold.
		const spec = loadSpec({
			model: { type: 'quadratic', a: 0.5, b: 1, w0: 0 },
			data: { y: [1] },
			training: { alpha: 1000, T: 100 },
			analysis: { epsilon: 0.05, relative: true, times: [1, 10, 100] },
		}).spec;
		const short = simulateSpec(spec);
		const long = simulateSpec(spec, { endTime: 1e12 });
		const shortHorizon = short.horizons.empirical;
		const longHorizon = long.horizons.empirical;
		assert.equal(longHorizon.kind, 'notReached', JSON.stringify(longHorizon));
		assert.equal(shortHorizon.kind, 'notReached', JSON.stringify(shortHorizon));
		if (longHorizon.kind === 'notReached' && shortHorizon.kind === 'notReached') {
			assert.equal(longHorizon.searchedUntil, 1e12);
			assert.equal(longHorizon.peakError, shortHorizon.peakError, 'peak E differs');
		}
		assert.ok(long.solver.steps <= short.solver.steps + 5, `steps to 1e12: ${long.solver.steps}, to 100: ${short.solver.steps}`);
	});
});
