import assert from 'node:assert/strict';
import { test } from 'node:test';

import { getActivation } from '../../../src/model/activations';
import { createModel } from '../../../src/model/index';
import { boundLayerInputNorms, summarizeMlpNorms } from '../../../src/model/mlpLipschitz';
import { createArchitecture, readInitialWeights } from '../../../src/model/mlpWeights';
import { spectralNorm } from '../../../src/model/operatorNorm';
import type { DifferentiableModel } from '../../../src/model/types';
import type { Activation, Centering, MlpModelSpec, Parametrization } from '../../../src/spec/types';
import { makeSpec, pseudoRandomVector, readCase } from './helpers';

const INPUTS = [
	[0.5, -1.2, 0.3],
	[1.1, 0.4, -0.7],
	[-0.2, 0.9, 1.5],
	[2.0, -0.1, 0.2],
];

function mlp(widths: number[], activation: Activation, options: Partial<MlpModelSpec> = {}): MlpModelSpec {
	return { type: 'mlp', widths, activation, bias: false, parametrization: 'ntk', centering: 'none', init: { seed: 11 }, ...options };
}

/** Returns a point of the ball of radius `radius` around `center`, at distance `fraction * radius`. */
function pointInBall(center: Float64Array, radius: number, fraction: number, seed: number): Float64Array {
	const direction = pseudoRandomVector(center.length, seed);
	const norm = Math.hypot(...direction);
	return center.map((value, index) => value + (fraction * radius * direction[index]) / norm);
}

function jacobianAt(model: DifferentiableModel, w: Float64Array): Float64Array {
	const jacobian = new Float64Array(model.outputCount * model.parameterCount);
	model.jacobian(w, jacobian);
	return jacobian;
}

/** Largest secant ||J(w) - J(w')||_2 / ||w - w'|| over pseudo-random pairs in the ball. */
function largestSecant(model: DifferentiableModel, radius: number, pairs: number, seed: number): number {
	const n = model.outputCount;
	const p = model.parameterCount;
	let largest = 0;
	for (let pair = 0; pair < pairs; pair++) {
		const first = pointInBall(model.initialParameters, radius, (pair % 4) / 4 + 0.2, seed + 2 * pair);
		const step = pair % 2 === 0 ? 1e-3 : 1;
		const second = pointInBall(first, radius * step * 0.2, 1, seed + 2 * pair + 1);
		const secondJacobian = jacobianAt(model, second);
		const difference = jacobianAt(model, first).map((value, index) => value - secondJacobian[index]);
		const distance = Math.hypot(...first.map((value, index) => value - second[index]));
		largest = Math.max(largest, spectralNorm(difference, n, p) / distance);
	}
	return largest;
}

test('mlp Lip(Dh) bound exceeds secants', () => {
	const architectures = [
		[3, 6, 1],
		[3, 5, 2],
		[3, 4, 4, 1],
		[3, 5, 3, 4, 2],
	];
	const activations: Activation[] = ['tanh', 'softplus', 'sigmoid', 'gelu', 'sin'];
	const parametrizations: Parametrization[] = ['ntk', 'standard'];
	const centerings: Centering[] = ['none', 'antisymmetric'];
	let seed = 1;
	for (const widths of architectures) {
		for (const activation of activations) {
			for (const parametrization of parametrizations) {
				for (const centering of centerings) {
					for (const radius of [0.1, 2]) {
						const bias = seed % 2 === 0;
						const spec = mlp(widths, activation, { parametrization, centering, bias, init: { seed } });
						const model = createModel(makeSpec(spec, INPUTS, widths[widths.length - 1]));
						const bound = model.lipschitz(radius).jacobianLipschitzBound;
						const secant = largestSecant(model, radius, 6, seed * 100);
						const label = `widths [${widths}] ${activation} ${parametrization} ${centering} bias ${bias} rho ${radius}`;
						assert.ok(Number.isFinite(bound), `${label}: bound ${bound} is not finite`);
						assert.ok(secant <= bound, `${label}: secant ${secant} exceeds bound ${bound}`);
						seed += 1;
					}
				}
			}
		}
	}
});

