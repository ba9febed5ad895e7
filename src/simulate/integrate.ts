import { SimulationError } from '../errors';
import { norm2 } from '../linalg';
import type { Stepper } from './stepper';

/** Inputs of `integrate` besides the stepper. Times are the sum-loss flow's. */
export interface IntegrationRequest {
	readonly stepper: Stepper;
	/**
	 * Stepper for the single steps of the crossing and peak searches, by default `stepper`. It may
	 * be a cheaper method that shares `stepper`'s cached first stage (the exponential method inside
	 * its step doubling), because a search step is never longer than an accepted step.
	 */
	readonly probeStepper?: Stepper;
	/** n, the length of the e block at the start of the state. */
	readonly residualSize: number;
	/** Initial state `[e; d]` at t = 0 (zeros for the deviation system). */
	readonly initialState: Float64Array;
	/** Increasing report times in (0, endTime]; the driver lands on each exactly. */
	readonly reportTimes: readonly number[];
	readonly endTime: number;
	readonly initialStep: number;
	readonly maxSteps: number;
	/** E above this value counts as a crossing; `Infinity` disables the search. */
	readonly threshold: number;
	/** Stop right after the first crossing instead of continuing to `endTime`. */
	readonly stopAtCrossing: boolean;
	/** ||e|| above this value means the integration went wrong (E <= 2 ||r0|| for the true flow). */
	readonly divergenceLimit: number;
	/** Wall-clock deadline in `Date.now()` milliseconds. */
	readonly deadline?: number;
	readonly shouldStop?: () => boolean;
	/** Called at each report time with the state there; the state must not be kept. */
	readonly onReport: (index: number, t: number, state: Float64Array) => void;
	/**
	 * Upper bound on E(s) for every s >= t, from the state at t. Once no report time is left and
	 * the bound is below both the threshold (unless a crossing was found) and the peak so far, no
	 * later crossing or larger peak exists, so the run ends early as complete.
	 */
	readonly errorBoundAfter?: (t: number, state: Float64Array) => number;
	/**
	 * Relative width to which the peak of E is bracketed in time; `PEAK_RESOLUTION` by default.
	 * Near the peak E is flat, so a width w moves the peak value by about w^2 relative.
	 */
	readonly peakResolution?: number;
	/** Called after every accepted step with the time, E = ||e|| and the state (not to be kept). */
	readonly onStep?: (t: number, error: number, steps: number, state: Float64Array) => void;
}

export interface IntegrationOutcome {
	readonly steps: number;
	readonly rejectedSteps: number;
	/** Last time reached; `endTime` when `errorBoundAfter` settled the rest of the run. */
	readonly time: number;
	readonly complete: boolean;
	readonly stopReason?: 'timeBudget' | 'cancelled' | 'crossing';
	/** First time E(t) exceeds the threshold, refined by regula falsi; undefined when never. */
	readonly crossingTime?: number;
	/** Largest E on the steps, refined by golden-section search around the best step. */
	readonly peakError: number;
	readonly peakTime: number;
}

/** Largest step growth factor per accepted step (Hairer, Norsett and Wanner's `facmax`). */
const MAX_GROWTH = 5;
/** Smallest step reduction factor after a rejection. */
const MIN_SHRINK = 0.2;
/** Safety factor of the step-size controller. */
const SAFETY = 0.9;
/** A crossing time is refined until its bracket is below this fraction of the time. */
const CROSSING_RESOLUTION = 1e-12;
/** Search steps of the crossing refinement before it gives up on the bracket's width. */
const CROSSING_MAX_PROBES = 200;
/** The peak time is refined until its bracket is below this fraction of the time. */
const PEAK_RESOLUTION = 1e-6;

/**
 * Integrates the deviation system with adaptive steps: the standard controller
 * `h_new = h min(5, max(0.2, 0.9 err^(-1/q)))` with q the order of the stepper's error estimate (Hairer, Norsett and Wanner 1993, section II.4),
 * landing exactly on every report time. E = ||e|| is checked after each step for the first
 * crossing of the threshold (refined by Illinois regula falsi on re-steps from the step's start)
 * and for its peak (refined by golden-section search), so neither depends on interpolation.
 *
 * @returns step counts, the crossing and the peak; `complete: false` when the deadline passed or
 * `shouldStop` returned true
 * @throws SimulationError `stepLimit` after `maxSteps` attempts, `toleranceNotMet` when the step
 * size falls below rounding level, `diverged` when ||e|| exceeds `divergenceLimit`, and
 * `nonFinite` from the system
 */
