import assert from 'node:assert/strict';
import { test } from 'node:test';

import { getActivation } from '../../../src/model/activations';
import { erf, erfc, normalCdfWithDensity } from '../../../src/model/erf';
import type { Activation } from '../../../src/spec/types';
import { assertClose, issueOf } from './helpers';

const SMOOTH: Activation[] = ['tanh', 'softplus', 'sigmoid', 'gelu', 'sin'];
const POINTS = [-6, -3.1, -1.4142, -0.7, -0.01, 0, 0.01, 0.3, 1, 1.4142, 2.5, 7];

// [x, erf(x), erfc(x)] from Python 3 math.erf and math.erfc.
const ERF_TABLE: [number, number, number][] = [
	[0.1, 0.1124629160182849, 0.8875370839817152],
	[0.5, 0.5204998778130465, 0.4795001221869535],
	[1, 0.8427007929497149, 0.15729920705028513],
	[1.5, 0.9661051464753108, 0.033894853524689274],
	[2, 0.9953222650189527, 0.004677734981047265],
	[2.5, 0.999593047982555, 0.0004069520174449589],
	[2.9999, 0.9999778955735178, 2.210442648216091e-5],
	[3, 0.9999779095030014, 2.2090496998585438e-5],
	[4, 0.9999999845827421, 1.541725790028002e-8],
	[5, 0.9999999999984626, 1.5374597944280351e-12],
	[6, 1.0, 2.1519736712498916e-17],
	[10, 1.0, 2.088487583762545e-45],
	[-0.5, -0.5204998778130465, 1.5204998778130465],
	[-2.2, -0.9981371537020182, 1.998137153702018],
];

test('erf matches reference values', () => {
	for (const [x, expected] of ERF_TABLE) {
		const value = erf(x);
		assert.ok(Math.abs(value - expected) <= 1e-15, `erf(${x}): value ${value}, expected ${expected}, tolerance 1e-15 absolute`);
	}
	assert.equal(erf(0), 0);
	assert.equal(erf(-Infinity), -1);
	assert.ok(Number.isNaN(erf(Number.NaN)));
});

test('erfc keeps relative accuracy', () => {
	for (const [x, , expected] of ERF_TABLE) {
		const value = erfc(x);
		const error = Math.abs(value - expected) / expected;
		assert.ok(error <= 2e-15, `erfc(${x}): value ${value}, expected ${expected}, relative error ${error} > 2e-15`);
	}
	assert.equal(erfc(Infinity), 0);
});

test('activation derivatives match differences', () => {
	const step = 1e-5;
	for (const name of SMOOTH) {
		const activation = getActivation(name);
		for (const z of POINTS) {
			const first = (activation.value(z + step) - activation.value(z - step)) / (2 * step);
			const second = (activation.first(z + step) - activation.first(z - step)) / (2 * step);
			assertClose(activation.first(z), first, 1e-9, `${name}'(${z})`);
			assertClose(activation.second(z), second, 1e-9, `${name}''(${z})`);
		}
	}
});

test('activation apply matches scalar functions', () => {
	for (const name of [...SMOOTH, 'relu'] as Activation[]) {
		const activation = getActivation(name);
		const z = Float64Array.from(POINTS);
		const values = new Float64Array(z.length);
		const slopes = new Float64Array(z.length);
		activation.apply(z, values, slopes, z.length);
		for (let i = 0; i < z.length; i++) {
			assert.equal(values[i], activation.value(z[i]), `${name}(${z[i]}) from apply`);
			assert.equal(slopes[i], activation.first(z[i]), `${name}'(${z[i]}) from apply`);
		}
		// The layer's scale multiplies both, rounded once.
		activation.apply(z, values, slopes, z.length, 0.125);
		for (let i = 0; i < z.length; i++) {
			assert.equal(values[i], 0.125 * activation.value(z[i]), `${name}(${z[i]}) from apply with scale 0.125`);
			assert.equal(slopes[i], 0.125 * activation.first(z[i]), `${name}'(${z[i]}) from apply with scale 0.125`);
		}
	}
});

test('activation sup norms bound a dense grid', () => {
	for (const name of SMOOTH) {
		const activation = getActivation(name);
		let maxFirst = 0;
		let maxSecond = 0;
		let maxValue = 0;
		for (let z = -12; z <= 12; z += 1e-3) {
			maxValue = Math.max(maxValue, Math.abs(activation.value(z)));
			maxFirst = Math.max(maxFirst, Math.abs(activation.first(z)));
			maxSecond = Math.max(maxSecond, Math.abs(activation.second(z)));
		}
		assert.ok(maxFirst <= activation.supFirst * (1 + 1e-12), `${name}: max |σ'| ${maxFirst} > sup ${activation.supFirst}`);
		assert.ok(maxSecond <= activation.supSecond * (1 + 1e-12), `${name}: max |σ''| ${maxSecond} > sup ${activation.supSecond}`);
		assert.ok(maxValue <= activation.supValue, `${name}: max |σ| ${maxValue} > sup ${activation.supValue}`);
		// The sup norms are attained, so the grid comes within 1e-5 of them.
		assertClose(maxFirst, activation.supFirst, 1e-5, `${name}: sup |σ'| attained`);
		assertClose(maxSecond, activation.supSecond, 1e-5, `${name}: sup |σ''| attained`);
		assert.equal(activation.value(0), activation.valueAtZero, `${name}(0)`);
	}
});

test('gelu uses the exact erf form', () => {
	const gelu = getActivation('gelu');
	// x * Phi(x) with Phi from Python's math.erf: 1 * (1 + erf(1 / sqrt 2)) / 2.
	assertClose(gelu.value(1), 0.8413447460685429, 1e-15, 'gelu(1)');
	assertClose(gelu.value(-2), -0.04550026389635842, 1e-15, 'gelu(-2)');
	assertClose(gelu.supFirst, 1.128904145185155, 1e-15, "sup |gelu'|, Python value");
});

test('relu is marked non-smooth', () => {
	const relu = getActivation('relu');
	assert.equal(relu.smooth, false);
	assert.equal(relu.supSecond, Infinity);
	assert.equal(relu.first(-1), 0);
	assert.equal(relu.first(2), 1);
	assert.equal(relu.value(-3), 0);
});

test('unknown activation raises SpecError', () => {
	const issue = issueOf(() => getActivation('toString' as Activation));
	assert.equal(issue.path, 'model.activation');
	assert.match(issue.message, /tanh, softplus, sigmoid, gelu, sin, relu/);
});

test('normal CDF with density agrees', () => {
	for (let z = -9; z <= 9; z += 0.01) {
		const density = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
		const value = normalCdfWithDensity(z, density);
		const expected = erfc(-z / Math.SQRT2) / 2;
		assert.ok(Math.abs(value - expected) <= 1e-15, `Φ(${z}): value ${value}, expected ${expected}, tolerance 1e-15 absolute`);
	}
});
