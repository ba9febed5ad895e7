import type { Horizon, LipschitzSource } from '../results';
import type { BoundInputs } from './constants';
import { isOverflow, kappaAt, kappaWith, trajectoryRadius } from './constants';
import { solveHorizon } from './horizonSolver';

/** Inputs of the predicted horizons, in sum-loss time. */
export interface HorizonInputs extends BoundInputs {
	/** epsilon relative to ||r0||: the threshold divided by ||r0||. */
	readonly relativeTolerance: number;
	/** False for a non-smooth activation (ReLU): Dh is not Lipschitz and no theorem applies. */
	readonly smooth: boolean;
	/**
	 * Lip(Dh) for the headline estimate when the certified bound is not exact: a path or curvature
	 * estimate (a lower bound on the true constant). Undefined: the certified bound is used.
	 */
	readonly jacobianLipschitzEstimate?: number;
}

/** Names of the four predicted horizons. */
export type HorizonName = 'guaranteed' | 'guaranteedRounded' | 'estimate' | 'older';

/** The four predicted horizons, in sum-loss time. */
export interface PredictedHorizons {
	readonly guaranteed: Horizon;
	readonly guaranteedRounded: Horizon;
	readonly estimate: Horizon;
	readonly older: Horizon;
	/** The Lip(Dh) value each horizon was solved with. */
	readonly sources: Readonly<Record<HorizonName, LipschitzSource>>;
}

/** Reason of the `unbounded` horizons of a model that is linear in its parameters. */
const LINEAR_REASON = 'Lip(Dh) = 0: the model is linear in its parameters, so E(t) = 0';

/**
 * Solves the four predicted horizons ("The NTK approximation is valid for longer than you think",
 * Boix-Adsera and Littwin 2023, Theorem 1.2 and section 1; Chizat, Oyallon and Bach 2019,
 * Theorem 2.3) with eps the relative tolerance:
 *
 * ```tex
 * \text{guaranteed: } \kappa(T) \le \frac{\sqrt{1 + 3\varepsilon} - 1}{3}, \quad
 * \text{rounded: } \kappa(T) \le \frac{\sqrt 2 \, \varepsilon}{6}, \quad
 * \text{estimate: } \kappa(T) \le \varepsilon, \quad
 * \text{older: } T^2 \mathrm{Lip}(h)^2 \mathrm{Lip}(Dh) R_0 / \alpha \le \varepsilon \sqrt{2 R_0},
 * ```
 *
 * each a fixed point in T because the constants are taken on the ball of radius
 * sqrt(T R0) / alpha (solved by `solveHorizon`, first guess from the constants at a known radius).
 * With a Lip(Dh) estimate the estimate horizon has the closed form `eps alpha / (L sqrt(R0))`.
 * Both Theorem 1.2 forms are `unbounded` when eps >= 2 (the bound's ceiling `2 sqrt(2 R0)` is then
 * within the tolerance). Every horizon is `notApplicable` when R0 = 0 (E is identically 0 and the
 * formulas divide by zero) or when Dh is not Lipschitz.
 *
 * @returns horizons in sum-loss time, and which Lip(Dh) value each used
 */
export function predictHorizons(inputs: HorizonInputs): PredictedHorizons {
	const sources = lipschitzSources(inputs);
	const reason = notApplicableReason(inputs);
	if (reason !== undefined) {
		const horizon: Horizon = { kind: 'notApplicable', reason };
		return { guaranteed: horizon, guaranteedRounded: horizon, estimate: horizon, older: horizon, sources };
	}
	const epsilon = inputs.relativeTolerance;
	const guaranteed = theorem12Horizon(inputs, sharpKappaLimit(epsilon), 0);
	// The other horizons lie near the guaranteed one, so its radius gives closer first guesses.
	const hint = guaranteed.kind === 'finite' ? trajectoryRadius(inputs, guaranteed.time) : 0;
	return {
		guaranteed,
		guaranteedRounded: theorem12Horizon(inputs, (Math.SQRT2 * epsilon) / 6, hint),
		estimate: estimateHorizon(inputs, hint),
		older: olderHorizon(inputs, hint),
		sources,
	};
}

/**
 * Computes the largest kappa allowed by the sharper form of Theorem 1.2 for the relative tolerance
 * eps. The form on the right has no cancellation, so it keeps full precision for tiny eps (where
 * the left form loses about log10(1 / eps) digits).
 *
 * ```tex
 * \frac{\sqrt{1 + 3\varepsilon} - 1}{3} = \frac{\varepsilon}{\sqrt{1 + 3\varepsilon} + 1}
 * ```
 */
export function sharpKappaLimit(relativeTolerance: number): number {
	if (relativeTolerance === Infinity) {
		return Infinity;
	}
	return relativeTolerance / (Math.sqrt(1 + 3 * relativeTolerance) + 1);
}