export function integrate(request: IntegrationRequest): IntegrationOutcome {
	return new Driver(request).run();
}

interface SavedState {
	t: number;
	readonly y: Float64Array;
	error: number;
}

class Driver {
	private readonly request: IntegrationRequest;
	private readonly stepper: Stepper;
	private readonly probeStepper: Stepper;
	/** Start state of the last search step, whose first stage the probe stepper has cached. */
	private probeOrigin: object | undefined;
	private t = 0;
	private y: Float64Array;
	private next: Float64Array;
	private readonly probe: Float64Array;
	private steps = 0;
	private rejected = 0;
	private crossingTime: number | undefined;
	private peakError = 0;
	private peakTime = 0;
	private readonly peakStart: SavedState;
	private readonly peakCandidate: SavedState;
	private peakPending = false;

	constructor(request: IntegrationRequest) {
		this.request = request;
		this.stepper = request.stepper;
		this.probeStepper = request.probeStepper ?? request.stepper;
		const size = request.initialState.length;
		this.y = Float64Array.from(request.initialState);
		this.next = new Float64Array(size);
		this.probe = new Float64Array(size);
		this.peakStart = { t: 0, y: new Float64Array(size), error: 0 };
		this.peakCandidate = { t: 0, y: new Float64Array(size), error: 0 };
	}

