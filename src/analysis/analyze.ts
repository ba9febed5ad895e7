import { norm2 } from '../linalg';
import type { DifferentiableModel, LipschitzConstants } from '../model/types';
import type { HorizonAnalysis, Horizon, LipschitzReport } from '../results';
import type { ResolvedSpec } from '../spec/types';
import { initialResidual, prepareProblem } from '../simulate/problem';
import type { PreparedProblem } from '../simulate/problem';
import type { BoundInputs } from './constants';
import { isOverflow, lipschitzFunction, trajectoryRadius } from './constants';
import { chooseEstimate } from './estimate';
import type { ChosenEstimate } from './estimate';
import { predictHorizons } from './horizons';
import type { HorizonInputs } from './horizons';
import { assertFiniteLoss, assertUsableAlpha, radiusOverflowError } from './limits';
import { minimumAlpha } from './minimumAlpha';
import { analysisNotes } from './notes';

export interface AnalyzeOptions {
	/** A prepared problem to reuse (same spec); built from the spec when absent. */
	readonly problem?: PreparedProblem;
	/** alpha to analyze in place of `spec.training.alpha` (used by the sweep). */
	readonly alpha?: number;
	/** A Lip(Dh) estimate (lower bound) for the headline estimate when the bound is not exact. */
	readonly jacobianLipschitzEstimate?: number;
	/**
	 * Whether to compute the curvature estimate of Lip(Dh) (`estimateJacobianLipschitz`, 9 Jacobians)
	 * when no estimate is passed: true always, false never (the estimate horizon then uses the
	 * certified bound). Default: only when 9 n p is at most 1e6 Jacobian entries, which leaves it out
	 * of a hover on networks of the size n = 64, p = 4608 (about 31 ms there).
	 */
	readonly estimate?: boolean;
	/** Skips the minimum-alpha search (the sweep does not need it). */
	readonly skipMinimumAlpha?: boolean;
}

/**
 * Computes what a hover shows, without simulating: R0, the spectrum of K0, ||J0||, the
 * Lipschitz constants on the ball of radius `sqrt(T R0) / alpha`, the four predicted horizons and
 * the smallest alpha whose guaranteed horizon reaches T. Cost: one model evaluation, one Jacobian,
 * one Gram matrix and one eigendecomposition (all in `prepareProblem`), about 20 certified
 * Lipschitz bounds for the fixed points, and for a small network (or with `options.estimate`) a
 * curvature estimate of Lip(Dh) from 9 Jacobians.
 *
 * @param spec - resolved spec
 * @param options - reuse a prepared problem, override alpha, pass or skip a Lip(Dh) estimate
 * @returns the analysis; horizons and thresholds in the spec's time unit
 * @throws SpecError with code `range` at `$.training.alpha` when alpha makes R0 overflow or puts the
 * ball of radius `sqrt(T R0) / alpha` where the certified bound overflows; SpecError from the model;
 * SimulationError `nonFinite` when h(w0) or J0 is not finite
 */
export function analyzeSpec(spec: ResolvedSpec, options: AnalyzeOptions = {}): HorizonAnalysis {
	const problem = options.problem ?? prepareProblem(spec);
	return analyzeProblem(problem, options);
}

/**
 * Same as `analyzeSpec` for an already prepared problem.
 *
 * @param problem - prepared problem
 * @param options - alpha override, Lip(Dh) estimate, skip of the estimate or the minimum alpha
 * @returns the analysis
 * @throws SpecError as `analyzeSpec` does
 */
