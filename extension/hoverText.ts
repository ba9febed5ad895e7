/**
 * Markdown of the hovers on `alpha`, `T` and `epsilon`. Pure functions of the spec, its analysis
 * and the latest simulation, so unit tests check the text without an editor.
 */

import type { Horizon, HorizonAnalysis } from '../src/results';
import type { ResolvedSpec } from '../src/spec/types';
import { formatNumberUp } from '../src/spec/edits';
import { describeHorizon, DISPLAY_DIGITS, formatNumber } from './format';
import type { SpecKey } from './workerProtocol';

/** Sources of the theorem numbers, shown under the alpha table. */
const SOURCES =
	'Theorem and proposition numbers follow "The NTK approximation is valid for longer than you think". ' +
	'Its Proposition 1.1 is Theorem 2.3 of Chizat, Oyallon and Bach (2019).';

/** Analysis available to a hover: ready, still computing, or failed with a message. */
export type AnalysisState =
	| { readonly status: 'ready'; readonly analysis: HorizonAnalysis }
	| { readonly status: 'computing' }
	| { readonly status: 'failed'; readonly message: string };

export interface HoverInput {
	readonly key: SpecKey;
	readonly spec: ResolvedSpec;
	readonly state: AnalysisState;
	/** Empirical horizon of the latest simulation of exactly this spec, if any. */
	readonly empirical?: Horizon;
}

/** Builds the hover Markdown for one key of a spec. */
export function buildHoverMarkdown(input: HoverInput): string {
	const heading = `**NTK Horizon**: ${escapeMarkdown(input.spec.name)}`;
	if (input.state.status === 'computing') {
		return `${heading}\n\nComputing the analysis (R0, Lip(Dh), horizons)... Hover again in a moment.`;
	}
	if (input.state.status === 'failed') {
		return `${heading}\n\nThe analysis failed: ${escapeMarkdown(input.state.message)}`;
	}
	const analysis = input.state.analysis;
	switch (input.key) {
		case 'alpha':
			return [
				heading,
				alphaTable(input.spec, analysis, input.empirical),
				notesBlock(analysis),
				SOURCES,
			]
				.filter((part) => part !== '')
				.join('\n\n');
		case 'T':
			return [heading, trainingTimeText(input.spec, analysis)].join('\n\n');
		case 'epsilon':
			return [heading, epsilonText(input.spec, analysis)].join('\n\n');
	}
}

function alphaTable(
	spec: ResolvedSpec,
	analysis: HorizonAnalysis,
	empirical: Horizon | undefined,
): string {
	const { alpha, T } = spec.training;
	const epsilon = formatNumber(spec.analysis.epsilon);
	const rows: [string, string][] = [
		['R0, initial loss ½‖r0‖²', formatNumber(analysis.initialLoss)],
		[
			'Lip(Dh) on the ball of radius ' + formatNumber(analysis.lipschitz.radius),
			lipschitzText(analysis),
		],
		['horizon guaranteed (Theorem 1.2)', describeHorizon(analysis.horizons.guaranteed)],
		[
			`horizon estimate α ε / (Lip(Dh) √R0), ${estimateSource(analysis)}`,
			describeHorizon(analysis.horizons.estimate),
		],
		['horizon, older bound (Proposition 1.1)', describeHorizon(analysis.horizons.older)],
		[
			'horizon, empirical (simulated)',
			empirical ? describeHorizon(empirical) : 'not simulated yet: run Simulate',
		],
		[
			`smallest α keeping T = ${formatNumber(T)} within ε = ${epsilon}`,
			minimumAlphaText(analysis, alpha),
		],
	];
	const body = rows.map(([name, value]) => `| ${name} | ${escapeTableCell(value)} |`).join('\n');
	return `α = ${formatNumber(alpha)}, T = ${formatNumber(T)}, ε = ${epsilon} (${toleranceKind(spec)})\n\n| quantity | value |\n| --- | --- |\n${body}`;
}

