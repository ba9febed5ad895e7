import type { PreparedProblem } from '../simulate/problem';
import type { BoundInputs } from './constants';
import { kappaAt } from './constants';
import { secantLogLog, smallestSatisfying } from './horizonSolver';
import type { HorizonInputs } from './horizons';
import { sharpKappaLimit } from './horizons';

/** Decades searched on either side of the analyzed alpha when r0 depends on alpha. */
const SEARCH_DECADES = 15;

/** Builds the horizon inputs for another alpha (the function `horizonInputs` of the analysis). */
export type InputsForAlpha = (alpha: number) => HorizonInputs;

/**
 * Finds the smallest alpha whose guaranteed horizon reaches T. Because kappa(T) grows with T, the
 * horizon reaches T exactly when kappa(T) <= (sqrt(1 + 3 eps) - 1) / 3, so each candidate costs
 * one Lipschitz evaluation. When r0 does not depend on alpha (h(w0) = 0), kappa(T) falls with
 * alpha like a power law, and the secant method on log kappa against log alpha, started at
 * `alpha kappa(T) / limit`, finds the root in a few evaluations. Otherwise, or when that fails,
 * `smallestSatisfying` searches [alpha 1e-15, alpha 1e15], clamped to the double range.
 *
 * NOTE: the search assumes that the guaranteed horizon grows with alpha. This is true when r0 does
 * not depend on alpha. Under centering `none` it is checked only at the points visited.
 *
 * @param problem - prepared problem
 * @param inputs - the inputs at the analyzed alpha
 * @param trainingTime - T of the sum-loss flow
 * @param inputsFor - the inputs at another alpha
 * @returns the smallest alpha; 0 when every alpha qualifies (T = 0, tolerance above the bound's
 * ceiling, or Lip(Dh) = 0); null when none does (non-smooth model, or r0 growing with alpha under
 * centering `none` so that kappa(T) stays above the limit)
 */
export function minimumAlpha(
	problem: PreparedProblem,
	inputs: HorizonInputs,
	trainingTime: number,
	inputsFor: InputsForAlpha,
): number | null {
	if (!problem.model.smooth) {
		return null;
	}
	if (trainingTime === 0) {
		return 0;
	}
	const fast = problem.initialOutputs.every((value) => value === 0)
		? centeredMinimum(inputs, trainingTime)
		: undefined;
	return fast ?? searchedMinimum(inputs.alpha, trainingTime, inputsFor);
}

/** Solves kappa(T; alpha) = limit for alpha with R0 fixed; undefined when the secant fails. */
function centeredMinimum(inputs: HorizonInputs, trainingTime: number): number | undefined {
	if (!(inputs.initialLoss > 0) || inputs.relativeTolerance >= 2) {
		return 0;
	}
	if (inputs.lipschitzAt(0).jacobianLipschitzBound === 0) {
		return 0;
	}
	const limit = sharpKappaLimit(inputs.relativeTolerance);
	const kappa = (alpha: number): number => kappaAt(withAlpha(inputs, alpha), trainingTime);
	const guess = (inputs.alpha * kappa(inputs.alpha)) / limit;
	return secantLogLog(kappa, limit, guess, -1);
}

function withAlpha(inputs: BoundInputs, alpha: number): BoundInputs {
	return { alpha, initialLoss: inputs.initialLoss, lipschitzAt: inputs.lipschitzAt };
}

function searchedMinimum(alpha: number, trainingTime: number, inputsFor: InputsForAlpha): number | null {
	const reaches = (candidate: number): boolean => {
		if (!Number.isFinite(candidate)) {
			return false;
		}
		const candidateInputs = inputsFor(candidate);
		if (candidateInputs.initialLoss === 0 || candidateInputs.relativeTolerance >= 2) {
			return true;
		}
		if (!(candidateInputs.initialLoss < Infinity)) {
			return false;
		}
		const limit = sharpKappaLimit(candidateInputs.relativeTolerance);
		return kappaAt(candidateInputs, trainingTime) <= limit;
	};
	const lowest = Math.max(alpha * 10 ** -SEARCH_DECADES, Number.MIN_VALUE);
	const highest = Math.min(alpha * 10 ** SEARCH_DECADES, Number.MAX_VALUE);
	if (reaches(lowest)) {
		return 0;
	}
	return smallestSatisfying(reaches, alpha, lowest, highest);
}
