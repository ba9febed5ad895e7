import { SimulationError, SpecError } from '../errors';
import type { SimulationFailureKind } from '../errors';
import type { Horizon, HorizonAnalysis, SweepPoint, SweepResult } from '../results';
import type { ResolvedSpec, SolverMethod } from '../spec/types';
import { prepareProblem } from '../simulate/problem';
import type { PreparedProblem } from '../simulate/problem';
import { simulateSpec } from '../simulate/simulate';
import { analyzeProblem } from './analyze';

/** The search runs to this multiple of the estimate horizon (when that exceeds T). */
const SEARCH_FACTOR = 10;
/** The search never runs past this multiple of T. */
const SEARCH_CAP_FACTOR = 1000;
/**
 * The sweep keeps only the crossing of the threshold and the peak of E, so E far below the
 * threshold needs no relative accuracy: its error may reach `1e-2 * rtol * threshold`. Near the
 * threshold E keeps its relative accuracy, and a peak a thousand times below the threshold is still
 * within 10 rtol relative.
 */
const SWEEP_THRESHOLD_FLOOR = 1e-2;

/** Simulation failures that stop the whole sweep, because they come from its budget or a cancel. */
const STOP_KINDS: ReadonlySet<SimulationFailureKind> = new Set(['timeBudget', 'cancelled']);

export interface SweepOptions {
	readonly method?: SolverMethod;
	readonly rtol?: number;
	readonly shouldStop?: () => boolean;
	/** Wall-clock deadline as a `Date.now()` timestamp in milliseconds. */
	readonly deadlineMs?: number;
	/** Called after each alpha with the number done and the total. */
	readonly onPoint?: (done: number, total: number, point: SweepPoint) => void;
}

/**
 * Computes the horizons for each alpha: the predicted ones from the analysis and the empirical
 * one from a simulation that stops at the first crossing of the threshold. The search time is
 * `max(T, min(10 x estimate horizon, 1000 T))`, so a horizon well past T is still found. The
 * alpha-independent part (model, J0, K0 and its eigendecomposition) is prepared once. The search
 * simulates without the spec's report times, because the sweep keeps none of the reported values.
 * Without them the integrator does not shorten steps to land on each report time or compute the
 * kernel drift there. Its early end may then come before T: it ends once `||r|| + ||rbar||`, a
 * bound on every later E, is below both the peak and the threshold. The steps differ from those of
 * `simulateSpec` with report times, so the horizons differ from its horizons within the solver
 * tolerance.
 *
 * An alpha whose analysis or simulation fails keeps its point: a SpecError for an alpha outside
 * the usable range, or a SimulationError such as `nonFinite`. The point then carries the message
 * in `error`, and the horizons it could not compute are `notApplicable`. The sweep goes on with
 * the next alpha. A stop by `deadlineMs` or `shouldStop` ends the sweep with `complete: false`
 * and a `stopReason`.
 *
 * The slopes are least-squares fits of log T against log alpha over the finite horizons. Theorem
 * 1.2 of "The NTK approximation is valid for longer than you think" (Boix-Adsera and Littwin
 * 2023) gives horizons linear in alpha (slope 1), the older bound of Chizat, Oyallon and Bach
 * (2019) horizons growing like sqrt(alpha) (slope 1/2).
 *
 * @param spec - resolved spec (its alpha is ignored)
 * @param alphas - alpha values > 0
 * @param options - method, rtol, cancellation, deadline, per-point callback
 * @returns one point per alpha (fewer when stopped), the three slopes and the completeness
 * @throws SpecError or SimulationError from preparing the alpha-independent part
 */
export function sweepAlpha(
	spec: ResolvedSpec,
	alphas: readonly number[],
	options: SweepOptions = {},
): SweepResult {
	const problem = prepareProblem(spec);
	const search = withoutReportTimes(problem);
	const points: SweepPoint[] = [];
	let stopReason: string | undefined;
	for (const alpha of alphas) {
		stopReason = stopReasonNow(options, points.length, alphas.length);
		if (stopReason !== undefined) {
			break;
		}
		const outcome = sweepPoint(problem, search, alpha, options);
		if ('stopReason' in outcome) {
			const progress = `${points.length} of ${alphas.length} alpha values done`;
			stopReason = `${outcome.stopReason} at alpha = ${alpha} (${progress})`;
			break;
		}
		points.push(outcome.point);
		options.onPoint?.(points.length, alphas.length, outcome.point);
	}
	return {
		points,
		empiricalSlope: logSlope(points, (point) => point.empirical),
		estimateSlope: logSlope(points, (point) => point.estimate),
		olderSlope: logSlope(points, (point) => point.older),
		spec,
		complete: stopReason === undefined,
		...(stopReason === undefined ? {} : { stopReason }),
	};
}

