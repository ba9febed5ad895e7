/**
 * Builds what each chart plots from a spec's panel entry: plain data, shared by the live uPlot
 * charts, the SVG export and the chart-state report. No DOM access.
 */

import type { Horizon, PanelEntry, PanelHorizons, PanelResult, PanelSweep, SeriesValues } from '../src/protocol';
import { formatValue } from './logScale';

/** Palette slot of a series or marker; the theme maps each to a color. */
export type ColorRole = 'red' | 'blue' | 'green' | 'orange' | 'purple' | 'yellow' | 'muted';

/** One plotted series, in data units, aligned with its chart's `xs`. */
export interface SeriesSpec {
	readonly name: string;
	readonly role: ColorRole;
	/** Canvas line dash in CSS pixels; empty for a solid line. */
	readonly dash: readonly number[];
	/** True to draw the points only, without connecting lines. */
	readonly pointsOnly: boolean;
	/** True to draw the points as rings: lower bounds, not values. */
	readonly hollow?: boolean;
	readonly values: SeriesValues;
}

/** A vertical line at a horizon. */
export interface MarkerSpec {
	readonly label: string;
	readonly x: number;
	readonly role: ColorRole;
}

/** Data and labels of one chart. Both axes are logarithmic. */
export interface ChartSpec {
	readonly id: ChartId;
	readonly title: string;
	readonly xLabel: string;
	readonly yLabel: string;
	readonly xs: readonly number[];
	readonly series: readonly SeriesSpec[];
	readonly markers: readonly MarkerSpec[];
	/** Largest x the axis must reach even without data there, for example T during a run. */
	readonly xEnd?: number;
	/** Shown when the chart has no positive value to plot. */
	readonly emptyNote: string;
}

export type ChartId = 'error' | 'residual' | 'weights' | 'kernel' | 'sweep';

const DASHED = [6, 4];
const DOTTED = [2, 3];

/** Builds the charts for an entry: the four time charts once a run has data, and the sweep chart. */
export function buildCharts(entry: PanelEntry): ChartSpec[] {
	const charts: ChartSpec[] = [];
	if (entry.result !== null) {
		charts.push(...resultCharts(entry.result));
	} else if (entry.progress !== null) {
		charts.push(...progressCharts(entry));
	}
	if (entry.sweep !== null) {
		charts.push(sweepChart(entry.sweep));
	}
	return charts;
}

function resultCharts(result: PanelResult): ChartSpec[] {
	const xs = result.times;
	const bounds: SeriesSpec[] = [
		line('Theorem 1.2 bound', 'blue', result.theorem12),
		line('Prop. 1.1 bound (older)', 'orange', result.proposition11, DASHED),
	];
	if (result.converseLower !== null) {
		bounds.push(line('Theorem 1.3 lower bound', 'purple', result.converseLower, DOTTED));
	}
	return [
		errorChart(xs, result.err, bounds, result.threshold, horizonMarkers(result.horizons, result.horizons.empirical)),
		residualChart(xs, result.normR, result.normRbar),
		{
			id: 'weights',
			title: 'Weight movement',
			xLabel: 't',
			yLabel: '‖w − w₀‖',
			xs,
			series: [
				line('‖w(t) − w₀‖', 'red', result.normDw),
				line('‖w̄(t) − w₀‖', 'blue', result.normDwbar, DASHED),
				line('√(t R₀)/α bound', 'muted', result.weightMovement, DOTTED),
			],
			markers: [],
			emptyNote: 'The weights did not move: nothing positive to plot on log axes.',
		},
		{
			id: 'kernel',
			title: 'Kernel drift ‖K_t − K₀‖',
			xLabel: 't',
			yLabel: '‖K_t − K₀‖',
			xs,
			series: [line('‖K_t − K₀‖', 'purple', result.normKdrift)],
			markers: [],
			emptyNote: 'The kernel did not change: nothing positive to plot on log axes.',
		},
	];
}

function progressCharts(entry: PanelEntry): ChartSpec[] {
	const progress = entry.progress;
	if (progress === null) {
		return [];
	}
	const threshold = entry.analysis?.threshold ?? null;
	const markers = entry.analysis === null ? [] : horizonMarkers(entry.analysis.horizons, null);
	// The axes span the whole training time from the start, so the curves grow into a fixed frame.
	const lastTime = progress.times[progress.times.length - 1];
	const xEnd = progress.fraction > 0 && lastTime !== undefined ? lastTime / progress.fraction : undefined;
	return [
		{ ...errorChart(progress.times, progress.err, [], threshold, markers), xEnd },
		{ ...residualChart(progress.times, progress.normR, progress.normRbar), xEnd },
	];
}

