/**
 * One live chart: a title, a uPlot 1.6.32 canvas with log-log axes (log10 values on linear scales,
 * see `logScale.ts`), dashed vertical markers at the horizons and uPlot's legend.
 */

import uPlot from 'uplot';

import type { ChartState } from '../src/protocol';
import type { ChartSpec } from './chartModel';
import { formatValue, logTicks, type LogTick } from './logScale';
import type { Palette } from './palette';
import { preparePlot, type PlotData } from './plotData';
import { markerLabel } from './svgExport';

/** Height of a chart's plot area plus axes, in CSS pixels. */
const CHART_HEIGHT = 210;

/** Minimum horizontal and vertical distance between ticks, in CSS pixels. */
const X_TICK_SPACING = 70;
const Y_TICK_SPACING = 32;

/** A chart in the panel; `update` redraws it in place and recreates uPlot when its series change. */
export class ChartView {
	readonly element: HTMLElement;
	private readonly titleElement: HTMLElement;
	private readonly plotElement: HTMLElement;
	private readonly noteElement: HTMLElement;
	private plot: uPlot | null = null;
	private signature = '';
	private data: PlotData | null = null;
	private spec: ChartSpec | null = null;
	private palette: Palette | null = null;
	private readonly ticks: LogTick[][] = [[], []];

	constructor(parent: HTMLElement) {
		this.element = createElement('section', 'chart', parent);
		this.titleElement = createElement('h3', 'chart-title', this.element);
		this.plotElement = createElement('div', 'chart-plot', this.element);
		this.noteElement = createElement('p', 'chart-note', this.element);
	}

	/** Draws `spec` at `width` CSS pixels with `palette`. */
	update(spec: ChartSpec, palette: Palette, width: number): void {
		this.spec = spec;
		this.palette = palette;
		this.data = preparePlot(spec);
		this.element.dataset.chartId = spec.id;
		this.titleElement.textContent = spec.title;
		this.noteElement.textContent = this.data.isEmpty ? spec.emptyNote : '';
		this.noteElement.hidden = !this.data.isEmpty;
		if (this.data.isEmpty) {
			this.destroyPlot();
			return;
		}
		const signature = JSON.stringify([
			spec.id,
			spec.series.map((s) => [s.name, s.role, s.dash, s.pointsOnly, s.hollow === true]),
			palette,
		]);
		const alignedData: uPlot.AlignedData = [this.data.xs, ...this.data.series.map((series) => series.values)];
		if (this.plot === null || signature !== this.signature) {
			this.destroyPlot();
			this.signature = signature;
			this.plot = new uPlot(this.options(spec, palette, width), alignedData, this.plotElement);
			return;
		}
		this.plot.setData(alignedData);
		this.resize(width);
	}

	/** Resizes the plot to `width` CSS pixels. */
	resize(width: number): void {
		if (this.plot !== null && Math.abs(this.plot.width - width) >= 1) {
			this.plot.setSize({ width, height: CHART_HEIGHT });
		}
	}

	/** Reports what the chart plots, read from the live uPlot instance. */
	state(): ChartState {
		const spec = this.spec;
		const data = this.data;
		if (spec === null || data === null) {
			return { id: '', title: '', series: [], x: null, y: null, markers: [], note: null };
		}
		const plot = this.plot;
		const series = plot === null
			? spec.series.map((entry) => ({ name: entry.name, points: 0 }))
			: plot.series.slice(1).map((entry, index) => ({
					name: String(entry.label ?? ''),
					points: countPoints(plot.data[index + 1]),
				}));
		return {
			id: spec.id,
			title: spec.title,
			series,
			x: plot === null ? null : scaleRange(plot, 'x'),
			y: plot === null ? null : scaleRange(plot, 'y'),
			markers: data.markers.map((marker) => ({ label: marker.label, x: marker.x })),
			note: data.isEmpty ? spec.emptyNote : null,
		};
	}

	/** Returns the spec and canvas (null when empty) that a PNG export composes; null before `update`. */
	exportParts(): { spec: ChartSpec; canvas: HTMLCanvasElement | null } | null {
		if (this.spec === null) {
			return null;
		}
		return { spec: this.spec, canvas: this.plot?.ctx.canvas ?? null };
	}

	/** Removes the chart from the page. */
	dispose(): void {
		this.destroyPlot();
		this.element.remove();
	}

	private destroyPlot(): void {
		this.plot?.destroy();
		this.plot = null;
		this.signature = '';
	}

	private options(spec: ChartSpec, palette: Palette, width: number): uPlot.Options {
		const font = `${palette.fontSize - 1}px ${palette.fontFamily}`;
		const axis = (label: string, index: 0 | 1, spacing: number, size: number): uPlot.Axis => ({
			label,
			stroke: palette.foreground,
			font,
			labelFont: font,
			size,
			labelSize: palette.fontSize + 4,
			grid: { stroke: palette.grid, width: 1 },
			ticks: { stroke: palette.grid, width: 1, size: 4 },
			splits: (plot, _axisIndex, min, max) => this.splits(plot, index, min, max, spacing),
			values: (_plot, splits) => splits.map((split) => this.tickLabel(index, split)),
		});
		return {
			width,
			height: CHART_HEIGHT,
			series: [
				{ label: spec.xLabel, value: (_plot, value) => formatLog(value) },
				...spec.series.map((series) => this.seriesOptions(series, palette)),
			],
			scales: {
				x: { time: false, range: () => [this.data?.xRange.min ?? -1, this.data?.xRange.max ?? 1] },
				y: { range: () => [this.data?.yRange.min ?? -1, this.data?.yRange.max ?? 1] },
			},
			axes: [axis(spec.xLabel, 0, X_TICK_SPACING, 36), axis(spec.yLabel, 1, Y_TICK_SPACING, 58)],
			cursor: { drag: { x: false, y: false, setScale: false } },
			legend: { live: true },
			hooks: { draw: [(plot) => this.drawMarkers(plot)] },
		};
	}