function stopReasonNow(options: SweepOptions, done: number, total: number): string | undefined {
	const progress = `${done} of ${total} alpha values done`;
	if (options.shouldStop?.()) {
		return `cancelled (${progress})`;
	}
	if (options.deadlineMs !== undefined && Date.now() > options.deadlineMs) {
		return `the time budget ran out (${progress})`;
	}
	return undefined;
}

/**
 * Returns the prepared problem with a spec that has no report times. The other fields, including
 * J0^T Q that `prepareProblem` computes on first use, come from `problem` through the prototype,
 * so nothing is computed here.
 */
function withoutReportTimes(problem: PreparedProblem): PreparedProblem {
	const analysis = { ...problem.spec.analysis, times: [] };
	const spec: ResolvedSpec = { ...problem.spec, analysis };
	return Object.create(problem, { spec: { value: spec, enumerable: true } }) as PreparedProblem;
}

/**
 * Analyzes and simulates one alpha, simulating `search` (that is `problem` without report times).
 * A stopped simulation returns its reason instead of a point.
 */
function sweepPoint(
	problem: PreparedProblem,
	search: PreparedProblem,
	alpha: number,
	options: SweepOptions,
): { point: SweepPoint } | { stopReason: string } {
	let analysis: HorizonAnalysis;
	try {
		analysis = analyzeProblem(problem, { alpha, skipMinimumAlpha: true });
	} catch (error) {
		return { point: failedPoint(alpha, pointFailure(error)) };
	}
	const trainingTime = problem.spec.training.T;
	const estimate = analysis.horizons.estimate;
	const predicted = estimate.kind === 'finite' ? SEARCH_FACTOR * estimate.time : trainingTime;
	const searchTime = Math.max(trainingTime, Math.min(predicted, SEARCH_CAP_FACTOR * trainingTime));
	try {
		const result = simulateSpec(search.spec, {
			problem: search,
			alpha,
			endTime: searchTime,
			stopAtCrossing: true,
			thresholdFloor: SWEEP_THRESHOLD_FLOOR,
			method: options.method,
			rtol: options.rtol,
			shouldStop: options.shouldStop,
			deadlineMs: options.deadlineMs,
		});
		if (!result.complete) {
			return { stopReason: result.stopReason ?? 'the simulation stopped early' };
		}
		const { guaranteed, older } = analysis.horizons;
		const point = { alpha, empirical: result.horizons.empirical, guaranteed, estimate, older };
		return { point: { ...point, steps: result.solver.steps } };
	} catch (error) {
		if (error instanceof SimulationError && STOP_KINDS.has(error.kind)) {
			return { stopReason: error.message };
		}
		const failure = pointFailure(error);
		const empirical: Horizon = { kind: 'notApplicable', reason: failure };
		const { guaranteed, older } = analysis.horizons;
		return { point: { alpha, empirical, guaranteed, estimate, older, steps: 0, error: failure } };
	}
}

/** Describes a failure of one alpha, rethrowing anything that is not a typed error of the core. */
function pointFailure(error: unknown): string {
	if (error instanceof SpecError) {
		return error.message;
	}
	if (error instanceof SimulationError) {
		return `the simulation failed (${error.kind}): ${error.message}`;
	}
	throw error;
}

function failedPoint(alpha: number, failure: string): SweepPoint {
	const horizon: Horizon = { kind: 'notApplicable', reason: failure };
	return {
		alpha,
		empirical: horizon,
		guaranteed: horizon,
		estimate: horizon,
		older: horizon,
		steps: 0,
		error: failure,
	};
}

/**
 * Fits log T = c + s log alpha by least squares over the points whose horizon is finite and
 * positive.
 *
 * @returns the slope s, or null with fewer than two such points or a single distinct alpha
 */
export function logSlope(points: readonly SweepPoint[], pick: (point: SweepPoint) => Horizon): number | null {
	const xs: number[] = [];
	const ys: number[] = [];
	for (const point of points) {
		const horizon = pick(point);
		if (horizon.kind === 'finite' && horizon.time > 0) {
			xs.push(Math.log(point.alpha));
			ys.push(Math.log(horizon.time));
		}
	}
	if (xs.length < 2) {
		return null;
	}
	const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
	const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
	let covariance = 0;
	let variance = 0;
	for (let i = 0; i < xs.length; i++) {
		covariance += (xs[i] - meanX) * (ys[i] - meanY);
		variance += (xs[i] - meanX) ** 2;
	}
	return variance > 0 ? covariance / variance : null;
}

/** Returns `count` log-spaced values from `from` to `to` inclusive. */
export function logSpaced(from: number, to: number, count: number): number[] {
	if (!(from > 0) || !(to > 0) || !Number.isInteger(count) || count < 1) {
		throw new RangeError(`logSpaced: need from > 0, to > 0 and an integer count >= 1, got ${from}, ${to}, ${count}`);
	}
	if (count === 1) {
		return [from];
	}
	const step = Math.log(to / from) / (count - 1);
	return Array.from({ length: count }, (_, i) => (i === count - 1 ? to : from * Math.exp(step * i)));
}