export function analyzeProblem(problem: PreparedProblem, options: AnalyzeOptions = {}): HorizonAnalysis {
	const spec = problem.spec;
	const alpha = options.alpha ?? spec.training.alpha;
	const { inputs: base, lipschitz } = checkedInputs(problem, alpha);
	const lipschitzAt = base.lipschitzAt;
	const trainingTime = spec.training.T * problem.timeScale;

	const chosen = chooseEstimate(
		problem.model,
		lipschitzAt(0),
		options.jacobianLipschitzEstimate,
		options.estimate,
	);
	const inputs: HorizonInputs = { ...base, jacobianLipschitzEstimate: chosen?.value };
	const horizons = predictHorizons(inputs);
	const values = problem.initialKernelEigen.values;
	const n = problem.outputCount;
	const residualNorm = Math.sqrt(2 * inputs.initialLoss);
	const inputsFor = (candidate: number) => horizonInputs(problem, candidate, undefined, lipschitzAt);
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
		lipschitz: withEstimate(lipschitz, chosen),
		horizons: {
			guaranteed: toSpecTime(horizons.guaranteed, problem.timeScale),
			guaranteedRounded: toSpecTime(horizons.guaranteedRounded, problem.timeScale),
			estimate: toSpecTime(horizons.estimate, problem.timeScale),
			older: toSpecTime(horizons.older, problem.timeScale),
		},
		horizonLipschitz: horizons.sources,
		minimumAlpha: options.skipMinimumAlpha ? null : minimumAlpha(problem, inputs, trainingTime, inputsFor),
		notes: analysisNotes(problem, inputs, chosen),
	};
}

/**
 * Computes the error threshold of `analyzeProblem` (`epsilon ||r0||` for a relative tolerance,
 * `epsilon` for an absolute one) after the same checks on alpha, without the horizons.
 *
 * @param problem - prepared problem
 * @param alpha - alpha > 0
 * @returns the threshold on E
 * @throws SpecError as `analyzeSpec` does
 */
export function analysisThreshold(problem: PreparedProblem, alpha: number): number {
	const { inputs } = checkedInputs(problem, alpha);
	return inputs.relativeTolerance * Math.sqrt(2 * inputs.initialLoss);
}

/** Memoized certified constants by model, shared by the analyses of one model at any alpha. */
const lipschitzByModel = new WeakMap<DifferentiableModel, (radius: number) => LipschitzConstants>();

/**
 * Returns `lipschitzFunction(model)`, one memo per model, so the analyses and bound series of a
 * simulation or a sweep do not recompute a radius they have already visited.
 */
export function modelLipschitzFunction(
	model: DifferentiableModel,
): (radius: number) => LipschitzConstants {
	let lipschitzAt = lipschitzByModel.get(model);
	if (lipschitzAt === undefined) {
		lipschitzAt = lipschitzFunction(model);
		lipschitzByModel.set(model, lipschitzAt);
	}
	return lipschitzAt;
}

/**
 * Checks alpha, the initial loss and the certified bound on the ball of radius
 * `sqrt(T R0) / alpha`, and returns the inputs at alpha with the report of the constants on that
 * ball.
 */
function checkedInputs(
	problem: PreparedProblem,
	alpha: number,
): { inputs: HorizonInputs; lipschitz: LipschitzReport } {
	assertUsableAlpha(alpha);
	const inputs = horizonInputs(problem, alpha, undefined, modelLipschitzFunction(problem.model));
	assertFiniteLoss(problem, alpha, inputs.initialLoss);
	const trainingTime = problem.spec.training.T * problem.timeScale;
	return { inputs, lipschitz: lipschitzReportAt(inputs, trainingTime, problem.timeScale) };
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
	lipschitzAt: BoundInputs['lipschitzAt'] = modelLipschitzFunction(problem.model),
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

/**
 * Reports the constants on the ball of radius `sqrt(T R0) / alpha`, without the estimate.
 *
 * @throws SpecError when the certified bound overflows on that ball
 */
function lipschitzReportAt(inputs: BoundInputs, trainingTime: number, timeScale: number): LipschitzReport {
	const radius = trajectoryRadius(inputs, trainingTime);
	const constants = inputs.lipschitzAt(radius);
	if (isOverflow(constants) && !isOverflow(inputs.lipschitzAt(0))) {
		throw radiusOverflowError(inputs, trainingTime, timeScale);
	}
	const bound = constants.jacobianLipschitzBound;
	const exact = constants.jacobianLipschitzExact;
	return {
		radius,
		bound: Number.isFinite(bound) ? bound : null,
		exact,
		estimate: exact && Number.isFinite(bound) ? bound : null,
		modelBound: Number.isFinite(constants.modelLipschitzBound) ? constants.modelLipschitzBound : null,
		description: constants.description,
	};
}

function withEstimate(report: LipschitzReport, estimate: ChosenEstimate | undefined): LipschitzReport {
	if (estimate === undefined) {
		return report;
	}
	return { ...report, estimate: estimate.value, estimateMethod: estimate.method };
}
