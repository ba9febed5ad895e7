import type { DeviationSystem } from './deviation';
import type { Stepper } from './stepper';
import { COUPLING, ERROR_WEIGHTS, NODES, ROUNDING_FLOOR, STAGE_COUNT, scaledErrorNorm } from './tableau';

/**
 * The classic adaptive Dormand-Prince 5(4) pair applied to the whole deviation system
 * `y' = f(t, y)`, with no integrating factor. It is explicit, so on the stiff flow its step size is
 * bounded by about 3.3 / lambda_max(K_t) and a run to T needs about T lambda_max / 3.3 steps. It
 * serves as an independent cross-check of the exponential method.
 */
export class DormandPrinceStepper implements Stepper {
	readonly method = 'dopri5' as const;
	readonly errorOrder = 5;
	readonly kernelRefreshes = 0;
	private readonly system: DeviationSystem;
	private readonly rtol: number;
	private stages: Float64Array[];
	private readonly stageState: Float64Array;
	private readonly error: Float64Array;
	private firstStageValid = false;

	constructor(system: DeviationSystem, rtol: number) {
		this.system = system;
		this.rtol = rtol;
		const size = system.n + system.p;
		this.stages = Array.from({ length: STAGE_COUNT }, () => new Float64Array(size));
		this.stageState = new Float64Array(size);
		this.error = new Float64Array(size);
	}

	attempt(t: number, y: Float64Array, h: number, out: Float64Array): number {
		const size = y.length;
		if (!this.firstStageValid) {
			this.system.derivative(t, y, this.stages[0]);
			this.firstStageValid = true;
		}
		for (let i = 1; i < STAGE_COUNT; i++) {
			const target = i === STAGE_COUNT - 1 ? out : this.stageState;
			const row = COUPLING[i];
			for (let k = 0; k < size; k++) {
				let sum = 0;
				for (let j = 0; j < i; j++) {
					sum += row[j] * this.stages[j][k];
				}
				target[k] = y[k] + h * sum;
			}
			this.system.derivative(t + NODES[i] * h, target, this.stages[i]);
		}
		for (let k = 0; k < size; k++) {
			let sum = 0;
			for (let j = 0; j < STAGE_COUNT; j++) {
				sum += ERROR_WEIGHTS[j] * this.stages[j][k];
			}
			this.error[k] = h * sum;
		}
		return deviationErrorNorm(this.system, this.rtol, y, out, this.error);
	}

	accept(): void {
		const last = this.stages[STAGE_COUNT - 1];
		this.stages[STAGE_COUNT - 1] = this.stages[0];
		this.stages[0] = last;
		this.firstStageValid = true;
	}

	invalidate(): void {
		this.firstStageValid = false;
	}

	afterStep(): void {
		// The plain method has no splitting to update.
	}
}

/**
 * Scales a step's local error estimate of the deviation state `[e; d]` by the tolerance: `e`
 * relative to the current `||e||` (with a rounding floor proportional to `||r0|| / max(1, alpha)`) and `d`
 * relative to `||ubar + d||`, so that `rtol` controls E(t) itself.
 *
 * @returns the scaled error norm; the step is accepted when it is at most 1
 */
export function deviationErrorNorm(
	system: DeviationSystem,
	rtol: number,
	previous: Float64Array,
	next: Float64Array,
	error: Float64Array,
): number {
	return scaledErrorNorm({
		previous,
		next,
		error,
		n: system.n,
		p: system.p,
		rtol,
		displacementNorm: displacementNorm(system, next),
		residualFloor: Math.max(
			(ROUNDING_FLOOR * system.initialResidualNorm) / Math.max(1, system.alpha),
			system.errorFloor,
		),
	});
}

/**
 * Returns ||ubar + d|| for the state the system loaded last (the final stage, at the new time).
 */
export function displacementNorm(system: DeviationSystem, state: Float64Array): number {
	const { n, p } = system;
	const ubar = system.linearDisplacement;
	let scale = 0;
	for (let k = 0; k < p; k++) {
		scale = Math.max(scale, Math.abs(ubar[k] + state[n + k]));
	}
	if (scale === 0) {
		return 0;
	}
	let sum = 0;
	for (let k = 0; k < p; k++) {
		const value = (ubar[k] + state[n + k]) / scale;
		sum += value * value;
	}
	return scale * Math.sqrt(sum);
}
