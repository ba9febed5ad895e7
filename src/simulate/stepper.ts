import type { SolverMethod } from '../spec/types';

/**
 * One embedded Runge-Kutta pair advancing the deviation state `y = [e; d]`. The driver owns the
 * state and the step-size control. A stepper owns its stage buffers and caches the derivative at
 * the start of the next step (first same as last).
 */
export interface Stepper {
	readonly method: SolverMethod;
	/** Order of the error estimate in h: the controller scales steps by `err^(-1/errorOrder)`. */
	readonly errorOrder: number;
	/** Kernel refreshes so far (exponential method only; 0 for the others). */
	readonly kernelRefreshes: number;
	/**
	 * Attempts a step of size h from (t, y), writes the fifth-order solution into `out` and
	 * returns the scaled error norm (accept when <= 1). It does not modify `y`.
	 */
	attempt(t: number, y: Float64Array, h: number, out: Float64Array): number;
	/** Marks the last attempt as accepted, so its final stage becomes the next first stage. */
	accept(): void;
	/** Drops the cached first stage, after an attempt from a state other than the current one. */
	invalidate(): void;
	/**
	 * Called after an accepted step ending at (t, y), with the next step size; may change the
	 * stepper's internal splitting (the exponential method's reference kernel).
	 */
	afterStep(t: number, y: Float64Array, nextStep: number): void;
	/**
	 * Writes the solution at `time` into `out` from the stages of the last accepted steps, without
	 * evaluating anything, and returns true. Returns false when those steps do not cover `time`.
	 * With it, report times need not end steps. With `residualOnly`, it writes only e (the first
	 * n entries), which is all that E(t) needs. Optional.
	 */
	denseOutput?(time: number, out: Float64Array, residualOnly?: boolean): boolean;
	/** False when report times should end steps instead of using `denseOutput` for now. */
	readonly denseReliable?: boolean;
	/** False when the dense output of the last attempt, once accepted, would not be reliable. */
	readonly attemptDenseReliable?: boolean;
}
