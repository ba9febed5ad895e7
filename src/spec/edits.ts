/**
 * Text edits that replace a numeric value in a spec file, with numbers written readably and
 * rounded in the direction that keeps a required bound satisfied.
 */

import type { PathLocation } from './locate';

/** Replacement of the text in `[start, end)` (0-based UTF-16 offsets) by `newText`. */
export interface TextEdit {
	readonly start: number;
	readonly end: number;
	readonly newText: string;
}

/** Rounding direction for significant digits: towards +Infinity, towards -Infinity, or nearest. */
export type NumberRounding = 'up' | 'down' | 'nearest';

/** Precision and rounding of a number written by `formatNumber` or `replaceValueEdit`. */
export interface NumberFormatOptions {
	/**
	 * Significant digits, an integer from 1 to 17. Without it the number is written exactly, with
	 * the fewest digits that read back as the same double.
	 */
	readonly digits?: number;
	/** Rounding direction when `digits` is given; `nearest` by default. */
	readonly rounding?: NumberRounding;
}

/**
 * Decimal `mantissa * 10^exponent` with an integer mantissa written without a sign. Working on the
 * digits keeps rounding exact, where scaling by powers of ten in doubles would not be.
 */
interface Decimal {
	readonly isNegative: boolean;
	readonly mantissa: bigint;
	readonly exponent: number;
}

/** A double has at most 17 significant decimal digits (IEEE 754 binary64). */
const MAX_DIGITS = 17;

/** Decimal exponents written without `e` notation: 0.0001 to 999999, not `1.5e-5` or `2e6`. */
const MIN_PLAIN_EXPONENT = -4;
const MAX_PLAIN_EXPONENT = 5;

/**
 * Builds the edit that replaces the value at `location` by `newValue`. The whole value range is
 * replaced, so in TypeScript an expression such as `1e4`, `2 ** 10` or a const reference becomes a
 * plain number literal, and a shorthand property `{ alpha }` becomes `{ alpha: 5 }`.
 *
 * @param text - the file's text, used to check the range
 * @param location - the value's range, from `locateJsonPath` or `locateTsPath`
 * @param newValue - the finite number to write
 * @param options - significant digits and rounding direction
 * @returns the edit
 * @throws RangeError when the range lies outside the text or contains an object or array, or
 * when `newValue` is not finite
 * @example
 * const location = { valueStart: 10, valueEnd: 12 };
 * replaceValueEdit('{"alpha": 10}', location, 1234.5, { digits: 3, rounding: 'up' });
 * // { start: 10, end: 12, newText: '1240' }
 */
export function replaceValueEdit(
	text: string,
	location: PathLocation,
	newValue: number,
	options: NumberFormatOptions = {},
): TextEdit {
	const { valueStart, valueEnd } = location;
	const isInText = Number.isInteger(valueStart) && Number.isInteger(valueEnd) && valueStart >= 0;
	if (!isInText || valueStart > valueEnd || valueEnd > text.length) {
		throw new RangeError(
			`The value range [${valueStart}, ${valueEnd}) must lie within the text of length ${text.length}. Locate the value in the current text.`,
		);
	}
	const oldText = text.slice(valueStart, valueEnd).trimStart();
	if (oldText.startsWith('{') || oldText.startsWith('[')) {
		throw new RangeError(
			`The value range [${valueStart}, ${valueEnd}) contains an object or array, not a number. Locate the path of the number itself.`,
		);
	}
	const newText = formatNumber(newValue, options);
	// A TypeScript shorthand property `{ alpha }` has one range for key and value.
	if (location.keyStart === valueStart && location.keyEnd === valueEnd) {
		return { start: valueStart, end: valueEnd, newText: `${oldText}: ${newText}` };
	}
	return { start: valueStart, end: valueEnd, newText };
}

/**
 * Writes `x` readably: plain decimals from 0.0001 to 999999, `e` notation outside (`1.5e-5`,
 * `2.35e6`), valid in both JSON and TypeScript.
 *
 * Limitations: when rounding away from zero within a few units of the largest double
 * (about 1.8e308) would overflow to Infinity, more digits are kept, up to 17.
 *
 * @param x - a finite number
 * @param options - significant digits and rounding direction; exact when `digits` is omitted
 * @returns the number's text
 * @throws RangeError when `x` is not finite or `digits` is not an integer from 1 to 17
 */
