// The exponential method's kernel refresh test: the Lipschitz bound on ||J_t - J_ref|| spares
// forming J_t - J0 without changing which steps refresh the reference kernel.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { buildProblem, PROBLEM_SIZES } from '../../../bench/problems';
import { loadSpec, simulateSpec } from '../../../src/api';
import type { ResolvedSpec } from '../../../src/spec/types';
import { DeviationSystem } from '../../../src/simulate/deviation';
import { prepareProblem } from '../../../src/simulate/problem';

function benchSpec(name: string): ResolvedSpec {
	const size = PROBLEM_SIZES.find((candidate) => candidate.name === name);
	assert.ok(size !== undefined, `no benchmark problem ${name}`);
	return loadSpec(buildProblem(size) as never).spec;
}

/** Counts the exact distance measurements (each forms J_t - J0 on the matrix-free path). */
function countMeasurements(): { readonly count: () => number; readonly restore: () => void } {
	const original = DeviationSystem.prototype.referenceDistance;
	let calls = 0;
	DeviationSystem.prototype.referenceDistance = function (this: DeviationSystem, reference) {
		calls++;
		return original.call(this, reference);
	};
	return { count: () => calls, restore: () => (DeviationSystem.prototype.referenceDistance = original) };
}

describe('kernel refresh test', () => {
	let restore: (() => void) | undefined;
	afterEach(() => restore?.());

	// alpha 1 is far from lazy: the kernel moves and the reference is refreshed several times.
	for (const alpha of [1, 100]) {
		it(`same refreshes with and without bound, alpha ${alpha}`, () => {
			const spec = benchSpec('small');
			const counter = countMeasurements();
			restore = counter.restore;
			const bounded = simulateSpec(spec, { rtol: 1e-8, alpha });
			const boundedMeasurements = counter.count();
			// A model without a finite Lip(Dh) makes the bound useless: every step measures. The
			// problem is otherwise the same, so both runs start from the same K0.
			const problem = prepareProblem(spec);
			const model = problem.model;
			const lipschitz = model.lipschitz.bind(model);
			model.lipschitz = (radius) => ({ ...lipschitz(radius), jacobianLipschitzBound: Infinity });
			const exact = simulateSpec(spec, { rtol: 1e-8, alpha, problem });
			const exactMeasurements = counter.count() - boundedMeasurements;

			assert.equal(bounded.solver.steps, exact.solver.steps, 'steps');
			assert.equal(bounded.solver.kernelRefreshes, exact.solver.kernelRefreshes, 'refreshes');
			if (alpha === 1) {
				assert.ok(bounded.solver.kernelRefreshes >= 2, `only ${bounded.solver.kernelRefreshes} refreshes`);
			}
			for (let i = 0; i < bounded.err.length; i++) {
				const error = Math.abs(bounded.err[i] / exact.err[i] - 1);
				assert.ok(error <= 1e-11, `t ${bounded.times[i]}: E ${bounded.err[i]}, expected ${exact.err[i]}`);
			}
			// Without the bound every step measures, except those that refresh because the weights
			// moved far from the reference.
			assert.ok(
				exactMeasurements + exact.solver.kernelRefreshes >= exact.solver.steps,
				`${exactMeasurements} measurements without the bound, ${exact.solver.steps} steps`,
			);
			// Far from lazy the weights move quickly and the bound spares fewer measurements.
			const spared = alpha === 1 ? 0.25 : 0.75;
			assert.ok(
				boundedMeasurements <= (1 - spared) * exactMeasurements,
				`${boundedMeasurements} measurements with the bound against ${exactMeasurements} without`,
			);
		});
	}
});
