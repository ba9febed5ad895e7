import { estimateJacobianLipschitz } from '../model/lipschitzEstimate';
import type { DifferentiableModel, LipschitzConstants } from '../model/types';
import type { LipschitzEstimateMethod } from '../results';

/**
 * Power iterations of the curvature estimate: 4 outer ones (two Jacobians each) with 1 inner one.
 * On the medium benchmark network of `bench/problems.ts` (d = 8, m = 512, n = 64, tanh) this gave
 * 0.152 in 31 ms, against 0.148 in 39 ms with 2 inner iterations and 0.198 in 302 ms with 40
 * outer ones (tsx, a shared 2-core machine), so the estimate stays below its converged value.
 */
const ESTIMATE_OPTIONS = { iterations: 4, innerIterations: 1 } as const;

/** Jacobians the curvature estimate evaluates with `ESTIMATE_OPTIONS`: 1 + 2 x 4. */
const ESTIMATE_JACOBIANS = 9;

/**
 * Largest total number of Jacobian entries (9 n p) for which the estimate is computed when the
 * caller does not choose. The medium benchmark network has 9 n p = 2.65e6 and took 31 ms, so this
 * default keeps the estimate near 12 ms and leaves it out of hovers on networks of that size.
 */
const DEFAULT_MAX_ESTIMATE_ENTRIES = 1e6;

/** A Lip(Dh) estimate and how it was obtained. */
export interface ChosenEstimate {
	readonly value: number;
	readonly method: LipschitzEstimateMethod;
}

/** Curvature estimates by model: they depend on the model only, so a sweep computes one. */
const curvatureCache = new WeakMap<DifferentiableModel, number>();

/**
 * Chooses the Lip(Dh) estimate for the estimate horizon: none when the certified constant is exact
 * or the model is not smooth, else the caller's finite positive value, else the curvature estimate
 * `||D^2 h(w0)||` of `estimateJacobianLipschitz`. That value is a lower bound on Lip(Dh) on every
 * ball around w0, up to the truncation error of its central differences, so it is capped at the
 * certified bound at w0.
 *
 * @param model - the model
 * @param atCenter - the certified constants at radius 0
 * @param supplied - an estimate passed by the caller, for example a path secant slope
 * @param compute - true computes the curvature estimate (9 Jacobians), false skips it, undefined
 * computes it when 9 n p is at most 1e6 Jacobian entries
 * @returns the estimate, or undefined when none applies or the computation gave no finite value
 */
export function chooseEstimate(
	model: DifferentiableModel,
	atCenter: LipschitzConstants,
	supplied: number | undefined,
	compute: boolean | undefined,
): ChosenEstimate | undefined {
	if (atCenter.jacobianLipschitzExact || !model.smooth) {
		return undefined;
	}
	if (supplied !== undefined && Number.isFinite(supplied) && supplied > 0) {
		return { value: supplied, method: 'supplied' };
	}
	const entries = ESTIMATE_JACOBIANS * model.outputCount * model.parameterCount;
	const fitsBudget = entries <= DEFAULT_MAX_ESTIMATE_ENTRIES;
	if (!(compute ?? fitsBudget) || !Number.isFinite(atCenter.jacobianLipschitzBound)) {
		return undefined;
	}
	const curvature = curvatureEstimate(model);
	if (!(curvature > 0) || !Number.isFinite(curvature)) {
		return undefined;
	}
	return { value: Math.min(curvature, atCenter.jacobianLipschitzBound), method: 'curvature' };
}

function curvatureEstimate(model: DifferentiableModel): number {
	let value = curvatureCache.get(model);
	if (value === undefined) {
		// Radius 0 leaves the finite-difference step at its default, so the value is that of w0.
		value = estimateJacobianLipschitz(model, 0, ESTIMATE_OPTIONS);
		curvatureCache.set(model, value);
	}
	return value;
}
