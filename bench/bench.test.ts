/**
 * Tests of the benchmark's own computations: the converse closed form, the problem generator and
 * the error and median helpers. Run with `node --import tsx --test bench/bench.test.ts`.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { converseDeviation, expm1PlusIdentity } from './converse';
import { PROBLEM_SIZES, buildProblem, logSpacedTimes } from './problems';
import { maxRelativeError, median } from './tasks';

function assertClose(actual: number, expected: number, relativeTolerance: number, description: string): void {
	const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
	assert.ok(
		error <= relativeTolerance,
		`${description}: got ${actual}, expected ${expected}, relative error ${error} > tolerance ${relativeTolerance}`,
	);
}

test('expm1PlusIdentity matches 50-digit values', () => {
	// Values of expm1(-z) + z from mpmath with mp.dps = 50.
	const expected: [number, number][] = [
		[1e-12, 4.9999999999983333333e-25],
		[1e-6, 4.9999983333337499999e-13],
		[1e-3, 4.9983337499166805536e-7],
		[0.1, 0.0048374180359595731642],
		[0.49, 0.10262639418441606899],
		[2, 1.1353352832366126919],
	];
	for (const [z, value] of expected) {
		assertClose(expm1PlusIdentity(z), value, 1e-15, `expm1PlusIdentity(${z})`);
	}
});

test('converse closed form matches the reference case at alpha 1e4', () => {
	const path = join(__dirname, '..', 'test', 'fixtures', 'cases', 'quad_converse_alpha10000.json');
	const fixture = JSON.parse(readFileSync(path, 'utf8')) as { expected: { times: number[]; err: number[] } };
	const model = { a: 0.1, b: 1, target: 1, alpha: 1e4 };
	fixture.expected.times.forEach((t, i) => {
		assertClose(Math.abs(converseDeviation(model, t)), fixture.expected.err[i], 1e-13, `E(${t}), alpha 1e4`);
	});
});

test('converse closed form matches 60-digit values at alpha 1e6', () => {
	// Values from mpmath with mp.dps = 60 evaluating r0 exp(-beta t) / D - exp(-a^2 t) r0 directly.
	const expected: [number, number][] = [
		[1e-3, -9.9998666742498123e-15],
		[1, -9.8675855013056495e-9],
		[10, -8.7542040660241316e-7],
		[100, -2.7067009304187899e-5],
	];
	const model = { a: 0.1, b: 1, target: 1, alpha: 1e6 };
	for (const [t, value] of expected) {
		assertClose(converseDeviation(model, t), value, 1e-14, `E(${t}), alpha 1e6`);
	}
});

test('buildProblem is deterministic with the requested shapes', () => {
	for (const size of PROBLEM_SIZES.slice(0, 2)) {
		const first = buildProblem(size);
		const second = buildProblem(size);
		assert.deepEqual(first, second, `${size.name}: two builds from seed ${size.seed} differ`);
		assert.equal(first.model.init.weights.W.length, size.width, `${size.name}: rows of W`);
		assert.equal(first.model.init.weights.W[0].length, size.inputDimension, `${size.name}: columns of W`);
		assert.equal(first.model.init.weights.a.length, size.width, `${size.name}: length of a`);
		assert.equal(first.data.x.length, size.sampleCount, `${size.name}: rows of x`);
		assert.equal(first.data.y.length, size.sampleCount, `${size.name}: length of y`);
		for (const target of first.data.y) {
			assert.ok(Math.abs(target) <= 1, `${size.name}: target ${target} outside [-1, 1]`);
		}
	}
});

test('logSpacedTimes spans T/100 to T', () => {
	const times = logSpacedTimes(1700, 25);
	assert.equal(times.length, 25, 'count');
	assertClose(times[0], 17, 1e-15, 'first time');
	assert.equal(times[24], 1700, 'last time is exactly T');
	for (let i = 1; i < times.length; i++) {
		assert.ok(times[i] > times[i - 1], `times not increasing at ${i}: ${times[i - 1]}, ${times[i]}`);
	}
});

test('maxRelativeError and median', () => {
	assertClose(maxRelativeError([1, 2.2, 3], [1, 2, 4]), 0.25, 1e-15, 'max relative error');
	assert.ok(Number.isNaN(maxRelativeError([], [1])), 'no common points gives NaN');
	assert.equal(median([3, 1, 2]), 2, 'odd count');
	assert.equal(median([4, 1, 3, 2]), 2.5, 'even count');
	assert.ok(Number.isNaN(median([])), 'empty gives NaN');
});
