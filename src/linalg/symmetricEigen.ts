import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Eigendecomposition `A = Q diag(values) Q^T` of a real symmetric matrix. */
export interface SymmetricEigen {
	/** Matrix order n. */
	readonly size: number;
	/** Eigenvalues in ascending order. */
	readonly values: Float64Array;
	/** Orthonormal eigenvectors, row-major n x n: column k (entries `vectors[i * n + k]`) belongs to `values[k]`. */
	readonly vectors: Float64Array;
}

export interface SymmetricEigenOptions {
	/**
	 * Sets eigenvalues below zero to zero. Use it for Gram matrices such as `K = J J^T`, which are
	 * positive semi-definite, so a negative computed eigenvalue is rounding error.
	 */
	readonly nonNegative?: boolean;
}

/**
 * Computes the eigendecomposition of a symmetric matrix with ml-matrix 6.15.1's
 * `EigenvalueDecomposition` (tridiagonal QL, from JAMA), guarding against its traps.
 *
 * That solver has no iteration cap and mishandles non-finite entries (a NaN entry can loop forever,
 * an Infinity entry throws a bare `TypeError`), and a matrix that is asymmetric by one ulp takes its
 * general path, which returns unsorted eigenvalues. This wrapper therefore rejects non-finite
 * entries first, symmetrizes `(A + A^T) / 2`, passes `assumeSymmetric`, and sorts the result.
 *
 * @param matrix - row-major n x n entries; only the symmetric part is used
 * @param size - n, the order
 * @param options - `nonNegative` clamps eigenvalues at 0
 * @returns ascending eigenvalues and the matching orthonormal eigenvectors
 * @throws RangeError when `matrix.length !== size * size` or an entry is NaN or infinite
 */
export function symmetricEigen(
	matrix: Float64Array,
	size: number,
	options: SymmetricEigenOptions = {},
): SymmetricEigen {
	checkSquare(matrix, size);
	if (size === 0) {
		return { size, values: new Float64Array(0), vectors: new Float64Array(0) };
	}
	const decomposition = new EigenvalueDecomposition(symmetrized(matrix, size), {
		assumeSymmetric: true,
	});
	const rawValues = decomposition.realEigenvalues;
	const rawVectors = decomposition.eigenvectorMatrix;
	const order = rawValues.map((_, k) => k).sort((i, j) => rawValues[i] - rawValues[j]);
	const values = new Float64Array(size);
	const vectors = new Float64Array(size * size);
	for (let k = 0; k < size; k++) {
		const source = order[k];
		values[k] = options.nonNegative ? Math.max(0, rawValues[source]) : rawValues[source];
		for (let i = 0; i < size; i++) {
			vectors[i * size + k] = rawVectors.get(i, source);
		}
	}
	return { size, values, vectors };
}

function checkSquare(matrix: Float64Array, size: number): void {
	if (!Number.isInteger(size) || size < 0 || matrix.length !== size * size) {
		throw new RangeError(
			`symmetricEigen: expected ${size} x ${size} = ${size * size} entries, got ${matrix.length}`,
		);
	}
	for (let index = 0; index < matrix.length; index++) {
		if (!Number.isFinite(matrix[index])) {
			const row = Math.floor(index / size);
			const column = index % size;
			throw new RangeError(
				`symmetricEigen: entry (${row}, ${column}) is ${matrix[index]}; all entries must be finite`,
			);
		}
	}
}

function symmetrized(matrix: Float64Array, size: number): Matrix {
	const result = new Matrix(size, size);
	for (let i = 0; i < size; i++) {
		for (let j = i; j < size; j++) {
			const value = 0.5 * (matrix[i * size + j] + matrix[j * size + i]);
			result.set(i, j, value);
			result.set(j, i, value);
		}
	}
	return result;
}
