import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import { spectralNorm } from '../../../src/model/operatorNorm';
import { assertClose, assertRelative, makeSpec, readCase } from './helpers';

for (const name of ['mlp_tanh_small_alpha10', 'mlp_tanh_small_alpha1000']) {
	test(`${name} initial Jacobian norm`, () => {
		const reference = readCase(name);
		const x = reference.data.x ?? [];
		const model = createModel(makeSpec(reference.model, x));
		const n = model.outputCount;
		const p = model.parameterCount;
		assert.equal(n, x.length);
		assert.equal(p, 4 * 64 + 64);
		const jacobian = new Float64Array(n * p);
		model.jacobian(model.initialParameters, jacobian);
		assertRelative(spectralNorm(jacobian, n, p), reference.expected.normJ0 as number, 1e-12, `${name} normJ0`);
		const kernel = n * p > 0 ? spectralNorm(jacobian, n, p) ** 2 : 0;
		assertRelative(kernel, reference.expected.lambdaMaxK0 as number, 1e-12, `${name} lambdaMaxK0`);
	});

	test(`${name} centered output vanishes`, () => {
		const reference = readCase(name);
		const model = createModel(makeSpec(reference.model, reference.data.x ?? []));
		const out = new Float64Array(model.outputCount);
		model.evaluate(model.initialParameters, out);
		for (let i = 0; i < out.length; i++) {
			assert.equal(out[i], 0, `h(w0)[${i}] = ${out[i]}, expected exactly 0 under initial centering`);
		}
	});
}

test('case layout is W row-major then a', () => {
	const reference = readCase('mlp_tanh_small_alpha10');
	const model = createModel(makeSpec(reference.model, reference.data.x ?? []));
	const weights = (reference.model as unknown as { init: { weights: { W: number[][]; a: number[] } } }).init.weights;
	assert.equal(model.initialParameters[0], weights.W[0][0]);
	assert.equal(model.initialParameters[5], weights.W[1][1]);
	assert.equal(model.initialParameters[4 * 64], weights.a[0]);
	assert.equal(model.initialParameters[4 * 64 + 63], weights.a[63]);
});

test('case network matches the closed form', () => {
	const reference = readCase('mlp_tanh_small_alpha10');
	const x = reference.data.x ?? [];
	const weights = (reference.model as unknown as { init: { weights: { W: number[][]; a: number[] } } }).init.weights;
	const model = createModel(makeSpec({ ...reference.model, centering: 'none' } as typeof reference.model, x));
	const out = new Float64Array(model.outputCount);
	model.evaluate(model.initialParameters, out);
	for (let i = 0; i < x.length; i++) {
		let expected = 0;
		for (let j = 0; j < 64; j++) {
			let dot = 0;
			for (let c = 0; c < 4; c++) {
				dot += weights.W[j][c] * x[i][c];
			}
			expected += weights.a[j] * Math.tanh(dot / 2);
		}
		expected /= 8;
		assertClose(out[i], expected, 1e-14, `f(x_${i}) = (1/sqrt m) sum_j a_j tanh(<W_j, x>/sqrt d)`);
	}
});
