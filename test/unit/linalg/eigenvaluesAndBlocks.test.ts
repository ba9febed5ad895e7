// Eigenvalues without eigenvectors against the full decomposition, the extreme eigenvalues by
// bisection against both, and the blocked Gram, cross and matrix-vector products against plain
// loops on every size that leaves a partial block.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SimulationError } from '../../../src/errors';
import {
	gramMatrix,
	multiply,
	productWithTranspose,
	symmetricEigen,
	symmetricEigenvalues,
	symmetricExtremeEigenvalues,
} from '../../../src/linalg';
import { tridiagonalExtremes } from '../../../src/linalg/tridiagonalQl';
import { crossGramScalar } from '../../../src/linalg/gramMatrix';
import { createRandomStream } from '../../../src/random';

function randomSymmetric(size: number, seed: number): Float64Array {
	const random = createRandomStream(seed);
	const matrix = new Float64Array(size * size);
	for (let i = 0; i < size; i++) {
		for (let j = i; j < size; j++) {
			const value = random.normal();
			matrix[i * size + j] = value;
			matrix[j * size + i] = value;
		}
	}
	return matrix;
}

function randomMatrix(rows: number, columns: number, seed: number): Float64Array {
	const random = createRandomStream(seed);
	return new Float64Array(rows * columns).map(() => random.normal());
}

describe('symmetricEigenvalues', () => {
	it('matches symmetricEigen on random matrices', () => {
		for (const size of [0, 1, 2, 3, 4, 7, 16, 64]) {
			const matrix = randomSymmetric(size, size + 1);
			const expected = symmetricEigen(matrix, size).values;
			const actual = symmetricEigenvalues(matrix, size);
			assert.equal(actual.length, size, `size ${size}: eigenvalue count`);
			for (let k = 0; k < size; k++) {
				const error = Math.abs(actual[k] - expected[k]);
				const tolerance = 1e-13 * Math.max(1, Math.abs(expected[k]));
				assert.ok(error <= tolerance, `size ${size}, value ${k}: got ${actual[k]}, expected ${expected[k]}, error ${error} > ${tolerance}`);
			}
		}
	});

	it('sorts ascending and clamps at zero on request', () => {
		const jacobian = Float64Array.from([1, 2, 3, 1, 2, 3]);
		const values = symmetricEigenvalues(gramMatrix(jacobian, 2, 3), 2, { nonNegative: true });
		assert.ok(values[0] >= 0, `smallest eigenvalue ${values[0]} is negative`);
		assert.ok(Math.abs(values[1] - 28) <= 1e-13, `largest eigenvalue ${values[1]}, expected 28, tolerance 1e-13`);
		const diagonal = symmetricEigenvalues(Float64Array.from([5, 0, 0, 0, -1, 0, 0, 0, 2]), 3);
		const expected = [-1, 2, 5];
		assert.deepEqual(Array.from(diagonal), expected, 'diagonal matrix eigenvalues in ascending order');
	});

	it('keeps its accuracy at extreme scales', () => {
		// The Householder steps square entries: unscaled, those near 1e-200 underflowed and the
		// eigenvalues of a 3 x 3 matrix came out 1.4 % wrong.
		for (const size of [3, 12, 40]) {
			const matrix = randomSymmetric(size, 500 + size);
			const expected = symmetricEigen(matrix, size);
			for (const scale of [2 ** -1000, 1e-300, 1e-200, 1e-100, 1e100, 1e200, 1e300, 2 ** 1020]) {
				const scaled = matrix.map((value) => value * scale);
				const values = symmetricEigenvalues(scaled, size);
				const decomposition = symmetricEigen(scaled, size);
				const norm = Math.max(Math.abs(expected.values[0]), Math.abs(expected.values[size - 1]));
				for (let k = 0; k < size; k++) {
					const tolerance = 64 * Number.EPSILON * norm;
					const label = `size ${size}, scale ${scale}, eigenvalue ${k}`;
					assert.ok(Math.abs(values[k] / scale - expected.values[k]) <= tolerance, `${label}: ${values[k] / scale}, expected ${expected.values[k]}`);
					assert.ok(Math.abs(decomposition.values[k] / scale - expected.values[k]) <= tolerance, `${label} with vectors`);
				}
				// Scaling by a power of 2 is exact, so the vectors are those of the unscaled matrix.
				if (Number.isInteger(Math.log2(scale))) {
					assert.deepEqual(decomposition.vectors, expected.vectors, `size ${size}, scale ${scale}: eigenvectors`);
				}
			}
		}
	});

	it('rejects non-finite entries and a passed deadline', () => {
		const withNaN = Float64Array.from([1, Number.NaN, Number.NaN, 1]);
		const withInfinity = Float64Array.from([1, 0, 0, Infinity]);
		assert.throws(() => symmetricEigenvalues(withNaN, 2), RangeError);
		assert.throws(() => symmetricEigenvalues(withInfinity, 2), RangeError);
		assert.throws(
			() => symmetricEigenvalues(randomSymmetric(8, 3), 8, { deadlineMs: Date.now() - 1 }),
			(error: unknown) => error instanceof SimulationError && error.kind === 'timeBudget',
		);
	});
});

