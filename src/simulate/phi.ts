/** Below this |x| the phi functions are summed from their Taylor series (no cancellation). */
const SERIES_LIMIT = 1;
/** Terms of the Taylor series; for |x| < 1 the remainder is below 1 / 23! relative to 1 / k!. */
const SERIES_TERMS = 20;

/** phi_0 .. phi_3 at one argument. */
export interface PhiValues {
	phi0: number;
	phi1: number;
	phi2: number;
	phi3: number;
}

/**
 * Computes the functions of exponential integrators at x <= 0 (Hochbruck and Ostermann,
 * "Exponential integrators", Acta Numerica 19, 2010, eq. (2.10)):
 *
 * ```tex
 * \varphi_0(x) = e^x, \qquad \varphi_{k+1}(x) = \frac{\varphi_k(x) - 1/k!}{x}, \qquad
 * \varphi_k(0) = 1/k!, \qquad \varphi_k(x) = \sum_{i \ge 0} \frac{x^i}{(i + k)!}
 * ```
 *
 * The recurrence cancels for small |x|, so below |x| = 1 the series is summed instead; above it
 * the recurrence loses at most a few ulps per step because |x| >= 1.
 *
 * @param x - argument, normally `-h lambda` with lambda >= 0
 * @param out - destination
 * @returns `out` with phi_0 .. phi_3 at x
 */
export function phiFunctions(x: number, out: PhiValues): PhiValues {
	out.phi0 = Math.exp(x);
	if (Math.abs(x) < SERIES_LIMIT) {
		out.phi1 = series(x, 1);
		out.phi2 = series(x, 2);
		out.phi3 = series(x, 3);
		return out;
	}
	out.phi1 = Math.expm1(x) / x;
	out.phi2 = (out.phi1 - 1) / x;
	out.phi3 = (out.phi2 - 0.5) / x;
	return out;
}

function series(x: number, k: number): number {
	let term = 1;
	for (let i = 2; i <= k; i++) {
		term /= i;
	}
	let sum = term;
	for (let i = 1; i < SERIES_TERMS; i++) {
		term *= x / (i + k);
		sum += term;
	}
	return sum;
}

/**
 * Computes phi_{k+1}(x) from phi_k(x) by the recurrence `phi_{k+1} = (phi_k - 1/k!) / x`, or by
 * its Taylor series below |x| = 1, for k >= 3.
 *
 * @param x - argument, normally `-h lambda` with lambda >= 0
 * @param k - index of the given function
 * @param phiK - phi_k(x)
 */
export function nextPhi(x: number, k: number, phiK: number): number {
	if (Math.abs(x) < SERIES_LIMIT) {
		return series(x, k + 1);
	}
	let factorial = 1;
	for (let i = 2; i <= k; i++) {
		factorial *= i;
	}
	return (phiK - 1 / factorial) / x;
}
