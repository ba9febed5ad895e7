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
 * Method: first the secant method on `log level` against `log T`, which converges in a few
 * steps because the levels are close to power laws in T (each call may cost a certified Lipschitz
 * bound). Its result is kept only when `level(T) <= target < level(T (1 + 1e-12))`. Otherwise,
 * starting from `guess`, step by factors of 10 until `[low, high]` brackets the target
 * (`level(low) <= target < level(high)`), then bisect in log T (on `sqrt(low high)`) until the
 * bracket's relative width is below 1e-14 or stops shrinking.
 *
 * @param level - non-decreasing function of T > 0 (may return Infinity)
 * @param target - the level not to exceed
 * @param guess - a first T > 0 near the solution
 * @returns a finite horizon (the bracket's low end, so `level(time) <= target` holds), or
 * `unbounded` when the level stays at or below the target up to T = 1e300 or so
 */
export function solveHorizon(
	level: (time: number) => number,
	target: number,
	guess: number,
): Horizon {
	const fast = secantLogLog(level, target, guess);
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

/** Secant iterations before falling back to bisection. */
const MAX_SECANT_STEPS = 30;

/**
 * Solves `level(x) = target` by the secant method on (log x, log level(x)) from `guess`, for a
 * monotone level that is close to a power law. Returns x with `level(x) <= target` and
 * `level(x (1 + 1e-12)) > target` (for an increasing level), or undefined when the iteration
 * leaves the finite positive range or does not meet that check.
 */
export function secantLogLog(
	level: (x: number) => number,
	target: number,
	guess: number,
): number | undefined {
	if (!(guess > 0) || !Number.isFinite(guess) || !(target > 0)) {
		return undefined;
	}
	const logTarget = Math.log(target);
	const residual = (logX: number): number => Math.log(level(Math.exp(logX))) - logTarget;
	let x0 = Math.log(guess);
	let f0 = residual(x0);
	let x1 = x0 + (f0 > 0 ? -0.1 : 0.1);
	let f1 = residual(x1);
	for (let i = 0; i < MAX_SECANT_STEPS; i++) {
		if (!Number.isFinite(f0) || !Number.isFinite(f1) || f1 === f0) {
			break;
		}
		const x2 = x1 - (f1 * (x1 - x0)) / (f1 - f0);
		x0 = x1;
		f0 = f1;
		x1 = x2;
		f1 = residual(x1);
		if (Math.abs(x1 - x0) < 1e-13) {
			break;
		}
	}
	return confirmRoot(level, target, Math.exp(x1));
}

/** Nudges x down to the last point at or below the target and checks the next one is above. */
function confirmRoot(level: (x: number) => number, target: number, x: number): number | undefined {
	if (!(x > 0) || !Number.isFinite(x)) {
		return undefined;
	}
	let candidate = x;
	for (let i = 0; i < 8 && level(candidate) > target; i++) {
		candidate *= 1 - 1e-13;
	}
	if (level(candidate) > target || !(level(candidate * (1 + 1e-12)) > target)) {
		return undefined;
	}
	return candidate;
}
