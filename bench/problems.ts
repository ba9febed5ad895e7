/**
 * Benchmark problems: two-layer tanh networks in NTK parametrization, centered at initialization,
 * `f(x) = (1/sqrt m) sum_j a_j tanh(<W_j, x> / sqrt d)` with parameters `w = (W row-major, a)`.
 *
 * Every number is drawn here from the seeded stream of `src/random.ts` and written into the spec
 * as explicit arrays, so the TypeScript core and the SciPy baseline read identical inputs.
 */

import { createRandomStream } from '../src/random';

/** Size and training settings of one benchmark problem. */
export interface ProblemSize {
	readonly name: string;
	readonly seed: number;
	/** Input dimension d. */
	readonly inputDimension: number;
	/** Hidden width m. */
	readonly width: number;
	/** Number of training inputs n. */
	readonly sampleCount: number;
	readonly alpha: number;
	readonly T: number;
}

/** The three sizes the benchmark runs. The alpha sweep uses the `small` network. */
export const PROBLEM_SIZES: readonly ProblemSize[] = [
	{ name: 'small', seed: 11, inputDimension: 4, width: 64, sampleCount: 16, alpha: 100, T: 1000 },
	{ name: 'medium', seed: 12, inputDimension: 8, width: 512, sampleCount: 64, alpha: 100, T: 1700 },
	{ name: 'large', seed: 13, inputDimension: 16, width: 2048, sampleCount: 256, alpha: 100, T: 1000 },
];

/** Relative tolerance epsilon written into every benchmark spec. */
export const BENCH_EPSILON = 0.05;

/** Number of report times, log-spaced on [T/100, T]. */
export const REPORT_TIME_COUNT = 25;

/** A raw spec in the layout of the reference cases (`test/fixtures/cases/mlp_tanh_*.json`). */
export interface BenchSpec {
	readonly name: string;
	readonly description: string;
	readonly model: {
		readonly type: 'mlp';
		readonly widths: readonly number[];
		readonly activation: 'tanh';
		readonly bias: false;
		readonly parametrization: 'ntk';
		readonly centering: 'initial';
		readonly init: { readonly weights: { readonly W: number[][]; readonly a: number[] } };
	};
	readonly data: { readonly x: number[][]; readonly y: number[] };
	readonly training: { readonly alpha: number; readonly T: number };
	readonly analysis: {
		readonly epsilon: number;
		readonly relative: true;
		readonly times: number[];
	};
}

/** Returns `count` log-spaced times from `T / 100` to `T`, the last one exactly T. */
export function logSpacedTimes(T: number, count: number): number[] {
	const times: number[] = [];
	for (let k = 0; k < count; k++) {
		times.push(T * Math.pow(10, -2 + (2 * k) / (count - 1)));
	}
	times[count - 1] = T;
	return times;
}

/**
 * Draws a problem from its seed. All entries are N(0, 1), taken from the stream in this order:
 * W (m x d, row by row), a (m), x (n x d, row by row), then u (d), which is normalized.
 * The targets are `y_i = sin(<u, x_i> / sqrt d)`.
 */
export function buildProblem(size: ProblemSize): BenchSpec {
	const random = createRandomStream(size.seed);
	const d = size.inputDimension;
	const drawMatrix = (rows: number): number[][] =>
		Array.from({ length: rows }, () => Array.from({ length: d }, () => random.normal()));

	const W = drawMatrix(size.width);
	const a = Array.from({ length: size.width }, () => random.normal());
	const x = drawMatrix(size.sampleCount);
	const direction = Array.from({ length: d }, () => random.normal());
	const directionNorm = Math.hypot(...direction);
	const u = direction.map((value) => value / directionNorm);
	const y = x.map((row) => Math.sin(row.reduce((sum, value, k) => sum + value * u[k], 0) / Math.sqrt(d)));

	return {
		name: `bench_${size.name}`,
		description:
			`Benchmark problem "${size.name}": two-layer tanh network in NTK parametrization, ` +
			`centered h(w) = f(w) - f(w0), d = ${d}, m = ${size.width}, n = ${size.sampleCount}, ` +
			`drawn by bench/problems.ts from seed ${size.seed}.`,
		model: {
			type: 'mlp',
			widths: [d, size.width, 1],
			activation: 'tanh',
			bias: false,
			parametrization: 'ntk',
			centering: 'initial',
			init: { weights: { W, a } },
		},
		data: { x, y },
		training: { alpha: size.alpha, T: size.T },
		analysis: {
			epsilon: BENCH_EPSILON,
			relative: true,
			times: logSpacedTimes(size.T, REPORT_TIME_COUNT),
		},
	};
}
