/**
 * Text of the panel's status line and horizon table, from a spec's entry. Pure.
 */

import type { Horizon, PanelEntry } from '../src/protocol';
import { formatNumberUp } from '../src/spec/edits';
import { formatValue } from './logScale';

/** One row of the horizon table. */
export interface HorizonRow {
	readonly name: string;
	readonly value: string;
	/** Reason for a missing number or source of the value; empty when there is nothing to add. */
	readonly detail: string;
}

/** Formats a horizon for the table: its time, `∞`, `n/a`, or `> T` when a run never crossed. */
export function formatHorizon(horizon: Horizon): { value: string; detail: string } {
	switch (horizon.kind) {
		case 'finite':
			return { value: formatValue(horizon.time), detail: '' };
		case 'unbounded':
			return { value: '∞', detail: horizon.reason };
		case 'notApplicable':
			return { value: 'n/a', detail: horizon.reason };
		case 'notReached':
			return {
				value: `> ${formatValue(horizon.searchedUntil)}`,
				detail: `not reached; peak E ${formatValue(horizon.peakError)} at t = ${formatValue(horizon.peakTime)}`,
			};
	}
}

function withDetail(cell: { value: string; detail: string }, detail: string): { value: string; detail: string } {
	return cell.detail === '' ? { ...cell, detail } : cell;
}

/** Builds the status line: run progress, completion, an early stop or an error. */
export function statusText(entry: PanelEntry | null): string {
	if (entry === null) {
		return 'No data for this spec yet. Press Simulate.';
	}
	if (entry.status !== null && entry.status.kind !== 'running') {
		return entry.status.kind === 'error' ? `Error: ${entry.status.text}` : entry.status.text;
	}
	if (entry.progress !== null) {
		const percent = Math.round(entry.progress.fraction * 100);
		const state = entry.status?.kind === 'running' ? 'Running' : 'Stopped without a result';
		return `${state}: ${percent}% · ${entry.progress.steps.toLocaleString('en-US')} steps`;
	}
	if (entry.result !== null) {
		return resultStatus(entry.result);
	}
	if (entry.sweep !== null) {
		return `Sweep over ${entry.sweep.points.length} values of α.`;
	}
	return entry.analysis === null ? 'No data for this spec yet. Press Simulate.' : 'Predicted horizons. Press Simulate to plot E(t).';
}

function resultStatus(result: NonNullable<PanelEntry['result']>): string {
	const steps = `${result.steps.toLocaleString('en-US')} steps`;
	const seconds = `${formatValue(result.wallTimeMs / 1000)} s`;
	if (result.complete) {
		return `Complete · ${steps} · ${seconds}`;
	}
	const reason = result.stopReason ?? 'stopped early';
	const label = /cancel/i.test(reason) ? 'Cancelled' : 'Incomplete';
	return `${label} (${reason}) · ${steps} · series end at t = ${formatValue(result.times[result.times.length - 1])}`;
}

/** Builds the horizon table: predicted horizons, the empirical one after a run, and Lip(Dh). */
export function horizonRows(entry: PanelEntry | null): HorizonRow[] {
	const horizons = entry?.result?.horizons ?? entry?.analysis?.horizons ?? null;
	if (entry === null || horizons === null) {
		return [];
	}
	const rows: HorizonRow[] = [
		{ name: 'Guaranteed (Thm 1.2)', ...formatHorizon(horizons.guaranteed) },
		{ name: 'Estimate', ...withDetail(formatHorizon(horizons.estimate), 'α ε / (Lip(Dh) √R₀)') },
		{ name: 'Older (Prop. 1.1)', ...formatHorizon(horizons.older) },
	];
	if (entry.result !== null) {
		rows.push({ name: 'Empirical', ...formatHorizon(entry.result.horizons.empirical) });
		rows.push({ name: 'Training time T', value: formatValue(entry.result.trainingTime), detail: '' });
	}
	const threshold = entry.result?.threshold ?? entry.analysis?.threshold;
	rows.push({ name: 'Tolerance on E', value: formatValue(threshold), detail: '' });
	const analysis = entry.analysis;
	if (analysis !== null) {
		rows.push({ name: 'Lip(Dh) certified', value: formatValue(analysis.jacobianLipschitzBound), detail: 'upper bound' });
		if (analysis.jacobianLipschitzEstimate !== null) {
			rows.push({ name: 'Lip(Dh) estimate', value: formatValue(analysis.jacobianLipschitzEstimate), detail: 'path estimate, a lower bound' });
		}
		if (analysis.minimumAlpha !== null) {
			// Rounded up like the hover and the quick fix, so the shown value really keeps T within epsilon.
			rows.push({ name: 'Smallest α guaranteeing T', value: formatNumberUp(analysis.minimumAlpha, 3), detail: '' });
		}
	}
	return rows;
}
