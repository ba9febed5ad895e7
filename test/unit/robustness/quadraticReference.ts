/**
 * Closed-form NTK approximation error of the scalar quadratic `h(w) = a w + b w^2 / 2` with
 * `w0 = 0` (so `h(w0) = 0` and `r0 = y*`), written so that it keeps full double precision for any
 * alpha. The residual solves the Bernoulli equation `dr/dt = -beta r + k r^2` with
 * `beta = a^2 + 2 b y* / alpha` and `k = 2 b / alpha`, so
 *
 * ```tex
 * r(t) = \frac{r_0 e^{-\beta t}}{D}, \quad D = 1 - \frac{k r_0 (1 - e^{-\beta t})}{\beta}, \quad
 * \bar r(t) = r_0 e^{-a^2 t}.
 * ```
 *
 * With `u = delta t`, `v = beta t`, `delta = 2 b y* / alpha` and `phi(x) = expm1(-x) / x` this is
 * `E(t) = |r0| e^{-a^2 t} |u (phi(u) - phi(v))| / |1 + u phi(v)|`, in which no term cancels
 * except `phi(u) - phi(v)`, taken from its Taylor series when `u` and `v` are small.
 * The formula agrees with the 60-digit expected values of test/fixtures/cases/quad_converse_*.json
 * to a relative 1e-13 (checked in degenerate.test.ts).
 */

/** Largest |u|, |v| for which `phi(u) - phi(v)` is summed as a series. */
const SERIES_LIMIT = 0.5;

/** Series terms: 0.5^40 / 41! is far below the double epsilon. */
const SERIES_TERMS = 40;

/**
 * Computes E(t) = |r(t) - rbar(t)| for `h(w) = a w + b w^2 / 2`, `w0 = 0`, target `y*`, scale
 * alpha, valid while `D` stays positive (always when `b y* >= 0`).
 */
export function quadraticError(model: { a: number; b: number }, target: number, alpha: number, t: number): number {
	const delta = (2 * model.b * target) / alpha;
	const beta = model.a * model.a + delta;
	const u = delta * t;
	const v = beta * t;
	const denominator = 1 + u * phi(v);
	const scale = Math.abs(target) * Math.exp(-model.a * model.a * t);
	return (scale * Math.abs(u * phiDifference(u, v))) / Math.abs(denominator);
}

function phi(x: number): number {
	return x === 0 ? -1 : Math.expm1(-x) / x;
}

/** Computes `phi(u) - phi(v) = sum_k (-1)^k (u^k - v^k) / (k + 1)!` without cancellation. */
function phiDifference(u: number, v: number): number {
	if (Math.max(Math.abs(u), Math.abs(v)) > SERIES_LIMIT) {
		return phi(u) - phi(v);
	}
	let sum = 0;
	let factorial = 1;
	let powerU = 1;
	let powerV = 1;
	for (let k = 1; k < SERIES_TERMS; k++) {
		factorial *= k + 1;
		powerU *= -u;
		powerV *= -v;
		sum += (powerU - powerV) / factorial;
	}
	return sum;
}
