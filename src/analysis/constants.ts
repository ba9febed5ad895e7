import { SimulationError } from '../errors';
import type { DifferentiableModel, LipschitzConstants } from '../model/types';

/**
 * The inputs every bound and horizon shares for one alpha: the initial loss, the tolerance and
 * the model's certified Lipschitz constants as functions of the ball radius. Times are the
 * sum-loss flow's.
 */
export interface BoundInputs {
	/** alpha > 0, the output scale. */
	readonly alpha: number;
	/** R0 = ||r0||^2 / 2, the initial loss of the scaled model (sum loss). */
	readonly initialLoss: number;
	/** Certified constants on the ball of radius rho around w0. */
	readonly lipschitzAt: (radius: number) => LipschitzConstants;
}

/**
 * Constants returned where the model cannot compute its certified bound, because the ball is so
 * large that the bound overflows the double range. Both bounds are `Infinity`, so a horizon solver
 * treats the radius as beyond the horizon. `isOverflow` separates this case from a non-smooth model.
 */
const OVERFLOW: LipschitzConstants = Object.freeze({
	jacobianLipschitzBound: Infinity,
	jacobianLipschitzExact: false,
	modelLipschitzBound: Infinity,
	description: 'not computable: the certified bound overflows the double range on this ball',
});

/**
 * Memoizes `model.lipschitz` by radius (the horizon solvers revisit radii, and a certified bound
 * of a network costs 0.1 ms to 1 ms). A bound that overflows (an error from `isOverflowFailure`, a
 * NaN bound, or an infinite Lip(Dh) bound of a smooth model) becomes the `Infinity` constants that
 * `isOverflow` detects.
 *
 * @param model - the model whose `lipschitz` to call
 * @returns the memoized function of the radius rho >= 0
 */
export function lipschitzFunction(model: DifferentiableModel): (radius: number) => LipschitzConstants {
	const cache = new Map<number, LipschitzConstants>();
	return (radius: number) => {
		let value = cache.get(radius);
		if (value === undefined) {
			value = guardedLipschitz(model, radius);
			cache.set(radius, value);
		}
		return value;
	};
}

/** Returns true for the constants of a ball on which the certified bound overflowed. */
export function isOverflow(constants: LipschitzConstants): boolean {
	return constants === OVERFLOW;
}

function guardedLipschitz(model: DifferentiableModel, radius: number): LipschitzConstants {
	let constants: LipschitzConstants;
	try {
		constants = model.lipschitz(radius);
	} catch (error) {
		if (isOverflowFailure(error)) {
			return OVERFLOW;
		}
		throw error;
	}
	const jacobianBound = constants.jacobianLipschitzBound;
	const overflowed = model.smooth ? !Number.isFinite(jacobianBound) : Number.isNaN(jacobianBound);
	return overflowed || Number.isNaN(constants.modelLipschitzBound) ? OVERFLOW : constants;
}

/**
 * Recognizes the error a certified bound throws when its intermediate matrices overflow: the
 * `nonFinite` SimulationError of the operator norms. ml-matrix 6.15.1's `EigenvalueDecomposition`
 * also threw a bare TypeError for a finite symmetric matrix with entries near 1e308. The
 * `symmetricEigen` that replaced it scales such a matrix by a power of 2 first. Where eigenvalues
 * overflow it returns Infinity, which the callers treat as overflow.
 */
function isOverflowFailure(error: unknown): boolean {
	return error instanceof SimulationError && error.kind === 'nonFinite';
}

/**
 * Computes the radius `rho = sqrt(t R0) / alpha` of the ball that the trajectory provably stays in
 * up to time t ("The NTK approximation is valid for longer than you think", Proposition 2.1). The
 * square roots are taken separately so that `t R0` cannot overflow; the radius itself is
 * `Infinity` when it exceeds the double range.
 */
export function trajectoryRadius(inputs: BoundInputs, time: number): number {
	return (Math.sqrt(time) * Math.sqrt(inputs.initialLoss)) / inputs.alpha;
}

/**
 * Computes kappa(t) = t Lip(Dh) sqrt(R0) / alpha, with Lip(Dh) the certified bound on the ball of
 * radius `sqrt(t R0) / alpha` (so kappa depends on t through the constant too).
 */
export function kappaAt(inputs: BoundInputs, time: number): number {
	const constants = inputs.lipschitzAt(trajectoryRadius(inputs, time));
	return kappaWith(inputs, time, constants.jacobianLipschitzBound);
}

/**
 * Computes t L sqrt(R0) / alpha for a given Lip(Dh) value L (0 when t or L is 0). The factors are
 * grouped so that an intermediate product overflows only when the result does.
 */
export function kappaWith(inputs: BoundInputs, time: number, jacobianLipschitz: number): number {
	if (time === 0 || jacobianLipschitz === 0) {
		return 0;
	}
	return time * (jacobianLipschitz / inputs.alpha) * Math.sqrt(inputs.initialLoss);
}
