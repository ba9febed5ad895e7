/**
 * Realistic panel data for webview tests and screenshots, built from the reference case
 * `quad_converse_alpha100` (scalar quadratic h(w) = a w + b w^2 / 2, a = 0.1, b = 1, alpha = 100,
 * T = 100, epsilon = 0.05 relative). The simulated series are the case's closed-form values; the
 * bounds and predicted horizons follow the formulas of Theorem 1.2, Proposition 1.1 and Theorem
 * 1.3 with Lip(Dh) = |b| = 1. The sweep is synthetic: horizons proportional to alpha (sqrt(alpha)
 * for the older bound), with the empirical one perturbed, to exercise the sweep chart.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { HostMessage } from '../../../src/protocol';
import { toPanelAnalysis, toPanelProgress, toPanelResult, toPanelSweep } from '../../../src/protocol';
import type { Horizon, HorizonAnalysis, SimulationResult, SweepResult } from '../../../src/results';
import type { ResolvedSpec } from '../../../src/spec/types';

/** Panel key of the sample spec. */
export const SAMPLE_KEY = 'file:///work/examples/converse.ntk.json#0';
export const SAMPLE_LABEL = 'converse.ntk.json › quad_converse_alpha100';

interface ReferenceCase {
	readonly model: { readonly a: number; readonly b: number; readonly w0: number };
	readonly data: { readonly y: number[] };
	readonly training: { readonly alpha: number; readonly T: number };
	readonly analysis: { readonly epsilon: number; readonly relative: boolean; readonly times: number[] };
	readonly expected: Record<string, unknown> & {
		readonly times: number[];
		readonly err: number[];
		readonly normR: number[];
		readonly normRbar: number[];
		readonly normDw: number[];
		readonly normDwbar: number[];
		readonly normKdrift: number[];
		readonly R0: number;
		readonly horizon: { readonly T_emp: number | null };
	};
}

function readCase(): ReferenceCase {
	const path = join(__dirname, '..', '..', 'fixtures', 'cases', 'quad_converse_alpha100.json');
	return JSON.parse(readFileSync(path, 'utf8')) as ReferenceCase;
}

const finite = (time: number): Horizon => ({ kind: 'finite', time });

/** Builds the horizon analysis of the sample spec. */
export function sampleAnalysis(): HorizonAnalysis {
	const reference = readCase();
	const { a, b } = reference.model;
	const alpha = reference.training.alpha;
	const epsilon = reference.analysis.epsilon;
	const initialLoss = reference.expected.R0;
	const sqrtR0 = Math.sqrt(initialLoss);
	const lipschitzDh = Math.abs(b);
	const radius = Math.sqrt(reference.training.T * initialLoss) / alpha;
	const lipschitzH = Math.abs(a) + lipschitzDh * radius;
	return {
		initialLoss,
		initialResidualNorm: Math.sqrt(2 * initialLoss),
		lambdaMaxK0: a * a,
		lambdaMinK0: a * a,
		normJ0: Math.abs(a),
		parameterCount: 1,
		outputCount: 1,
		threshold: epsilon * Math.sqrt(2 * initialLoss),
		timeScale: 1,
		lipschitz: {
			radius,
			bound: lipschitzDh,
			exact: true,
			estimate: lipschitzDh,
			modelBound: lipschitzH,
			description: 'exact for the scalar quadratic: Lip(Dh) = |b|',
		},
		horizons: {
			guaranteed: finite((alpha * (Math.sqrt(1 + 3 * epsilon) - 1)) / (3 * lipschitzDh * sqrtR0)),
			guaranteedRounded: finite((Math.SQRT2 * epsilon * alpha) / (6 * lipschitzDh * sqrtR0)),
			estimate: finite((alpha * epsilon) / (lipschitzDh * sqrtR0)),
			older: finite(Math.sqrt((Math.SQRT2 * alpha * epsilon) / (lipschitzH ** 2 * lipschitzDh * sqrtR0))),
		},
		minimumAlpha: null,
		notes: ['Centering: none needed, h(w0) = 0 at w0 = 0.'],
	};
}

