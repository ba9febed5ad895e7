import type { DeviationSystem } from './deviation';
import { deviationErrorNorm } from './dopri5';
import type { Stepper } from './stepper';

/**
 * Step doubling (Richardson extrapolation, as in Hairer, Norsett and Wanner 1993) around a
 * one-step method of order 4: one step of size h and two of size h/2 from the same state. The two
 * half steps are the solution, and `(y_half - y_full) / 15` estimates their local error
 * (`2^4 - 1 = 15`). With the exponential method a doubled step costs 14 remainder evaluations,
 * each with one Jacobian. Each of the three attempts evaluates four stages, and the two accepted
 * half steps evaluate their end points. The full step's end point is never evaluated.
 *
 * The exponential method needs it because its own embedded estimate compares two solutions that
 * share the quadrature nodes 0, 1/2 and 1. That estimate misses the quadrature error of a forcing
 * that varies quickly in time, such as the early transient of rbar. On a network at alpha = 1e6 that estimate
 * accepted 23 steps to T = 300 and left a relative error of 4e-4 at rtol 1e-8.
 */
export class StepDoubling implements Stepper {
	readonly method: Stepper['method'];
	readonly errorOrder = 5;
	private readonly inner: Stepper;
	private readonly system: DeviationSystem;
	private readonly rtol: number;
	private readonly full: Float64Array;
	private readonly middle: Float64Array;
	private readonly error: Float64Array;

	constructor(inner: Stepper, system: DeviationSystem, rtol: number) {
		this.inner = inner;
		this.method = inner.method;
		this.system = system;
		this.rtol = rtol;
		const size = system.n + system.p;
		this.full = new Float64Array(size);
		this.middle = new Float64Array(size);
		this.error = new Float64Array(size);
	}

	get kernelRefreshes(): number {
		return this.inner.kernelRefreshes;
	}

	attempt(t: number, y: Float64Array, h: number, out: Float64Array): number {
		this.inner.attempt(t, y, h, this.full);
		this.inner.attempt(t, y, 0.5 * h, this.middle);
		this.inner.accept();
		this.inner.attempt(t + 0.5 * h, this.middle, 0.5 * h, out);
		for (let k = 0; k < out.length; k++) {
			this.error[k] = (out[k] - this.full[k]) / 15;
		}
		return deviationErrorNorm(this.system, this.rtol, y, out, this.error);
	}

	accept(): void {
		this.inner.accept();
	}

	/** After a rejection the inner method's cached first stage belongs to the midpoint: drop it. */
	invalidate(): void {
		this.inner.invalidate();
	}

	afterStep(t: number, y: Float64Array, nextStep: number): void {
		this.inner.afterStep(t, y, nextStep);
	}
}
