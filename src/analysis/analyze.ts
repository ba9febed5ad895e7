import { norm2 } from '../linalg';
import type { HorizonAnalysis, Horizon, LipschitzReport } from '../results';
import type { ResolvedSpec } from '../spec/types';
import { initialResidual, prepareProblem } from '../simulate/problem';
import type { PreparedProblem } from '../simulate/problem';
import type { BoundInputs } from './constants';
import { kappaAt, lipschitzFunction, trajectoryRadius } from './constants';
import { predictHorizons } from './horizons';
import type { HorizonInputs } from './horizons';
import { secantLogLog, smallestSatisfying } from './horizonSolver';

export interface AnalyzeOptions {
	/** A prepared problem to reuse (same spec); built from the spec when absent. */
	readonly problem?: PreparedProblem;
	/** alpha to analyze in place of `spec.training.alpha` (used by the sweep). */
	readonly alpha?: number;
	/** A Lip(Dh) estimate (lower bound) for the headline estimate when the bound is not exact. */
	readonly jacobianLipschitzEstimate?: number;
	/** Skips the minimum-alpha search (the sweep does not need it). */
	readonly skipMinimumAlpha?: boolean;
}

/**
 * Computes what a hover shows, without simulating: R0, the spectrum of K0, ||J0||, the
 * Lipschitz constants on the ball of radius `sqrt(T R0) / alpha`, the four predicted horizons and
 * the smallest alpha whose guaranteed horizon reaches T. Cost: one model evaluation, one Jacobian,
 * one Gram matrix and one eigendecomposition (all in `prepareProblem`), then scalar bisections.
 *
 * @param spec - resolved spec
 * @param options - reuse a prepared problem, override alpha, pass a Lip(Dh) estimate
 * @returns the analysis; horizons and thresholds in the spec's time unit
 * @throws SpecError from the model, SimulationError `nonFinite` when h(w0) or J0 is not finite
 */
export function analyzeSpec(spec: ResolvedSpec, options: AnalyzeOptions = {}): HorizonAnalysis {
	const problem = options.problem ?? prepareProblem(spec);
	return analyzeProblem(problem, options);
}

/**
 * Same as `analyzeSpec` for an already prepared problem.
 *
 * @param problem - prepared problem
 * @param options - alpha override, Lip(Dh) estimate, skip of the minimum-alpha search
 * @returns the analysis
 */
export function analyzeProblem(problem: PreparedProblem, options: AnalyzeOptions = {}): HorizonAnalysis {
	const spec = problem.spec;
	const alpha = options.alpha ?? spec.training.alpha;
	const lipschitzAt = lipschitzFunction(problem.model);
	const inputs = horizonInputs(problem, alpha, options.jacobianLipschitzEstimate, lipschitzAt);
	const trainingTime = spec.training.T * problem.timeScale;
	const horizons = predictHorizons(inputs);
	const values = problem.initialKernelEigen.values;
	const n = problem.outputCount;
	const residualNorm = Math.sqrt(2 * inputs.initialLoss);
	return {
		initialLoss: inputs.initialLoss,
		initialResidualNorm: residualNorm,
		lambdaMaxK0: n > 0 ? values[n - 1] : 0,
		lambdaMinK0: n > 0 ? values[0] : 0,
		normJ0: problem.normJ0,
		parameterCount: problem.parameterCount,
		outputCount: n,
		threshold: inputs.relativeTolerance * residualNorm,
		timeScale: problem.timeScale,
		lipschitz: lipschitzReport(inputs, trainingTime, options.jacobianLipschitzEstimate),
		horizons: {
			guaranteed: toSpecTime(horizons.guaranteed, problem.timeScale),
			guaranteedRounded: toSpecTime(horizons.guaranteedRounded, problem.timeScale),
			estimate: toSpecTime(horizons.estimate, problem.timeScale),
			older: toSpecTime(horizons.older, problem.timeScale),
		},
		minimumAlpha: options.skipMinimumAlpha ? null : minimumAlpha(problem, alpha, trainingTime, lipschitzAt),
		notes: analysisNotes(problem, inputs, options.jacobianLipschitzEstimate),
	};
}

/**
 * Builds the bound and horizon inputs for one alpha. With a relative tolerance the threshold is
 * `epsilon ||r0||`; with an absolute one it is `epsilon`, so the relative tolerance is
 * `epsilon / ||r0||`.
 */
export function horizonInputs(
	problem: PreparedProblem,
	alpha: number,
	jacobianLipschitzEstimate?: number,
	lipschitzAt: BoundInputs['lipschitzAt'] = lipschitzFunction(problem.model),
): HorizonInputs {
	const residualNorm = norm2(initialResidual(problem, alpha));
	const epsilon = problem.spec.analysis.epsilon;
	return {
		alpha,
		initialLoss: 0.5 * residualNorm * residualNorm,
		lipschitzAt,
		relativeTolerance: problem.spec.analysis.relative ? epsilon : epsilon / residualNorm,
		smooth: problem.model.smooth,
		jacobianLipschitzEstimate,
	};
}

