import type { Horizon } from '../results';
import type { BoundInputs } from './constants';
import { kappaAt, kappaWith, trajectoryRadius } from './constants';
import { solveHorizon } from './horizonSolver';

/** Inputs of the predicted horizons, in sum-loss time. */
export interface HorizonInputs extends BoundInputs {
	/** epsilon relative to ||r0||: the threshold divided by ||r0||. */
	readonly relativeTolerance: number;
	/** False for a non-smooth activation (ReLU): Dh is not Lipschitz and no theorem applies. */
	readonly smooth: boolean;
	/**
	 * Lip(Dh) for the headline estimate when the certified bound is not exact: a path or sampling
	 * estimate (a lower bound on the true constant). Undefined: the certified bound is used.
	 */
	readonly jacobianLipschitzEstimate?: number;
}

export interface PredictedHorizons {
	readonly guaranteed: Horizon;
	readonly guaranteedRounded: Horizon;
	readonly estimate: Horizon;
	readonly older: Horizon;
}

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
 * sqrt(T R0) / alpha (solved by `solveHorizon`). Both Theorem 1.2 forms are `unbounded` when
 * eps >= 2 (the bound's ceiling `2 sqrt(2 R0)` is then within the tolerance). Every horizon is
 * `notApplicable` when R0 = 0 (E is identically 0 and the formulas divide by zero) or when
 * Dh is not Lipschitz.
 *
 * @returns horizons in sum-loss time
 */
export function predictHorizons(inputs: HorizonInputs): PredictedHorizons {
	const reason = notApplicableReason(inputs);
	if (reason !== undefined) {
		const horizon: Horizon = { kind: 'notApplicable', reason };
		return { guaranteed: horizon, guaranteedRounded: horizon, estimate: horizon, older: horizon };
	}
	const epsilon = inputs.relativeTolerance;
	return {
		guaranteed: theorem12Horizon(inputs, (Math.sqrt(1 + 3 * epsilon) - 1) / 3),
		guaranteedRounded: theorem12Horizon(inputs, (Math.SQRT2 * epsilon) / 6),
		estimate: estimateHorizon(inputs),
		older: olderHorizon(inputs),
	};
}

/**
 * Returns the guaranteed horizon (sum-loss time) of Theorem 1.2's sharper form, used by the
 * minimum-alpha search.
 */
export function guaranteedHorizon(inputs: HorizonInputs): Horizon {
	const reason = notApplicableReason(inputs);
	if (reason !== undefined) {
		return { kind: 'notApplicable', reason };
	}
	return theorem12Horizon(inputs, (Math.sqrt(1 + 3 * inputs.relativeTolerance) - 1) / 3);
}

function notApplicableReason(inputs: HorizonInputs): string | undefined {
	if (!inputs.smooth || !Number.isFinite(inputs.lipschitzAt(0).jacobianLipschitzBound)) {
		return "the activation's derivative is not Lipschitz (for example ReLU), so Lip(Dh) is infinite and Theorem 1.2 does not apply";
	}
	if (!(inputs.initialLoss > 0)) {
		return 'R0 = 0: the initial residual is zero, so E(t) = 0 for all t and the horizon formulas divide by zero';
	}
	return undefined;
}

function theorem12Horizon(inputs: HorizonInputs, kappaLimit: number): Horizon {
	if (inputs.relativeTolerance >= 2) {
		return {
			kind: 'unbounded',
			reason: "the tolerance is at least Theorem 1.2's ceiling 2 sqrt(2 R0), so the bound never exceeds it",
		};
	}
	return solveKappa(inputs, (time) => kappaAt(inputs, time), kappaLimit);
}

function estimateHorizon(inputs: HorizonInputs): Horizon {
	const exact = inputs.lipschitzAt(0).jacobianLipschitzExact;
	const estimate = inputs.jacobianLipschitzEstimate;
	if (exact || estimate === undefined || !Number.isFinite(estimate)) {
		return solveKappa(inputs, (time) => kappaAt(inputs, time), inputs.relativeTolerance);
	}
	return solveKappa(inputs, (time) => kappaWith(inputs, time, estimate), inputs.relativeTolerance);
}

/** Solves kappa(T) = limit; the guess uses the constant at radius 0, which can only be smaller. */
function solveKappa(inputs: HorizonInputs, kappa: (time: number) => number, limit: number): Horizon {
	const perTime = kappa(1);
	const guess = perTime > 0 ? limit / perTime : 1;
	const horizon = solveHorizon(kappa, limit, guess);
	if (horizon.kind === 'unbounded' && inputs.lipschitzAt(0).jacobianLipschitzBound === 0) {
		return { kind: 'unbounded', reason: 'Lip(Dh) = 0: the model is linear in its parameters, so E(t) = 0' };
	}
	return horizon;
}

function olderHorizon(inputs: HorizonInputs): Horizon {
	const target = inputs.relativeTolerance * Math.sqrt(2 * inputs.initialLoss);
	const level = (time: number): number => {
		const constants = inputs.lipschitzAt(trajectoryRadius(inputs, time));
		const lipschitzH = constants.modelLipschitzBound;
		const value = (time * time * lipschitzH * lipschitzH * constants.jacobianLipschitzBound * inputs.initialLoss) / inputs.alpha;
		return Number.isNaN(value) ? 0 : value;
	};
	const perTime = level(1);
	const guess = perTime > 0 ? Math.sqrt(target / perTime) : 1;
	const horizon = solveHorizon(level, target, guess);
	if (horizon.kind === 'unbounded' && inputs.lipschitzAt(0).jacobianLipschitzBound === 0) {
		return { kind: 'unbounded', reason: 'Lip(Dh) = 0: the model is linear in its parameters, so E(t) = 0' };
	}
	return horizon;
}
