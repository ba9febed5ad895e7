import { norm2 } from '../linalg';

/**
 * Coefficients of the Dormand-Prince 5(4) pair (Dormand and Prince, "A family of embedded
 * Runge-Kutta formulae", J. Comput. Appl. Math. 6, 1980; as tabulated in Hairer, Norsett and Wanner,
 * "Solving Ordinary Differential Equations I", 2nd ed., 1993, Table II.5.2). The seventh stage is
 * evaluated at the new point with the fifth-order weights (first same as last), so an accepted step
 * costs six derivative evaluations.
 */

/** Stage nodes c_i. They are non-decreasing, so every `c_i - c_j` with `j < i` is >= 0. */
export const NODES: readonly number[] = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];

/** Runge-Kutta matrix rows a_ij (j < i). Row 7 contains the fifth-order weights b_j. */
export const COUPLING: readonly (readonly number[])[] = [
	[],
	[1 / 5],
	[3 / 40, 9 / 40],
	[44 / 45, -56 / 15, 32 / 9],
	[19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
	[9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
	[35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];

/** Differences b_j - bhat_j of the fifth- and fourth-order weights, for the error estimate. */
export const ERROR_WEIGHTS: readonly number[] = [
	71 / 57600,
	0,
	-71 / 16695,
	71 / 1920,
	-17253 / 339200,
	22 / 525,
	-1 / 40,
];

/** Number of stages. */
export const STAGE_COUNT = 7;

/**
 * Absolute floor of the e block's error scale, as a fraction of `||r0|| / max(1, alpha)`. Near
 * t = 0, e is tiny and J_t - J0 is computed as a difference of two Jacobians (for models without
 * `jacobianDifference`), so rounding noise of relative size 1e-16 ||J|| / ||J_t - J0|| can dominate
 * the error estimate, and a purely relative control would then shrink the step without end. E and
 * that noise both scale like 1 / alpha, hence the division by alpha.
 */
export const ROUNDING_FLOOR = 1e-14;

/** Floor of every error scale, so a state that is exactly zero does not divide by zero. */
const TINY_SCALE = 1e-300;

/**
 * Computes the scaled error norm of a step on the state `y = [e; d]`. Each component's scale is
 * `atol_i + rtol max(|y_old_i|, |y_new_i|)` with the absolute floor tied to the size of its own
 * block, so the tolerance is relative to E(t) and to ||u||, not to ||r||:
 *
 * ```tex
 * \mathrm{atol}_e = \mathrm{rtol} \max(\|e_{old}\|, \|e_{new}\|) / \sqrt{n}, \qquad
 * \mathrm{atol}_d = \mathrm{rtol} \|\bar u + d_{new}\| / \sqrt{p}
 * ```
 *
 * The result is the larger of the two blocks' root-mean-square scaled errors; a step is accepted
 * when it is at most 1.
 *
 * @param input - old and new states, the error vector, block sizes, rtol and `||ubar + d_new||`
 * @returns the scaled error norm (0 for an exact step)
 */
export function scaledErrorNorm(input: {
	readonly previous: Float64Array;
	readonly next: Float64Array;
	readonly error: Float64Array;
	readonly n: number;
	readonly p: number;
	readonly rtol: number;
	readonly displacementNorm: number;
	/** Absolute floor of the e block's scale (rounding level of the residual), see `ROUNDING_FLOOR`. */
	readonly residualFloor: number;
}): number {
	const { previous, next, error, n, p, rtol } = input;
	const eSize = Math.max(norm2(previous, 0, n), norm2(next, 0, n));
	const eFloor = (rtol * eSize + input.residualFloor) / Math.sqrt(Math.max(n, 1)) + TINY_SCALE;
	const dFloor = (rtol * input.displacementNorm) / Math.sqrt(Math.max(p, 1)) + TINY_SCALE;
	const eError = blockError(previous, next, error, 0, n, rtol, eFloor);
	const dError = blockError(previous, next, error, n, n + p, rtol, dFloor);
	return Math.max(eError, dError);
}

function blockError(
	previous: Float64Array,
	next: Float64Array,
	error: Float64Array,
	start: number,
	end: number,
	rtol: number,
	floor: number,
): number {
	if (end <= start) {
		return 0;
	}
	let sum = 0;
	for (let i = start; i < end; i++) {
		if (error[i] === 0) {
			continue;
		}
		const scale = floor + rtol * Math.max(Math.abs(previous[i]), Math.abs(next[i]));
		const ratio = error[i] / scale;
		sum += ratio * ratio;
	}
	return Math.sqrt(sum / (end - start));
}
