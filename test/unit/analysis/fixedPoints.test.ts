// Checks the horizon fixed points on a network, whose certified Lip(Dh) grows with the radius, and
// the Lip(Dh) value each horizon is labelled with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { analyzeSpec, loadSpec } from '../../../src/api';
import type { HorizonAnalysis } from '../../../src/api';
import { createModel } from '../../../src/model';
import type { DifferentiableModel } from '../../../src/model/types';
import { prepareProblem } from '../../../src/simulate/problem';
import type { ResolvedSpec } from '../../../src/spec/types';

/** Lipschitz evaluations allowed per analysis without the estimate: five solves of about 4 each. */
const MAX_LIPSCHITZ_CALLS = 26;

function networkSpec(alpha = 10, extra: Record<string, unknown> = {}): ResolvedSpec {
	return loadSpec({
		name: 'network',
		model: { type: 'mlp', widths: [3, 24, 1], activation: 'tanh', seed: 5 },
		data: { x: [[0, 1, 2], [1, 0, -1], [1, 1, 0.5], [-1, 2, 0]], y: [0.5, -0.5, 1, 0.2] },
		training: { alpha, T: 50 },
		analysis: { epsilon: 0.05 },
		...extra,
	}).spec;
}

/** Wraps a model so that its certified Lipschitz evaluations are counted and their radii kept. */
function countingModel(spec: ResolvedSpec): { model: DifferentiableModel; radii: number[] } {
	const model = createModel(spec);
	const radii: number[] = [];
	const lipschitz = model.lipschitz.bind(model);
	const counted = Object.create(model) as DifferentiableModel;
	Object.defineProperty(counted, 'lipschitz', {
		value: (radius: number) => {
			radii.push(radius);
			return lipschitz(radius);
		},
	});
	return { model: counted, radii };
}

/** kappa(T) = T Lip(Dh)(sqrt(T R0) / alpha) sqrt(R0) / alpha with the model's certified bound. */
function kappa(model: DifferentiableModel, analysis: HorizonAnalysis, alpha: number, time: number): number {
	const rootLoss = Math.sqrt(analysis.initialLoss);
	const radius = (Math.sqrt(time) * rootLoss) / alpha;
	return (time * model.lipschitz(radius).jacobianLipschitzBound * rootLoss) / alpha;
}

function finiteTime(analysis: HorizonAnalysis, name: keyof HorizonAnalysis['horizons']): number {
	const horizon = analysis.horizons[name];
	assert.equal(horizon.kind, 'finite', `${name}: ${JSON.stringify(horizon)}`);
	return (horizon as { time: number }).time;
}

describe('horizon fixed points on a network', () => {
	it('guaranteed horizon is the largest feasible T', () => {
		const spec = networkSpec();
		const model = createModel(spec);
		const analysis = analyzeSpec(spec, { estimate: false });
		const epsilon = 0.05;
		const limit = (Math.sqrt(1 + 3 * epsilon) - 1) / 3;
		const time = finiteTime(analysis, 'guaranteed');
		const atHorizon = kappa(model, analysis, 10, time);
		assert.ok(atHorizon <= limit, `kappa(${time}) = ${atHorizon}, expected <= ${limit}`);
		const beyond = kappa(model, analysis, 10, time * (1 + 1e-10));
		assert.ok(beyond > limit, `kappa(${time} (1 + 1e-10)) = ${beyond}, expected > ${limit}`);
	});

	it('estimate horizon with the bound is the largest feasible T', () => {
		const spec = networkSpec();
		const model = createModel(spec);
		const analysis = analyzeSpec(spec, { estimate: false });
		const time = finiteTime(analysis, 'estimate');
		assert.ok(kappa(model, analysis, 10, time) <= 0.05, `kappa at the estimate horizon ${time}`);
		assert.ok(kappa(model, analysis, 10, time * (1 + 1e-10)) > 0.05, `kappa past the estimate horizon ${time}`);
	});

	it('minimum alpha is the smallest feasible alpha', () => {
		const spec = networkSpec();
		const model = createModel(spec);
		const analysis = analyzeSpec(spec, { estimate: false });
		const minimum = analysis.minimumAlpha;
		assert.ok(minimum !== null, 'minimum alpha missing');
		assert.ok(minimum > 0, `minimum alpha ${minimum}, expected > 0`);
		const limit = 0.05 / (Math.sqrt(1 + 3 * 0.05) + 1);
		const atMinimum = kappa(model, analysis, minimum, 50);
		assert.ok(atMinimum <= limit, `kappa(T) at alpha ${minimum}: ${atMinimum}, expected <= ${limit}`);
		const below = kappa(model, analysis, minimum * (1 - 1e-10), 50);
		assert.ok(below > limit, `kappa(T) at alpha ${minimum} (1 - 1e-10): ${below}, expected > ${limit}`);
	});

	it('analysis needs few Lipschitz evaluations', () => {
		const spec = networkSpec();
		const { model, radii } = countingModel(spec);
		const problem = prepareProblem(spec, { model });
		analyzeSpec(spec, { problem, estimate: false });
		console.log(`certified Lipschitz evaluations per analysis: ${radii.length}`);
		assert.ok(radii.length <= MAX_LIPSCHITZ_CALLS, `${radii.length} evaluations, expected <= ${MAX_LIPSCHITZ_CALLS}`);
		assert.equal(new Set(radii).size, radii.length, `a radius was evaluated twice: ${radii}`);
	});
});

