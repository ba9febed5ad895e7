/**
 * Minimal SVG line charts with logarithmic axes for the benchmark page. Non-positive and
 * non-finite points are dropped, because a log axis cannot show them.
 */

/** One line of a chart. */
export interface PlotSeries {
	readonly label: string;
	readonly x: readonly number[];
	readonly y: readonly number[];
	/** SVG stroke colour. */
	readonly color: string;
	readonly dashed?: boolean;
	/** Draw a marker at each point as well as the line. */
	readonly markers?: boolean;
}

/** Labels and series of a chart with logarithmic axes. */
export interface PlotOptions {
	readonly title: string;
	readonly xLabel: string;
	readonly yLabel: string;
	readonly series: readonly PlotSeries[];
	/** Corner of the plot area where the legend is drawn, `top-right` when omitted. */
	readonly legendCorner?: 'top-right' | 'bottom-right';
}

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { left: 72, right: 16, top: 32, bottom: 48 };
const LEGEND_ROW_HEIGHT = 16;
/** Estimated width of one character of the 11 px sans-serif legend text. */
const CHARACTER_WIDTH = 6;

interface LogRange {
	readonly low: number;
	readonly high: number;
}

/** Returns the decade range (powers of ten) that contains every positive finite value. */
function decadeRange(values: readonly number[]): LogRange {
	const usable = values.filter((v) => Number.isFinite(v) && v > 0);
	if (usable.length === 0) {
		return { low: 0, high: 1 };
	}
	const low = Math.floor(Math.log10(Math.min(...usable)));
	const high = Math.ceil(Math.log10(Math.max(...usable)));
	return { low, high: high > low ? high : low + 1 };
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function axisLines(xRange: LogRange, yRange: LogRange, toX: (v: number) => number, toY: (v: number) => number): string[] {
	const parts: string[] = [];
	const plotBottom = HEIGHT - MARGIN.bottom;
	for (let e = xRange.low; e <= xRange.high; e++) {
		const x = toX(Math.pow(10, e)).toFixed(1);
		parts.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${plotBottom}" stroke="#ddd"/>`);
		parts.push(`<text x="${x}" y="${plotBottom + 16}" text-anchor="middle">1e${e}</text>`);
	}
	for (let e = yRange.low; e <= yRange.high; e++) {
		const y = toY(Math.pow(10, e)).toFixed(1);
		parts.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${WIDTH - MARGIN.right}" y2="${y}" stroke="#ddd"/>`);
		parts.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">1e${e}</text>`);
	}
	return parts;
}

function seriesPath(series: PlotSeries, toX: (v: number) => number, toY: (v: number) => number): string[] {
	const points: string[] = [];
	for (let i = 0; i < series.x.length; i++) {
		const [x, y] = [series.x[i], series.y[i]];
		if (Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0) {
			points.push(`${toX(x).toFixed(1)},${toY(y).toFixed(1)}`);
		}
	}
	const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
	const parts = [`<polyline fill="none" stroke="${series.color}" stroke-width="1.6"${dash} points="${points.join(' ')}"/>`];
	if (series.markers) {
		for (const point of points) {
			const [x, y] = point.split(',');
			parts.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="${series.color}"/>`);
		}
	}
	return parts;
}

/** Renders a log-log line chart as a standalone SVG document. */
export function renderLogLogChart(options: PlotOptions): string {
	const xRange = decadeRange(options.series.flatMap((s) => s.x));
	const yRange = decadeRange(options.series.flatMap((s) => s.y));
	const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
	const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
	const toX = (v: number): number =>
		MARGIN.left + ((Math.log10(v) - xRange.low) / (xRange.high - xRange.low)) * plotWidth;
	const toY = (v: number): number =>
		MARGIN.top + (1 - (Math.log10(v) - yRange.low) / (yRange.high - yRange.low)) * plotHeight;

	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
		`<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`,
		...axisLines(xRange, yRange, toX, toY),
		`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444"/>`,
		`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
		`<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
	];
	const longestLabel = Math.max(0, ...options.series.map((series) => series.label.length));
	const legendX = Math.max(MARGIN.left + 4, WIDTH - MARGIN.right - 40 - CHARACTER_WIDTH * longestLabel);
	const legendTop =
		options.legendCorner === 'bottom-right'
			? HEIGHT - MARGIN.bottom - 8 - options.series.length * LEGEND_ROW_HEIGHT
			: MARGIN.top + 4;
	options.series.forEach((series, index) => {
		parts.push(...seriesPath(series, toX, toY));
		const y = legendTop + 8 + index * LEGEND_ROW_HEIGHT;
		const x = legendX;
		const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
		parts.push(`<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${series.color}" stroke-width="2"${dash}/>`);
		parts.push(`<text x="${x + 30}" y="${y}" dominant-baseline="middle">${escapeXml(series.label)}</text>`);
	});
	parts.push('</svg>');
	return parts.join('\n') + '\n';
}
