// Hard inputs for the simulation: stiff kernels, singular kernels, R0 = 0, a model linear in its
// parameters, and agreement of the two integrators.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SimulationError, loadSpec, simulateSpec } from '../../../src/api';
import { decomposeKernel } from '../../../src/simulate/kernelEigen';

function linearSpec(x: number[][], y: number[], alpha: number, trainingTime: number) {
	return loadSpec({
		name: 'linear',
		model: { type: 'linear', w0: x[0].map(() => 0) },
		data: { x, y },
		training: { alpha, T: trainingTime },
		analysis: { epsilon: 0.05, relative: true },
	}).spec;
}

describe('hard cases', () => {
	it('linear model has E = 0 and matches rbar', () => {
		const spec = linearSpec([[1, 0], [0, 2], [1, 1]], [1, -1, 0.5], 3, 50);
		const result = simulateSpec(spec);
		for (let i = 0; i < result.times.length; i++) {
			assert.equal(result.err[i], 0, `E(${result.times[i]}) = ${result.err[i]}, expected 0`);
			assert.ok(Math.abs(result.normR[i] - result.normRbar[i]) <= 1e-15, `||r|| != ||rbar|| at ${result.times[i]}`);
		}
		assert.equal(result.horizons.guaranteed.kind, 'unbounded');
	});

	it('duplicate inputs give a singular K0 and finite results', () => {
		const spec = linearSpec([[1, 2], [1, 2], [0, 1]], [1, 0, 1], 1, 1000);
		const result = simulateSpec(spec);
		assert.ok(result.lambdaMinK0 >= 0, `lambda_min = ${result.lambdaMinK0} is negative`);
		assert.ok(result.lambdaMinK0 <= 1e-12, `lambda_min = ${result.lambdaMinK0}, expected 0 within 1e-12`);
		const last = result.times.length - 1;
		assert.ok(Number.isFinite(result.normDw[last]), `||w - w0|| = ${result.normDw[last]}`);
		assert.ok(Math.abs(result.normDw[last] - result.normDwbar[last]) <= 1e-12 * result.normDwbar[last], 'w and wbar differ');
	});

	it('stiff kernel (condition 1e6) takes few exponential steps', () => {
		const spec = linearSpec([[1000, 0], [0, 1]], [1, 1], 1, 10);
		const result = simulateSpec(spec, { method: 'exponential' });
		assert.ok(result.solver.steps <= 200, `steps ${result.solver.steps} > 200 for lambda_max T = 1e7`);
	});

	it('R0 = 0 gives E = 0 and not-applicable horizons', () => {
		const spec = loadSpec({
			name: 'zero',
			model: { type: 'quadratic', a: 1, b: 1, w0: 0 },
			data: { y: [0] },
			training: { alpha: 1, T: 10 },
			analysis: { epsilon: 0.05, relative: true },
		}).spec;
		const result = simulateSpec(spec);
		assert.ok(result.err.every((value) => value === 0), `E = ${result.err}`);
		assert.equal(result.horizons.guaranteed.kind, 'notApplicable');
		assert.ok(result.analysis.notes.some((note) => note.startsWith('R0 = 0')), 'no R0 = 0 note');
	});

	it('exponential and dopri5 agree on a non-lazy quadratic', () => {
		const spec = loadSpec({
			name: 'quadratic',
			model: { type: 'quadratic', a: 0.3, b: -2, w0: 0.1 },
			data: { y: [2] },
			training: { alpha: 1, T: 40 },
			analysis: { epsilon: 0.05, relative: true },
		}).spec;
		const first = simulateSpec(spec, { method: 'exponential', rtol: 1e-10 });
		const second = simulateSpec(spec, { method: 'dopri5', rtol: 1e-10 });
		const peak = Math.max(...second.err);
		for (let i = 0; i < first.times.length; i++) {
			const deviation = Math.abs(first.err[i] - second.err[i]) / Math.max(second.err[i], 1e-3 * peak);
			assert.ok(deviation <= 1e-6, `t ${first.times[i]}: ${first.err[i]} vs ${second.err[i]}, deviation ${deviation}`);
		}
	});

	for (const method of ['exponential', 'dopri5'] as const) {
		it(`kernel overflow fails as nonFinite (${method})`, () => {
			// alpha = 1e-300 makes dw/dt = J^T r / alpha overflow within the first steps.
			const spec = loadSpec({
				model: { type: 'quadratic', a: 1, b: 1, w0: 0 },
				data: { y: [1e-8] },
				training: { alpha: 1e-300, T: 1e20 },
				solver: { method },
			}).spec;
			assert.throws(
				() => simulateSpec(spec),
				(error: unknown) => {
					assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
					assert.equal(error.kind, 'nonFinite', error.message);
					assert.equal(typeof error.time, 'number', `time ${error.time}`);
					assert.ok((error.time ?? 0) > 0, `time ${error.time}`);
					assert.match(error.message, new RegExp(`t = ${error.time}`));
					return true;
				},
			);
		});
	}

	it('infinite kernel entry fails as nonFinite', () => {
		const matrix = Float64Array.from([1, Infinity, Infinity, 1]);
		assert.throws(
			() => decomposeKernel(matrix, 2, { matrixName: 'the tangent kernel K_t', time: 3.5 }),
			(error: unknown) => {
				assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
				assert.equal(error.kind, 'nonFinite');
				assert.equal(error.time, 3.5);
				assert.match(error.message, /K_t .* at t = 3\.5/);
				return true;
			},
		);
	});
});