describe('Lip(Dh) labels of the horizons', () => {
	it('network uses the curvature estimate', () => {
		const analysis = analyzeSpec(networkSpec());
		const estimate = analysis.lipschitz.estimate;
		const bound = analysis.lipschitz.bound;
		assert.equal(analysis.lipschitz.estimateMethod, 'curvature');
		assert.ok(estimate !== null, 'estimate missing');
		assert.ok(estimate > 0, `estimate ${estimate}, expected > 0`);
		assert.ok(bound !== null, 'bound missing');
		assert.ok(estimate <= bound, `estimate ${estimate} above the bound ${bound}`);
		assert.deepEqual(analysis.horizonLipschitz, {
			guaranteed: 'certifiedBound',
			guaranteedRounded: 'certifiedBound',
			estimate: 'estimate',
			older: 'certifiedBound',
		});
		const expected = (0.05 * 10) / (estimate * Math.sqrt(analysis.initialLoss));
		const time = finiteTime(analysis, 'estimate');
		const deviation = Math.abs(time - expected) / expected;
		assert.ok(deviation <= 1e-12, `estimate horizon ${time}, expected ${expected}, deviation ${deviation} > 1e-12`);
		assert.ok(analysis.notes.some((note) => /second derivative/.test(note)), JSON.stringify(analysis.notes));
	});

	it('estimate false falls back to the bound', () => {
		const analysis = analyzeSpec(networkSpec(), { estimate: false });
		assert.equal(analysis.lipschitz.estimate, null);
		assert.equal(analysis.lipschitz.estimateMethod, undefined);
		assert.equal(analysis.horizonLipschitz?.estimate, 'certifiedBound');
		assert.ok(analysis.notes.some((note) => /certified upper bound/.test(note)), JSON.stringify(analysis.notes));
	});

	it('default skips the estimate on a wide network', () => {
		// 9 n p = 9 x 40 outputs x 3000 parameters = 1.08e6 Jacobian entries, above the default budget.
		const spec = loadSpec({
			model: { type: 'mlp', widths: [2, 1000, 1], activation: 'tanh' },
			data: { teacher: { inputs: 40 } },
			training: { alpha: 10, T: 1 },
		}).spec;
		const problem = prepareProblem(spec);
		const skipped = analyzeSpec(spec, { problem });
		assert.equal(skipped.lipschitz.estimate, null);
		assert.equal(skipped.horizonLipschitz?.estimate, 'certifiedBound');
		const forced = analyzeSpec(spec, { problem, estimate: true });
		assert.equal(forced.lipschitz.estimateMethod, 'curvature');
		assert.equal(forced.horizonLipschitz?.estimate, 'estimate');
	});

	it('supplied estimate is used as given', () => {
		const analysis = analyzeSpec(networkSpec(), { jacobianLipschitzEstimate: 0.25 });
		assert.equal(analysis.lipschitz.estimate, 0.25);
		assert.equal(analysis.lipschitz.estimateMethod, 'supplied');
		assert.equal(analysis.horizonLipschitz?.estimate, 'estimate');
	});

	it('quadratic horizons use the exact constant', () => {
		const spec = loadSpec({
			model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 },
			data: { y: [1] },
			training: { alpha: 100, T: 100 },
		}).spec;
		const analysis = analyzeSpec(spec);
		assert.deepEqual(analysis.horizonLipschitz, {
			guaranteed: 'exact',
			guaranteedRounded: 'exact',
			estimate: 'exact',
			older: 'exact',
		});
		assert.equal(analysis.lipschitz.estimate, 1);
		assert.equal(analysis.lipschitz.estimateMethod, undefined);
	});
});
