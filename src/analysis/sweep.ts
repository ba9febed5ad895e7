import type { Horizon, SweepPoint, SweepResult } from '../results';
import type { ResolvedSpec, SolverMethod } from '../spec/types';
import { prepareProblem } from '../simulate/problem';
import { simulateSpec } from '../simulate/simulate';
import { analyzeProblem } from './analyze';

/** The search runs to this multiple of the estimate horizon (when that exceeds T). */
const SEARCH_FACTOR = 10;
/** The search never runs past this multiple of T. */
const SEARCH_CAP_FACTOR = 1000;

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
 * alpha-independent part (model, J0, K0 and its eigendecomposition) is prepared once.
 *
 * The slopes are least-squares fits of log T against log alpha over the finite horizons. Theorem
 * 1.2 of "The NTK approximation is valid for longer than you think" (Boix-Adsera and Littwin
 * 2023) gives horizons linear in alpha (slope 1), the older bound of Chizat, Oyallon and Bach
 * (2019) horizons growing like sqrt(alpha) (slope 1/2).
 *
 * @param spec - resolved spec (its alpha is ignored)
 * @param alphas - alpha values > 0
 * @param options - method, rtol, cancellation, deadline, per-point callback
 * @returns one point per alpha (fewer when stopped) and the three slopes
 * @throws SimulationError from a simulation other than a stop by deadline or cancellation
 */
export function sweepAlpha(
	spec: ResolvedSpec,
	alphas: readonly number[],
	options: SweepOptions = {},
): SweepResult {
	const problem = prepareProblem(spec);
	const trainingTime = spec.training.T;
	const points: SweepPoint[] = [];
	for (const alpha of alphas) {
		if (options.shouldStop?.() || (options.deadlineMs !== undefined && Date.now() > options.deadlineMs)) {
			break;
		}
		const analysis = analyzeProblem(problem, { alpha, skipMinimumAlpha: true });
		const estimate = analysis.horizons.estimate;
		const predicted = estimate.kind === 'finite' ? SEARCH_FACTOR * estimate.time : trainingTime;
		const searchTime = Math.max(trainingTime, Math.min(predicted, SEARCH_CAP_FACTOR * trainingTime));
		const result = simulateSpec(spec, {
			problem,
			alpha,
			endTime: searchTime,
			stopAtCrossing: true,
			method: options.method,
			rtol: options.rtol,
			shouldStop: options.shouldStop,
			deadlineMs: options.deadlineMs,
		});
		if (!result.complete) {
			break;
		}
		const point: SweepPoint = {
			alpha,
			empirical: result.horizons.empirical,
			guaranteed: analysis.horizons.guaranteed,
			estimate,
			older: analysis.horizons.older,
			steps: result.solver.steps,
		};
		points.push(point);
		options.onPoint?.(points.length, alphas.length, point);
	}
	return {
		points,
		empiricalSlope: logSlope(points, (point) => point.empirical),
		estimateSlope: logSlope(points, (point) => point.estimate),
		olderSlope: logSlope(points, (point) => point.older),
		spec,
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


