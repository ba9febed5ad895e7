/** The model linear in its parameters, `h(w) = X w`, whose linearization is exact. */

import type { LinearModelSpec, ResolvedData } from '../spec/types';
import { assertBufferLengths, assertRadius, describeValue, shapeError } from './checks';
import { spectralNorm } from './operatorNorm';
import type { DifferentiableModel, LipschitzConstants } from './types';

/**
 * Creates the linear model on the n x d data matrix X (`data.x`), one output per input:
 *
 * ```tex
 * h(w) = X w, \qquad Dh(w) = X, \qquad \mathrm{Lip}(Dh) = 0, \qquad \mathrm{Lip}(h) = \|X\|_2
 * ```
 *
 * p = d and n is the number of rows. w0 is `model.w0`, and an empty `w0` means zeros.
 *
 * @throws SpecError when X is empty, ragged or not finite (path `data.x[i][j]`), when
 * `data.outputCount` is not 1, or when `w0` has neither length 0 nor d (path `model.w0`)
 */
export function createLinearModel(spec: LinearModelSpec, data: ResolvedData): DifferentiableModel {
	const { matrix, rows, cols } = readDataMatrix(data);
	const initial = readInitialParameters(spec, cols);
	let operatorNorm: number | undefined;

	return {
		parameterCount: cols,
		outputCount: rows,
		initialParameters: initial,
		smooth: true,
		evaluate(w: Float64Array, out: Float64Array): void {
			assertBufferLengths('evaluate', w, cols, out, rows);
			for (let i = 0; i < rows; i++) {
				let sum = 0;
				for (let j = 0; j < cols; j++) {
					sum += matrix[i * cols + j] * w[j];
				}
				out[i] = sum;
			}
		},
		jacobian(w: Float64Array, out: Float64Array): void {
			assertBufferLengths('jacobian', w, cols, out, rows * cols);
			out.set(matrix);
		},
		jacobianDifference(delta: Float64Array, out: Float64Array): void {
			assertBufferLengths('jacobianDifference', delta, cols, out, rows * cols);
			out.fill(0);
		},
		lipschitz(radius: number): LipschitzConstants {
			assertRadius(radius);
			operatorNorm ??= spectralNorm(matrix, rows, cols);
			return {
				jacobianLipschitzBound: 0,
				jacobianLipschitzExact: true,
				modelLipschitzBound: operatorNorm,
				description: 'exact: Lip(Dh) = 0, Lip(h) = ||X||_2 (largest singular value of X)',
			};
		},
	};
}

function readDataMatrix(data: ResolvedData): { matrix: Float64Array; rows: number; cols: number } {
	if (data.outputCount !== 1) {
		throw shapeError(
			['data', 'y'],
			'shape',
			`the linear model h(w) = X w has one output per input, but the data has ${data.outputCount}; give one target per row of x.`,
		);
	}
	const rows = data.x.length;
	const cols = rows > 0 ? data.x[0].length : 0;
	if (rows === 0 || cols === 0) {
		throw shapeError(
			['data', 'x'],
			'shape',
			`the linear model needs a non-empty data matrix x (n x d with n, d >= 1), got ${rows} x ${cols}.`,
		);
	}
	const matrix = new Float64Array(rows * cols);
	for (let i = 0; i < rows; i++) {
		const row = data.x[i];
		if (row.length !== cols) {
			throw shapeError(
				['data', 'x', i],
				'shape',
				`row ${i} of x has ${row.length} entries, expected ${cols} like row 0.`,
			);
		}
		for (let j = 0; j < cols; j++) {
			const value = row[j];
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				throw shapeError(
					['data', 'x', i, j],
					'type',
					`x[${i}][${j}] must be a finite number, got ${describeValue(value)}.`,
					value,
				);
			}
			matrix[i * cols + j] = value;
		}
	}
	return { matrix, rows, cols };
}

function readInitialParameters(spec: LinearModelSpec, cols: number): Float64Array {
	const w0 = spec.w0 ?? [];
	if (w0.length === 0) {
		return new Float64Array(cols);
	}
	if (w0.length !== cols) {
		throw shapeError(
			['model', 'w0'],
			'shape',
			`w0 has ${w0.length} entries, expected ${cols} (one per column of x) or none for zeros.`,
		);
	}
	const initial = new Float64Array(cols);
	for (let j = 0; j < cols; j++) {
		const value = w0[j];
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw shapeError(
				['model', 'w0', j],
				'type',
				`w0[${j}] must be a finite number, got ${describeValue(value)}.`,
				value,
			);
		}
		initial[j] = value;
	}
	return initial;
}