/** Builds a complete simulation result of the sample spec. */
export function sampleResult(): SimulationResult {
	const reference = readCase();
	const analysis = sampleAnalysis();
	const expected = reference.expected;
	const alpha = reference.training.alpha;
	const initialLoss = expected.R0;
	const lipschitzDh = Math.abs(reference.model.b);
	const kappa = expected.times.map((t) => (t * lipschitzDh * Math.sqrt(initialLoss)) / alpha);
	const lipschitzH = (t: number) => Math.abs(reference.model.a) + lipschitzDh * (Math.sqrt(t * initialLoss) / alpha);
	const empirical = expected.horizon.T_emp;
	return {
		times: expected.times,
		err: expected.err,
		normR: expected.normR,
		normRbar: expected.normRbar,
		normDw: expected.normDw,
		normDwbar: expected.normDwbar,
		normKdrift: expected.normKdrift,
		R0: initialLoss,
		lambdaMaxK0: analysis.lambdaMaxK0,
		lambdaMinK0: analysis.lambdaMinK0,
		normJ0: analysis.normJ0,
		LipDh: lipschitzDh,
		bounds: {
			kappa,
			theorem12: kappa.map((k) => Math.min(2 * k + 3 * k * k, 2) * Math.sqrt(2 * initialLoss)),
			theorem12Rounded: kappa.map((k) => Math.min(6 * k * Math.sqrt(initialLoss), Math.sqrt(8 * initialLoss))),
			proposition11: expected.times.map((t) => (t * t * lipschitzH(t) ** 2 * lipschitzDh * initialLoss) / alpha),
			weightMovement: expected.times.map((t) => Math.sqrt(t * initialLoss) / alpha),
			converseLower: kappa.map((k) => Math.min(k / 5, 1 / 5) * Math.sqrt(initialLoss)),
		},
		horizons: {
			...analysis.horizons,
			empirical:
				empirical === null
					? { kind: 'notReached', searchedUntil: reference.training.T, peakError: Math.max(...expected.err), peakTime: reference.training.T }
					: finite(empirical),
		},
		analysis,
		solver: {
			method: 'exponential',
			rtol: 1e-8,
			steps: 412,
			rejectedSteps: 3,
			jacobianEvaluations: 415,
			modelEvaluations: 830,
			kernelRefreshes: 415,
		matrixFree: true,
			wallTimeMs: 38,
		},
		complete: true,
		spec: sampleSpec(reference),
	};
}

function sampleSpec(reference: ReferenceCase): ResolvedSpec {
	return {
		name: 'quad_converse_alpha100',
		model: { type: 'quadratic', ...reference.model },
		data: { x: [], y: reference.data.y, inputCount: 0, outputCount: 1, source: { kind: 'explicit' } },
		training: { alpha: reference.training.alpha, T: reference.training.T, loss: 'sum' },
		analysis: reference.analysis,
		solver: { method: 'exponential', rtol: 1e-8, maxSteps: 100_000 },
	};
}

/** Builds a synthetic sweep over alpha from 10 to 10^4 (see the file comment). */
export function sampleSweep(): SweepResult {
	const alphas = [10, 31.6, 100, 316, 1000, 3162, 10_000];
	return {
		points: alphas.map((alpha, index) => ({
			alpha,
			empirical: finite(0.25 * alpha * (1 + 0.04 * Math.sin(index))),
			guaranteed: finite(0.0341 * alpha),
			estimate: finite(0.0707 * alpha),
			older: finite(1.85 * Math.sqrt(alpha)),
			steps: 400,
		})),
		empiricalSlope: 1.003,
		estimateSlope: 1,
		olderSlope: 0.5,
		spec: sampleSpec(readCase()),
	};
}

/** Messages that bring the panel to the sample spec's finished run plus a sweep. */
export function sampleMessages(): HostMessage[] {
	return [
		{ type: 'analysis', key: SAMPLE_KEY, label: SAMPLE_LABEL, analysis: toPanelAnalysis(sampleAnalysis()) },
		{ type: 'result', key: SAMPLE_KEY, result: toPanelResult(sampleResult()) },
		{ type: 'sweep', key: SAMPLE_KEY, sweep: toPanelSweep(sampleSweep()) },
	];
}

/** Builds a progress message with the first `count` report times of the sample run. */
export function sampleProgressMessage(count: number): HostMessage {
	const result = sampleResult();
	return {
		type: 'progress',
		key: SAMPLE_KEY,
		progress: toPanelProgress({
			time: result.times[count - 1],
			fraction: result.times[count - 1] / result.spec.training.T,
			steps: count * 16,
			times: result.times.slice(0, count),
			err: result.err.slice(0, count),
			normR: result.normR.slice(0, count),
			normRbar: result.normRbar.slice(0, count),
		}),
	};
}
