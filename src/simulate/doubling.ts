import type { DeviationSystem } from './deviation';
import { deviationErrorNorm } from './dopri5';
import { denseState } from './exponential';
import type { DenseSegment, ExponentialRungeKuttaStepper, StageValue } from './exponential';
import type { Stepper } from './stepper';

/**
 * Weight of the second half step's embedded estimate in `HalfStepPair`'s first error estimate.
 * That estimate compares the half step with a companion solution of lower stage order, so it
 * overstates the half step's own error and is of lower order in h. Measured at rtol 1e-8: with
 * weight 1 the benchmark's medium network took 464 steps where step doubling took 234, and with
 * 1/15 it took 235. Without the term, E on the converse model at alpha = 1 was off by 3.7e-7.
 */
const EMBEDDED_WEIGHT = 1 / 15;

/**
 * Overstatement of the error by `HalfStepPair`'s cheap estimate, relative to the Richardson one,
 * above which the pair uses the Richardson estimate for every step until the overstatement falls
 * below half of it. With the cheap estimate alone, the converse model took 2198 steps at
 * alpha = 100 and rtol 1e-12, where step doubling took about 700.
 */
const RICHARDSON_SWITCH = 4;
/** Cheap error above which an attempt may be sampled with the Richardson estimate. */
const SAMPLE_LEVEL = 0.1;
/** Attempts between two such samples: their four extra evaluations add at most 0.5 per step. */
const SAMPLE_INTERVAL = 8;

/**
 * Two half steps of the exponential method per step, with an error estimate that usually needs no
 * third, full-size step: 10 remainder evaluations per step where step doubling (Richardson
 * extrapolation, Hairer, Norsett and Wanner 1993) needs 14.
 *
 * The first estimate adds, per component, the magnitudes of
 * - `(y_half - y_quad) / 15`, where `y_quad` applies the method's quadrature to the whole step with
 *   the remainders at t, t + h/2 and t + h of the two half steps' solution. Both solutions
 *   integrate the same remainder along the same path, `y_quad` with one Simpson-type rule over h
 *   and `y_half` with two over h/2. Their quadrature errors differ by a factor of about 16, as in
 *   composite Simpson quadrature, so this term estimates `y_half`'s error from a remainder that
 *   varies quickly in time;
 * - the second half step's embedded estimate `(h/2) b_5 (G_5 - G_3)` times `EMBEDDED_WEIGHT`,
 *   which measures how the remainder depends on the state.
 *
 * When that estimate rejects the step, the full step is taken as well (four more evaluations) and
 * step doubling's estimate `|y_half - y_full| / 15`, at least the quadrature term, decides. Where
 * the remainder depends strongly on the state (the non-lazy regime) the embedded term overstates
 * the error: on the converse model at alpha = 1, rtol 1e-8, the first estimate alone took 1033
 * steps, with the fallback 168, and E stayed within 5.7e-8 of the closed form. Steps the first
 * estimate accepts are sampled now and then, and while it overstates the error more than
 * `RICHARDSON_SWITCH` times, every step uses step doubling's estimate.
 *
 * The embedded estimate alone misses the quadrature error, because both of its solutions share the
 * nodes 0, 1/2 and 1: on a network at alpha = 1e6 it accepted 23 steps to T = 300 and left a
 * relative error of 1e-4 at rtol 1e-8 (`halfStepPair.test.ts`).
 *
 * The remainder at the end is evaluated before the estimate and becomes the next first stage, so an
 * accepted step costs no more for it. The step's five remainders (at t, t + h/4, t + h/2,
 * t + 3h/4, t + h) give the dense output.
 */
export class HalfStepPair implements Stepper {
	readonly method: Stepper['method'];
	readonly errorOrder = 4;
	private readonly inner: ExponentialRungeKuttaStepper;
	private readonly system: DeviationSystem;
	private readonly rtol: number;
	private readonly quadrature: Float64Array;
	private readonly quadratureError: Float64Array;
	/** True while the cheap estimate overstates the error by more than `RICHARDSON_SWITCH`. */
	private preferRichardson = false;
	/** Attempts since the last Richardson estimate. */
	private stepsSinceSample = 0;
	private readonly full: Float64Array;
	private readonly error: Float64Array;
	/**
	 * Dense-output records: the step before the last accepted one, the last accepted one, and the
	 * one being attempted. `accept` rotates them.
	 */
	private previous: StepRecord;
	private current: StepRecord;
	private scratch: StepRecord;

