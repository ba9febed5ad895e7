import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SimulationError } from '../../../src/errors';
import { distance2, gramMatrix, norm2, symmetricEigen } from '../../../src/linalg';

describe('symmetricEigen', () => {
	it('sorts eigenvalues and returns orthonormal vectors', () => {
		const matrix = Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]);
		const { values, vectors } = symmetricEigen(matrix, 3);
		const expected = [1, 3, 5];
		for (let k = 0; k < 3; k++) {
			assert.ok(Math.abs(values[k] - expected[k]) <= 1e-14, `value ${k}: got ${values[k]}, expected ${expected[k]}, tolerance 1e-14`);
			for (let i = 0; i < 3; i++) {
				let image = 0;
				for (let j = 0; j < 3; j++) {
					image += matrix[i * 3 + j] * vectors[j * 3 + k];
				}
				const residual = Math.abs(image - values[k] * vectors[i * 3 + k]);
				assert.ok(residual <= 1e-14, `A q = l q row ${i} of vector ${k}: residual ${residual} > 1e-14`);
			}
		}
	});

	it('rejects NaN and Infinity entries', () => {
		assert.throws(() => symmetricEigen(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2), RangeError);
		assert.throws(() => symmetricEigen(Float64Array.from([1, 0, 0, Infinity]), 2), RangeError);
	});

	it('clamps negative rounding on a singular Gram matrix', () => {
		const jacobian = Float64Array.from([1, 2, 3, 1, 2, 3]);
		const { values } = symmetricEigen(gramMatrix(jacobian, 2, 3), 2, { nonNegative: true });
		assert.equal(values[0] >= 0, true, `smallest eigenvalue ${values[0]} is negative`);
		assert.ok(Math.abs(values[1] - 28) <= 1e-13, `largest eigenvalue ${values[1]}, expected 28`);
	});

	it('handles an asymmetry of one ulp', () => {
		const matrix = Float64Array.from([1, 0.1, 0.1 + 2 ** -56, 3]);
		const { values } = symmetricEigen(matrix, 2);
		assert.ok(values[0] < values[1], `values not ascending: ${values}`);
	});
});

describe('gramMatrix', () => {
	it('matches J J^T on an odd size', () => {
		const n = 3;
		const p = 5;
		const jacobian = Float64Array.from({ length: n * p }, (_, i) => Math.sin(i + 1));
		const kernel = gramMatrix(jacobian, n, p);
		for (let i = 0; i < n; i++) {
			for (let j = 0; j < n; j++) {
				let sum = 0;
				for (let k = 0; k < p; k++) {
					sum += jacobian[i * p + k] * jacobian[j * p + k];
				}
				assert.ok(Math.abs(kernel[i * n + j] - sum) <= 1e-14, `K[${i}][${j}] = ${kernel[i * n + j]}, expected ${sum}`);
			}
		}
	});
});

describe('norm2', () => {
	it('does not underflow or overflow', () => {
		assert.ok(Math.abs(norm2([3e-200, 4e-200]) / 5e-200 - 1) <= 1e-15, 'tiny entries');
		assert.ok(Math.abs(norm2([3e200, 4e200]) / 5e200 - 1) <= 1e-15, 'huge entries');
	});
});

describe('distance2', () => {
	it('matches the norm of the difference', () => {
		assert.equal(distance2([1, 2, 3], [1, 2, 3]), 0, 'equal vectors');
		assert.ok(Math.abs(distance2([4, 1], [1, 5]) / 5 - 1) <= 1e-15, '3-4-5 triangle');
		assert.ok(Math.abs(distance2([3e200, 0], [0, -4e200]) / 5e200 - 1) <= 1e-15, 'huge entries');
		assert.ok(Math.abs(distance2([3e-200, 0], [0, 4e-200]) / 5e-200 - 1) <= 1e-15, 'tiny entries');
		assert.ok(Number.isNaN(distance2([Number.NaN], [1])), 'NaN entry');
	});
});

describe('symmetricEigen limits', () => {
	it('reconstructs a random matrix', () => {
		const n = 40;
		const matrix = new Float64Array(n * n);
		let seed = 7;
		const next = (): number => {
			seed = (seed * 16807) % 2147483647;
			return seed / 2147483647 - 0.5;
		};
		for (let i = 0; i < n; i++) {
			for (let j = 0; j <= i; j++) {
				matrix[i * n + j] = matrix[j * n + i] = next();
			}
		}
		const { values, vectors } = symmetricEigen(matrix, n);
		for (let i = 0; i < n; i++) {
			for (let j = 0; j < n; j++) {
				let sum = 0;
				for (let k = 0; k < n; k++) {
					sum += vectors[i * n + k] * values[k] * vectors[j * n + k];
				}
				const deviation = Math.abs(sum - matrix[i * n + j]);
				assert.ok(deviation <= 1e-13, `entry (${i}, ${j}): Q diag(l) Q^T = ${sum}, A = ${matrix[i * n + j]}, deviation ${deviation} > 1e-13`);
			}
		}
		for (let k = 1; k < n; k++) {
			assert.ok(values[k - 1] <= values[k], `eigenvalues not ascending at ${k}: ${values[k - 1]} > ${values[k]}`);
		}
	});

	it('past deadline throws timeBudget', () => {
		const matrix = Float64Array.from([2, 1, 1, 2]);
		assert.throws(
			() => symmetricEigen(matrix, 2, { deadlineMs: Date.now() - 1 }),
			(error: unknown) => {
				assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
				assert.equal(error.kind, 'timeBudget');
				return true;
			},
		);
	});
});
