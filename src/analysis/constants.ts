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
 * Memoizes `model.lipschitz` by radius (the horizon solvers revisit radii, and a certified bound
 * of a network costs about a millisecond).
 */
export function lipschitzFunction(model: DifferentiableModel): (radius: number) => LipschitzConstants {
	const cache = new Map<number, LipschitzConstants>();
	return (radius: number) => {
		let value = cache.get(radius);
		if (value === undefined) {
			value = model.lipschitz(radius);
			cache.set(radius, value);
		}
		return value;
	};
}

/**
 * Computes the radius `rho = sqrt(t R0) / alpha` of the ball that the trajectory provably stays in
 * up to time t ("The NTK approximation is valid for longer than you think", Proposition 2.1).
 */
export function trajectoryRadius(inputs: BoundInputs, time: number): number {
	return Math.sqrt(time * inputs.initialLoss) / inputs.alpha;
}

/**
 * Computes kappa(t) = t Lip(Dh) sqrt(R0) / alpha, with Lip(Dh) the certified bound on the ball of
 * radius `sqrt(t R0) / alpha` (so kappa depends on t through the constant too).
 */
export function kappaAt(inputs: BoundInputs, time: number): number {
	const constants = inputs.lipschitzAt(trajectoryRadius(inputs, time));
	return kappaWith(inputs, time, constants.jacobianLipschitzBound);
}

/** Computes t L sqrt(R0) / alpha for a given Lip(Dh) value L (0 when t or L is 0). */
export function kappaWith(inputs: BoundInputs, time: number, jacobianLipschitz: number): number {
	if (time === 0 || jacobianLipschitz === 0) {
		return 0;
	}
	return (time * jacobianLipschitz * Math.sqrt(inputs.initialLoss)) / inputs.alpha;
}
