/**
 * Serialises results for the Export Results command: JSON with non-finite numbers written as
 * null, and CSV with one row per report time (or per alpha for a sweep). Pure, for unit tests.
 */

import type { SimulationResult, SweepResult, Horizon } from '../src/results';

/** Writes a result as JSON text, with `Infinity` and `NaN` replaced by `null` explicitly. */
export function toJsonText(value: unknown): string {
	return `${JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' && !Number.isFinite(item) ? null : item), 2)}\n`;
}

/** Writes a simulation as CSV: one row per report time, series and bounds as columns. */
export function simulationToCsv(result: SimulationResult): string {
	const columns: [string, readonly (number | null)[] | undefined][] = [
		['time', result.times],
		['err', result.err],
		['normR', result.normR],
		['normRbar', result.normRbar],
		['normDw', result.normDw],
		['normDwbar', result.normDwbar],
		['normKdrift', result.normKdrift],
		['kappa', result.bounds.kappa],
		['theorem12', result.bounds.theorem12],
		['theorem12Rounded', result.bounds.theorem12Rounded],
		['proposition11', result.bounds.proposition11],
		['weightMovement', result.bounds.weightMovement],
		['converseLower', result.bounds.converseLower],
	];
	const present = columns.filter(([, values]) => values !== undefined) as [
		string,
		readonly (number | null)[],
	][];
	const rows = result.times.map((_, i) =>
		present.map(([, values]) => csvNumber(values[i])).join(','),
	);
	return `${present.map(([name]) => name).join(',')}\n${rows.join('\n')}\n`;
}

/** Writes a sweep as CSV: one row per alpha with each horizon's time (empty when not finite) and kind. */
export function sweepToCsv(sweep: SweepResult): string {
	const names = ['empirical', 'guaranteed', 'estimate', 'older'] as const;
	const header = ['alpha', ...names.flatMap((name) => [name, `${name}Kind`]), 'steps'];
	const rows = sweep.points.map((point) =>
		[
			csvNumber(point.alpha),
			...names.flatMap((name) => horizonCells(point[name])),
			String(point.steps),
		].join(','),
	);
	return `${header.join(',')}\n${rows.join('\n')}\n`;
}

function horizonCells(horizon: Horizon): [string, string] {
	return [horizon.kind === 'finite' ? csvNumber(horizon.time) : '', horizon.kind];
}

/** Writes a number cell at full precision, empty for a missing or non-finite value. */
function csvNumber(value: number | null | undefined): string {
	return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}
