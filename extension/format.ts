/** Number and horizon formatting shared by hovers, CodeLens, the status bar and diagnostics. */

import type { Horizon } from '../src/results';

/** Significant digits of every number the editor shows. */
export const DISPLAY_DIGITS = 3;

/**
 * Formats a number with 3 significant digits: plain between 0.001 and 10000, otherwise in
 * exponent form without a plus sign (`1.23e5`, `4e-7`).
 */
export function formatNumber(value: number): string {
	if (Number.isNaN(value)) {
		return 'NaN';
	}
	if (!Number.isFinite(value)) {
		return value > 0 ? 'infinity' : '-infinity';
	}
	if (value === 0) {
		return '0';
	}
	const magnitude = Math.abs(value);
	if (magnitude >= 1e-3 && magnitude < 1e4) {
		return String(Number(value.toPrecision(DISPLAY_DIGITS)));
	}
	const [mantissa, exponent] = value.toExponential(DISPLAY_DIGITS - 1).split('e');
	return `${String(Number(mantissa))}e${Number(exponent)}`;
}

/** Formats a horizon in a few words: a time, `unbounded`, `not applicable` or `not reached ...`. */
export function formatHorizon(horizon: Horizon): string {
	switch (horizon.kind) {
		case 'finite':
			return formatNumber(horizon.time);
		case 'unbounded':
			return 'unbounded';
		case 'notApplicable':
			return 'not applicable';
		case 'notReached':
			return `not reached up to t = ${formatNumber(horizon.searchedUntil)} (peak E ${formatNumber(horizon.peakError)} at t = ${formatNumber(horizon.peakTime)})`;
	}
}

/** Formats a horizon with the reason an infinite or inapplicable one has, for hovers. */
export function describeHorizon(horizon: Horizon): string {
	if (horizon.kind === 'unbounded' || horizon.kind === 'notApplicable') {
		return `${formatHorizon(horizon)}: ${horizon.reason}`;
	}
	return formatHorizon(horizon);
}
