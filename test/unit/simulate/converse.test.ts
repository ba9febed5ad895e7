// Checks the simulation of the converse model of Theorem 1.3 of "The NTK approximation is valid
// for longer than you think" (h(w) = a w + b w^2 / 2, a = 1/sqrt(T), w0 = 0) against its
// closed-form (Bernoulli) solution and against Theorems 1.2 and 1.3, for alpha from 1 to 1e6.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadSpec, simulateSpec } from '../../../src/api';
import type { SolverMethod } from '../../../src/api';

/**
 * Closed form of the quadratic model's flow: `dr/dt = -beta r + k r^2` with
 * `beta = a^2 + 2 b y / alpha`, `k = 2 b / alpha`, so `r(t) = r0 exp(-beta t) / D` with
 * `D = 1 - k r0 (1 - exp(-beta t)) / beta`; the linearization is `rbar = r0 exp(-a^2 t)`.
 */
function closedFormError(a: number, b: number, y: number, alpha: number, t: number): number {
	const beta = a * a + (2 * b * y) / alpha;
	const k = (2 * b) / alpha;
	const decay = -Math.expm1(-beta * t) / beta;
	const r = (y * Math.exp(-beta * t)) / (1 - k * y * decay);
	const rbar = y * Math.exp(-a * a * t);
	return Math.abs(r - rbar);
}

function converseSpec(alpha: number, trainingTime: number) {
	return loadSpec({
		name: 'converse',
		model: { type: 'quadratic', a: 1 / Math.sqrt(trainingTime), b: 1, w0: 0 },
		data: { y: [1] },
		training: { alpha, T: trainingTime },
		analysis: { epsilon: 0.05, relative: true, times: [trainingTime / 2, trainingTime] },
	}).spec;
}

describe('converse model', () => {
	for (const method of ['exponential', 'dopri5'] as SolverMethod[]) {
		for (const trainingTime of [10, 100, 1000]) {
			it(`${method} T=${trainingTime}: E(T) between Theorems 1.3 and 1.2`, () => {
				for (const alpha of [1, 10, 100, 1e3, 1e4, 1e5, 1e6]) {
					const result = simulateSpec(converseSpec(alpha, trainingTime), { method });
					const last = result.times.length - 1;
					const error = result.err[last];
					const lower = result.bounds.converseLower?.[last];
					const upper = result.bounds.theorem12[last];
					assert.ok(typeof lower === 'number', `alpha ${alpha}: converse lower bound missing`);
					assert.ok(typeof upper === 'number', `alpha ${alpha}: Theorem 1.2 bound missing`);
					assert.ok(error >= lower, `alpha ${alpha}, T ${trainingTime}: E(T) = ${error} < lower bound ${lower}`);
					assert.ok(error <= upper, `alpha ${alpha}, T ${trainingTime}: E(T) = ${error} > upper bound ${upper}`);
					const expected = closedFormError(1 / Math.sqrt(trainingTime), 1, 1, alpha, trainingTime);
					const deviation = Math.abs(error - expected) / expected;
					assert.ok(
						deviation <= 1e-5,
						`alpha ${alpha}, T ${trainingTime}: E(T) = ${error}, closed form ${expected}, deviation ${deviation} > 1e-5`,
					);
				}
			});
		}
	}

	it('alpha = 1e6 matches the closed form to 1e-6 over time', () => {
		const spec = converseSpec(1e6, 100);
		const result = simulateSpec(spec, { rtol: 1e-10 });
		for (let i = 0; i < result.times.length; i++) {
			const expected = closedFormError(0.1, 1, 1, 1e6, result.times[i]);
			const deviation = Math.abs(result.err[i] - expected) / expected;
			assert.ok(deviation <= 1e-6, `t ${result.times[i]}: E = ${result.err[i]}, closed form ${expected}, deviation ${deviation} > 1e-6`);
		}
	});
});