/** Asserts that the bisection's two ends equal the given eigenvalues within `ulps` eps ||A||. */
function assertExtremes(matrix: Float64Array, size: number, expected: ArrayLike<number>, label: string, ulps = 64): void {
	const { smallest, largest } = symmetricExtremeEigenvalues(matrix, size);
	const low = expected[0];
	const high = expected[size - 1];
	const tolerance = ulps * Number.EPSILON * Math.max(Math.abs(low), Math.abs(high));
	assert.ok(Math.abs(smallest - low) <= tolerance, `${label}: smallest ${smallest}, expected ${low}, tolerance ${tolerance}`);
	assert.ok(Math.abs(largest - high) <= tolerance, `${label}: largest ${largest}, expected ${high}, tolerance ${tolerance}`);
}

describe('symmetricExtremeEigenvalues', () => {
	it('matches the ends of symmetricEigenvalues on random matrices', () => {
		for (const size of [1, 2, 3, 4, 5, 15, 16, 17, 64, 100]) {
			for (let seed = 0; seed < 3; seed++) {
				const matrix = randomSymmetric(size, 1000 * size + seed);
				assertExtremes(matrix, size, symmetricEigenvalues(matrix, size), `size ${size}, seed ${seed}`);
			}
		}
	});

	it('handles degenerate spectra', () => {
		const size = 20;
		const identity = new Float64Array(size * size);
		const ones = new Float64Array(size * size).fill(1);
		const diagonal = new Float64Array(size * size);
		const negative = gramMatrix(randomMatrix(size, 3, 7), size, 3).map((value) => -value);
		for (let i = 0; i < size; i++) {
			identity[i * size + i] = 3;
			diagonal[i * size + i] = i % 2 === 0 ? -i : 2 * i;
		}
		assert.deepEqual(symmetricExtremeEigenvalues(new Float64Array(size * size), size), { smallest: 0, largest: 0 });
		assert.deepEqual(symmetricExtremeEigenvalues(new Float64Array(0), 0), { smallest: 0, largest: 0 });
		assert.deepEqual(symmetricExtremeEigenvalues(Float64Array.from([-2.5]), 1), { smallest: -2.5, largest: -2.5 });
		assertExtremes(identity, size, [3, ...new Array(size - 2).fill(3), 3], 'three times the identity');
		assertExtremes(ones, size, [0, ...new Array(size - 2).fill(0), size], 'all ones (rank one)');
		assertExtremes(diagonal, size, [-18, ...new Array(size - 2).fill(0), 38], 'diagonal');
		assertExtremes(negative, size, symmetricEigenvalues(negative, size), 'negative semi-definite of rank 3');
		// The largest eigenvalue is 0, computed as a rounding error of either sign.
		const clamped = symmetricExtremeEigenvalues(negative, size, { nonNegative: true });
		assert.equal(clamped.smallest, 0, 'nonNegative clamps the smallest eigenvalue');
		const scale = Math.abs(symmetricEigenvalues(negative, size)[0]);
		assert.ok(clamped.largest >= 0, `largest ${clamped.largest} is negative`);
		assert.ok(clamped.largest <= 64 * Number.EPSILON * scale, `largest ${clamped.largest}, expected 0`);
	});

	it('keeps its accuracy at extreme scales', () => {
		const size = 12;
		const matrix = randomSymmetric(size, 99);
		const values = symmetricEigenvalues(matrix, size);
		for (const scale of [2 ** -1000, 1e-200, 1e-150, 1e150, 1e200, 2 ** 1000]) {
			const scaled = matrix.map((value) => value * scale);
			const expected = [values[0] * scale, ...new Array(size - 2).fill(0), values[size - 1] * scale];
			assertExtremes(scaled, size, expected, `scale ${scale}`);
		}
	});

	it('scales entries near the largest double', () => {
		// Both ends are accurate to a few eps ||T|| in absolute terms, and an end within that of
		// the largest double may round to Infinity; none may be NaN.
		const accuracy = 4 * Number.EPSILON * Number.MAX_VALUE;
		const ends = tridiagonalExtremes(Float64Array.from([Number.MAX_VALUE, 1]), Float64Array.from([0, 0]), 2);
		assert.ok(Math.abs(ends.smallest - 1) <= accuracy, `smallest ${ends.smallest}, expected 1`);
		assert.ok(ends.largest >= Number.MAX_VALUE * (1 - 4 * Number.EPSILON), `largest ${ends.largest}`);
		const extremes = symmetricExtremeEigenvalues(Float64Array.from([-Number.MAX_VALUE, 0, 0, 2]), 2);
		assert.ok(extremes.smallest <= -Number.MAX_VALUE * (1 - 4 * Number.EPSILON), `smallest ${extremes.smallest}`);
		assert.ok(Math.abs(extremes.largest - 2) <= accuracy, `largest ${extremes.largest}, expected 2`);
	});

	it('passes a zero pivot', () => {
		// [[0, 1], [1, 0]] has eigenvalues -1 and 1, and its first pivot at x = 0 is zero.
		const ends = tridiagonalExtremes(Float64Array.from([0, 0]), Float64Array.from([0, 1]), 2);
		assert.ok(Math.abs(ends.smallest + 1) <= 4 * Number.EPSILON, `smallest ${ends.smallest}`);
		assert.ok(Math.abs(ends.largest - 1) <= 4 * Number.EPSILON, `largest ${ends.largest}`);
	});

	it('rejects non-finite entries and a passed deadline', () => {
		assert.throws(() => symmetricExtremeEigenvalues(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2), RangeError);
		assert.throws(
			() => symmetricExtremeEigenvalues(randomSymmetric(20, 3), 20, { deadlineMs: Date.now() - 1 }),
			(error: unknown) => error instanceof SimulationError && error.kind === 'timeBudget',
		);
	});
});