/** Returns the Lip(Dh) value each horizon is solved with. */
function lipschitzSources(inputs: HorizonInputs): PredictedHorizons['sources'] {
	const exact = inputs.lipschitzAt(0).jacobianLipschitzExact;
	const bound: LipschitzSource = exact ? 'exact' : 'certifiedBound';
	const estimate: LipschitzSource = exact ? 'exact' : hasEstimate(inputs) ? 'estimate' : 'certifiedBound';
	return { guaranteed: bound, guaranteedRounded: bound, estimate, older: bound };
}

function hasEstimate(inputs: HorizonInputs): boolean {
	const estimate = inputs.jacobianLipschitzEstimate;
	return estimate !== undefined && Number.isFinite(estimate) && estimate > 0;
}

function notApplicableReason(inputs: HorizonInputs): string | undefined {
	const atCenter = inputs.lipschitzAt(0);
	if (inputs.smooth && isOverflow(atCenter)) {
		return 'the certified bound on Lip(Dh) overflows the double range even at w0 (weights or inputs near 1e308), so no horizon can be computed';
	}
	if (!inputs.smooth || !Number.isFinite(atCenter.jacobianLipschitzBound)) {
		return "Lip(Dh) is infinite because the activation's derivative is not Lipschitz (for example ReLU), so this bound does not apply";
	}
	if (!(inputs.initialLoss > 0)) {
		return 'R0 = 0: the initial residual is zero, so E(t) = 0 for all t and the horizon formulas divide by zero';
	}
	return undefined;
}

function theorem12Horizon(inputs: HorizonInputs, kappaLimit: number, hint: number): Horizon {
	if (inputs.relativeTolerance >= 2) {
		return {
			kind: 'unbounded',
			reason: "the tolerance is at least Theorem 1.2's ceiling 2 sqrt(2 R0), so the bound never exceeds it",
		};
	}
	return solveKappa(inputs, kappaLimit, hint);
}

function estimateHorizon(inputs: HorizonInputs, hint: number): Horizon {
	const exact = inputs.lipschitzAt(0).jacobianLipschitzExact;
	const estimate = inputs.jacobianLipschitzEstimate;
	if (exact || estimate === undefined || !hasEstimate(inputs)) {
		return solveKappa(inputs, inputs.relativeTolerance, hint);
	}
	// kappa is linear in T for a constant Lip(Dh), so the fixed point is explicit.
	const time = inputs.relativeTolerance / kappaWith(inputs, 1, estimate);
	if (time === Infinity) {
		return { kind: 'unbounded', reason: 'the estimated horizon exceeds the double range (about 1.8e308)' };
	}
	return { kind: 'finite', time: Number.isNaN(time) ? 0 : time };
}

/**
 * Solves kappa(T) = limit. The first guess `limit / kappa per unit time` uses the constant at
 * radius `hint`; when the hint lies below the horizon's radius this guess is an upper bound.
 */
function solveKappa(inputs: HorizonInputs, limit: number, hint: number): Horizon {
	const kappa = (time: number): number => kappaAt(inputs, time);
	const perTime = kappaWith(inputs, 1, inputs.lipschitzAt(hint).jacobianLipschitzBound);
	const guess = perTime > 0 ? limit / perTime : 1;
	const horizon = solveHorizon(kappa, limit, guess, 1);
	if (horizon.kind === 'unbounded' && inputs.lipschitzAt(0).jacobianLipschitzBound === 0) {
		return { kind: 'unbounded', reason: LINEAR_REASON };
	}
	return horizon;
}

function olderHorizon(inputs: HorizonInputs, hint: number): Horizon {
	const target = inputs.relativeTolerance * Math.sqrt(2 * inputs.initialLoss);
	const level = (time: number): number => olderLevel(inputs, time);
	const perSquaredTime = olderLevel(inputs, 1, hint);
	const guess = perSquaredTime > 0 ? Math.sqrt(target / perSquaredTime) : 1;
	const horizon = solveHorizon(level, target, guess, 2);
	if (horizon.kind === 'unbounded' && inputs.lipschitzAt(0).jacobianLipschitzBound === 0) {
		return { kind: 'unbounded', reason: LINEAR_REASON };
	}
	return horizon;
}

/**
 * Computes Proposition 1.1's bound `t^2 Lip(h)^2 Lip(Dh) R0 / alpha` with the constants on the ball
 * of radius `radius` (default: the trajectory radius at t). NaN (from 0 times Infinity) counts as 0.
 */
function olderLevel(inputs: HorizonInputs, time: number, radius = trajectoryRadius(inputs, time)): number {
	const constants = inputs.lipschitzAt(radius);
	const lipschitzH = constants.modelLipschitzBound;
	const scaled = time * lipschitzH;
	const value = scaled * scaled * (constants.jacobianLipschitzBound / inputs.alpha) * inputs.initialLoss;
	return Number.isNaN(value) ? 0 : value;
}