	constructor(inner: ExponentialRungeKuttaStepper, system: DeviationSystem, rtol: number) {
		this.inner = inner;
		this.method = inner.method;
		this.system = system;
		this.rtol = rtol;
		const size = system.n + system.p;
		this.quadrature = new Float64Array(size);
		this.quadratureError = new Float64Array(size);
		this.full = new Float64Array(size);
		this.error = new Float64Array(size);
		this.previous = createRecord(inner, system);
		this.current = createRecord(inner, system);
		this.scratch = createRecord(inner, system);
	}

	get kernelRefreshes(): number {
		return this.inner.kernelRefreshes;
	}

	/**
	 * False when the last accepted step needed the Richardson estimate. The remainder then depends
	 * strongly on the state, and the dense output, whose nodes include stage values, loses accuracy:
	 * 1.0e-7 on the converse model at alpha = 1 and rtol 1e-8, where ending steps at the report
	 * times gave 5.7e-8.
	 */
	get denseReliable(): boolean {
		return !this.current.valid || !this.current.stateDependent;
	}

	get attemptDenseReliable(): boolean {
		return !this.scratch.stateDependent;
	}

	/**
	 * Writes the solution at `time` by `denseState` on the half step that contains it. The
	 * interpolant passes through the remainders at the step's five nodes, so nothing is evaluated.
	 * Covers the last accepted step and the one before.
	 *
	 * @returns false when `time` lies in neither step (`out` is then unchanged)
	 */
	denseOutput(time: number, out: Float64Array, residualOnly = false): boolean {
		for (const record of [this.current, this.previous]) {
			const [first, second] = record.segments;
			if (record.valid && !record.stateDependent && time >= first.t && time <= second.t + second.h) {
				const segment = time < second.t ? first : second;
				denseState(segment, (time - segment.t) / segment.h, out, residualOnly);
				return true;
			}
		}
		return false;
	}

	attempt(t: number, y: Float64Array, h: number, out: Float64Array): number {
		const inner = this.inner;
		const record = this.scratch;
		const [first, second] = record.segments;
		const { start, quarter, middle, threeQuarters, end } = record.remainders;
		record.valid = false;
		record.start.set(y);
		inner.attempt(t, y, 0.5 * h, record.middle);
		inner.copyStage(0, start.eigen, start.weights);
		inner.copyStage(4, quarter.eigen, quarter.weights);
		inner.accept();
		inner.attempt(t + 0.5 * h, record.middle, 0.5 * h, out);
		inner.copyStage(0, middle.eigen, middle.weights);
		inner.copyStage(4, threeQuarters.eigen, threeQuarters.weights);
		inner.evaluateEnd(end);
		const secondError = inner.lastError;
		inner.quadratureStep(t, h, y, { start, middle, end }, this.quadrature);
		const reference = inner.currentReference;
		Object.assign(first, { t, h: 0.5 * h, reference });
		Object.assign(second, { t: t + 0.5 * h, h: 0.5 * h, reference });
		for (let k = 0; k < out.length; k++) {
			this.quadratureError[k] = Math.abs(out[k] - this.quadrature[k]) / 15;
			this.error[k] = this.quadratureError[k] + EMBEDDED_WEIGHT * Math.abs(secondError[k]);
		}
		const cheap = deviationErrorNorm(this.system, this.rtol, y, out, this.error);
		record.stateDependent = cheap > 1 || this.preferRichardson;
		this.stepsSinceSample++;
		// A step the cheap estimate accepts near its limit is sampled now and then, because the
		// cheap estimate may be what keeps the steps short.
		const sample = cheap > SAMPLE_LEVEL && this.stepsSinceSample >= SAMPLE_INTERVAL;
		if (!record.stateDependent && !sample) {
			return cheap;
		}
		this.stepsSinceSample = 0;
		const richardson = this.richardsonError({ t, y, h, start, end }, out);
		// How far the cheap estimate overstates the error decides the next step's estimate: the
		// cheap one costs 10 evaluations, Richardson's 14, and the steps scale with the estimate's
		// -1/4 power, so Richardson's pays once the overstatement exceeds (14/10)^4, about 4.
		const overstatement = cheap / Math.max(richardson, Number.MIN_VALUE);
		if (overstatement > RICHARDSON_SWITCH) {
			this.preferRichardson = true;
		} else if (overstatement < RICHARDSON_SWITCH / 2) {
			this.preferRichardson = false;
		}
		return record.stateDependent ? richardson : cheap;
	}

