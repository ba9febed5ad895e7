import type { PreparedProblem } from '../simulate/problem';

/** Relative tolerance of the converse-model detection. */
const CONVERSE_TOLERANCE = 1e-9;

/**
 * Detects the model of Theorem 1.3 ("The NTK approximation is valid for longer than you think",
 * Appendix B): the scalar quadratic `h(w) = a w + b w^2 / 2` with w0 = 0, `a = 1 / sqrt(T)` and a
 * positive target `y* = sqrt(2 R0)`, where the lower bound `min(kappa/5, 1/5) sqrt(R0)` on E(T)
 * holds.
 *
 * @param problem - prepared problem
 * @param trainingTime - T of the sum-loss flow
 * @returns true when the spec is that model, each equality within 1e-9 relative
 */
export function isConverseModel(problem: PreparedProblem, trainingTime: number): boolean {
	const model = problem.spec.model;
	if (model.type !== 'quadratic' || problem.targets.length !== 1) {
		return false;
	}
	const slope = Math.abs(model.a * Math.sqrt(trainingTime) - 1);
	const startsAtZero = Math.abs(model.b * model.w0) <= CONVERSE_TOLERANCE * Math.abs(model.a);
	return startsAtZero && problem.targets[0] > 0 && model.b !== 0 && slope <= CONVERSE_TOLERANCE;
}