	private seriesOptions(series: ChartSpec['series'][number], palette: Palette): uPlot.Series {
		const color = palette.roles[series.role];
		return {
			label: series.name,
			stroke: color,
			width: palette.lineWidth,
			dash: [...series.dash],
			spanGaps: false,
			points: { show: series.pointsOnly, size: 7, fill: series.hollow ? palette.background : color, stroke: color },
			paths: series.pointsOnly ? () => null : undefined,
			value: (_plot, value) => formatLog(value),
		};
	}

	private splits(plot: uPlot, axis: 0 | 1, min: number, max: number, spacing: number): number[] {
		const length = axis === 0 ? plot.bbox.width : plot.bbox.height;
		const count = Math.max(2, Math.floor(length / devicePixelRatio / spacing) + 1);
		this.ticks[axis] = logTicks({ min, max }, count);
		return this.ticks[axis].map((tick) => tick.position);
	}

	private tickLabel(axis: 0 | 1, position: number): string {
		const tick = this.ticks[axis].find((candidate) => Math.abs(candidate.position - position) < 1e-9);
		return tick?.label ?? formatLog(position);
	}

	/** Draws the horizon markers: dashed vertical lines with staggered labels. */
	private drawMarkers(plot: uPlot): void {
		const data = this.data;
		const palette = this.palette;
		if (data === null || palette === null) {
			return;
		}
		const context = plot.ctx;
		const ratio = devicePixelRatio;
		const { left, top, width, height } = plot.bbox;
		context.save();
		context.font = `${(palette.fontSize - 1) * ratio}px ${palette.fontFamily}`;
		context.textBaseline = 'top';
		data.markers.forEach((marker, index) => {
			const color = palette.roles[marker.role];
			const labelY = top + (4 + index * (palette.fontSize + 3)) * ratio;
			context.fillStyle = color;
			context.strokeStyle = color;
			if (!marker.inRange) {
				const label = markerLabel(marker);
				const labelWidth = context.measureText(label).width;
				const isRight = marker.position > data.xRange.max;
				const labelX = isRight ? left + width - 4 * ratio - labelWidth : left + 4 * ratio;
				drawLabel(context, label, labelX, labelY, palette, color);
				return;
			}
			const x = Math.round(plot.valToPos(marker.position, 'x', true));
			context.lineWidth = palette.lineWidth * ratio;
			context.setLineDash([4 * ratio, 3 * ratio]);
			context.beginPath();
			context.moveTo(x, top);
			context.lineTo(x, top + height);
			context.stroke();
			const label = markerLabel(marker);
			const labelWidth = context.measureText(label).width;
			const fitsRight = x + labelWidth + 6 * ratio < left + width;
			const labelX = fitsRight ? x + 3 * ratio : x - 3 * ratio - labelWidth;
			drawLabel(context, label, labelX, labelY, palette, color);
		});
		context.restore();
	}
}

/** Draws a marker label on a translucent background box, so crossing lines do not hide it. */
function drawLabel(
	context: CanvasRenderingContext2D,
	label: string,
	x: number,
	y: number,
	palette: Palette,
	color: string,
): void {
	const ratio = devicePixelRatio;
	context.save();
	context.globalAlpha = 0.8;
	context.fillStyle = palette.background;
	context.fillRect(x - 2 * ratio, y - ratio, context.measureText(label).width + 4 * ratio, (palette.fontSize + 1) * ratio);
	context.restore();
	context.fillStyle = color;
	context.textAlign = 'left';
	context.fillText(label, x, y);
}

function createElement(tag: string, className: string, parent: HTMLElement): HTMLElement {
	const element = document.createElement(tag);
	element.className = className;
	parent.appendChild(element);
	return element;
}

function countPoints(values: ArrayLike<number | null | undefined> | undefined): number {
	let count = 0;
	for (let i = 0; i < (values?.length ?? 0); i++) {
		if (values?.[i] !== null && values?.[i] !== undefined) {
			count++;
		}
	}
	return count;
}

function scaleRange(plot: uPlot, key: 'x' | 'y'): { min: number; max: number } | null {
	const scale = plot.scales[key];
	if (scale?.min === undefined || scale.max === undefined || scale.min === null || scale.max === null) {
		return null;
	}
	return { min: 10 ** scale.min, max: 10 ** scale.max };
}

/** Formats a log10 value in data units for the legend. */
function formatLog(value: number | null): string {
	return value === null || value === undefined ? '–' : formatValue(10 ** value);
}
