// Eigenvalues without eigenvectors against the full decomposition, and the blocked Gram, cross and
// matrix-vector products against plain loops on every size that leaves a partial block.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SimulationError } from '../../../src/errors';
import {
	gramMatrix,
	multiply,
	productWithTranspose,
	symmetricEigen,
	symmetricEigenvalues,
} from '../../../src/linalg';
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
