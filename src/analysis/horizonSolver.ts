import type { Horizon } from '../results';

/** Bisection steps in log T; 200 halvings of a bracket of at most 600 decades reach rounding. */
const MAX_BISECTIONS = 200;
/** Decades searched on either side of the first guess before a bracket is declared missing. */
const MAX_DECADES = 600;

/**
 * Solves `level(T) = target` for the largest T with `level(T) <= target`, where `level` is
 * non-decreasing in T. The horizons need this because the Lipschitz constants are taken on the
 * ball of radius `sqrt(T R0) / alpha`, so each horizon is a fixed point in T.
 *
 * Method: first `secantLogLog`, the secant method on `log level` against `log T` from `guess`,
 * which converges in two to five evaluations because the levels are close to power laws in T
 * (each evaluation may cost a certified Lipschitz bound). When it fails, step from `guess` by
 * factors of 10 until `[low, high]` brackets the target (`level(low) <= target < level(high)`),
 * then bisect in log T (on `sqrt(low high)`) until the bracket's relative width is below 1e-14 or
 * stops shrinking.
 *
 * @param level - non-decreasing function of T > 0 (may return Infinity)
 * @param target - the level not to exceed
 * @param guess - a first T > 0 near the solution
 * @param slope - expected d log(level) / d log(T): 1 for kappa, 2 for the older bound
 * @returns a finite horizon with `level(time) <= target`, or `unbounded` when the level stays at
 * or below the target up to T = 1e300 or so
 */
export function solveHorizon(
	level: (time: number) => number,
	target: number,
	guess: number,
	slope = 1,
): Horizon {
	const fast = secantLogLog(level, target, guess, slope);
	if (fast !== undefined) {
		return { kind: 'finite', time: fast };
	}
	let low = Number.isFinite(guess) && guess > 0 ? guess : 1;
	let high = low;
	if (level(low) <= target) {
		let decades = 0;
		do {
			low = high;
			high = low * 10;
			decades++;
		} while (level(high) <= target && decades < MAX_DECADES && Number.isFinite(high * 10));
		if (level(high) <= target) {
			return { kind: 'unbounded', reason: `the bound stays below the tolerance up to T = ${high}` };
		}
	} else {
		let decades = 0;
		do {
			high = low;
			low = high / 10;
			decades++;
		} while (level(low) > target && decades < MAX_DECADES && low > 0);
		if (!(level(low) <= target)) {
			return { kind: 'finite', time: 0 };
		}
	}
	return { kind: 'finite', time: bisectLog(level, target, low, high) };
}

function bisectLog(level: (time: number) => number, target: number, low: number, high: number): number {
	for (let i = 0; i < MAX_BISECTIONS && high / low - 1 > 1e-14; i++) {
		const middle = Math.sqrt(low * high);
		if (middle <= low || middle >= high) {
			break;
		}
		if (level(middle) <= target) {
			low = middle;
		} else {
			high = middle;
		}
	}
	return low;
}

/**
 * Finds the smallest x in [lowest, highest] with `satisfies(x)` true, for a predicate that is false
 * below some point and true above it, by stepping in factors of 10 from `start` and then bisecting
 * in log x to 1e-12 relative.
 *
 * @returns the smallest such x, or null when `holds` is false up to `highest`
 */
export function smallestSatisfying(
	satisfies: (x: number) => boolean,
	start: number,
	lowest: number,
	highest: number,
): number | null {
	let low = start;
	let high = start;
	if (satisfies(start)) {
		while (low > lowest && satisfies(low / 10)) {
			low /= 10;
		}
		high = low;
		low = high / 10;
		if (high <= lowest) {
			return high;
		}
	} else {
		while (high < highest && !satisfies(high * 10)) {
			high *= 10;
		}
		low = high;
		high = low * 10;
		if (!satisfies(high)) {
			return null;
		}
	}
	for (let i = 0; i < MAX_BISECTIONS && high / low - 1 > 1e-12; i++) {
		const middle = Math.sqrt(low * high);
		if (satisfies(middle)) {
			high = middle;
		} else {
			low = middle;
		}
	}
	return high;
}