test('mlp Lip(h) bound exceeds Jacobian norms', () => {
	for (const activation of ['tanh', 'gelu', 'relu'] as Activation[]) {
		for (const widths of [[3, 6, 1], [3, 4, 4, 2]]) {
			const radius = 1.5;
			const model = createModel(makeSpec(mlp(widths, activation, { bias: true }), INPUTS, widths[widths.length - 1]));
			const bound = model.lipschitz(radius).modelLipschitzBound;
			for (let trial = 0; trial < 8; trial++) {
				const w = pointInBall(model.initialParameters, radius, trial / 7, 500 + trial);
				const norm = spectralNorm(jacobianAt(model, w), model.outputCount, model.parameterCount);
				assert.ok(norm <= bound, `${activation} [${widths}] trial ${trial}: ||J(w)||_2 ${norm} exceeds Lip(h) bound ${bound}`);
			}
		}
	}
});

test('relu has no Lip(Dh) bound', () => {
	const model = createModel(makeSpec(mlp([3, 6, 1], 'relu'), INPUTS));
	const constants = model.lipschitz(1);
	assert.equal(model.smooth, false);
	assert.equal(constants.jacobianLipschitzBound, Infinity);
	assert.ok(Number.isFinite(constants.modelLipschitzBound), `Lip(h) ${constants.modelLipschitzBound} should be finite`);
	assert.match(constants.description, /not Lipschitz/);
	assert.ok(Number.isFinite(model.lipschitz(0).modelLipschitzBound), 'Lip(h) at rho = 0 should be finite');
});

test('two-layer bound within the block formula', () => {
	// For one hidden layer under ntk without biases, each row's Hessian norm is at most
	// max_j (|a_j| + rho) S2 ||x||^2 / (d sqrt m) + S1 ||x|| / sqrt(m d).
	const reference = readCase('mlp_tanh_small_alpha10');
	const x = reference.data.x ?? [];
	const model = createModel(makeSpec(reference.model, x));
	const tanh = getActivation('tanh');
	const weights = (reference.model as unknown as { init: { weights: { a: number[] } } }).init.weights;
	const maxOutputWeight = Math.max(...weights.a.map(Math.abs));
	const d = 4;
	const m = 64;
	for (const radius of [0, 0.5, 5]) {
		let sum = 0;
		for (const row of x) {
			const norm = Math.hypot(...row);
			const rowBound =
				((maxOutputWeight + radius) * tanh.supSecond * norm * norm) / (d * Math.sqrt(m)) + (tanh.supFirst * norm) / Math.sqrt(m * d);
			sum += rowBound * rowBound;
		}
		const blockBound = Math.sqrt(sum);
		const bound = model.lipschitz(radius).jacobianLipschitzBound;
		assert.ok(bound <= blockBound * (1 + 1e-12), `rho ${radius}: bound ${bound} exceeds the block formula ${blockBound}`);
		assert.ok(bound >= 0.5 * blockBound, `rho ${radius}: bound ${bound} below half the block formula ${blockBound}`);
	}
});

test('Lipschitz bound grows with radius', () => {
	const model = createModel(makeSpec(mlp([3, 5, 4, 1], 'sigmoid', { bias: true }), INPUTS));
	let previous = 0;
	for (const radius of [0, 0.1, 1, 10]) {
		const bound = model.lipschitz(radius).jacobianLipschitzBound;
		assert.ok(bound >= previous, `rho ${radius}: bound ${bound} below the bound ${previous} at a smaller radius`);
		previous = bound;
	}
	assert.throws(() => model.lipschitz(-1), RangeError);
});

test('bound covers biases moved to the edge', () => {
	// Softplus network [1, 1, 1, 1] at x = 0 with zero biases at w0 and W_1 = 0. Moving b_0 by rho
	// gives h_1 = softplus(rho) while z_1 stays 0, so the curvature in W_1, w_2 σ''(0) h_1^2, is
	// about 10 * 0.25 * 2.13^2 = 11.3 for rho = 2, far more than at w0 (h_1 = ln 2).
	const layers = [{ W: [[1]] }, { W: [[0]] }, { W: [[10]] }];
	const spec = mlp([1, 1, 1, 1], 'softplus', {
		parametrization: 'standard',
		bias: true,
		init: { weights: { layers } },
	});
	const model = createModel(makeSpec(spec, [[0]]));
	const radius = 2;
	// Layout: W_0, b_0, W_1, b_1, W_2, b_2.
	const w = Float64Array.from(model.initialParameters);
	w[1] += radius;
	const shifted = Float64Array.from(w);
	shifted[2] += 1e-6;
	const shiftedJacobian = jacobianAt(model, shifted);
	const difference = jacobianAt(model, w).map((value, index) => value - shiftedJacobian[index]);
	const secant = Math.hypot(...difference) / 1e-6;
	const bound = model.lipschitz(radius).jacobianLipschitzBound;
	assert.ok(secant > 11, `secant ${secant} should be about 11.3`);
	assert.ok(secant <= bound, `secant ${secant} exceeds bound ${bound}`);
});

