// Checks the predicted horizons, the minimum alpha and the sweep against closed forms on the
// quadratic model, whose Lip(Dh) = |b| does not depend on the radius.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { analyzeSpec, loadSpec, sweepAlpha } from '../../../src/api';

function quadraticSpec(alpha: number, trainingTime = 100) {
	return loadSpec({
		name: 'quadratic',
		model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 },
		data: { y: [1] },
		training: { alpha, T: trainingTime },
		analysis: { epsilon: 0.05, relative: true },
	}).spec;
}

function finiteTime(horizon: { kind: string; time?: number }, label: string): number {
	assert.equal(horizon.kind, 'finite', `${label}: ${JSON.stringify(horizon)}`);
	return horizon.time as number;
}

function assertRelative(label: string, value: number, expected: number, tolerance: number): void {
	const deviation = Math.abs(value - expected) / Math.abs(expected);
	assert.ok(deviation <= tolerance, `${label}: got ${value}, expected ${expected}, deviation ${deviation} > ${tolerance}`);
}

describe('predicted horizons', () => {
	const epsilon = 0.05;
	const rootLoss = Math.sqrt(0.5);

	it('Theorem 1.2 forms match closed forms', () => {
		const analysis = analyzeSpec(quadraticSpec(100));
		const sharp = ((Math.sqrt(1 + 3 * epsilon) - 1) / 3) * (100 / rootLoss);
		assertRelative('guaranteed', finiteTime(analysis.horizons.guaranteed, 'guaranteed'), sharp, 1e-11);
		const rounded = ((Math.SQRT2 * epsilon) / 6) * (100 / rootLoss);
		assertRelative('rounded', finiteTime(analysis.horizons.guaranteedRounded, 'rounded'), rounded, 1e-11);
		assertRelative('estimate', finiteTime(analysis.horizons.estimate, 'estimate'), (epsilon * 100) / rootLoss, 1e-11);
	});

	it('older horizon is a fixed point', () => {
		const alpha = 100;
		const time = finiteTime(analyzeSpec(quadraticSpec(alpha)).horizons.older, 'older');
		const radius = Math.sqrt(time * 0.5) / alpha;
		const lipschitzH = 0.1 + radius;
		const bound = (time * time * lipschitzH * lipschitzH * 0.5) / alpha;
		assertRelative('Proposition 1.1 at the older horizon', bound, epsilon * Math.sqrt(2 * 0.5), 1e-10);
	});

	it('minimum alpha reaches T exactly', () => {
		const analysis = analyzeSpec(quadraticSpec(100));
		const limit = (Math.sqrt(1 + 3 * epsilon) - 1) / 3;
		assert.ok(analysis.minimumAlpha !== null, 'minimum alpha missing');
		assertRelative('minimum alpha', analysis.minimumAlpha, (100 * rootLoss) / limit, 1e-10);
	});

	it('large tolerance is unbounded', () => {
		const spec = loadSpec({
			name: 'loose',
			model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 },
			data: { y: [1] },
			training: { alpha: 10, T: 100 },
			analysis: { epsilon: 3, relative: true },
		}).spec;
		const analysis = analyzeSpec(spec);
		assert.equal(analysis.horizons.guaranteed.kind, 'unbounded');
		assert.equal(analysis.horizons.guaranteedRounded.kind, 'unbounded');
	});
});

describe('sweepAlpha', () => {
	it('estimate slope is 1 and empirical grows', () => {
		const result = sweepAlpha(quadraticSpec(1, 100), [10, 30, 100]);
		assert.equal(result.points.length, 3);
		assert.ok(result.estimateSlope !== null, 'estimate slope missing');
		assert.ok(Math.abs(result.estimateSlope - 1) <= 1e-9, `estimate slope ${result.estimateSlope}, expected 1`);
		assert.ok(result.olderSlope !== null, 'older slope missing');
		assert.ok(result.olderSlope < 0.9, `older slope ${result.olderSlope}, expected below 0.9`);
		const times = result.points.map((point) => finiteTime(point.empirical, `alpha ${point.alpha}`));
		assert.ok(times[0] < times[1], `empirical horizons ${times} not increasing`);
		assert.ok(times[1] < times[2], `empirical horizons ${times} not increasing`);
	});
});
