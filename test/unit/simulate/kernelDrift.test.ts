// The kernel drift ||K_t - K0||_2 and ||J_t - J0||_2 from an MLP's layer factors, checked against
// the n x p formula `D J0^T + J0 D^T + D D^T` with D = J(w0 + delta) - J(w0) formed explicitly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildProblem, PROBLEM_SIZES } from '../../../bench/problems';
import { loadSpec, simulateSpec } from '../../../src/api';
import { createModel } from '../../../src/model';
import { createRandomStream } from '../../../src/random';
import type { ResolvedSpec } from '../../../src/spec/types';
import { DeviationSystem } from '../../../src/simulate/deviation';
import { LinearFlow } from '../../../src/simulate/linearFlow';
import type { LayerFactors } from '../../../src/simulate/mlpKernelDrift';
import { driftNorms, kernelDrift } from '../../../src/simulate/reports';
import { initialResidual, prepareProblem } from '../../../src/simulate/problem';

function benchSpec(name: string): ResolvedSpec {
	const size = PROBLEM_SIZES.find((candidate) => candidate.name === name);
	assert.ok(size !== undefined, `no benchmark problem named ${name}`);
	return loadSpec(buildProblem(size) as never).spec;
}

/** Builds a spec of a network with two outputs per input on five inputs. */
function variantSpec(
	activation: string,
	centering: string,
	widths = [3, 6, 5, 2],
	bias = true,
): ResolvedSpec {
	const raw = {
		model: {
			type: 'mlp',
			widths,
			activation,
			bias,
			parametrization: 'ntk',
			centering,
			init: { seed: 4 },
		},
		data: {
			x: [
				[0.1, 0.2, -0.3],
				[1, -1, 0.5],
				[0.3, 0.3, 0.3],
				[-0.7, 0.2, 0.9],
				[0.5, 0.1, -0.2],
			],
			y: [
				[1, 0],
				[0, 1],
				[0.5, 0.5],
				[-1, 0.2],
				[0.3, -0.4],
			],
		},
		training: { alpha: 10, T: 5 },
		analysis: { epsilon: 0.1 },
	};
	return loadSpec(raw as never).spec;
}

/** Compares both norms from the layer factors with the n x p formula at w0 + delta. */
function assertMatchesJacobianFormula(
	spec: ResolvedSpec,
	scale: number,
	tolerance: number,
	label: string,
): void {
	const problem = prepareProblem(spec);
	const factors = problem.mlpKernelDrift;
	assert.ok(factors !== undefined, `${label}: no layer factors for an MLP spec`);
	const n = problem.outputCount;
	const p = problem.parameterCount;
	const random = createRandomStream(7);
	const delta = new Float64Array(p).map(() => scale * random.normal());
	const w = problem.model.initialParameters.map((value, k) => value + delta[k]);
	const offset = new Float64Array(n * p);
	problem.model.jacobian(w, offset);
	for (let index = 0; index < offset.length; index++) {
		offset[index] -= problem.initialJacobian[index];
	}
	const expected = kernelDrift(problem.initialJacobian, offset, n, p, 1);
	const sources = [
		{ name: 'passes', matrices: factors.driftMatrices(delta) },
		{ name: 'offset', matrices: factors.driftMatrices(delta, offset) },
	];
	for (const { name, matrices } of sources) {
		const actual = driftNorms(matrices, n, 1);
		const driftError = Math.abs(actual.drift / expected.drift - 1);
		const offsetError = Math.abs(actual.offsetNorm / expected.offsetNorm - 1);
		const where = `${label}, factors from ${name}, delta scale ${scale}`;
		assert.ok(
			driftError <= tolerance,
			`${where}: ||K_t - K0|| ${actual.drift}, expected ${expected.drift}, relative error ${driftError} > ${tolerance}`,
		);
		assert.ok(
			offsetError <= tolerance,
			`${where}: ||D|| ${actual.offsetNorm}, expected ${expected.offsetNorm}, relative error ${offsetError} > ${tolerance}`,
		);
	}
}