test('layer input bounds cover moved biases', () => {
	// [1, 1, 1, 1] softplus at x = 0, zero biases at w0. Moving b_0 by rho gives
	// h_1 = softplus(rho). Splitting rho over b_0, W_1 and b_1 (rho / 2 each, norm below rho)
	// gives h_2 = softplus((0.5 + rho / 2) softplus(rho / 2) + rho / 2).
	const layers = [{ W: [[1]] }, { W: [[0.5]] }, { W: [[2]] }];
	const spec = mlp([1, 1, 1, 1], 'softplus', {
		parametrization: 'standard',
		bias: true,
		init: { weights: { layers } },
	});
	const architecture = createArchitecture(spec);
	const weights = readInitialWeights(spec, architecture);
	const summary = summarizeMlpNorms(architecture, weights, Float64Array.of(0));
	const softplus = getActivation('softplus');
	for (const radius of [0, 0.5, 2, 10]) {
		const options = { architecture, activation: softplus, summary, radius, copyFactor: 1 };
		const bounds = boundLayerInputNorms(options, 0);
		const firstHidden = softplus.value(radius);
		const secondHidden = softplus.value((0.5 + radius / 2) * softplus.value(radius / 2) + radius / 2);
		assert.equal(bounds[0], 0, `rho ${radius}: A_0 = ||x||`);
		assert.ok(firstHidden <= bounds[1], `rho ${radius}: h_1 ${firstHidden} above A_1 ${bounds[1]}`);
		assert.ok(secondHidden <= bounds[2], `rho ${radius}: h_2 ${secondHidden} above A_2 ${bounds[2]}`);
	}
});

test('wide hidden layer norm bound', () => {
	// Above 512 units the spectral norm of a hidden-to-hidden matrix is replaced by
	// min(||W||_F, sqrt(||W||_1 ||W||_inf)), which must still bound it.
	const spec = mlp([2, 520, 520, 1], 'tanh', { init: { seed: 3 } });
	const architecture = createArchitecture(spec);
	const weights = readInitialWeights(spec, architecture);
	const summary = summarizeMlpNorms(architecture, weights, Float64Array.of(1, 0));
	const offset = architecture.weightOffsets[1];
	const hiddenMatrix = weights.subarray(offset, offset + 520 * 520);
	const exact = spectralNorm(hiddenMatrix, 520, 520);
	assert.ok(summary.spectral[1] >= exact, `bound ${summary.spectral[1]} below ||W_1||_2 ${exact}`);
	assert.ok(summary.spectral[1] <= 520 * 1.01, `bound ${summary.spectral[1]} above ||W_1||_F of about 520`);
});

test('Lip(h) same with adopted K0', () => {
	const spec = makeSpec(mlp([3, 9, 2], 'tanh', { bias: true }), INPUTS, 2);
	const own = createModel(spec);
	const adopted = createModel(spec);
	const n = adopted.outputCount;
	const p = adopted.parameterCount;
	const jacobian = jacobianAt(adopted, adopted.initialParameters);

	const kernel = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			for (let k = 0; k < p; k++) {
				kernel[i * n + j] += jacobian[i * p + k] * jacobian[j * p + k];
			}
		}
	}
	const largest = spectralNorm(jacobian, n, p) ** 2;
	let trace = 0;
	for (let i = 0; i < n; i++) {
		trace += kernel[i * n + i];
	}
	adopted.adoptInitialKernel?.(largest, trace);

	// The adopted kernel replaces forming J0 again: count the Jacobian evaluations.
	let evaluations = 0;
	const evaluate = adopted.jacobian.bind(adopted);
	adopted.jacobian = (w, out) => {
		evaluations++;
		evaluate(w, out);
	};

	for (const radius of [0, 0.5]) {
		const expected = own.lipschitz(radius).modelLipschitzBound;
		const actual = adopted.lipschitz(radius).modelLipschitzBound;
		const error = Math.abs(actual / expected - 1);
		assert.ok(error <= 1e-12, `radius ${radius}: Lip(h) ${actual}, expected ${expected}`);
	}
	assert.equal(evaluations, 0, 'Jacobian evaluations after adopting K0');
});
