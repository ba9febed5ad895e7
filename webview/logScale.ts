/**
 * Log-scale helpers shared by the live charts and the SVG export. The charts plot log10 of every
 * value on linear uPlot scales and label the ticks as powers of ten, so any positive double can be
 * shown. uPlot 1.6.32's own log scale (`distr: 3`) is avoided because converged residuals reach
 * 1e-130. In headless Chromium 150 that scale did not finish a 400 x 200 chart within 5 s when
 * the data went down to 1e-25, 1e-27 or 1e-130, while data down to 1e-20 took 85 ms.
 */

/** A series made safe for a log axis: log10 of each value, null where none can be plotted. */
export interface LogSeries {
	/** log10 of each positive finite value; null for missing, zero, negative or non-finite ones. */
	readonly values: (number | null)[];
	/** How many non-null inputs were dropped because they were zero, negative or not finite. */
	readonly dropped: number;
	/** Smallest and largest plotted log10 value; null when nothing is plotted. */
	readonly min: number | null;
	readonly max: number | null;
}

/** An axis range in log10 units. */
export interface LogRange {
	readonly min: number;
	readonly max: number;
}

/** A tick on a log axis: its position in log10 units and its label. */
export interface LogTick {
	readonly position: number;
	readonly label: string;
}

/** Range shown when a chart has no plottable value: 0.1 to 10. */
const EMPTY_RANGE: LogRange = { min: -1, max: 1 };

/** Fraction of the data's log10 span added below and above it. */
const RANGE_PADDING = 0.08;

/** Decade steps tried, in order, for axes spanning more than about 1.5 decades. */
const DECADE_STEPS = [1, 2, 3, 5, 10, 20, 25, 50, 100];

/** Mantissa sets tried, densest last, for axes spanning less than 1.5 decades. */
const MANTISSA_SETS = [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * Maps values to log10 for a log axis, keeping their positions so the result stays aligned with
 * its x values. Zero, negative and non-finite values cannot be drawn on a log axis and become null.
 */
export function logSafeSeries(values: readonly (number | null | undefined)[]): LogSeries {
	const logs: (number | null)[] = [];
	let dropped = 0;
	let min: number | null = null;
	let max: number | null = null;
	for (const value of values) {
		if (value === null || value === undefined) {
			logs.push(null);
			continue;
		}
		if (!(Number.isFinite(value) && value > 0)) {
			logs.push(null);
			dropped++;
			continue;
		}
		const log = Math.log10(value);
		logs.push(log);
		min = min === null ? log : Math.min(min, log);
		max = max === null ? log : Math.max(max, log);
	}
	return { values: logs, dropped, min, max };
}

/**
 * Returns a padded log10 range covering `[min, max]`. A single value gets half a decade on each
 * side, and no value at all gets 0.1 to 10. Every returned bound is finite, with max > min.
 */
export function logRange(min: number | null, max: number | null): LogRange {
	if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) {
		return EMPTY_RANGE;
	}
	const low = Math.min(min, max);
	const high = Math.max(min, max);
	const span = high - low;
	if (span < 1e-9) {
		return { min: low - 0.5, max: high + 0.5 };
	}
	return { min: low - span * RANGE_PADDING, max: high + span * RANGE_PADDING };
}

/**
 * Chooses at most `maxCount` ticks (at least 2 where the range allows) inside a log10 range.
 * Ranges over 1.5 decades get ticks at powers of ten. Shorter ones get ticks at 1, 2 and 5 (or 1 to
 * 9) times a power of ten, and ranges too short for those get evenly spaced ticks.
 */
export function logTicks(range: LogRange, maxCount: number): LogTick[] {
	const count = Math.max(2, Math.floor(maxCount));
	const span = range.max - range.min;
	if (!(span > 0) || !Number.isFinite(span)) {
		return [];
	}
	if (span >= 1.5) {
		return decadeTicks(range, count);
	}
	for (const mantissas of MANTISSA_SETS.slice().reverse()) {
		const ticks = mantissaTicks(range, mantissas);
		if (ticks.length <= count && ticks.length >= 2) {
			return ticks;
		}
	}
	const sparse = mantissaTicks(range, MANTISSA_SETS[0]);
	return sparse.length >= 2 && sparse.length <= count ? sparse : evenTicks(range, count);
}

