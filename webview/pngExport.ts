/**
 * PNG export: stacks each chart's uPlot canvas under its title and above a legend drawn from the
 * chart spec, on the theme's background, and encodes the result as PNG.
 */

import type { ChartSpec } from './chartModel';
import type { Palette } from './palette';

/** A chart to compose: its spec and its canvas, or null when it had nothing to plot. */
export interface PngPart {
	readonly spec: ChartSpec;
	readonly canvas: HTMLCanvasElement | null;
}

const PADDING = 8;
const LEGEND_ROW = 18;
const LEGEND_SWATCH = 22;
const EMPTY_PLOT_HEIGHT = 40;

/** Composes the charts into one PNG and returns its bytes, base64-encoded. */
export function chartsToPngBase64(parts: readonly PngPart[], palette: Palette, width: number): string {
	const ratio = devicePixelRatio;
	const canvas = document.createElement('canvas');
	const context = canvas.getContext('2d');
	if (context === null) {
		throw new Error('PNG export failed: the browser returned no 2D canvas context.');
	}
	const height = parts.reduce((total, part) => total + partHeight(part, palette, width, context), PADDING);
	canvas.width = Math.ceil(width * ratio);
	canvas.height = Math.ceil(height * ratio);
	context.scale(ratio, ratio);
	context.fillStyle = palette.background;
	context.fillRect(0, 0, width, height);
	let top = PADDING;
	for (const part of parts) {
		top = drawPart(part, palette, width, context, top);
	}
	return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

function titleFont(palette: Palette): string {
	return `bold ${palette.fontSize + 1}px ${palette.fontFamily}`;
}

function partHeight(part: PngPart, palette: Palette, width: number, context: CanvasRenderingContext2D): number {
	const plotHeight = part.canvas === null ? EMPTY_PLOT_HEIGHT : part.canvas.height / devicePixelRatio;
	return palette.fontSize + 8 + plotHeight + legendRows(part.spec, palette, width, context) * LEGEND_ROW + PADDING * 2;
}

function drawPart(part: PngPart, palette: Palette, width: number, context: CanvasRenderingContext2D, top: number): number {
	context.fillStyle = palette.foreground;
	context.font = titleFont(palette);
	context.textBaseline = 'top';
	context.textAlign = 'left';
	context.fillText(part.spec.title, PADDING, top);
	let y = top + palette.fontSize + 8;
	if (part.canvas === null) {
		context.font = `${palette.fontSize}px ${palette.fontFamily}`;
		context.fillText(part.spec.emptyNote, PADDING, y + EMPTY_PLOT_HEIGHT / 3);
		y += EMPTY_PLOT_HEIGHT;
	} else {
		const plotWidth = part.canvas.width / devicePixelRatio;
		const plotHeight = part.canvas.height / devicePixelRatio;
		context.drawImage(part.canvas, 0, y, plotWidth, plotHeight);
		y += plotHeight;
	}
	y += drawLegend(part.spec, palette, width, context, y + 4);
	return y + PADDING * 2;
}

function legendRows(spec: ChartSpec, palette: Palette, width: number, context: CanvasRenderingContext2D): number {
	context.font = `${palette.fontSize}px ${palette.fontFamily}`;
	let x = PADDING;
	let rows = 1;
	for (const series of spec.series) {
		const itemWidth = LEGEND_SWATCH + 6 + context.measureText(series.name).width + 14;
		if (x + itemWidth > width && x > PADDING) {
			x = PADDING;
			rows++;
		}
		x += itemWidth;
	}
	return rows;
}

/** Draws the legend from `top`; returns its height. */
function drawLegend(spec: ChartSpec, palette: Palette, width: number, context: CanvasRenderingContext2D, top: number): number {
	context.font = `${palette.fontSize}px ${palette.fontFamily}`;
	context.textBaseline = 'middle';
	let x = PADDING;
	let row = 0;
	for (const series of spec.series) {
		const itemWidth = LEGEND_SWATCH + 6 + context.measureText(series.name).width + 14;
		if (x + itemWidth > width && x > PADDING) {
			x = PADDING;
			row++;
		}
		const y = top + row * LEGEND_ROW + LEGEND_ROW / 2;
		const color = palette.roles[series.role];
		context.strokeStyle = color;
		context.fillStyle = color;
		context.lineWidth = palette.lineWidth;
		context.setLineDash(series.dash.slice());
		if (series.pointsOnly) {
			context.beginPath();
			context.arc(x + LEGEND_SWATCH / 2, y, 3, 0, 2 * Math.PI);
			if (series.hollow) {
				context.stroke();
			} else {
				context.fill();
			}
		} else {
			context.beginPath();
			context.moveTo(x, y);
			context.lineTo(x + LEGEND_SWATCH, y);
			context.stroke();
		}
		context.setLineDash([]);
		context.fillStyle = palette.foreground;
		context.fillText(series.name, x + LEGEND_SWATCH + 6, y);
		x += itemWidth;
	}
	return (row + 1) * LEGEND_ROW;
}
