/**
 * Conversions from the core's result shapes to the webview protocol's shapes. They keep only what
 * the panel shows and replace every non-finite number by `null`, because `postMessage` would turn
 * `Infinity` and `NaN` into `null` anyway and the panel must not mistake them for values.
 */

import type { Horizon, HorizonAnalysis, SimulationProgress, SimulationResult, SweepResult } from './results';
import type {
	PanelAnalysis,
	PanelProgress,
	PanelResult,
	PanelSweep,
	SeriesValues,
} from './protocol';

/**
 * Converts a horizon analysis to the panel's shape.
 *
 * @param analysis - the analysis of one spec
 * @returns the threshold, the three predicted horizons, the Lip(Dh) values and the notes
 */
export function toPanelAnalysis(analysis: HorizonAnalysis): PanelAnalysis {
	return {
		threshold: analysis.threshold,
		initialLoss: finiteOrNull(analysis.initialLoss),
		lipschitzRadius: finiteOrNull(analysis.lipschitz.radius),
		jacobianLipschitzBound: finiteOrNull(analysis.lipschitz.bound),
		jacobianLipschitzEstimate: finiteOrNull(analysis.lipschitz.estimate),
		horizons: {
			guaranteed: encodeHorizon(analysis.horizons.guaranteed),
			estimate: encodeHorizon(analysis.horizons.estimate),
			older: encodeHorizon(analysis.horizons.older),
		},
		minimumAlpha: finiteOrNull(analysis.minimumAlpha),
		notes: [...analysis.notes],
	};
}

/**
 * Converts a progress report to the panel's shape. Whether `progress` carries all points so far or
 * only the new ones does not matter: `mergeProgress` appends only times past the last one held.
 *
 * @param progress - a progress report of a running simulation
 * @returns the fraction done, the step count and the points with non-finite values as null
 */
export function toPanelProgress(progress: SimulationProgress): PanelProgress {
	const length = progress.times.length;
	return {
		fraction: Number.isFinite(progress.fraction) ? Math.min(1, Math.max(0, progress.fraction)) : 0,
		steps: Number.isFinite(progress.steps) ? Math.max(0, progress.steps) : 0,
		times: progress.times.map((time) => (Number.isFinite(time) ? time : 0)),
		err: encodeSeries(progress.err, length),
		normR: encodeSeries(progress.normR, length),
		normRbar: encodeSeries(progress.normRbar, length),
	};
}

/**
 * Converts a simulation result to the panel's shape, dropping the spec and its data.
 *
 * @param result - a finished or stopped simulation
 * @returns the series aligned with `result.times`, the bounds, horizons and run statistics
 */
export function toPanelResult(result: SimulationResult): PanelResult {
	const length = result.times.length;
	const bounds = result.bounds;
	return {
		times: result.times.map((time) => (Number.isFinite(time) ? time : 0)),
		err: encodeSeries(result.err, length),
		normR: encodeSeries(result.normR, length),
		normRbar: encodeSeries(result.normRbar, length),
		normDw: encodeSeries(result.normDw, length),
		normDwbar: encodeSeries(result.normDwbar, length),
		normKdrift: encodeSeries(result.normKdrift, length),
		theorem12: encodeSeries(bounds.theorem12, length),
		proposition11: encodeSeries(bounds.proposition11, length),
		converseLower: bounds.converseLower ? encodeSeries(bounds.converseLower, length) : null,
		weightMovement: encodeSeries(bounds.weightMovement, length),
		threshold: result.analysis.threshold,
		horizons: {
			guaranteed: encodeHorizon(result.horizons.guaranteed),
			estimate: encodeHorizon(result.horizons.estimate),
			older: encodeHorizon(result.horizons.older),
			empirical: encodeHorizon(result.horizons.empirical),
		},
		complete: result.complete,
		stopReason: result.stopReason ?? null,
		steps: result.solver.steps,
		wallTimeMs: result.solver.wallTimeMs,
		alpha: result.spec.training.alpha,
		trainingTime: result.spec.training.T,
	};
}

/**
 * Converts a sweep to the panel's shape.
 *
 * @param sweep - horizons for each alpha and the fitted slopes of log T against log alpha
 * @returns the points and slopes, non-finite slopes as null
 */
export function toPanelSweep(sweep: SweepResult): PanelSweep {
	return {
		points: sweep.points
			.filter((point) => Number.isFinite(point.alpha))
			.map((point) => ({
				alpha: point.alpha,
				empirical: encodeHorizon(point.empirical),
				guaranteed: encodeHorizon(point.guaranteed),
				estimate: encodeHorizon(point.estimate),
				older: encodeHorizon(point.older),
			})),
		empiricalSlope: finiteOrNull(sweep.empiricalSlope),
		estimateSlope: finiteOrNull(sweep.estimateSlope),
		olderSlope: finiteOrNull(sweep.olderSlope),
	};
}

/**
 * Appends the points of `next` whose time is past the last time of `previous`. A report with fewer
 * steps than `previous` starts a new run and replaces it.
 *
 * @param previous - the progress held so far, or null
 * @param next - the progress report just received
 * @returns the merged progress with `next`'s fraction and step count
 */
export function mergeProgress(previous: PanelProgress | null, next: PanelProgress): PanelProgress {
	if (previous === null || next.steps < previous.steps) {
		return next;
	}
	const lastTime = previous.times.length > 0 ? previous.times[previous.times.length - 1] : -Infinity;
	const first = next.times.findIndex((time) => time > lastTime);
	if (first < 0) {
		return { ...previous, fraction: next.fraction, steps: next.steps };
	}
	return {
		fraction: next.fraction,
		steps: next.steps,
		times: [...previous.times, ...next.times.slice(first)],
		err: [...previous.err, ...next.err.slice(first)],
		normR: [...previous.normR, ...next.normR.slice(first)],
		normRbar: [...previous.normRbar, ...next.normRbar.slice(first)],
	};
}

function finiteOrNull(value: number | null | undefined): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Copies `values` with non-finite entries as null, padded with null or cut to `length`. */
function encodeSeries(values: readonly (number | null)[] | undefined, length: number): SeriesValues {
	const encoded: (number | null)[] = new Array<number | null>(length).fill(null);
	if (values === undefined) {
		return encoded;
	}
	for (let i = 0; i < Math.min(length, values.length); i++) {
		encoded[i] = finiteOrNull(values[i]);
	}
	return encoded;
}

/**
 * Re-encodes a `finite` horizon whose time is +Infinity as `unbounded` and one that is NaN or
 * negative as `notApplicable`, so that every horizon passes the guards after messaging.
 */
function encodeHorizon(horizon: Horizon): Horizon {
	switch (horizon.kind) {
		case 'finite':
			return encodeFiniteHorizon(horizon.time);
		case 'notReached':
			return {
				kind: 'notReached',
				searchedUntil: finiteOrZero(horizon.searchedUntil),
				peakError: finiteOrZero(horizon.peakError),
				peakTime: finiteOrZero(horizon.peakTime),
			};
		default:
			return horizon;
	}
}

function encodeFiniteHorizon(time: number): Horizon {
	if (time === Infinity) {
		return { kind: 'unbounded', reason: 'the horizon is infinite' };
	}
	if (!Number.isFinite(time) || time < 0) {
		return { kind: 'notApplicable', reason: `the horizon could not be computed (got ${time})` };
	}
	return { kind: 'finite', time };
}

function finiteOrZero(value: number): number {
	return Number.isFinite(value) ? value : 0;
}
