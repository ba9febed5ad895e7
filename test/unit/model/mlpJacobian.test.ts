import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import type { Activation, Centering } from '../../../src/spec/types';
import { assertClose, assertJacobianMatchesDifferences, makeSpec, mlpSpec, mlpVariants, pseudoRandomVector } from './helpers';

const ACTIVATIONS: Activation[] = ['tanh', 'softplus', 'sigmoid', 'gelu', 'sin', 'relu'];
const ARCHITECTURES = [
	[3, 5, 2],
	[3, 4, 5, 2],
];
const INPUTS = [
	[0.5, -1.2, 0.3],
	[1.1, 0.4, -0.7],
	[-0.2, 0.9, 1.5],
];

const mlp = mlpSpec;

/** Moves w0 off the initialization so that biases and both copies are non-trivial. */
function perturbed(initial: Float64Array, seed: number): Float64Array {
	const shift = pseudoRandomVector(initial.length, seed);
	return initial.map((value, index) => value + 0.3 * shift[index]);
}

test('mlp Jacobian matches differences', () => {
	const variants = mlpVariants(ARCHITECTURES, ACTIVATIONS);
	variants.forEach(({ widths, activation, parametrization, centering, bias, label }, count) => {
		const spec = mlp(widths, activation, { parametrization, centering, bias });
		const model = createModel(makeSpec(spec, INPUTS, 2));
		assertJacobianMatchesDifferences(model, perturbed(model.initialParameters, count + 1), 1e-7, label);
	});
	assert.equal(variants.length, 144);
});

test('mlp parameter counts', () => {
	const cases: [number[], boolean, Centering, number][] = [
		[[3, 5, 2], false, 'none', 3 * 5 + 5 * 2],
		[[3, 5, 2], true, 'initial', 3 * 5 + 5 + 5 * 2 + 2],
		[[3, 4, 5, 2], true, 'none', 12 + 4 + 20 + 5 + 10 + 2],
		[[3, 4, 5, 2], false, 'antisymmetric', 2 * (12 + 20 + 10)],
	];
	for (const [widths, bias, centering, expected] of cases) {
		const model = createModel(makeSpec(mlp(widths, 'tanh', { bias, centering }), INPUTS, 2));
		assert.equal(model.parameterCount, expected, `widths [${widths}] bias ${bias} ${centering}: p`);
		assert.equal(model.outputCount, 6, `widths [${widths}]: n = 3 inputs x 2 outputs`);
	}
});

test('mlp outputs are input-major', () => {
	const spec = mlp([3, 5, 2], 'tanh');
	const model = createModel(makeSpec(spec, INPUTS, 2));
	const single = createModel(makeSpec(spec, [INPUTS[1]], 2));
	const all = new Float64Array(6);
	const one = new Float64Array(2);
	model.evaluate(model.initialParameters, all);
	single.evaluate(single.initialParameters, one);
	assert.equal(all[2], one[0], 'h[1 * outputs + 0] is input 1, output 0');
	assert.equal(all[3], one[1], 'h[1 * outputs + 1] is input 1, output 1');
});

test('antisymmetric output vanishes at w0', () => {
	for (const widths of ARCHITECTURES) {
		for (const bias of [false, true]) {
			const model = createModel(makeSpec(mlp(widths, 'gelu', { centering: 'antisymmetric', bias }), INPUTS, 2));
			const out = new Float64Array(model.outputCount);
			model.evaluate(model.initialParameters, out);
			for (let i = 0; i < out.length; i++) {
				assert.equal(out[i], 0, `widths [${widths}] bias ${bias}: h(w0)[${i}] = ${out[i]}, expected 0`);
			}
		}
	}
});

test('antisymmetric keeps the tangent kernel', () => {
	for (const widths of ARCHITECTURES) {
		const plain = createModel(makeSpec(mlp(widths, 'tanh'), INPUTS, 2));
		const mirrored = createModel(makeSpec(mlp(widths, 'tanh', { centering: 'antisymmetric' }), INPUTS, 2));
		const plainKernel = kernelAtInitialization(plain);
		const mirroredKernel = kernelAtInitialization(mirrored);
		for (let index = 0; index < plainKernel.length; index++) {
			assertClose(mirroredKernel[index], plainKernel[index], 1e-14, `widths [${widths}] K0 entry ${index}`);
		}
	}
});

test('antisymmetric two-layer equals doubled width', () => {
	const weights = { W: [[0.3, -1.1, 0.4], [1.2, 0.2, -0.5]], a: [0.7, -1.3] };
	const doubled = { W: [...weights.W, ...weights.W], a: [...weights.a, ...weights.a.map((value) => -value)] };
	const mirrored = createModel(makeSpec(mlp([3, 2, 1], 'tanh', { centering: 'antisymmetric', init: { weights } }), INPUTS));
	const wide = createModel(makeSpec(mlp([3, 4, 1], 'tanh', { init: { weights: doubled } }), INPUTS));
	const w = perturbed(mirrored.initialParameters, 3);
	// Copy A is (W, a) and copy B is (W, -a); the wide network orders W rows first, then a.
	const wideW = Float64Array.from([...w.subarray(0, 6), ...w.subarray(8, 14), ...w.subarray(6, 8), ...w.subarray(14, 16)]);
	const mirroredOut = new Float64Array(3);
	const wideOut = new Float64Array(3);
	mirrored.evaluate(w, mirroredOut);
	wide.evaluate(wideW, wideOut);
	for (let i = 0; i < 3; i++) {
		assertClose(mirroredOut[i], wideOut[i], 1e-15, `input ${i}: antisymmetric m = 2 vs plain m = 4`);
	}
});

function kernelAtInitialization(model: ReturnType<typeof createModel>): Float64Array {
	const n = model.outputCount;
	const p = model.parameterCount;
	const jacobian = new Float64Array(n * p);
	model.jacobian(model.initialParameters, jacobian);
	const kernel = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			let sum = 0;
			for (let k = 0; k < p; k++) {
				sum += jacobian[i * p + k] * jacobian[j * p + k];
			}
			kernel[i * n + j] = sum;
		}
	}
	return kernel;
}

test('deep forward pass matches formula', () => {
	const layers = [
		{ W: [[0.3, -1.1, 0.4], [1.2, 0.2, -0.5]], b: [0.1, -0.2] },
		{ W: [[0.7, -0.4], [0.5, 0.9]], b: [0.05, 0.3] },
		{ W: [[1.5, -0.8]], b: [0.25] },
	];
	for (const parametrization of ['ntk', 'standard'] as const) {
		const spec = mlp([3, 2, 2, 1], 'sin', { parametrization, bias: true, init: { weights: { layers } } });
		const model = createModel(makeSpec(spec, INPUTS));
		const out = new Float64Array(3);
		model.evaluate(model.initialParameters, out);
		for (let i = 0; i < INPUTS.length; i++) {
			let h = INPUTS[i];
			for (let l = 0; l < layers.length; l++) {
				const scale = parametrization === 'ntk' ? 1 / Math.sqrt(h.length) : 1;
				const z = layers[l].W.map((row, r) => scale * row.reduce((sum, weight, c) => sum + weight * h[c], 0) + layers[l].b[r]);
				h = l < layers.length - 1 ? z.map(Math.sin) : z;
			}
			assertClose(out[i], h[0], 1e-15, `${parametrization} f(x_${i})`);
		}
	}
});