	run(): IntegrationOutcome {
		const { reportTimes, endTime } = this.request;
		let h = Math.min(this.request.initialStep, endTime);
		let reportIndex = 0;
		let lastRejected = false;
		const exponent = 1 / this.stepper.errorOrder;
		while (this.t < endTime) {
			const stop = this.checkStop();
			if (stop) {
				return this.outcome(false, stop);
			}
			// With dense output, report times inside a step do not end it (`reportWithin`).
			const dense = this.stepper.denseOutput !== undefined && this.stepper.denseReliable !== false;
			const reportsLeft = reportIndex < reportTimes.length && !dense;
			const stopAt = reportsLeft ? Math.min(reportTimes[reportIndex], endTime) : endTime;
			const landing = this.t + h >= stopAt * (1 - 1e-13);
			const size = landing ? stopAt - this.t : h;
			this.checkStepSize(size, stopAt);
			const error = this.stepper.attempt(this.t, this.y, size, this.next);
			if (!(error <= 1)) {
				this.stepper.invalidate();
				this.rejected++;
				lastRejected = true;
				h = size * Math.max(MIN_SHRINK, SAFETY * Math.pow(error, -exponent));
				continue;
			}
			const report = this.reportInside(reportIndex, this.t + size);
			if (report !== undefined && this.stepper.attemptDenseReliable === false) {
				// The step needs its end state at that report time: take it again to end there.
				this.stepper.invalidate();
				h = report - this.t;
				continue;
			}
			const growth = error === 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, SAFETY * Math.pow(error, -exponent));
			const proposed = size * Math.max(MIN_SHRINK, lastRejected ? Math.min(1, growth) : growth);
			h = landing ? Math.max(h, proposed) : proposed;
			lastRejected = false;
			const previousTime = this.t;
			this.commit(landing ? stopAt : this.t + size, h);
			const crossed = this.afterCommit(previousTime);
			reportIndex = this.reportWithin(previousTime, reportIndex);
			if (crossed && this.request.stopAtCrossing) {
				return this.outcome(false, 'crossing');
			}
			if (reportIndex >= reportTimes.length && this.isSettled()) {
				this.finishPeak();
				return { ...this.outcome(true), time: endTime };
			}
		}
		this.finishPeak();
		return this.outcome(true);
	}

	/** Accepts the attempted step: swaps the buffers and lets the stepper update its splitting. */
	private commit(newTime: number, nextStep: number): void {
		this.stepper.accept();
		this.stepper.afterStep(newTime, this.next, nextStep);
		const old = this.y;
		this.y = this.next;
		this.next = old;
		this.t = newTime;
		this.steps++;
	}

	/** Returns the first report time from `index` on strictly inside (t, end), if any. */
	private reportInside(index: number, end: number): number | undefined {
		const { reportTimes } = this.request;
		for (let i = index; i < reportTimes.length && reportTimes[i] < end * (1 - 1e-13); i++) {
			if (reportTimes[i] > this.t * (1 + 1e-13)) {
				return reportTimes[i];
			}
		}
		return undefined;
	}

	/**
	 * Reports every report time in (t0, t] of the step just accepted and returns the index of the
	 * next report time. A report time inside the step gets the stepper's dense output, or else one
	 * probe step from the step's start.
	 */
	private reportWithin(t0: number, firstIndex: number): number {
		const { reportTimes, onReport } = this.request;
		const start = { t: t0, y: this.next };
		let index = firstIndex;
		let probed = false;
		for (; index < reportTimes.length && reportTimes[index] <= this.t; index++) {
			const time = reportTimes[index];
			if (time >= this.t * (1 - 1e-13)) {
				onReport(index, this.t, this.y);
			} else if (time <= t0) {
				onReport(index, t0, this.next);
			} else if (this.stepper.denseOutput?.(time, this.probe)) {
				onReport(index, time, this.probe);
			} else {
				this.errorAt(start, time);
				onReport(index, time, this.probe);
				probed = true;
			}
		}
		if (probed) {
			this.endSearch();
		}
		return index;
	}

	/** Checks divergence, then updates the crossing and the peak. `this.next` contains the old state. */
	private afterCommit(previousTime: number): boolean {
		const error = norm2(this.y, 0, this.request.residualSize);
		if (error > this.request.divergenceLimit) {
			throw new SimulationError(
				'diverged',
				`E(t) = ${error} at t = ${this.t} exceeds 2 ||r0||, which the exact flow never does; the ` +
					'integration is unstable. Try a smaller rtol or the other method.',
				this.t,
			);
		}
		this.request.onStep?.(this.t, error, this.steps, this.y);
		let crossed = false;
		if (this.crossingTime === undefined && error > this.request.threshold) {
			this.crossingTime = this.refineCrossing(previousTime, this.next, this.t, error);
			crossed = true;
		}
		this.trackPeak(previousTime, this.next, error);
		return crossed;
	}

	/** True when `errorBoundAfter` rules out a later crossing and a larger peak. */
	private isSettled(): boolean {
		const boundAfter = this.request.errorBoundAfter;
		if (boundAfter === undefined || this.peakPending) {
			return false;
		}
		const bound = boundAfter(this.t, this.y);
		const threshold = this.crossingTime === undefined ? this.request.threshold : Infinity;
		return bound < threshold && bound < this.peakError;
	}

	private checkStop(): 'timeBudget' | 'cancelled' | undefined {
		if (this.request.shouldStop?.()) {
			return 'cancelled';
		}
		if (this.request.deadline !== undefined && Date.now() > this.request.deadline) {
			return 'timeBudget';
		}
		return undefined;
	}

	private checkStepSize(size: number, stopAt: number): void {
		if (this.steps + this.rejected >= this.request.maxSteps) {
			throw new SimulationError(
				'stepLimit',
				`the integrator used its ${this.request.maxSteps} steps and stopped at t = ${this.t} ` +
					`before reaching t = ${stopAt}; raise solver.maxSteps or use the exponential method.`,
				this.t,
			);
		}
		// Rounding level of the current time, not of the target, because a long run starts with
		// small steps.
		if (!(size > Math.max(1e-14 * this.t, Number.MIN_VALUE))) {
			throw new SimulationError(
				'toleranceNotMet',
				`the step size fell to ${size} at t = ${this.t}, below rounding level, before meeting ` +
					'the tolerance; raise solver.rtol.',
				this.t,
			);
		}
	}

	/**
	 * E at time `time`, from the dense output (e only) or by one step of the probe stepper from a
	 * saved state, which writes the whole state into `probe`. The cached first stage is dropped
	 * when the start state differs from the last search step's.
	 */
	private errorAt(start: SavedState | { t: number; y: Float64Array }, time: number): number {
		if (time === start.t) {
			return norm2(start.y, 0, this.request.residualSize);
		}
		if (this.stepper.denseReliable !== false && this.stepper.denseOutput?.(time, this.probe, true)) {
			return norm2(this.probe, 0, this.request.residualSize);
		}
		if (this.probeOrigin !== start) {
			this.probeStepper.invalidate();
			this.probeOrigin = start;
		}
		this.probeStepper.attempt(start.t, start.y, time - start.t, this.probe);
		return norm2(this.probe, 0, this.request.residualSize);
	}

	/** Drops the search's cached stage, so the next integration step starts afresh. */
	private endSearch(): void {
		this.stepper.invalidate();
		this.probeStepper.invalidate();
		this.probeOrigin = undefined;
	}

	/**
	 * Finds the first time E exceeds the threshold in (t0, t1] by the Illinois variant of regula
	 * falsi on `f(t) = E(t) - threshold` (Dowell and Jarratt, BIT 11, 1971), which converges
	 * superlinearly where bisection needs about 40 steps. A step that lands within half the
	 * resolution of an end is pushed inside, and a step that fails to halve the bracket twice in a
	 * row is replaced by a bisection, so the bracket always shrinks below the resolution.
	 */
	private refineCrossing(t0: number, y0: Float64Array, t1: number, error1: number): number {
		const start = { t: t0, y: Float64Array.from(y0) };
		const threshold = this.request.threshold;
		const startError = norm2(y0, 0, this.request.residualSize);
		const bracket = { low: t0, high: t1, lowValue: startError - threshold };
		let highValue = error1 - threshold;
		let side = 0;
		let slowSteps = 0;
		for (let probes = 0; probes < CROSSING_MAX_PROBES; probes++) {
			const width = bracket.high - bracket.low;
			const tolerance = 0.5 * CROSSING_RESOLUTION * bracket.high;
			if (width <= 2 * tolerance) {
				break;
			}
			const secant = bracket.high - (highValue * width) / (highValue - bracket.lowValue);
			const isBisection = slowSteps >= 2 || !Number.isFinite(secant);
			const guess = isBisection ? bracket.low + 0.5 * width : secant;
			const lowest = bracket.low + tolerance;
			const time = Math.min(Math.max(guess, lowest), bracket.high - tolerance);
			const value = this.errorAt(start, time) - threshold;
			if (value > 0) {
				bracket.high = time;
				highValue = value;
				bracket.lowValue *= side === 1 ? 0.5 : 1;
				side = 1;
			} else {
				bracket.low = time;
				bracket.lowValue = value;
				highValue *= side === -1 ? 0.5 : 1;
				side = -1;
			}
			slowSteps = bracket.high - bracket.low > 0.5 * width ? slowSteps + 1 : 0;
		}
		this.endSearch();
		return bracket.high;
	}

	/**
	 * Keeps the best step and the state before it. Once E drops after it, the two neighbouring steps
	 * bracket the maximum, so it is refined there.
	 */
	private trackPeak(previousTime: number, previousState: Float64Array, error: number): void {
		if (error > this.peakCandidate.error) {
			this.peakStart.t = previousTime;
			this.peakStart.y.set(previousState);
			this.peakCandidate.t = this.t;
			this.peakCandidate.y.set(this.y);
			this.peakCandidate.error = error;
			this.peakPending = true;
			this.peakError = Math.max(this.peakError, error);
			if (this.peakError === error) {
				this.peakTime = this.t;
			}
			return;
		}
		if (this.peakPending) {
			this.refinePeak(this.peakStart.t, this.t);
			this.peakPending = false;
		}
	}

	private finishPeak(): void {
		if (this.peakCandidate.error > this.peakError) {
			this.peakError = this.peakCandidate.error;
			this.peakTime = this.peakCandidate.t;
		}
	}

	/** Golden-section search for the maximum of E on [a, b], which contains the best step. */
	private refinePeak(a: number, b: number): void {
		const ratio = (Math.sqrt(5) - 1) / 2;
		const evaluate = (time: number): number => {
			const start = time <= this.peakCandidate.t ? this.peakStart : this.peakCandidate;
			return this.errorAt(start, time);
		};
		let low = a;
		let high = b;
		let x1 = high - ratio * (high - low);
		let x2 = low + ratio * (high - low);
		let f1 = evaluate(x1);
		let f2 = evaluate(x2);
		const resolution = this.request.peakResolution ?? PEAK_RESOLUTION;
		while (high - low > resolution * high) {
			if (f1 >= f2) {
				high = x2;
				x2 = x1;
				f2 = f1;
				x1 = high - ratio * (high - low);
				f1 = evaluate(x1);
			} else {
				low = x1;
				x1 = x2;
				f1 = f2;
				x2 = low + ratio * (high - low);
				f2 = evaluate(x2);
			}
		}
		this.endSearch();
		const best = f1 >= f2 ? { error: f1, time: x1 } : { error: f2, time: x2 };
		if (best.error > this.peakError) {
			this.peakError = best.error;
			this.peakTime = best.time;
		}
	}

	private outcome(complete: boolean, stopReason?: IntegrationOutcome['stopReason']): IntegrationOutcome {
		if (!complete) {
			this.finishPeak();
		}
		return {
			steps: this.steps,
			rejectedSteps: this.rejected,
			time: this.t,
			complete,
			stopReason,
			crossingTime: this.crossingTime,
			peakError: this.peakError,
			peakTime: this.peakTime,
		};
	}
}