describe('blocked products', () => {
	it('equal a plain loop on every partial block', () => {
		for (let rows = 1; rows <= 9; rows++) {
			const columns = 5;
			const left = randomMatrix(rows, columns, rows);
			const right = randomMatrix(rows, columns, rows + 100);
			const gram = crossGramScalar(left, left, rows, columns, new Float64Array(rows * rows), true);
			const cross = crossGramScalar(left, right, rows, columns, new Float64Array(rows * rows), false);
			const dispatchedGram = gramMatrix(left, rows, columns);
			const dispatchedCross = productWithTranspose(left, right, rows, columns);
			for (let i = 0; i < rows; i++) {
				for (let j = 0; j < rows; j++) {
					let gramSum = 0;
					let crossSum = 0;
					let gramBound = 0;
					let crossBound = 0;
					for (let k = 0; k < columns; k++) {
						gramSum += left[i * columns + k] * left[j * columns + k];
						crossSum += left[i * columns + k] * right[j * columns + k];
						gramBound += Math.abs(left[i * columns + k] * left[j * columns + k]);
						crossBound += Math.abs(left[i * columns + k] * right[j * columns + k]);
					}
					// The scalar loop sums the same products in the same order, so its results are
					// identical. The SIMD kernel sums in another order: within 2 p 2^-53 sum |a_k b_k|.
					assert.equal(gram[i * rows + j], gramSum, `gram n = ${rows} entry (${i}, ${j})`);
					assert.equal(cross[i * rows + j], crossSum, `cross n = ${rows} entry (${i}, ${j})`);
					const gramDifference = Math.abs(dispatchedGram[i * rows + j] - gramSum);
					const crossDifference = Math.abs(dispatchedCross[i * rows + j] - crossSum);
					assert.ok(gramDifference <= 2 * columns * 2 ** -53 * gramBound, `gramMatrix n = ${rows} entry (${i}, ${j})`);
					assert.ok(crossDifference <= 2 * columns * 2 ** -53 * crossBound, `productWithTranspose n = ${rows} entry (${i}, ${j})`);
				}
			}
		}
	});

	it('multiply equals a plain loop', () => {
		for (let rows = 1; rows <= 9; rows++) {
			const columns = 7;
			const matrix = randomMatrix(rows, columns, rows + 200);
			const x = randomMatrix(1, columns, rows + 300);
			const product = multiply(matrix, rows, columns, x, new Float64Array(rows));
			for (let i = 0; i < rows; i++) {
				let sum = 0;
				for (let k = 0; k < columns; k++) {
					sum += matrix[i * columns + k] * x[k];
				}
				assert.equal(product[i], sum, `multiply n = ${rows} entry ${i}`);
			}
		}
	});
});