describe('MLP kernel drift from layer factors', () => {
	it('matches the Jacobian formula on the benchmark networks', () => {
		for (const name of ['small', 'medium']) {
			const spec = benchSpec(name);
			assertMatchesJacobianFormula(spec, 1e-2, 1e-12, name);
			// A drift of relative size 1e-6, as at alpha = 1e6, where both sides lose the same digits
			// in D.
			assertMatchesJacobianFormula(spec, 1e-6, 1e-9, name);
		}
	});

	it('matches on one hidden layer', () => {
		for (const bias of [false, true]) {
			for (const centering of ['none', 'initial', 'antisymmetric']) {
				const spec = variantSpec('gelu', centering, [3, 7, 2], bias);
				const label = `one hidden layer, bias ${bias}, centering ${centering}`;
				assertMatchesJacobianFormula(spec, 1e-1, 1e-12, label);
				assertMatchesJacobianFormula(spec, 1e-6, 1e-8, label);
			}
		}
	});

	it('matches on deeper networks with biases', () => {
		for (const activation of ['tanh', 'gelu', 'softplus']) {
			for (const centering of ['none', 'initial', 'antisymmetric']) {
				const spec = variantSpec(activation, centering);
				const label = `${activation}, centering ${centering}`;
				assertMatchesJacobianFormula(spec, 1e-1, 1e-12, label);
				assertMatchesJacobianFormula(spec, 1e-6, 1e-8, label);
			}
		}
	});

	it('reads dG of a zero input as 0', () => {
		const raw = {
			model: {
				type: 'mlp',
				widths: [2, 4, 1],
				activation: 'tanh',
				bias: false,
				parametrization: 'ntk',
				centering: 'initial',
				init: { seed: 2 },
			},
			data: { x: [[0.5, -1], [0, 0], [1, 0.25]], y: [0.3, -0.2, 0.8] },
			training: { alpha: 10, T: 5 },
			analysis: { epsilon: 0.1 },
		};
		assertMatchesJacobianFormula(loadSpec(raw as never).spec, 1e-1, 1e-12, 'zero input');
	});

	it('is zero at w0', () => {
		const spec = variantSpec('tanh', 'initial');
		const problem = prepareProblem(spec);
		const factors = problem.mlpKernelDrift;
		assert.ok(factors !== undefined, 'no layer factors for an MLP spec');
		const atStart = factors.driftMatrices(new Float64Array(problem.parameterCount));
		const norms = driftNorms(atStart, problem.outputCount, 0);
		assert.equal(norms.drift, 0, `||K_0 - K0|| = ${norms.drift}, expected 0`);
		assert.equal(norms.offsetNorm, 0, `||J_0 - J0|| = ${norms.offsetNorm}, expected 0`);
	});

	it('is absent for a model passed in', () => {
		const spec = variantSpec('tanh', 'initial');
		const problem = prepareProblem(spec, { model: createModel(spec) });
		const message = 'a model passed in must use the Jacobian formula';
		assert.equal(problem.mlpKernelDrift, undefined, message);
	});
});

/** Returns ||J(w0 + a) - J(w0 + b)||_F from the formed n x p Jacobians. */
function formedDistance(spec: ResolvedSpec, a: Float64Array, b: Float64Array): number {
	const problem = prepareProblem(spec);
	const n = problem.outputCount;
	const p = problem.parameterCount;
	const w0 = problem.model.initialParameters;
	const [first, second] = [new Float64Array(n * p), new Float64Array(n * p)];
	problem.model.jacobian(w0.map((value, k) => value + a[k]), first);
	problem.model.jacobian(w0.map((value, k) => value + b[k]), second);
	let sum = 0;
	for (let index = 0; index < first.length; index++) {
		sum += (first[index] - second[index]) ** 2;
	}
	return Math.sqrt(sum);
}