function errorChart(
	xs: readonly number[],
	err: SeriesValues,
	bounds: readonly SeriesSpec[],
	threshold: number | null,
	markers: readonly MarkerSpec[],
): ChartSpec {
	const series = [line('E(t) simulated', 'red', err), ...bounds];
	if (threshold !== null) {
		series.push(line(`tolerance ${formatValue(threshold)}`, 'muted', xs.map(() => threshold), DASHED));
	}
	return {
		id: 'error',
		title: 'NTK approximation error E(t) = ‖r(t) − r̄(t)‖',
		xLabel: 't',
		yLabel: 'E(t)',
		xs,
		series,
		markers,
		emptyNote: 'E(t) is zero at every report time: nothing positive to plot on log axes.',
	};
}

function residualChart(xs: readonly number[], normR: SeriesValues, normRbar: SeriesValues): ChartSpec {
	return {
		id: 'residual',
		title: 'Residuals ‖r(t)‖ and ‖r̄(t)‖',
		xLabel: 't',
		yLabel: '‖r‖',
		xs,
		series: [line('‖r(t)‖ trained', 'red', normR), line('‖r̄(t)‖ linearized', 'blue', normRbar, DASHED)],
		markers: [],
		emptyNote: 'The residuals are zero: nothing positive to plot on log axes.',
	};
}

/** Vertical markers for the finite horizons, in the order guaranteed, estimate, older, empirical. */
export function horizonMarkers(horizons: PanelHorizons, empirical: Horizon | null): MarkerSpec[] {
	const candidates: [string, Horizon | null, ColorRole][] = [
		['guaranteed', horizons.guaranteed, 'blue'],
		['estimate', horizons.estimate, 'green'],
		['older', horizons.older, 'orange'],
		['empirical', empirical, 'red'],
	];
	const markers: MarkerSpec[] = [];
	for (const [label, horizon, role] of candidates) {
		if (horizon !== null && horizon.kind === 'finite' && horizon.time > 0) {
			markers.push({ label, x: horizon.time, role });
		}
	}
	return markers;
}

function sweepChart(sweep: PanelSweep): ChartSpec {
	const points = [...sweep.points].sort((a, b) => a.alpha - b.alpha);
	const times = (pick: (point: PanelSweep['points'][number]) => Horizon) =>
		points.map((point) => finiteTime(pick(point)));
	// Where E stayed below the tolerance, the empirical horizon lies past the searched time.
	const searched = points.map((point) =>
		point.empirical.kind === 'notReached' && point.empirical.searchedUntil > 0 ? point.empirical.searchedUntil : null,
	);
	const notReached: SeriesSpec[] = searched.some((value) => value !== null)
		? [{ ...line('empirical not reached by (ring)', 'red', searched), pointsOnly: true, hollow: true }]
		: [];
	return {
		id: 'sweep',
		title: 'Horizon against α',
		xLabel: 'α',
		yLabel: 'T*',
		xs: points.map((point) => point.alpha),
		series: [
			{ ...line(`empirical${slopeText(sweep.empiricalSlope)}`, 'red', times((p) => p.empirical)), pointsOnly: true },
			...notReached,
			line('guaranteed (Theorem 1.2)', 'blue', times((p) => p.guaranteed)),
			line(`estimate${slopeText(sweep.estimateSlope)}`, 'green', times((p) => p.estimate), DASHED),
			line(`older (Prop. 1.1)${slopeText(sweep.olderSlope)}`, 'orange', times((p) => p.older), DOTTED),
		],
		markers: [],
		emptyNote: 'No finite horizon in this sweep.',
	};
}

function slopeText(slope: number | null): string {
	return slope === null ? '' : `, slope ${slope.toFixed(2)}`;
}

function finiteTime(horizon: Horizon): number | null {
	return horizon.kind === 'finite' ? horizon.time : null;
}

function line(name: string, role: ColorRole, values: SeriesValues, dash: readonly number[] = []): SeriesSpec {
	return { name, role, dash, pointsOnly: false, values };
}
