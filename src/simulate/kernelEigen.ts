import { SimulationError } from '../errors';
import { isAllFinite, symmetricEigen } from '../linalg';
import type { SymmetricEigen, SymmetricEigenOptions } from '../linalg';

/**
 * Decomposes a kernel matrix formed during a simulation, after checking that every entry is
 * finite, so an overflow becomes a typed error that names the time instead of the eigensolver's
 * `RangeError`.
 *
 * @param matrix - symmetric n x n matrix, row-major
 * @param size - n
 * @param context - the matrix's name for the message, the sum-loss time and the eigensolver options
 * @returns the eigendecomposition from `symmetricEigen`
 * @throws SimulationError `nonFinite`, naming the matrix and the time, when an entry is NaN or
 * infinite
 */
export function decomposeKernel(
	matrix: Float64Array,
	size: number,
	context: {
		readonly matrixName: string;
		readonly time: number;
		readonly options?: SymmetricEigenOptions;
	},
): SymmetricEigen {
	if (!isAllFinite(matrix)) {
		throw new SimulationError(
			'nonFinite',
			`${context.matrixName} has a NaN or infinite entry at t = ${context.time}; the model's Jacobian ` +
				'grew too large. Try a larger alpha or a shorter training time.',
			context.time,
		);
	}
	return symmetricEigen(matrix, size, context.options);
}
