// The deviation system's matrix-free products against its stored-Jacobian products.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadSpec, simulateSpec } from '../../../src/api';
import type { SimulateOptions } from '../../../src/api';
import { multiplyTransposed } from '../../../src/linalg';
import { LinearFlow } from '../../../src/simulate/linearFlow';
import { initialResidual, prepareProblem } from '../../../src/simulate/problem';

interface Network {
	readonly label: string;
	readonly widths: number[];
	readonly centering?: 'none' | 'initial' | 'antisymmetric';
	readonly bias?: boolean;
	readonly activation?: 'tanh' | 'gelu' | 'softplus';
}

const X = [
	[1, 0.5, -0.2],
	[-0.3, 2, 0.4],
	[0.7, -1, 1.1],
	[0.2, 0.3, -1.5],
	[-1.2, 0.1, 0.6],
];
const Y = [1, -0.5, 0.25, 0.8, -0.1];

function spec(network: Network, alpha: number): ReturnType<typeof loadSpec>['spec'] {
	return loadSpec({
		name: network.label,
		model: {
			type: 'mlp',
			widths: network.widths,
			activation: network.activation ?? 'tanh',
			bias: network.bias ?? false,
			centering: network.centering ?? 'initial',
			init: { seed: 4 },
		},
		data: { x: X, y: Y },
		training: { alpha, T: 50 },
		analysis: { epsilon: 0.05, relative: true, times: [0.5, 2, 8, 20, 50] },
	}).spec;
}

/** Largest |a - b| / |b| over the report times. */
function worstRelative(a: readonly number[], b: readonly number[]): number {
	assert.equal(a.length, b.length, 'both runs report at the same times');
	return Math.max(...a.map((value, index) => Math.abs(value - b[index]) / Math.abs(b[index])));
}

const NETWORKS: Network[] = [
	{ label: 'two-layer tanh', widths: [3, 16, 1] },
	{ label: 'three-layer gelu with biases', widths: [3, 8, 6, 1], activation: 'gelu', bias: true },
	{ label: 'antisymmetric softplus', widths: [3, 10, 1], centering: 'antisymmetric', activation: 'softplus' },
];

describe('matrix-free deviation products', () => {
	for (const network of NETWORKS) {
		for (const alpha of [1, 100, 1e4]) {
			it(`${network.label}, alpha ${alpha}: E(t) agrees with the stored-Jacobian run`, () => {
				const resolved = spec(network, alpha);
				// The tightest rtol at which this alpha still takes the matrix-free path.
				const rtol = Math.max(1e-10, alpha * 1e-12);
				const options: SimulateOptions = { rtol };
				const free = simulateSpec(resolved, options);
				const stored = simulateSpec(resolved, { ...options, matrixFree: false });
				// rbar's closed form uses the computed K0, and the products use J0 or the tangent
				// passes. They agree to rounding, which leaves E an absolute error of about
				// 2^-53 ||r0|| on either path. With antisymmetric centering at alpha 1e4, E is
				// 1.6e-11 ||r0||.
				const floor = (10 * 2 ** -53 * Math.max(...free.normR)) / Math.min(...free.err);
				const tolerance = 1000 * rtol + floor;
				assert.equal(free.solver.matrixFree, true, 'the default run takes the matrix-free path');
				assert.equal(stored.solver.matrixFree, false, 'matrixFree: false takes the stored path');
				const difference = worstRelative(free.err, stored.err);
				assert.ok(
					difference <= tolerance,
					`${network.label}, alpha ${alpha}: E differs by ${difference} relative (tolerance ${tolerance}); ` +
						`matrix-free ${free.err.join(', ')}, stored ${stored.err.join(', ')}`,
				);
				const residual = worstRelative(free.normR, stored.normR);
				assert.ok(
					residual <= tolerance,
					`${network.label}, alpha ${alpha}: ||r|| differs by ${residual} (tolerance ${tolerance})`,
				);
			});
		}
	}

	it('keeps E accurate where alpha is too large for the matrix-free rounding', () => {
		// alpha 1e6 at rtol 1e-8 takes the stored path (alpha * 1e-12 > rtol). E is then about 1e-6
		// of ||r0||; a run at rtol 1e-10 is the reference.
		const resolved = spec(NETWORKS[0], 1e6);
		const loose = simulateSpec(resolved, { rtol: 1e-8 });
		assert.equal(loose.solver.matrixFree, false, 'alpha 1e6 at rtol 1e-8 takes the stored path');
		const tight = simulateSpec(resolved, { rtol: 1e-10, matrixFree: false });
		const difference = worstRelative(loose.err, tight.err);
		assert.ok(difference <= 1e-6, `alpha 1e6: E differs from the tight run by ${difference} (tolerance 1e-6)`);
	});

	it('takes the linear flow weights from products at w0', () => {
		for (const network of NETWORKS) {
			const problem = prepareProblem(spec(network, 10));
			const n = problem.outputCount;
			const p = problem.parameterCount;
			const flow = new LinearFlow(problem, initialResidual(problem, 10));
			for (const t of [0.01, 1, 30]) {
				const displacement = new Float64Array(p);
				const rate = new Float64Array(p);
				flow.displacementWithRate(t, displacement, rate, new Float64Array(n));
				// The stored J0: ubar(t) = J0^T (...) and d ubar / dt = J0^T rbar(t).
				const expectedDisplacement = flow.displacement(t, new Float64Array(p));
				const expectedRate = multiplyTransposed(problem.initialJacobian, n, p, flow.residual(t, new Float64Array(n)), new Float64Array(p));
				assert.ok(worstAbsolute(displacement, expectedDisplacement) <= 1e-13, `${network.label}, t ${t}: ubar`);
				assert.ok(worstAbsolute(rate, expectedRate) <= 1e-13, `${network.label}, t ${t}: d ubar / dt`);
			}
		}
	});
});

/** Largest |a_k - b_k| over max(1, max |b_k|). */
function worstAbsolute(a: Float64Array, b: Float64Array): number {
	let worst = 0;
	let scale = 1;
	for (let k = 0; k < b.length; k++) {
		worst = Math.max(worst, Math.abs(a[k] - b[k]));
		scale = Math.max(scale, Math.abs(b[k]));
	}
	return worst / scale;
}