describe('Jacobian distance from layer factors', () => {
	const variants = [
		{ label: 'one hidden layer without biases', spec: () => variantSpec('tanh', 'initial', [3, 7, 2], false) },
		{ label: 'deep, biases, antisymmetric', spec: () => variantSpec('gelu', 'antisymmetric') },
		{ label: 'deep, softplus, no centering', spec: () => variantSpec('softplus', 'none') },
	];
	for (const { label, spec: build } of variants) {
		it(`matches the formed Jacobians: ${label}`, () => {
			const spec = build();
			const problem = prepareProblem(spec);
			const factors = problem.mlpKernelDrift;
			assert.ok(factors !== undefined, 'no layer factors for an MLP spec');
			const random = createRandomStream(5);
			const p = problem.parameterCount;
			const a = new Float64Array(p).map(() => 0.1 * random.normal());
			for (const scale of [1e-1, 1e-6]) {
				// b lies near a, so the distance is small compared with the Jacobians themselves.
				const b = a.map((value) => value + scale * random.normal());
				const actual = factors.factorDistance(factors.factorsAt(a), factors.factorsAt(b));
				const expected = formedDistance(spec, a, b);
				const error = Math.abs(actual / expected - 1);
				// Both sides subtract two passes, which loses about 2^-52 / scale relative.
				const tolerance = scale < 1e-3 ? 1e-8 : 1e-12;
				assert.ok(error <= tolerance, `scale ${scale}: ${actual}, expected ${expected}, relative error ${error}`);
			}
			const atStart = factors.factorDistance(factors.initialFactors, factors.factorsAt(new Float64Array(p)));
			assert.equal(atStart, 0, 'the distance from w0 to itself');
			const buffer = factors.factorsAt(new Float64Array(p));
			const reused = factors.factorsAt(a, buffer);
			assert.equal(reused, buffer, 'factorsAt writes into the arrays it is given');
			assert.deepEqual(reused, factors.factorsAt(a), 'factors written into old arrays equal new ones');
		});
	}

	it('keeps factors a reference holds', () => {
		const spec = variantSpec('tanh', 'initial', [3, 7, 2], false);
		const problem = prepareProblem(spec);
		const alpha = 10;
		const system = new DeviationSystem(problem, new LinearFlow(problem, initialResidual(problem, alpha)), alpha, 0, true);
		const state = (scale: number) => new Float64Array(problem.outputCount + problem.parameterCount).fill(scale);
		system.load(1, state(0.1));
		const referenceFactors = system.currentLayerFactors(true) as LayerFactors;
		const snapshot = structuredClone(referenceFactors);
		system.load(2, state(0.2));
		const next = system.currentLayerFactors() as LayerFactors;
		assert.notEqual(next, referenceFactors, 'new arrays after kept factors');
		assert.deepEqual(referenceFactors, snapshot, 'the kept factors are unchanged');
		system.load(3, state(0.3));
		assert.equal(system.currentLayerFactors(), next, 'factors nobody kept are overwritten in place');
		assert.deepEqual(referenceFactors, snapshot, 'the kept factors are still unchanged');
	});
});