/** Converts a horizon from sum-loss time to the spec's time unit. */
export function toSpecTime(horizon: Horizon, timeScale: number): Horizon {
	if (horizon.kind === 'finite') {
		return { kind: 'finite', time: horizon.time / timeScale };
	}
	if (horizon.kind === 'notReached') {
		return {
			...horizon,
			searchedUntil: horizon.searchedUntil / timeScale,
			peakTime: horizon.peakTime / timeScale,
		};
	}
	return horizon;
}

function lipschitzReport(inputs: BoundInputs, trainingTime: number, estimate?: number): LipschitzReport {
	const radius = trajectoryRadius(inputs, trainingTime);
	const constants = inputs.lipschitzAt(radius);
	const bound = constants.jacobianLipschitzBound;
	const exact = constants.jacobianLipschitzExact;
	return {
		radius,
		bound: Number.isFinite(bound) ? bound : null,
		exact,
		estimate: exact && Number.isFinite(bound) ? bound : (estimate ?? null),
		modelBound: Number.isFinite(constants.modelLipschitzBound) ? constants.modelLipschitzBound : null,
		description: constants.description,
	};
}

/**
 * Finds the smallest alpha whose guaranteed horizon reaches T, by `smallestSatisfying` over
 * [alpha 1e-15, alpha 1e15]. Because kappa(T) grows with T, the horizon reaches T exactly when
 * kappa(T) <= (sqrt(1 + 3 eps) - 1) / 3, so each candidate costs one Lipschitz evaluation. Returns 0 when every alpha qualifies (tolerance above the bound's
 * ceiling, or Lip(Dh) = 0) and null when none does (non-smooth model, or r0 growing with alpha
 * under centering `none` so that kappa(T) stays above the limit).
 *
 * NOTE: the search assumes that the guaranteed horizon grows with alpha. This is true when r0 does
 * not depend on alpha. Under centering `none` it is checked only at the points visited.
 */
function minimumAlpha(
	problem: PreparedProblem,
	alpha: number,
	trainingTime: number,
	lipschitzAt: BoundInputs['lipschitzAt'],
): number | null {
	const reaches = (candidate: number): boolean => {
		const inputs = horizonInputs(problem, candidate, undefined, lipschitzAt);
		if (!(inputs.initialLoss > 0) || inputs.relativeTolerance >= 2) {
			return true;
		}
		return kappaAt(inputs, trainingTime) <= (Math.sqrt(1 + 3 * inputs.relativeTolerance) - 1) / 3;
	};
	if (!problem.model.smooth) {
		return null;
	}
	const lowest = alpha * 1e-15;
	if (reaches(lowest)) {
		return 0;
	}
	const ratio = (candidate: number): number => {
		const inputs = horizonInputs(problem, candidate, undefined, lipschitzAt);
		const limit = (Math.sqrt(1 + 3 * inputs.relativeTolerance) - 1) / 3;
		return limit / kappaAt(inputs, trainingTime);
	};
	const guess = alpha / ratio(alpha);
	const fast = secantLogLog(ratio, 1, guess);
	if (fast !== undefined && reaches(fast * (1 + 1e-12))) {
		return fast * (1 + 1e-12);
	}
	return smallestSatisfying(reaches, alpha, lowest, alpha * 1e15);
}

function analysisNotes(problem: PreparedProblem, inputs: HorizonInputs, estimate?: number): string[] {
	const notes = [centeringNote(problem)];
	if (problem.timeScale !== 1) {
		notes.push(
			`Mean loss 1/(2n) ||v - y*||^2 with n = ${problem.outputCount}: simulated as the sum-loss ` +
				'gradient flow at time t / n; times and horizons are in the mean-loss unit, R0 and the bounds use the sum loss.',
		);
	}
	if (!(inputs.initialLoss > 0)) {
		notes.push('R0 = 0: the initial residual is zero, so nothing moves and E(t) = 0 for all t.');
	}
	if (!problem.model.smooth) {
		notes.push("The activation's derivative is not Lipschitz (ReLU): Theorem 1.2 and Proposition 1.1 do not apply.");
	}
	notes.push(estimateNote(inputs, estimate));
	return notes;
}

function estimateNote(inputs: HorizonInputs, estimate?: number): string {
	if (inputs.lipschitzAt(0).jacobianLipschitzExact) {
		return 'The estimate horizon uses the exact Lip(Dh).';
	}
	if (estimate !== undefined && Number.isFinite(estimate)) {
		return `The estimate horizon uses the estimated Lip(Dh) = ${estimate.toPrecision(4)}, a lower bound on the true constant; it is not a guarantee.`;
	}
	return 'No Lip(Dh) estimate is available, so the estimate horizon uses the certified upper bound and is conservative.';
}

function centeringNote(problem: PreparedProblem): string {
	const model = problem.spec.model;
	if (model.type === 'mlp') {
		switch (model.centering) {
			case 'initial':
				return 'Centering: initial, h(w) = f(w) - f(w0), so h(w0) = 0 and r0 = y*.';
			case 'antisymmetric':
				return 'Centering: antisymmetric, mirrored hidden units make f(w0) = 0, so r0 = y*.';
			default:
				return 'Centering: none, h(w) = f(w), so r0 = y* - alpha f(w0) grows with alpha.';
		}
	}
	const size = norm2(problem.initialOutputs);
	return `Centering: none (the ${model.type} model as given), ||h(w0)|| = ${size.toPrecision(4)}.`;
}
