import type { BoundSeries } from '../results';
import type { BoundInputs } from './constants';
import { kappaWith, trajectoryRadius } from './constants';

/** Extra inputs of the bound series. */
export interface BoundSeriesInputs extends BoundInputs {
	/** Report times of the sum-loss flow. */
	readonly times: readonly number[];
	/** True for the converse model of Theorem 1.3 at training time `trainingTime`. */
	readonly converse: boolean;
	/** T of the sum-loss flow, the only time at which Theorem 1.3's lower bound applies. */
	readonly trainingTime: number;
}

/**
 * Evaluates the paper's bounds at each report time t ("The NTK approximation is valid for longer
 * than you think", Boix-Adsera and Littwin 2023), with constants on the ball of radius
 * rho(t) = sqrt(t R0) / alpha:
 *
 * ```tex
 * \kappa = t \, \mathrm{Lip}(Dh) \sqrt{R_0} / \alpha, \quad
 * \text{Thm 1.2: } \min(2\kappa + 3\kappa^2, 2) \sqrt{2 R_0}, \ \min(6 \kappa \sqrt{R_0}, \sqrt{8 R_0}),
 * ```
 *
 * ```tex
 * \text{Prop. 1.1: } t^2 \mathrm{Lip}(h)^2 \mathrm{Lip}(Dh) R_0 / \alpha, \quad
 * \text{Prop. 2.1: } \sqrt{t R_0} / \alpha, \quad
 * \text{Thm 1.3: } \min(\kappa / 5, 1 / 5) \sqrt{R_0} \text{ at } t = T .
 * ```
 *
 * Proposition 1.1 is Chizat, Oyallon and Bach (2019), Theorem 2.3. Entries are null where
 * Lip(Dh) is not finite (a non-smooth activation); kappa is then Infinity. The Theorem 1.3 entries
 * are null except at t = T, because its model is built for that T (a = 1/sqrt(T)).
 *
 * @returns one value per report time in every series
 */
export function boundSeries(inputs: BoundSeriesInputs): BoundSeries {
	const kappa: number[] = [];
	const theorem12: (number | null)[] = [];
	const theorem12Rounded: (number | null)[] = [];
	const proposition11: (number | null)[] = [];
	const weightMovement: number[] = [];
	const converseLower: (number | null)[] = [];
	const rootLoss = Math.sqrt(inputs.initialLoss);
	for (const time of inputs.times) {
		const radius = trajectoryRadius(inputs, time);
		const constants = inputs.lipschitzAt(radius);
		const lipschitzDh = constants.jacobianLipschitzBound;
		const value = Number.isFinite(lipschitzDh) ? kappaWith(inputs, time, lipschitzDh) : Infinity;
		const finite = Number.isFinite(value);
		kappa.push(value);
		theorem12.push(finite ? Math.min(2 * value + 3 * value * value, 2) * Math.SQRT2 * rootLoss : null);
		theorem12Rounded.push(finite ? Math.min(6 * value * rootLoss, Math.sqrt(8 * inputs.initialLoss)) : null);
		proposition11.push(finite ? olderBound(inputs, time, lipschitzDh, constants.modelLipschitzBound) : null);
		weightMovement.push(radius);
		const atTrainingTime = Math.abs(time - inputs.trainingTime) <= 1e-12 * inputs.trainingTime;
		converseLower.push(atTrainingTime && finite ? Math.min(value / 5, 1 / 5) * rootLoss : null);
	}
	const series: BoundSeries = { kappa, theorem12, theorem12Rounded, proposition11, weightMovement };
	return inputs.converse ? { ...series, converseLower } : series;
}

/** Proposition 1.1: t^2 Lip(h)^2 Lip(Dh) R0 / alpha. */
function olderBound(inputs: BoundInputs, time: number, lipschitzDh: number, lipschitzH: number): number {
	if (time === 0 || lipschitzDh === 0) {
		return 0;
	}
	return (time * time * lipschitzH * lipschitzH * lipschitzDh * inputs.initialLoss) / inputs.alpha;
}
