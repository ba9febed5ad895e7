/**
 * Closed-form E(t) of the converse model of Theorem 1.3 in Boix-Adsera and Littwin, "The NTK
 * approximation is valid for longer than you think": the scalar quadratic
 * `h(w) = a w + b w^2 / 2` with `w0 = 0` and target `y*`.
 *
 * Its residual obeys the Bernoulli equation `dr/dt = -beta r + k r^2` with
 * `beta = a^2 + 2 b y* / alpha` and `k = 2 b / alpha`, so
 * `r(t) = r0 exp(-beta t) / D`, `D = 1 - k r0 (1 - exp(-beta t)) / beta`, while the linearization
 * gives `rbar(t) = exp(-a^2 t) r0`.
 */

import { logSpacedTimes, REPORT_TIME_COUNT } from './problems';

/** Parameters of the converse model. */
export interface ConverseModel {
	readonly a: number;
	readonly b: number;
	readonly target: number;
	readonly alpha: number;
}

/**
 * Returns `expm1(-z) + z = z^2/2 - z^3/6 + ...` without the cancellation of the direct sum for
 * small z (the series is used below 0.5, where it converges to rounding in 25 terms).
 */
export function expm1PlusIdentity(z: number): number {
	if (Math.abs(z) >= 0.5) {
		return Math.expm1(-z) + z;
	}
	let term = (z * z) / 2;
	let sum = 0;
	for (let k = 2; k < 27 && term !== 0; k++) {
		sum += term;
		term *= -z / (k + 1);
	}
	return sum;
}

/**
 * Computes `E(t) = r(t) - rbar(t)` of the converse model (signed).
 *
 * With `delta = beta - a^2 = k r0` and `x = beta t`,
 * `E = r0 exp(-a^2 t) (exp(-delta t) - D) / D` and
 * `exp(-delta t) - D = S(delta t) - delta t S(x) / x`, where `S(z) = expm1(-z) + z`.
 * Both terms come from `expm1PlusIdentity` and have the same sign structure as the exact
 * difference, so no digits are lost to cancellation even when E is 1e-8 times `r0` (alpha = 1e6).
 */
export function converseDeviation(model: ConverseModel, t: number): number {
	const r0 = model.target;
	const k = (2 * model.b) / model.alpha;
	const delta = k * r0;
	const beta = model.a * model.a + delta;
	const x = beta * t;
	const numerator = expm1PlusIdentity(delta * t) - (delta * t * expm1PlusIdentity(x)) / x;
	const denominator = 1 + (delta * Math.expm1(-x)) / beta;
	return (r0 * Math.exp(-model.a * model.a * t) * numerator) / denominator;
}

/** Builds the raw spec of the converse model with `a = 1 / sqrt(T)`, `b = 1` and `y* = 1`. */
export function converseSpec(alpha: number, T: number): object {
	return {
		name: `bench_converse_alpha${alpha}`,
		description:
			'Converse model of Theorem 1.3: h(w) = a w + b w^2 / 2, a = 1/sqrt(T), b = 1, w0 = 0, y* = 1.',
		model: { type: 'quadratic', a: 1 / Math.sqrt(T), b: 1, w0: 0 },
		data: { y: [1] },
		training: { alpha, T },
		analysis: { epsilon: 0.05, relative: true, times: logSpacedTimes(T, REPORT_TIME_COUNT) },
	};
}