	/**
	 * Returns the scaled error of step doubling's estimate `|y_half - y_full| / 15`, at least the
	 * quadrature term, from one more step of size h (four remainder evaluations). For a method of
	 * order 4 the half steps' error is 1/16 of the full step's (Richardson extrapolation). It runs
	 * when the first estimate rejects a step, because that estimate overstates the error where the
	 * remainder depends strongly on the state (the non-lazy regime).
	 */
	private richardsonError(
		step: {
			readonly t: number;
			readonly y: Float64Array;
			readonly h: number;
			readonly start: StageValue;
			readonly end: StageValue;
		},
		out: Float64Array,
	): number {
		const inner = this.inner;
		inner.setFirstStage(step.start);
		inner.attempt(step.t, step.y, step.h, this.full);
		inner.restoreEnd(step.t + step.h, out, step.end);
		// The full step left the system at its last stage, t + h/2. The error norm's scale and the
		// kernel refresh after an accepted step read the loaded state, which must be the end.
		this.system.load(step.t + step.h, out);
		for (let k = 0; k < out.length; k++) {
			const richardson = Math.abs(out[k] - this.full[k]) / 15;
			this.error[k] = Math.max(richardson, this.quadratureError[k]);
		}
		return deviationErrorNorm(this.system, this.rtol, step.y, out, this.error);
	}

	accept(): void {
		this.inner.accept();
		const accepted = this.scratch;
		accepted.valid = true;
		this.scratch = this.previous;
		this.previous = this.current;
		this.current = accepted;
	}

	/** After a rejection the inner method's cached first stage belongs to the midpoint: drop it. */
	invalidate(): void {
		this.inner.invalidate();
	}

	afterStep(t: number, y: Float64Array, nextStep: number): void {
		this.inner.afterStep(t, y, nextStep);
	}
}

/** One step's data for dense output: its start and middle states and remainders at five nodes. */
interface StepRecord {
	valid: boolean;
	/** True when the cheap error estimate rejected the step and the Richardson one accepted it. */
	stateDependent: boolean;
	readonly start: Float64Array;
	readonly middle: Float64Array;
	/** Remainders at t, t + h/4, t + h/2, t + 3h/4 and t + h. */
	readonly remainders: {
		readonly start: StageValue;
		readonly quarter: StageValue;
		readonly middle: StageValue;
		readonly threeQuarters: StageValue;
		readonly end: StageValue;
	};
	readonly segments: [DenseSegment, DenseSegment];
}

function createRecord(inner: ExponentialRungeKuttaStepper, system: DeviationSystem): StepRecord {
	const { n, p } = system;
	const stage = (): StageValue => ({ eigen: new Float64Array(n), weights: new Float64Array(p) });
	const remainders = {
		start: stage(),
		quarter: stage(),
		middle: stage(),
		threeQuarters: stage(),
		end: stage(),
	};
	const start = new Float64Array(n + p);
	const middle = new Float64Array(n + p);
	const { quarter, threeQuarters, end } = remainders;
	const segment = (y: Float64Array, nodes: number[], values: StageValue[]): DenseSegment => ({
		t: 0,
		h: 0,
		y,
		reference: inner.currentReference,
		nodes,
		values,
	});
	// Both half steps interpolate through all five nodes of the step, from their own start.
	const values = [remainders.start, quarter, remainders.middle, threeQuarters, end];
	const segments: [DenseSegment, DenseSegment] = [
		segment(start, [0, 0.5, 1, 1.5, 2], values),
		segment(middle, [-1, -0.5, 0, 0.5, 1], values),
	];
	return { valid: false, stateDependent: false, start, middle, remainders, segments };
}

