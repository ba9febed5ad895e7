import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import type { MlpTangentProducts } from '../../../src/model/mlpTangent';
import type { Activation, MlpModelSpec } from '../../../src/spec/types';
import { makeSpec, mlpSpec, mlpVariants, pseudoRandomVector } from './helpers';

const ACTIVATIONS: Activation[] = ['tanh', 'softplus', 'gelu', 'relu'];
// Fan-ins 9 and 13 take the products' eight-row sweeps with a remainder of one and of 4 + 1 rows.
const ARCHITECTURES = [
	[3, 5, 2],
	[3, 4, 5, 2],
	[3, 6, 1],
	[9, 4, 1],
	[3, 13, 2],
];
const INPUTS = [
	[0.5, -1.2, 0.3],
	[1.1, 0.4, -0.7],
	[-0.2, 0.9, 1.5],
	[0.7, 0.1, -0.4],
];

/**
 * INPUTS for three input dimensions and four inputs, pseudo-random inputs otherwise. 11 and 17
 * inputs take the SIMD kernels' blocks of eight with a remainder and their odd last column.
 */
function inputsFor(dimension: number, count: number, seed: number): number[][] {
	if (dimension === INPUTS[0].length && count === INPUTS.length) {
		return INPUTS;
	}
	const values = pseudoRandomVector(count * dimension, seed);
	return Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * dimension, (i + 1) * dimension)));
}

function mlp(widths: number[], activation: Activation, options: Partial<MlpModelSpec>): MlpModelSpec {
	return mlpSpec(widths, activation, { init: { seed: 5 }, ...options });
}

/** Largest |a_k - b_k| over max(1, max |b_k|). */
function scaledDifference(a: Float64Array, b: Float64Array): number {
	let worst = 0;
	let scale = 1;
	for (let k = 0; k < b.length; k++) {
		scale = Math.max(scale, Math.abs(b[k]));
	}
	for (let k = 0; k < b.length; k++) {
		worst = Math.max(worst, Math.abs(a[k] - b[k]));
	}
	return worst / scale;
}

test('matrix-free MLP products equal the products with the formed Jacobian', () => {
	const variants = mlpVariants(ARCHITECTURES, ACTIVATIONS);
	variants.forEach(({ widths, activation, parametrization, centering, bias, label }, count) => {
		const spec = mlp(widths, activation, { parametrization, centering, bias });
		const outputs = widths[widths.length - 1];
		const inputs = inputsFor(widths[0], [4, 11, 17][count % 3], count + 29);
		const model = createModel(makeSpec(spec, inputs, outputs));
		const { outputCount: n, parameterCount: p } = model;
		const shift = pseudoRandomVector(p, count + 3);
		const w = model.initialParameters.map((value, k) => value + 0.2 * shift[k]);
		const jacobian = new Float64Array(n * p);
		model.jacobian(w, jacobian);
		const v = pseudoRandomVector(n, count + 11);
		const u = pseudoRandomVector(p, count + 17);
		const expectedTranspose = new Float64Array(p);
		const expectedForward = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			for (let k = 0; k < p; k++) {
				expectedTranspose[k] += jacobian[i * p + k] * v[i];
				expectedForward[i] += jacobian[i * p + k] * u[k];
			}
		}

		const products = model.tangentProducts?.();
		assert.ok(products, 'the MLP offers matrix-free products');
		products.setPoint(w);
		const transpose = new Float64Array(p);
		const forward = new Float64Array(n);
		products.transposeTimes(v, transpose);
		products.times(u, forward);
		const transposeError = scaledDifference(transpose, expectedTranspose);
		const forwardError = scaledDifference(forward, expectedForward);
		assert.ok(transposeError <= 1e-13, `${label}: J^T v differs by ${transposeError} (tolerance 1e-13)`);
		assert.ok(forwardError <= 1e-13, `${label}: J u differs by ${forwardError} (tolerance 1e-13)`);
	});
	assert.equal(variants.length, 240);
});

test('layer factor changes equal differences', () => {
	// 4, 11 and 17 inputs take the transpose's sweeps of four inputs with no, three and one left over.
	const variants = mlpVariants([[3, 5, 2], [3, 4, 6, 1]], ['tanh']).filter(({ parametrization }) => parametrization === 'ntk');
	variants.forEach(({ widths, activation, centering, bias, label }, count) => {
		const spec = mlp(widths, activation, { centering, bias });
		const outputs = widths[widths.length - 1];
		const inputs = inputsFor(widths[0], [4, 11, 17][count % 3], count + 41);
		const model = createModel(makeSpec(spec, inputs, outputs));
		const n = model.outputCount;
		const copies = centering === 'antisymmetric' ? 2 : 1;
		const allocate = () =>
			Array.from({ length: copies * (widths.length - 1) }, (_, b) => {
				const layer = b % (widths.length - 1);
				return { gradients: new Float64Array(n * widths[layer + 1]), inputs: new Float64Array(n * widths[layer]) };
			});
		const products = model.tangentProducts?.() as MlpTangentProducts;
		const shift = pseudoRandomVector(model.parameterCount, count + 43);
		products.setPoint(model.initialParameters);
		const initial = allocate();
		products.layerFactors(initial);
		products.setPoint(model.initialParameters.map((value, k) => value + 0.3 * shift[k]));
		const moved = allocate();
		const change = allocate();
		products.layerFactors(moved);
		products.layerFactors(change, initial);
		change.forEach((block, b) => {
			for (const side of ['gradients', 'inputs'] as const) {
				const expected = moved[b][side].map((value, k) => value - initial[b][side][k]);
				assert.deepEqual([...block[side]], [...expected], `${label}: block ${b} ${side}`);
			}
		});
	});
});
