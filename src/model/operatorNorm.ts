/** Spectral and Frobenius norms of row-major matrices, the spectral norm through a Gram matrix. */

import { SimulationError } from '../errors';
import { gramMatrix, symmetricEigenvalues } from '../linalg/index';

/**
 * Computes the largest eigenvalue of a symmetric row-major `size x size` matrix with
 * `symmetricEigenvalues` (the tridiagonal QL algorithm of src/linalg without eigenvectors).
 *
 * @throws SimulationError of kind `nonFinite` when an entry is NaN or infinite
 */
export function largestSymmetricEigenvalue(matrix: Float64Array, size: number): number {
	if (size === 0) {
		return 0;
	}
	assertFinite(matrix);
	return symmetricEigenvalues(matrix, size)[size - 1];
}

/**
 * Computes the spectral norm (largest singular value) of a row-major `rows x cols` matrix from
 * the Gram matrix of its shorter side.
 *
 * ```tex
 * \|A\|_2 = \sqrt{\lambda_{\max}(A A^\top)} = \sqrt{\lambda_{\max}(A^\top A)}
 * ```
 *
 * @throws SimulationError of kind `nonFinite` when an entry is NaN or infinite
 */
export function spectralNorm(matrix: Float64Array, rows: number, cols: number): number {
	return Math.sqrt(largestGramEigenvalue(matrix, rows, cols));
}

/**
 * Returns an upper bound on the spectral norm that covers rounding. Each Gram entry is a dot
 * product of length at most q = max(rows, cols), whose rounding error is at most about q u times
 * the sum of the absolute products (u the unit roundoff), so the whole Gram matrix is off by at
 * most about `q u ||A||_F^2` in norm. The backward-stable eigensolver adds a relative error of a
 * small multiple of `min(rows, cols) u`, taken here as 16 times that.
 *
 * ```tex
 * \|A\|_2 \le \sqrt{\hat\lambda (1 + 16 \min(r, c)\, u) + 1.01\, q\, u\, \|A\|_F^2}
 * ```
 */
export function certifiedSpectralNorm(matrix: Float64Array, rows: number, cols: number): number {
	const eigenvalue = largestGramEigenvalue(matrix, rows, cols);
	const frobenius = frobeniusNorm(matrix);
	return certifiedNormFromGram(eigenvalue, frobenius * frobenius, rows, cols);
}

/**
 * Returns the bound of `certifiedSpectralNorm` from a Gram matrix the caller already has: its
 * largest eigenvalue (from a backward-stable eigensolver) and `||A||_F^2`, the Gram's trace.
 */
export function certifiedNormFromGram(
	largestEigenvalue: number,
	frobeniusSquared: number,
	rows: number,
	cols: number,
): number {
	const roundoff = Number.EPSILON / 2;
	const gramError = 1.01 * Math.max(rows, cols) * roundoff * frobeniusSquared;
	const solverFactor = 1 + 16 * Math.min(rows, cols) * roundoff;
	return Math.sqrt(Math.max(0, largestEigenvalue) * solverFactor + gramError);
}

function largestGramEigenvalue(matrix: Float64Array, rows: number, cols: number): number {
	if (rows === 0 || cols === 0) {
		return 0;
	}
	assertFinite(matrix);
	const gram =
		rows <= cols
			? gramMatrix(matrix, rows, cols)
			: gramMatrix(transpose(matrix, rows, cols), cols, rows);
	return Math.max(0, largestSymmetricEigenvalue(gram, Math.min(rows, cols)));
}

/** Computes the Frobenius norm `sqrt(sum of squared entries)`. */
export function frobeniusNorm(matrix: Float64Array): number {
	let sum = 0;
	for (let i = 0; i < matrix.length; i++) {
		sum += matrix[i] * matrix[i];
	}
	return Math.sqrt(sum);
}

function transpose(matrix: Float64Array, rows: number, cols: number): Float64Array {
	const result = new Float64Array(rows * cols);
	for (let i = 0; i < rows; i++) {
		for (let j = 0; j < cols; j++) {
			result[j * rows + i] = matrix[i * cols + j];
		}
	}
	return result;
}

function assertFinite(matrix: Float64Array): void {
	for (let i = 0; i < matrix.length; i++) {
		if (!Number.isFinite(matrix[i])) {
			throw new SimulationError(
				'nonFinite',
				`Cannot compute a spectral norm: entry ${i} of the matrix is ${matrix[i]}.`,
			);
		}
	}
}