/** Lip(Dh) as the analysis reports it, each number labelled certified, exact or estimated. */
export function lipschitzText(analysis: HorizonAnalysis): string {
	const { bound, exact, estimate } = analysis.lipschitz;
	if (bound === null) {
		return 'not finite (Dh is not Lipschitz for this activation)';
	}
	if (exact) {
		return `${formatNumber(bound)} (exact)`;
	}
	const estimated = estimate === null ? '' : `, ${formatNumber(estimate)} (estimated)`;
	return `${formatNumber(bound)} (certified bound)${estimated}`;
}

function estimateSource(analysis: HorizonAnalysis): string {
	if (analysis.lipschitz.exact) {
		return 'exact Lip(Dh)';
	}
	return analysis.lipschitz.estimate === null ? 'certified Lip(Dh)' : 'estimated Lip(Dh)';
}

function minimumAlphaText(analysis: HorizonAnalysis, alpha: number): string {
	if (analysis.minimumAlpha === null) {
		return 'none (no α makes the guarantee reach T)';
	}
	const verdict =
		alpha >= analysis.minimumAlpha ? 'the current α suffices' : 'the current α is too small';
	return `${formatNumberUp(analysis.minimumAlpha, DISPLAY_DIGITS)} (${verdict})`;
}

function trainingTimeText(spec: ResolvedSpec, analysis: HorizonAnalysis): string {
	const { T, alpha, loss } = spec.training;
	const guaranteed = analysis.horizons.guaranteed;
	const lines = [
		`**T** = ${formatNumber(T)} is the training time of the gradient flow; E(t) is compared with the tolerance on (0, T].`,
		lossUnitText(loss, analysis.timeScale),
		`Theorem 1.2 bounds E(T) ≤ min(2κ + 3κ², 2)·√(2 R0) with κ = T·Lip(Dh)·√R0 / α, α = ${formatNumber(alpha)}.`,
		`Guaranteed horizon: ${describeHorizon(guaranteed)}. ${verdictForT(T, guaranteed)}`,
	];
	return lines.filter((line) => line !== '').join('\n\n');
}

function verdictForT(T: number, guaranteed: Horizon): string {
	if (guaranteed.kind === 'unbounded') {
		return 'Every T is within the tolerance.';
	}
	if (guaranteed.kind !== 'finite') {
		return 'No guarantee applies to this spec.';
	}
	return T <= guaranteed.time
		? 'T is within the guaranteed horizon.'
		: 'T exceeds it: the linearization is not guaranteed to stay within ε up to T.';
}

function lossUnitText(loss: ResolvedSpec['training']['loss'], timeScale: number): string {
	if (loss === 'sum') {
		return 'Time is measured for the sum loss ½‖αh(w) − y*‖², the loss of the theorems.';
	}
	return `Time is measured for the mean loss; the theorems' sum-loss flow runs at ${formatNumber(timeScale)} times this time.`;
}

function epsilonText(spec: ResolvedSpec, analysis: HorizonAnalysis): string {
	const { epsilon, relative } = spec.analysis;
	const scale = relative
		? `ε·‖r0‖ = ${formatNumber(analysis.threshold)}`
		: `ε = ${formatNumber(analysis.threshold)}`;
	return [
		`**ε** = ${formatNumber(epsilon)} (${toleranceKind(spec)}) is the tolerated NTK approximation error E(t) = ‖r(t) − r̄(t)‖, the distance between the trained and the linearized residuals. Threshold: ${scale}.`,
		'The guaranteed horizon (Theorem 1.2) holds while κ ≤ (√(1 + 3ε) − 1)/3, about ε/2, so horizons grow about linearly in ε.',
		`Guaranteed horizon now: ${describeHorizon(analysis.horizons.guaranteed)}.`,
	].join('\n\n');
}

function toleranceKind(spec: ResolvedSpec): string {
	return spec.analysis.relative ? 'relative to ‖r0‖' : 'absolute';
}

function notesBlock(analysis: HorizonAnalysis): string {
	return analysis.notes.map((note) => `- ${escapeMarkdown(note)}`).join('\n');
}

/** Escapes the characters Markdown would interpret in user-written text. */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

function escapeTableCell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
