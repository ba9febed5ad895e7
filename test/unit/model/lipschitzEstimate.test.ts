import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel, estimateJacobianLipschitz } from '../../../src/model/index';
import { spectralNorm } from '../../../src/model/operatorNorm';
import type { DifferentiableModel } from '../../../src/model/types';
import type { Activation, Centering, MlpModelSpec } from '../../../src/spec/types';
import { assertClose, makeSpec, pseudoRandomVector, readCase } from './helpers';

const INPUTS = [
	[0.5, -1.2, 0.3],
	[1.1, 0.4, -0.7],
	[-0.2, 0.9, 1.5],
];

function mlp(widths: number[], activation: Activation, options: Partial<MlpModelSpec> = {}): MlpModelSpec {
	return { type: 'mlp', widths, activation, bias: false, parametrization: 'ntk', centering: 'none', init: { seed: 5 }, ...options };
}

/** ||D^2 h(w0)[v]||_2 for one unit direction v, by central differences with step 1e-5. */
function curvatureAlong(model: DifferentiableModel, direction: Float64Array): number {
	const n = model.outputCount;
	const p = model.parameterCount;
	const norm = Math.hypot(...direction);
	const plus = new Float64Array(n * p);
	const minus = new Float64Array(n * p);
	const step = 1e-5;
	model.jacobian(model.initialParameters.map((value, j) => value + (step * direction[j]) / norm), plus);
	model.jacobian(model.initialParameters.map((value, j) => value - (step * direction[j]) / norm), minus);
	return spectralNorm(plus.map((value, index) => (value - minus[index]) / (2 * step)), n, p);
}

test('estimate is exact for the quadratic', () => {
	const model = createModel(makeSpec({ type: 'quadratic', a: 0.3, b: -2.5, w0: 1 }, [[]]));
	assertClose(estimateJacobianLipschitz(model, 1), 2.5, 1e-9, 'quadratic estimate, |b| = 2.5');
});

test('estimate is zero for the linear model', () => {
	const model = createModel(makeSpec({ type: 'linear', w0: [] }, INPUTS));
	assert.equal(estimateJacobianLipschitz(model, 1), 0);
});

test('estimate is infinite for relu', () => {
	const model = createModel(makeSpec(mlp([3, 4, 1], 'relu'), INPUTS));
	assert.equal(estimateJacobianLipschitz(model, 1), Infinity);
});

test('estimate beats random directions', () => {
	for (const activation of ['tanh', 'gelu', 'softplus'] as Activation[]) {
		const model = createModel(makeSpec(mlp([3, 4, 3, 2], activation, { bias: true }), INPUTS, 2));
		const estimate = estimateJacobianLipschitz(model, 1, { iterations: 20 });
		for (let trial = 0; trial < 20; trial++) {
			const curvature = curvatureAlong(model, pseudoRandomVector(model.parameterCount, 70 + trial));
			assert.ok(
				curvature <= estimate * (1 + 1e-6),
				`${activation} direction ${trial}: ||D^2 h(w0)[v]|| ${curvature} above estimate ${estimate}`,
			);
		}
	}
});

test('estimate stays below certified bound', () => {
	const centerings: Centering[] = ['none', 'initial', 'antisymmetric'];
	let seed = 1;
	for (const widths of [[3, 6, 1], [3, 5, 2], [3, 4, 4, 1]]) {
		for (const activation of ['tanh', 'softplus', 'sigmoid', 'gelu', 'sin'] as Activation[]) {
			for (const centering of centerings) {
				const spec = mlp(widths, activation, { centering, bias: seed % 2 === 0, init: { seed } });
				const model = createModel(makeSpec(spec, INPUTS, widths[widths.length - 1]));
				const estimate = estimateJacobianLipschitz(model, 0.5, { iterations: 10, seed });
				const bound = model.lipschitz(0.5).jacobianLipschitzBound;
				const label = `[${widths}] ${activation} ${centering} seed ${seed}`;
				assert.ok(estimate > 0, `${label}: estimate ${estimate} should be positive`);
				assert.ok(estimate <= bound, `${label}: estimate ${estimate} above certified bound ${bound}`);
				seed += 1;
			}
		}
	}
});

test('estimate on the reference case', () => {
	const reference = readCase('mlp_tanh_small_alpha10');
	const model = createModel(makeSpec(reference.model, reference.data.x ?? []));
	const estimate = estimateJacobianLipschitz(model, 0.1);
	const bound = model.lipschitz(0.1).jacobianLipschitzBound;
	assert.ok(estimate > 0, `estimate ${estimate} should be positive`);
	assert.ok(estimate <= bound, `estimate ${estimate} above certified bound ${bound}`);
});