export function formatNumber(x: number, options: NumberFormatOptions = {}): string {
	if (!Number.isFinite(x)) {
		throw new RangeError(`The number to write must be finite, got ${x}. JSON cannot represent it.`);
	}
	const { digits, rounding = 'nearest' } = options;
	if (digits === undefined) {
		return writeDecimal(parseDecimal(String(x)));
	}
	if (!Number.isInteger(digits) || digits < 1 || digits > MAX_DIGITS) {
		throw new RangeError(`The significant digits must be an integer from 1 to ${MAX_DIGITS}, got ${digits}.`);
	}
	// Rounding away from zero near the largest double can overflow, but more digits stay finite.
	for (let count = digits; count < MAX_DIGITS; count += 1) {
		const text = writeDecimal(roundDecimal(x, count, rounding));
		if (Number.isFinite(Number(text))) {
			return text;
		}
	}
	return writeDecimal(roundDecimal(x, MAX_DIGITS, rounding));
}

/**
 * Writes `x` with `digits` significant digits, rounded towards +Infinity, so that the text reads
 * back as a double `>= x`. Use it for a lower bound, such as the smallest α meeting a condition.
 *
 * @param x - a finite number
 * @param digits - significant digits, 1 to 17
 * @returns text whose value, read as a double, is at least `x`
 * @throws RangeError as `formatNumber`
 * @example
 * formatNumberUp(1234.5, 3) // '1240'
 * formatNumberUp(-1234.5, 3) // '-1230'
 */
export function formatNumberUp(x: number, digits: number): string {
	return formatNumber(x, { digits, rounding: 'up' });
}

/**
 * Writes `x` with `digits` significant digits, rounded towards -Infinity, so that the text reads
 * back as a double `<= x`. Use it for an upper bound, such as the largest training time T allowed.
 *
 * @param x - a finite number
 * @param digits - significant digits, 1 to 17
 * @returns text whose value, read as a double, is at most `x`
 * @throws RangeError as `formatNumber`
 * @example
 * formatNumberDown(0.99999, 3) // '0.999'
 */
export function formatNumberDown(x: number, digits: number): string {
	return formatNumber(x, { digits, rounding: 'down' });
}

/**
 * Rounds `x` to `digits` significant digits. `toExponential` rounds to nearest, and when that
 * lands on the wrong side of `x`, the last digit moves one step. Reading decimal text as a double
 * rounds monotonically, so a decimal above `x` reads back as a double `>= x`.
 */
function roundDecimal(x: number, digits: number, rounding: NumberRounding): Decimal {
	const nearest = parseDecimal(x.toExponential(digits - 1));
	const readBack = Number(writeDecimal(nearest));
	const isAwayFromZero = rounding === 'up' ? !nearest.isNegative : nearest.isNegative;
	if (rounding === 'nearest' || readBack === x) {
		return nearest;
	}
	if (isAwayFromZero && Math.abs(readBack) < Math.abs(x)) {
		return { ...nearest, mantissa: nearest.mantissa + 1n };
	}
	if (!isAwayFromZero && Math.abs(readBack) > Math.abs(x)) {
		return decrementMantissa(nearest, digits);
	}
	return nearest;
}

/** Subtracts one unit in the last place, keeping `digits` digits: 1.00 becomes 0.999, not 0.99. */
function decrementMantissa(decimal: Decimal, digits: number): Decimal {
	const mantissa = decimal.mantissa - 1n;
	if (mantissa < 10n ** BigInt(digits - 1)) {
		return { ...decimal, mantissa: mantissa * 10n + 9n, exponent: decimal.exponent - 1 };
	}
	return { ...decimal, mantissa };
}

/** Parses JavaScript's number text (`123.45`, `1e+21`, `-4.5e-7`) into an exact decimal. */
function parseDecimal(text: string): Decimal {
	const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text);
	if (match === null) {
		throw new RangeError(`Cannot read the number text '${text}'.`);
	}
	const [, sign, integerPart, fractionPart = '', exponentPart = '0'] = match;
	return {
		isNegative: sign === '-',
		mantissa: BigInt(integerPart + fractionPart),
		exponent: Number(exponentPart) - fractionPart.length,
	};
}

function writeDecimal(decimal: Decimal): string {
	let digits = decimal.mantissa.toString();
	let exponent = decimal.exponent;
	if (decimal.mantissa === 0n) {
		return '0';
	}
	const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
	digits = digits.slice(0, digits.length - trailingZeros);
	exponent += trailingZeros;
	const sign = decimal.isNegative ? '-' : '';
	const leadingExponent = digits.length - 1 + exponent;
	if (leadingExponent < MIN_PLAIN_EXPONENT || leadingExponent > MAX_PLAIN_EXPONENT) {
		const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
		return `${sign}${digits[0]}${fraction}e${leadingExponent}`;
	}
	if (exponent >= 0) {
		return `${sign}${digits}${'0'.repeat(exponent)}`;
	}
	const pointPosition = digits.length + exponent;
	if (pointPosition > 0) {
		return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
	}
	return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
}