describe('K0 from layer factors', () => {
	const variants = [
		{ label: 'deep, biases, two outputs', spec: () => variantSpec('tanh', 'initial') },
		{ label: 'antisymmetric gelu', spec: () => variantSpec('gelu', 'antisymmetric') },
		{ label: 'one hidden layer, no biases', spec: () => variantSpec('softplus', 'none', [3, 7, 2], false) },
		{ label: 'benchmark small', spec: () => benchSpec('small') },
	];
	for (const { label, spec: build } of variants) {
		it(`equals J0 J0^T: ${label}`, () => {
			const problem = prepareProblem(build());
			const n = problem.outputCount;
			const p = problem.parameterCount;
			const jacobian = problem.initialJacobian;
			for (let r = 0; r < n; r++) {
				for (let s = 0; s < n; s++) {
					let sum = 0;
					let magnitude = 0;
					for (let k = 0; k < p; k++) {
						sum += jacobian[r * p + k] * jacobian[s * p + k];
						magnitude += Math.abs(jacobian[r * p + k] * jacobian[s * p + k]);
					}
					const actual = problem.initialKernel[r * n + s];
					// Both sums have a rounding error of at most about p 2^-53 sum |J_rk J_sk|.
					const tolerance = 2 * p * 2 ** -53 * magnitude;
					assert.ok(Math.abs(actual - sum) <= tolerance, `entry (${r}, ${s}): ${actual}, J0 J0^T ${sum}`);
					assert.equal(actual, problem.initialKernel[s * n + r], `entry (${r}, ${s}) is symmetric`);
				}
			}
		});
	}

	it('forms J0 where the factor grams are larger', () => {
		// Counts the model's Jacobian evaluations after preparation: none when J0 was formed for K0.
		const evaluationsAfterPreparation = (spec: ResolvedSpec): number => {
			const problem = prepareProblem(spec);
			const jacobian = problem.model.jacobian.bind(problem.model);
			let calls = 0;
			problem.model.jacobian = (w, out) => {
				calls++;
				return jacobian(w, out);
			};
			assert.equal(problem.initialJacobian.length, problem.outputCount * problem.parameterCount);
			return calls;
		};
		// [3, 7, 2] without biases on 5 inputs: 2 blocks x 2 grams x n = 10 rows > p = 35.
		assert.equal(evaluationsAfterPreparation(variantSpec('tanh', 'initial', [3, 7, 2], false)), 0, 'narrow network');
		// The benchmark's small network: 2 x 2 x 16 rows <= p = 320.
		assert.equal(evaluationsAfterPreparation(benchSpec('small')), 1, 'wide network');
	});

	it('spares forming J0 on the matrix-free path', () => {
		const spec = benchSpec('small');
		const problem = prepareProblem(spec);
		let reads = 0;
		const formJacobian = Object.getOwnPropertyDescriptor(problem, 'initialJacobian')?.get;
		assert.ok(formJacobian !== undefined, 'initialJacobian is a getter');
		Object.defineProperty(problem, 'initialJacobian', {
			get: () => {
				reads++;
				return formJacobian.call(problem);
			},
		});
		const free = simulateSpec(spec, { problem, rtol: 1e-6 });
		assert.equal(free.solver.matrixFree, true, 'the run takes the matrix-free path');
		assert.equal(reads, 0, 'J0 reads on the matrix-free path');
		const stored = simulateSpec(spec, { problem, rtol: 1e-6, matrixFree: false });
		assert.equal(stored.solver.matrixFree, false, 'the run takes the stored path');
		assert.ok(reads > 0, 'the stored path reads J0');
	});
});

describe('simulation kernel drift', () => {
	// A problem without layer factors makes the run apply the Jacobian formula to the deviation
	// system's current offset, for the reports and for the kernel refreshes. The layer factors come from that same offset on the stored path and from passes at
	// w_t on the matrix-free one, so rounding separates the two. Both form differences whose
	// relative rounding error grows like alpha * 2^-52 (2e-10 at alpha 1e6).
	for (const alpha of [100, 1e6]) {
		it(`agrees with the Jacobian formula at alpha ${alpha}`, () => {
			const spec = benchSpec('small');
			const factored = simulateSpec(spec, { rtol: 1e-6, alpha });
			// The same prepared problem (and K0) without the layer factors: the spread reads J0.
			const reference = simulateSpec(spec, {
				rtol: 1e-6,
				alpha,
				problem: { ...prepareProblem(spec), mlpKernelDrift: undefined },
			});
			assert.equal(factored.times.length, spec.analysis.times.length, 'report count');
			// A kernel refresh takes K_t - K0 from the same layer factors, so E and ||w - w0||
			// differ only by that rounding, carried along the run.
			const tolerance = 1e-11 * Math.max(1, alpha * 1e-2);
			for (let i = 0; i < factored.times.length; i++) {
				for (const [name, actual, expected] of [
					['E', factored.err[i], reference.err[i]],
					['||w - w0||', factored.normDw[i], reference.normDw[i]],
				] as const) {
					const error = Math.abs(actual / expected - 1);
					assert.ok(
						error <= tolerance,
						`alpha ${alpha}, t ${factored.times[i]}: ${name} ${actual}, expected ${expected}, relative error ${error}`,
					);
				}
			}
			for (let i = 0; i < factored.times.length; i++) {
				const actual = factored.normKdrift[i];
				const expected = reference.normKdrift[i];
				const error = Math.abs(actual / expected - 1);
				const tolerance = 1e-9 * Math.max(1, alpha * 1e-4);
				assert.ok(
					error <= tolerance,
					`alpha ${alpha}, t ${factored.times[i]}: ||K_t - K0|| ${actual}, expected ${expected}, relative error ${error} > ${tolerance}`,
				);
			}
		});
	}
});