function decadeTicks(range: LogRange, count: number): LogTick[] {
	const span = range.max - range.min;
	const step = DECADE_STEPS.find((candidate) => span / candidate <= count - 1) ?? Math.ceil(span / (count - 1));
	const ticks: LogTick[] = [];
	for (let k = Math.ceil(range.min / step); k * step <= range.max; k++) {
		ticks.push({ position: k * step, label: formatPowerOfTen(k * step) });
	}
	return ticks;
}

function mantissaTicks(range: LogRange, mantissas: readonly number[]): LogTick[] {
	const ticks: LogTick[] = [];
	for (let decade = Math.floor(range.min); decade <= Math.ceil(range.max); decade++) {
		for (const mantissa of mantissas) {
			const position = decade + Math.log10(mantissa);
			if (position >= range.min - 1e-12 && position <= range.max + 1e-12) {
				ticks.push({ position, label: formatMantissaTick(mantissa, decade) });
			}
		}
	}
	return ticks;
}

/**
 * Returns evenly spaced ticks, ends included, for ranges that hold fewer than two of the 1-to-9
 * mantissa ticks. Labels get enough significant digits to tell neighbouring ticks apart.
 */
function evenTicks(range: LogRange, count: number): LogTick[] {
	const tickCount = Math.min(count, 3);
	const span = range.max - range.min;
	const digits = Math.min(15, Math.max(3, Math.ceil(-Math.log10(span * Math.LN10)) + 2));
	const ticks: LogTick[] = [];
	for (let i = 0; i < tickCount; i++) {
		const position = i === tickCount - 1 ? range.max : range.min + (span * i) / (tickCount - 1);
		ticks.push({ position, label: formatPrecise(position, digits) });
	}
	return ticks;
}

/** Formats 10^position; beyond the double range (about 1e±308) it writes the exponent instead. */
function formatPrecise(position: number, digits: number): string {
	const value = 10 ** position;
	if (!Number.isFinite(value) || value === 0) {
		return `10^${Number(position.toPrecision(digits))}`;
	}
	if (value >= 1e-3 && value < 1e5) {
		return String(Number(value.toPrecision(digits)));
	}
	const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
	return `${Number(mantissa)}e${Number(exponent)}`;
}

/** Formats 10^exponent as `1`, `10`, `100`, `0.1`, `0.01`, or `10⁻⁵` / `10¹²` beyond those. */
export function formatPowerOfTen(exponent: number): string {
	const rounded = Math.round(exponent);
	if (rounded >= -2 && rounded <= 3) {
		return String(Number((10 ** rounded).toPrecision(1)));
	}
	return `10${toSuperscript(rounded)}`;
}

function formatMantissaTick(mantissa: number, decade: number): string {
	if (mantissa === 1) {
		return formatPowerOfTen(decade);
	}
	if (decade >= -2 && decade <= 3) {
		return formatValue(mantissa * 10 ** decade);
	}
	return `${mantissa}×10${toSuperscript(decade)}`;
}

function toSuperscript(integer: number): string {
	const digits = String(Math.abs(integer))
		.split('')
		.map((digit) => SUPERSCRIPT_DIGITS[Number(digit)])
		.join('');
	return integer < 0 ? `⁻${digits}` : digits;
}

/**
 * Formats a value with three significant digits: plain between 0.001 and 10^5, else in exponent
 * form (`1.23e-7`). Null or non-finite values read `–`.
 */
export function formatValue(value: number | null | undefined): string {
	if (value === null || value === undefined || !Number.isFinite(value)) {
		return '–';
	}
	const magnitude = Math.abs(value);
	if (magnitude === 0) {
		return '0';
	}
	if (magnitude >= 1e-3 && magnitude < 1e5) {
		return String(Number(value.toPrecision(3)));
	}
	const [mantissa, exponent] = value.toExponential(2).split('e');
	return `${Number(mantissa)}e${Number(exponent)}`;
}
