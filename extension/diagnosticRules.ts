/**
 * The diagnostics of a spec as plain records: its located issues, a failed analysis, and the
 * `horizonExceeded` warning on `T`. Pure, so unit tests check messages and ranges directly.
 */

import type { HorizonAnalysis } from '../src/results';
import { formatNumberDown, formatNumberUp } from '../src/spec/edits';
import { formatNumber } from './format';
import { nearestLocation } from './specLocations';
import type { JsonPath } from '../src/errors';
import type { InspectedSpec } from './workerProtocol';

/** Diagnostic code of the warning on `T` beyond the guaranteed horizon. */
export const HORIZON_EXCEEDED = 'horizonExceeded';

/** Diagnostic code of an analysis that failed for a reason other than a spec issue. */
export const ANALYSIS_FAILED = 'analysisFailed';

/** A diagnostic before it is placed in a document. */
export interface DiagnosticRecord {
	readonly start: number;
	readonly end: number;
	readonly severity: 'error' | 'warning' | 'information';
	readonly code: string;
	readonly message: string;
}

/** Outcome of the spec's analysis as far as diagnostics are concerned. */
export type AnalysisOutcome =
	| { readonly status: 'none' }
	| { readonly status: 'ready'; readonly analysis: HorizonAnalysis }
	| {
			readonly status: 'failed';
			readonly message: string;
			readonly issues: readonly FailedIssue[];
	  };

/** An issue raised by the analysis (for example a weight shape checked by the model). */
export interface FailedIssue {
	readonly path: JsonPath;
	readonly severity: 'error' | 'warning';
	readonly code: string;
	readonly message: string;
}

/** Builds every diagnostic of one spec. */
export function specDiagnostics(spec: InspectedSpec, outcome: AnalysisOutcome): DiagnosticRecord[] {
	const records: DiagnosticRecord[] = spec.issues.map((issue) => ({
		start: issue.start,
		end: issue.end,
		severity: issue.severity,
		code: issue.code,
		message: issue.message,
	}));
	if (outcome.status === 'failed') {
		records.push(...failureDiagnostics(spec, outcome.message, outcome.issues));
	}
	if (outcome.status === 'ready') {
		const warning = horizonExceededDiagnostic(spec, outcome.analysis);
		if (warning) {
			records.push(warning);
		}
	}
	return records;
}

function failureDiagnostics(
	spec: InspectedSpec,
	message: string,
	issues: readonly FailedIssue[],
): DiagnosticRecord[] {
	const whole = { valueStart: spec.start, valueEnd: Math.min(spec.end, spec.start + 1) };
	if (issues.length === 0) {
		return [
			{
				start: whole.valueStart,
				end: whole.valueEnd,
				severity: 'error',
				code: ANALYSIS_FAILED,
				message: `The analysis of this spec failed: ${message}`,
			},
		];
	}
	return issues.map((issue) => {
		const location = nearestLocation(spec.locations, issue.path, whole);
		return {
			start: location.valueStart,
			end: location.valueEnd,
			severity: issue.severity,
			code: issue.code,
			message: issue.message,
		};
	});
}

/**
 * Builds the warning on `T` when T exceeds the horizon guaranteed by Theorem 1.2. The message
 * names the values the quick fixes set. Returns undefined when T is within the horizon or no
 * finite guarantee exists.
 */
export function horizonExceededDiagnostic(
	spec: InspectedSpec,
	analysis: HorizonAnalysis,
): DiagnosticRecord | undefined {
	const location = spec.keys.T;
	const guaranteed = analysis.horizons.guaranteed;
	if (!spec.spec || !location || guaranteed.kind !== 'finite') {
		return undefined;
	}
	const { T } = spec.spec.training;
	if (T <= guaranteed.time) {
		return undefined;
	}
	const epsilon = formatNumber(spec.spec.analysis.epsilon);
	const fix = quickFixValues(analysis);
	const remedy =
		fix.alpha === undefined
			? `Lower T to at most ${fix.T}.`
			: `Raise alpha to at least ${fix.alpha} or lower T to at most ${fix.T}.`;
	const message =
		`T = ${formatNumber(T)} exceeds the horizon ${formatNumber(guaranteed.time)} guaranteed by Theorem 1.2 ` +
		`for epsilon = ${epsilon}, so the linearized model may leave the tolerance before T. ${remedy}`;
	return {
		start: location.valueStart,
		end: location.valueEnd,
		severity: 'warning',
		code: HORIZON_EXCEEDED,
		message,
	};
}

/** Significant digits of the values the quick fixes write. */
export const FIX_DIGITS = 3;

/**
 * Values the quick fixes write: the smallest alpha rounded up and the guaranteed horizon rounded
 * down, so that the edited spec really meets the guarantee.
 */
export function quickFixValues(analysis: HorizonAnalysis): { alpha?: string; T?: string } {
	const guaranteed = analysis.horizons.guaranteed;
	return {
		alpha:
			analysis.minimumAlpha === null
				? undefined
				: formatNumberUp(analysis.minimumAlpha, FIX_DIGITS),
		T: guaranteed.kind === 'finite' ? formatNumberDown(guaranteed.time, FIX_DIGITS) : undefined,
	};
}
