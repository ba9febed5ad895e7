/**
 * SVG export of the charts, built from the same chart specs as the live uPlot charts: polylines in
 * log10 coordinates, log-tick axes, horizon markers and a legend. Pure string building, so it runs
 * in Node for tests.
 */

import type { ChartSpec } from './chartModel';
import { formatValue, logTicks, type LogRange } from './logScale';
import type { Palette } from './palette';
import { preparePlot, type PlotData, type PlotMarker } from './plotData';

/** Size and colors of an exported chart. */
export interface SvgOptions {
	/** Width in CSS pixels. */
	readonly width: number;
	/** Height of the plot area (inside the axes) in CSS pixels. */
	readonly plotHeight: number;
	readonly palette: Palette;
}

interface Rendered {
	readonly body: string;
	readonly height: number;
}

/** Space around the plot area, in CSS pixels. */
const MARGIN = { left: 60, right: 16, top: 8, bottom: 40 };
const TITLE_GAP = 6;
const LEGEND_ROW = 18;
const LEGEND_SWATCH = 22;
const CHART_GAP = 24;

/** Builds a standalone SVG document of one chart. */
export function chartToSvg(spec: ChartSpec, options: SvgOptions): string {
	return chartsToSvg([spec], options);
}

/** Builds one SVG document with the charts stacked vertically, each with title, axes and legend. */
export function chartsToSvg(specs: readonly ChartSpec[], options: SvgOptions): string {
	const parts: string[] = [];
	let offset = 0;
	specs.forEach((spec, index) => {
		const rendered = renderChart(spec, options, `c${index}`);
		parts.push(`<g transform="translate(0 ${offset})">${rendered.body}</g>`);
		offset += rendered.height + (index < specs.length - 1 ? CHART_GAP : 0);
	});
	const { width, palette } = options;
	const height = Math.max(1, Math.ceil(offset));
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`,
		` font-family="${escapeXml(palette.fontFamily)}" font-size="${palette.fontSize}">`,
		`<rect width="100%" height="100%" fill="${escapeXml(palette.background)}"/>`,
		...parts,
		'</svg>',
	].join('');
}

function renderChart(spec: ChartSpec, options: SvgOptions, id: string): Rendered {
	const { palette, width, plotHeight } = options;
	const plot = preparePlot(spec);
	const titleHeight = palette.fontSize + 6;
	const box = {
		left: MARGIN.left,
		top: titleHeight + TITLE_GAP + MARGIN.top,
		width: Math.max(10, width - MARGIN.left - MARGIN.right),
		height: plotHeight,
	};
	const parts: string[] = [
		text(spec.title, 4, titleHeight - 4, palette.foreground, { weight: 'bold', size: palette.fontSize + 1 }),
	];
	parts.push(renderAxes(spec, plot, box, palette));
	if (plot.isEmpty) {
		parts.push(text(spec.emptyNote, box.left + box.width / 2, box.top + box.height / 2, palette.foreground, { anchor: 'middle' }));
	} else {
		parts.push(renderSeries(plot, box, palette, id), renderMarkers(plot, box, palette));
	}
	const legendTop = box.top + box.height + MARGIN.bottom;
	const legend = renderLegend(spec, legendTop, width, palette);
	parts.push(legend.body);
	return { body: parts.join(''), height: legendTop + legend.height };
}

interface Box {
	readonly left: number;
	readonly top: number;
	readonly width: number;
	readonly height: number;
}

function scaleX(plot: PlotData, box: Box, position: number): number {
	return box.left + ((position - plot.xRange.min) / (plot.xRange.max - plot.xRange.min)) * box.width;
}

function scaleY(range: LogRange, box: Box, position: number): number {
	return box.top + box.height - ((position - range.min) / (range.max - range.min)) * box.height;
}

function renderAxes(spec: ChartSpec, plot: PlotData, box: Box, palette: Palette): string {
	const parts: string[] = [];
	const bottom = box.top + box.height;
	for (const tick of logTicks(plot.xRange, Math.max(2, Math.floor(box.width / 70)))) {
		const x = round(scaleX(plot, box, tick.position));
		parts.push(`<line x1="${x}" y1="${box.top}" x2="${x}" y2="${bottom}" stroke="${escapeXml(palette.grid)}"/>`);
		parts.push(text(tick.label, x, bottom + palette.fontSize + 4, palette.foreground, { anchor: 'middle' }));
	}
	for (const tick of logTicks(plot.yRange, Math.max(2, Math.floor(box.height / 30)))) {
		const y = round(scaleY(plot.yRange, box, tick.position));
		parts.push(`<line x1="${box.left}" y1="${y}" x2="${box.left + box.width}" y2="${y}" stroke="${escapeXml(palette.grid)}"/>`);
		parts.push(text(tick.label, box.left - 6, y + palette.fontSize / 3, palette.foreground, { anchor: 'end' }));
	}
	parts.push(
		`<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="${escapeXml(palette.foreground)}" stroke-opacity="0.5"/>`,
		text(spec.xLabel, box.left + box.width / 2, bottom + 2 * palette.fontSize + 10, palette.foreground, { anchor: 'middle' }),
		text(spec.yLabel, 0, 0, palette.foreground, {
			anchor: 'middle',
			transform: `translate(${palette.fontSize} ${box.top + box.height / 2}) rotate(-90)`,
		}),
	);
	return parts.join('');
}

// NOTE: series are written point by point without decimation, so 10 series of 20 000 points make
// a 2.4 MB SVG (measured with the browser harness).
function renderSeries(plot: PlotData, box: Box, palette: Palette, id: string): string {
	const clipId = `clip-${id}`;
	const parts = [
		`<defs><clipPath id="${clipId}"><rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}"/></clipPath></defs>`,
		`<g clip-path="url(#${clipId})" fill="none" stroke-linejoin="round">`,
	];
	for (const series of plot.series) {
		const color = escapeXml(palette.roles[series.spec.role]);
		const dash = series.spec.dash.length > 0 ? ` stroke-dasharray="${series.spec.dash.join(' ')}"` : '';
		for (const segment of segments(plot, series.values, box)) {
			if (segment.length === 1 || series.spec.pointsOnly) {
				const fill = series.spec.hollow ? `fill="none" stroke="${color}"` : `fill="${color}"`;
				parts.push(...segment.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="3" ${fill}/>`));
			} else {
				const points = segment.map(([x, y]) => `${x},${y}`).join(' ');
				parts.push(`<polyline points="${points}" stroke="${color}" stroke-width="${palette.lineWidth}"${dash}/>`);
			}
		}
	}
	parts.push('</g>');
	return parts.join('');
}

/** Splits a series at its gaps into runs of consecutive points, in pixel coordinates. */
function segments(plot: PlotData, values: readonly (number | null)[], box: Box): [number, number][][] {
	const runs: [number, number][][] = [];
	let current: [number, number][] = [];
	values.forEach((value, row) => {
		if (value === null) {
			if (current.length > 0) {
				runs.push(current);
			}
			current = [];
			return;
		}
		current.push([round(scaleX(plot, box, plot.xs[row])), round(scaleY(plot.yRange, box, value))]);
	});
	if (current.length > 0) {
		runs.push(current);
	}
	return runs;
}

function renderMarkers(plot: PlotData, box: Box, palette: Palette): string {
	const parts: string[] = [];
	plot.markers.forEach((marker, index) => {
		const color = palette.roles[marker.role];
		const labelY = box.top + (index + 1) * (palette.fontSize + 3);
		const label = markerLabel(marker);
		const labelWidth = label.length * palette.fontSize * 0.6;
		if (!marker.inRange) {
			const isRight = marker.position > plot.xRange.max;
			const x = isRight ? box.left + box.width - 4 - labelWidth : box.left + 4;
			parts.push(labelBox(x, labelY, labelWidth, palette), text(label, x, labelY, color, {}));
			return;
		}
		const x = round(scaleX(plot, box, marker.position));
		const labelX = x + labelWidth + 6 < box.left + box.width ? x + 3 : x - 3 - labelWidth;
		parts.push(
			`<line x1="${x}" y1="${box.top}" x2="${x}" y2="${box.top + box.height}" stroke="${escapeXml(color)}" stroke-width="${palette.lineWidth}" stroke-dasharray="4 3"/>`,
			labelBox(labelX, labelY, labelWidth, palette),
			text(label, labelX, labelY, color, {}),
		);
	});
	return parts.join('');
}

/** Builds a translucent background box for a marker label whose baseline is at `y`. */
function labelBox(x: number, y: number, width: number, palette: Palette): string {
	const top = round(y - palette.fontSize);
	return `<rect x="${round(x - 2)}" y="${top}" width="${round(width + 4)}" height="${palette.fontSize + 3}" fill="${escapeXml(palette.background)}" fill-opacity="0.8"/>`;
}

/** Label of a horizon marker: its name and time, marked when it lies outside the x axis. */
export function markerLabel(marker: PlotMarker): string {
	const value = `${marker.label} ${formatValue(marker.x)}`;
	return marker.inRange ? value : `${value} (off axis)`;
}

function renderLegend(spec: ChartSpec, top: number, width: number, palette: Palette): Rendered {
	const parts: string[] = [];
	const characterWidth = palette.fontSize * 0.6;
	let x = 4;
	let row = 0;
	for (const series of spec.series) {
		const itemWidth = LEGEND_SWATCH + 6 + series.name.length * characterWidth + 14;
		if (x + itemWidth > width && x > 4) {
			x = 4;
			row++;
		}
		const y = top + row * LEGEND_ROW + LEGEND_ROW / 2;
		const color = escapeXml(palette.roles[series.role]);
		parts.push(
			series.pointsOnly
				? `<circle cx="${x + LEGEND_SWATCH / 2}" cy="${y}" r="3" ${series.hollow ? `fill="none" stroke="${color}"` : `fill="${color}"`}/>`
				: `<line x1="${x}" y1="${y}" x2="${x + LEGEND_SWATCH}" y2="${y}" stroke="${color}" stroke-width="${palette.lineWidth}"${series.dash.length > 0 ? ` stroke-dasharray="${series.dash.join(' ')}"` : ''}/>`,
			text(series.name, x + LEGEND_SWATCH + 6, y + palette.fontSize / 3, palette.foreground, {}),
		);
		x += itemWidth;
	}
	return { body: parts.join(''), height: (row + 1) * LEGEND_ROW + 4 };
}

interface TextOptions {
	readonly anchor?: 'start' | 'middle' | 'end';
	readonly weight?: 'bold';
	readonly size?: number;
	readonly transform?: string;
}

function text(content: string, x: number, y: number, color: string, options: TextOptions): string {
	const attributes = [
		options.transform ? `transform="${options.transform}"` : `x="${round(x)}" y="${round(y)}"`,
		`fill="${escapeXml(color)}"`,
		options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
		options.weight ? `font-weight="${options.weight}"` : '',
		options.size ? `font-size="${options.size}"` : '',
	].filter((attribute) => attribute !== '');
	return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

/** Escapes text for use in SVG content and attribute values. */
export function escapeXml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

function round(value: number): number {
	return Math.round(value * 10) / 10;
}
