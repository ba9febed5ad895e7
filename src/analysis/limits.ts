/**
 * Checks that alpha and T keep the analysis inside the double range, with errors that name the
 * value, the JSON path and the usable range.
 */

import { SpecError } from '../errors';
import type { JsonPath } from '../errors';
import { norm2 } from '../linalg';
import type { PreparedProblem } from '../simulate/problem';
import type { BoundInputs } from './constants';
import { isOverflow, trajectoryRadius } from './constants';

const ALPHA_PATH: JsonPath = ['training', 'alpha'];

/**
 * Largest ||r0|| whose loss `||r0||^2 / 2` stays finite, rounded down: sqrt(2 * 1.797e308) is
 * 1.896e154.
 */
const MAX_RESIDUAL_NORM = 1.8e154;

/** Bisection steps on log rho when searching the largest radius with a finite bound. */
const RADIUS_BISECTIONS = 40;

/**
 * Checks an alpha passed in place of the spec's (the sweep, the simulation options).
 *
 * @throws SpecError with code `range` at `$.training.alpha` unless alpha is finite and > 0
 */
export function assertUsableAlpha(alpha: number): void {
	if (!(alpha > 0) || !Number.isFinite(alpha)) {
		const message = `alpha must be a finite number > 0, got ${alpha}.`;
		throw new SpecError([{ path: ALPHA_PATH, severity: 'error', code: 'range', message, value: alpha }]);
	}
}

/**
 * Checks that the initial loss R0 = ||y* - alpha h(w0)||^2 / 2 is finite. It overflows only when
 * alpha h(w0) is huge, because the loader rejects targets whose squares overflow.
 *
 * @throws SpecError with code `range` at `$.training.alpha`, naming the largest usable alpha
 */
export function assertFiniteLoss(problem: PreparedProblem, alpha: number, initialLoss: number): void {
	if (Number.isFinite(initialLoss)) {
		return;
	}
	const outputNorm = norm2(problem.initialOutputs);
	const largest = (MAX_RESIDUAL_NORM - norm2(problem.targets)) / outputNorm;
	const range = largest > 0 && Number.isFinite(largest) ? `Use alpha <= ${roundDown(largest)}, or` : 'Use';
	const message =
		`alpha = ${alpha} makes the initial loss R0 = ||y* - alpha h(w0)||^2 / 2 overflow the double ` +
		`range, because h(w0) is not zero (||h(w0)|| = ${outputNorm.toPrecision(3)}). ${range} a model ` +
		'with h(w0) = 0 (for a network, "centering": "initial").';
	throw new SpecError([{ path: ALPHA_PATH, severity: 'error', code: 'range', message, value: alpha }]);
}

/**
 * Creates the error for a ball of radius `sqrt(T R0) / alpha` on which the certified bound
 * overflows. It names the largest radius with a finite bound and the alpha and T that keep the
 * ball within it, found by bisection on log rho (about 40 more bound evaluations).
 *
 * NOTE: under centering `none`, R0 changes with alpha, so the alpha range is computed with the R0
 * of the given alpha and is approximate.
 *
 * @param inputs - alpha, R0 and the memoized constants
 * @param trainingTime - T of the sum-loss flow
 * @param timeScale - factor from the spec's time unit to the sum-loss flow's
 * @returns a SpecError with code `range` at `$.training.alpha`
 */
export function radiusOverflowError(inputs: BoundInputs, trainingTime: number, timeScale: number): SpecError {
	const radius = trajectoryRadius(inputs, trainingTime);
	const usable = largestFiniteRadius(inputs, radius);
	const specTime = trainingTime / timeScale;
	const rootLoss = Math.sqrt(inputs.initialLoss);
	const smallestAlpha = (Math.sqrt(trainingTime) * rootLoss) / usable;
	const scaled = (inputs.alpha * usable) / rootLoss;
	const largestTime = (scaled * scaled) / timeScale;
	const message =
		`alpha = ${inputs.alpha} is too small for T = ${specTime}: the weights may move up to ` +
		`sqrt(T R0) / alpha = ${radius.toPrecision(3)} from w0, and the certified bound on Lip(Dh) ` +
		`overflows the double range on a ball that large. Use alpha >= ${roundUp(smallestAlpha)} for ` +
		`this T, or T <= ${roundDown(largestTime)} for this alpha.`;
	return new SpecError([{ path: ALPHA_PATH, severity: 'error', code: 'range', message, value: inputs.alpha }]);
}

/** Finds, by bisection on log rho below `radius`, about the largest radius with a finite bound. */
function largestFiniteRadius(inputs: BoundInputs, radius: number): number {
	const overflows = (candidate: number): boolean => isOverflow(inputs.lipschitzAt(candidate));
	let low = Math.min(1, radius);
	while (overflows(low) && low > 1e-300) {
		low /= 1e10;
	}
	let high = Number.isFinite(radius) ? radius : Number.MAX_VALUE;
	for (let i = 0; i < RADIUS_BISECTIONS && high / low > 1 + 1e-3; i++) {
		const middle = Math.sqrt(low) * Math.sqrt(high);
		if (overflows(middle)) {
			high = middle;
		} else {
			low = middle;
		}
	}
	return low;
}

/** Rounds up to 2 significant digits, so that a stated lower limit is on the safe side. */
function roundUp(value: number): string {
	return roundTo(value, Math.ceil);
}

/** Rounds down to 2 significant digits, so that a stated upper limit is on the safe side. */
function roundDown(value: number): string {
	return roundTo(value, Math.floor);
}

function roundTo(value: number, round: (x: number) => number): string {
	if (!(value > 0) || !Number.isFinite(value)) {
		return String(value);
	}
	const [mantissa, exponent] = value.toExponential(15).split('e');
	const rounded = round(Number(mantissa) * 10) / 10;
	return `${rounded}e${Number(exponent)}`;
}