/** Secant iterations before the callers fall back to bracketing and bisection. */
const MAX_SECANT_STEPS = 16;

/**
 * A secant step in log x at or below this ends the iteration. The step is about the distance to
 * the root, so the root is then known to about 1e-12 relative. This is above the rounding noise
 * of a level computed by a few hundred floating-point operations, about 1e-14.
 */
const CONVERGED_LOG_STEP = 1e-12;

/** Nudges of the converged point towards the side where `level <= target`. */
const MAX_NUDGES = 8;

/**
 * Solves `level(x) = target` by the secant method on (log x, log level(x)), for a monotone level
 * close to a power law in x. The first step uses `slope`, the expected exponent of that power law:
 * 1 for kappa against T, 2 for the older bound, -1 for kappa against alpha. Later steps use the
 * secant slope of the last two points. The iteration stops when a step in log x is at most 1e-12,
 * because the step then is about the distance to the root, or after a last step aimed 1e-12 past
 * the root towards the feasible side lands there.
 *
 * The returned x satisfies `level(x) <= target`. A converged point on the wrong side is nudged by
 * relative steps of 1e-12 and more, towards smaller x for a rising level (`slope > 0`) and
 * towards larger x for a falling one.
 *
 * @param level - monotone function of x > 0, rising when `slope > 0` and falling when `slope < 0`
 * @param target - the level not to exceed, finite and > 0
 * @param guess - first x, finite and > 0; a guess from the known scaling saves evaluations
 * @param slope - expected d log(level) / d log(x), not 0 (default 1)
 * @returns x, or undefined when the iteration leaves the finite positive range, meets a level of 0
 * or Infinity, or has not converged after 16 steps
 */
export function secantLogLog(
	level: (x: number) => number,
	target: number,
	guess: number,
	slope = 1,
): number | undefined {
	const valid = guess > 0 && Number.isFinite(guess) && target > 0 && Number.isFinite(target);
	if (!valid || !(slope !== 0 && Number.isFinite(slope))) {
		return undefined;
	}
	const logTarget = Math.log(target);
	const residual = (x: number): number => Math.log(level(x)) - logTarget;
	const direction = Math.sign(slope);
	let x = guess;
	let f = residual(x);
	let currentSlope = slope;
	let previousStep = Infinity;
	for (let i = 0; i < MAX_SECANT_STEPS && Number.isFinite(f); i++) {
		const logStep = -f / currentSlope;
		if (Math.abs(logStep) <= CONVERGED_LOG_STEP) {
			return feasiblePoint(level, target, x, direction);
		}
		// The secant method converges superlinearly, so after this step the error is about
		// step^2 / previous step. When that is small, the step aims past the root by the tolerance,
		// to land on the feasible side and stop there without a further evaluation.
		const predictedError = (logStep * logStep) / Math.abs(previousStep);
		const isLast = Number.isFinite(previousStep) && predictedError <= CONVERGED_LOG_STEP / 4;
		const next = x * Math.exp(isLast ? logStep - direction * CONVERGED_LOG_STEP : logStep);
		if (!(next > 0) || !Number.isFinite(next) || next === x) {
			return next === x ? feasiblePoint(level, target, x, direction) : undefined;
		}
		const nextF = residual(next);
		if (isLast && nextF <= 0) {
			return next;
		}
		const measured = (nextF - f) / Math.log(next / x);
		if (Number.isFinite(measured) && Math.sign(measured) === direction) {
			currentSlope = measured;
		}
		previousStep = logStep;
		x = next;
		f = nextF;
	}
	return undefined;
}

/**
 * Returns x when `level(x) <= target`, else the first of the points nudged by 1e-12, 2e-12,
 * 4e-12, ... relative towards the feasible side where that holds; undefined when none does.
 */
function feasiblePoint(
	level: (x: number) => number,
	target: number,
	x: number,
	direction: number,
): number | undefined {
	let candidate = x;
	for (let i = 0; i < MAX_NUDGES; i++) {
		if (level(candidate) <= target) {
			return candidate;
		}
		candidate *= 1 - direction * CONVERGED_LOG_STEP * 2 ** i;
	}
	return undefined;
}
