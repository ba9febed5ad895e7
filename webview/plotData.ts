/**
 * Turns a chart spec into what a log-log plot draws: log10 coordinates with the unplottable points
 * removed, padded axis ranges and marker positions. Used by the live charts and the SVG export.
 */

import type { ChartSpec, MarkerSpec, SeriesSpec } from './chartModel';
import { logRange, logSafeSeries, type LogRange } from './logScale';

/** A series in log10 units, aligned with `PlotData.xs`. */
export interface PlotSeries {
	readonly spec: SeriesSpec;
	readonly values: (number | null)[];
	/** Number of plotted (non-null) points. */
	readonly points: number;
}

/** A horizon marker with its log10 position; `inRange` is false when it lies outside the x axis. */
export interface PlotMarker extends MarkerSpec {
	readonly position: number;
	readonly inRange: boolean;
}

/** A chart ready to draw: x values and every series in log10 units, ranges padded. */
export interface PlotData {
	readonly xs: number[];
	readonly series: PlotSeries[];
	readonly xRange: LogRange;
	readonly yRange: LogRange;
	readonly markers: PlotMarker[];
	/** True when no series has a point to plot. */
	readonly isEmpty: boolean;
}

/**
 * Prepares a chart for log-log drawing. Rows whose x is not positive and finite are removed from
 * every series; y values that are not positive and finite become gaps.
 */
export function preparePlot(spec: ChartSpec): PlotData {
	const rows = [...spec.xs.keys()].filter((index) => isPositive(spec.xs[index]));
	const xs = rows.map((index) => Math.log10(spec.xs[index]));
	let yMin: number | null = null;
	let yMax: number | null = null;
	const series = spec.series.map((seriesSpec) => {
		const logs = logSafeSeries(rows.map((index) => seriesSpec.values[index] ?? null));
		if (logs.min !== null && logs.max !== null) {
			yMin = yMin === null ? logs.min : Math.min(yMin, logs.min);
			yMax = yMax === null ? logs.max : Math.max(yMax, logs.max);
		}
		const points = logs.values.filter((value) => value !== null).length;
		return { spec: seriesSpec, values: logs.values, points };
	});
	const isEmpty = series.every((entry) => entry.points === 0);
	const xRange = isEmpty ? logRange(null, null) : plottedXRange(xs, series, spec.xEnd);
	const markers = spec.markers
		.filter((marker) => isPositive(marker.x))
		.map((marker) => {
			const position = Math.log10(marker.x);
			const inRange = position >= xRange.min && position <= xRange.max;
			return { ...marker, position, inRange };
		});
	return { xs, series, xRange, yRange: logRange(yMin, yMax), markers, isEmpty };
}

/** Computes the x range of the rows where at least one series has a point, extended to `xEnd`. */
function plottedXRange(xs: readonly number[], series: readonly PlotSeries[], xEnd: number | undefined): LogRange {
	let min: number | null = null;
	let max: number | null = isPositive(xEnd) ? Math.log10(xEnd) : null;
	xs.forEach((x, row) => {
		if (series.some((entry) => entry.values[row] !== null)) {
			min = min === null ? x : Math.min(min, x);
			max = max === null ? x : Math.max(max, x);
		}
	});
	return logRange(min, max);
}

function isPositive(value: number | null | undefined): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
