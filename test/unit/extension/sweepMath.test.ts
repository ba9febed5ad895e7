import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	checkAlphaRange,
	defaultAlphaRange,
	fitLogSlope,
	logSpace,
	mergeSweeps,
} from '../../../extension/sweepMath';
import type { Horizon, SweepPoint, SweepResult } from '../../../src/results';
import type { ResolvedSpec } from '../../../src/spec/types';

function point(
	alpha: number,
	empirical: Horizon,
	estimate: Horizon = { kind: 'finite', time: 2 * alpha },
): SweepPoint {
	return {
		alpha,
		empirical,
		guaranteed: estimate,
		estimate,
		older: { kind: 'finite', time: Math.sqrt(alpha) },
		steps: 10,
	};
}

test('logSpace hits both ends', () => {
	const values = logSpace({ from: 10, to: 1000, count: 5 });
	const expected = [10, 31.622776601683793, 100, 316.22776601683796, 1000];
	assert.equal(values.length, 5);
	for (const [i, value] of values.entries()) {
		assert.ok(
			Math.abs(value - expected[i]) <= 1e-12 * expected[i],
			`alpha[${i}] = ${value}, expected ${expected[i]}, rel tol 1e-12`,
		);
	}
	assert.deepEqual(logSpace({ from: 5, to: 50, count: 1 }), [5]);
});

test('fitted slopes of power laws', () => {
	const alphas = [10, 100, 1000, 10000];
	const points = alphas.map((alpha) => point(alpha, { kind: 'finite', time: 3 * alpha ** 1.5 }));
	const cases: [string, number | null, number][] = [
		['empirical', fitLogSlope(points, (p) => p.empirical), 1.5],
		['estimate', fitLogSlope(points, (p) => p.estimate), 1],
		['older', fitLogSlope(points, (p) => p.older), 0.5],
	];
	for (const [name, slope, expected] of cases) {
		assert.notEqual(slope, null, `${name} slope missing`);
		assert.ok(
			Math.abs((slope ?? Number.NaN) - expected) <= 1e-12,
			`${name} slope ${slope}, expected ${expected}, tol 1e-12`,
		);
	}
});

test('slope skips infinite horizons', () => {
	const points = [
		point(10, { kind: 'finite', time: 100 }),
		point(100, { kind: 'notReached', searchedUntil: 1e4, peakError: 0.01, peakTime: 30 }),
		point(1000, { kind: 'unbounded', reason: 'tolerance above ceiling' }),
	];
	assert.equal(
		fitLogSlope(points, (p) => p.empirical),
		null,
		'one finite point gives no slope',
	);
});

test('merged sweep sorted by alpha', () => {
	const spec = { name: 's' } as unknown as ResolvedSpec;
	const part = (alpha: number): SweepResult => ({
		points: [point(alpha, { kind: 'finite', time: alpha })],
		empiricalSlope: null,
		estimateSlope: null,
		olderSlope: null,
		spec,
	});
	const merged = mergeSweeps(spec, [part(1000), part(10), part(100)]);
	assert.deepEqual(
		merged.points.map((p) => p.alpha),
		[10, 100, 1000],
	);
	assert.notEqual(merged.empiricalSlope, null);
	assert.ok(
		Math.abs((merged.empiricalSlope ?? Number.NaN) - 1) < 1e-12,
		`slope ${merged.empiricalSlope}, expected 1, tol 1e-12`,
	);
	assert.equal(merged.spec, spec);
});

test('alpha range checks', () => {
	assert.equal(checkAlphaRange({ from: 1, to: 100, count: 5 }), undefined);
	assert.match(
		checkAlphaRange({ from: 0, to: 100, count: 5 }) ?? '',
		/from must be a number > 0, got 0/,
	);
	assert.match(
		checkAlphaRange({ from: 1, to: Number.NaN, count: 5 }) ?? '',
		/to must be a number > 0, got NaN/,
	);
	assert.match(
		checkAlphaRange({ from: 1, to: 10, count: 2.5 }) ?? '',
		/count must be an integer from 1 to 200, got 2\.5/,
	);
	assert.match(checkAlphaRange({ from: 1, to: 10, count: 0 }) ?? '', /got 0/);
});

test('default range around alpha', () => {
	const spec = { training: { alpha: 50 } } as unknown as ResolvedSpec;
	assert.deepEqual(defaultAlphaRange(spec), { from: 5, to: 500, count: 7 });
	const withSweep = {
		training: { alpha: 50 },
		sweep: { from: 1, to: 2, count: 3 },
	} as unknown as ResolvedSpec;
	assert.deepEqual(defaultAlphaRange(withSweep), { from: 1, to: 2, count: 3 });
});
