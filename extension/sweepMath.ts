/** Alpha grids and the merging of per-alpha sweep results; pure, for unit tests. */

import type { Horizon, SweepPoint, SweepResult } from '../src/results';
import type { ResolvedSpec } from '../src/spec/types';

/** Alpha range of a sweep: `count` log-spaced values from `from` to `to`. */
export interface AlphaRange {
	readonly from: number;
	readonly to: number;
	readonly count: number;
}

/** Number of alphas of the default sweep. */
export const DEFAULT_SWEEP_COUNT = 7;

/** Returns the spec's own sweep range, or a decade on each side of its alpha. */
export function defaultAlphaRange(spec: ResolvedSpec): AlphaRange {
	if (spec.sweep) {
		return spec.sweep;
	}
	const alpha = spec.training.alpha;
	return { from: alpha / 10, to: alpha * 10, count: DEFAULT_SWEEP_COUNT };
}

/**
 * Checks a requested alpha range and returns a message naming the bad value, or undefined.
 * `from` and `to` must be finite and > 0, `count` an integer from 1 to 200.
 */
export function checkAlphaRange(range: AlphaRange): string | undefined {
	for (const key of ['from', 'to'] as const) {
		if (!(Number.isFinite(range[key]) && range[key] > 0)) {
			return `The sweep's ${key} must be a number > 0, got ${String(range[key])}.`;
		}
	}
	if (!Number.isInteger(range.count) || range.count < 1 || range.count > 200) {
		return `The sweep's count must be an integer from 1 to 200, got ${String(range.count)}.`;
	}
	return undefined;
}

/** `count` log-spaced values from `from` to `to`, both included. */
export function logSpace(range: AlphaRange): number[] {
	if (range.count === 1) {
		return [range.from];
	}
	const ratio = Math.log(range.to / range.from);
	return Array.from({ length: range.count }, (_, i) =>
		i === range.count - 1 ? range.to : range.from * Math.exp((ratio * i) / (range.count - 1)),
	);
}

/** Joins the results of sweeps over disjoint alphas into one, sorted by alpha, with new slopes. */
export function mergeSweeps(spec: ResolvedSpec, parts: readonly SweepResult[]): SweepResult {
	const points = parts.flatMap((part) => part.points).sort((a, b) => a.alpha - b.alpha);
	return {
		points,
		empiricalSlope: fitLogSlope(points, (point) => point.empirical),
		estimateSlope: fitLogSlope(points, (point) => point.estimate),
		olderSlope: fitLogSlope(points, (point) => point.older),
		spec,
	};
}

/**
 * Fits the least-squares slope of log T against log alpha over the points whose horizon is finite
 * and positive. Returns null with fewer than two such points or a single distinct alpha.
 */
export function fitLogSlope(
	points: readonly SweepPoint[],
	pick: (point: SweepPoint) => Horizon,
): number | null {
	const pairs: [number, number][] = [];
	for (const point of points) {
		const horizon = pick(point);
		if (horizon.kind === 'finite' && horizon.time > 0 && point.alpha > 0) {
			pairs.push([Math.log(point.alpha), Math.log(horizon.time)]);
		}
	}
	if (pairs.length < 2) {
		return null;
	}
	const meanX = pairs.reduce((sum, [x]) => sum + x, 0) / pairs.length;
	const meanY = pairs.reduce((sum, [, y]) => sum + y, 0) / pairs.length;
	let covariance = 0;
	let variance = 0;
	for (const [x, y] of pairs) {
		covariance += (x - meanX) * (y - meanY);
		variance += (x - meanX) ** 2;
	}
	return variance === 0 ? null : covariance / variance;
}
