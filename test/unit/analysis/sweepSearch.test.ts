// Checks that sweepAlpha's search gives the same empirical horizons and slopes as a full
// simulation of each alpha with the spec's report times, searched to the same end time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { buildProblem, PROBLEM_SIZES } from '../../../bench/problems';
import { analyzeProblem } from '../../../src/analysis/analyze';
import { logSlope } from '../../../src/analysis/sweep';
import { loadSpec, simulateSpec, sweepAlpha } from '../../../src/api';
import type { Horizon, ResolvedSpec, SweepPoint } from '../../../src/api';
import { prepareProblem } from '../../../src/simulate/problem';

/** Relative tolerance on crossing times, peak errors and slopes: 100 times the default rtol. */
const VALUE_TOLERANCE = 1e-6;
/**
 * Relative tolerance on the peak of E. The sweep allows E an absolute error of
 * `1e-2 * rtol * threshold`, so a peak 1e5 times below the threshold (alpha 1e4 on the small
 * network) is accurate to about 1e-5 relative.
 */
const PEAK_ERROR_TOLERANCE = 1e-4;
/**
 * Relative tolerance on the peak time. E is flat at its maximum, so an error of rtol in E moves the
 * maximizer by about sqrt(rtol) relative.
 */
const PEAK_TIME_TOLERANCE = 1e-3;

/** Search end of the sweep: `max(T, min(10 x estimate horizon, 1000 T))`. */
function searchEnd(spec: ResolvedSpec, estimate: Horizon): number {
	const trainingTime = spec.training.T;
	const predicted = estimate.kind === 'finite' ? 10 * estimate.time : trainingTime;
	return Math.max(trainingTime, Math.min(predicted, 1000 * trainingTime));
}

/** Simulates one alpha with the spec's report times, to the sweep's search end. */
function referencePoint(spec: ResolvedSpec, alpha: number): SweepPoint {
	const problem = prepareProblem(spec);
	const { horizons } = analyzeProblem(problem, { alpha, skipMinimumAlpha: true });
	const endTime = searchEnd(spec, horizons.estimate);
	const result = simulateSpec(spec, { problem, alpha, endTime, stopAtCrossing: true });
	assert.ok(result.complete, `reference at alpha ${alpha} stopped: ${result.stopReason}`);
	const { guaranteed, estimate, older } = horizons;
	const empirical = result.horizons.empirical;
	return { alpha, empirical, guaranteed, estimate, older, steps: result.solver.steps };
}

function assertClose(label: string, value: number, expected: number, tolerance: number): void {
	const deviation = Math.abs(value - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
	assert.ok(
		deviation <= tolerance,
		`${label}: got ${value}, expected ${expected}, ` +
			`relative deviation ${deviation} > ${tolerance}`,
	);
}

function assertSameEmpirical(label: string, value: Horizon, expected: Horizon): void {
	const message = `${label}: got ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`;
	assert.equal(value.kind, expected.kind, message);
	if (value.kind === 'finite' && expected.kind === 'finite') {
		assertClose(`${label} crossing time`, value.time, expected.time, VALUE_TOLERANCE);
	}
	if (value.kind === 'notReached' && expected.kind === 'notReached') {
		assertClose(`${label} searched until`, value.searchedUntil, expected.searchedUntil, 1e-12);
		assertClose(`${label} peak E`, value.peakError, expected.peakError, PEAK_ERROR_TOLERANCE);
		assertClose(`${label} peak time`, value.peakTime, expected.peakTime, PEAK_TIME_TOLERANCE);
	}
}

function assertSlope(label: string, value: number | null, expected: number | null): void {
	if (expected === null) {
		assert.equal(value, null, `${label}: got ${value}, expected null`);
		return;
	}
	assert.ok(value !== null, `${label}: got null, expected ${expected}`);
	assertClose(label, value, expected, VALUE_TOLERANCE);
}

/**
 * Sweeps `alphas` and compares every point and the slopes with the plain simulations.
 *
 * @returns the sweep's points and the reference points
 */
function assertSweepMatchesReference(
	name: string,
	spec: ResolvedSpec,
	alphas: readonly number[],
): { points: readonly SweepPoint[]; expected: readonly SweepPoint[] } {
	const result = sweepAlpha(spec, alphas);
	assert.equal(result.complete, true, `${name}: sweep incomplete: ${result.stopReason}`);
	const count = result.points.length;
	assert.equal(count, alphas.length, `${name}: ${count} points for ${alphas.length} alphas`);
	const expected = alphas.map((alpha) => referencePoint(spec, alpha));
	result.points.forEach((point, i) => {
		const label = `${name}, alpha ${point.alpha}`;
		assert.equal(point.alpha, alphas[i], `${label}: alpha order`);
		assert.equal(point.error, undefined, `${label}: failed with ${point.error}`);
		assertSameEmpirical(`${label} empirical`, point.empirical, expected[i].empirical);
		assert.deepEqual(point.guaranteed, expected[i].guaranteed, `${label}: guaranteed horizon`);
		assert.deepEqual(point.estimate, expected[i].estimate, `${label}: estimate horizon`);
		assert.deepEqual(point.older, expected[i].older, `${label}: older horizon`);
	});
	const expectedSlopes = {
		empirical: logSlope(expected, (point) => point.empirical),
		estimate: logSlope(expected, (point) => point.estimate),
		older: logSlope(expected, (point) => point.older),
	};
	assertSlope(`${name} empirical slope`, result.empiricalSlope, expectedSlopes.empirical);
	assertSlope(`${name} estimate slope`, result.estimateSlope, expectedSlopes.estimate);
	assertSlope(`${name} older slope`, result.olderSlope, expectedSlopes.older);
	return { points: result.points, expected };
}

function fixtureSpec(name: string): ResolvedSpec {
	const path = join(__dirname, '..', '..', 'fixtures', 'cases', `${name}.json`);
	const fixture = JSON.parse(readFileSync(path, 'utf8'));
	const { expected: _expected, tolerance: _tolerance, ...raw } = fixture;
	return loadSpec(raw).spec;
}

const smallSize = PROBLEM_SIZES.find((size) => size.name === 'small');
assert.ok(smallSize !== undefined, 'bench/problems.ts has no problem named small');
const smallProblem = buildProblem(smallSize);

describe('sweepAlpha search', () => {
	it('small network, horizon not reached', () => {
		// Four of the benchmark sweep's alphas. At alpha 1e4 the search runs to 10 times the
		// estimate horizon, past T.
		const alphas = [1, 21.544346900318832, 464.15888336127773, 10000];
		const spec = loadSpec(smallProblem).spec;
		const { points, expected } = assertSweepMatchesReference('small network', spec, alphas);
		for (const point of points) {
			const message = `alpha ${point.alpha}: ${JSON.stringify(point.empirical)}`;
			assert.equal(point.empirical.kind, 'notReached', message);
		}
		// Without report times the steps are not shortened to land on them, and the run may end
		// once ||r|| + ||rbar|| (a bound on every later E) is below the peak.
		const steps = points.reduce((sum, point) => sum + point.steps, 0);
		const referenceSteps = expected.reduce((sum, point) => sum + point.steps, 0);
		assert.ok(steps < referenceSteps, `sweep took ${steps} steps, reference ${referenceSteps}`);
	});

	it('small network, horizon reached', () => {
		// With epsilon = 0.002 the threshold lies below the peak of E at alpha 1 and 2.15 only.
		const raw = { ...smallProblem, analysis: { ...smallProblem.analysis, epsilon: 0.002 } };
		const alphas = [1, 2.154434690031884, 4.641588833612779];
		const spec = loadSpec(raw).spec;
		const name = 'small network, epsilon 0.002';
		const { points } = assertSweepMatchesReference(name, spec, alphas);
		const kinds = points.map((point) => point.empirical.kind);
		assert.deepEqual(kinds, ['finite', 'finite', 'notReached'], `kinds by alpha: ${kinds}`);
	});

	it('converse model, crossings after report times', () => {
		// The crossing at alpha 316 (t = 57) is after most of the report times (1 to 100); at
		// alpha 1000 the search runs to 707, past T = 100, and the horizon is not reached.
		const alphas = [1, 10, 100, 316.22776601683796, 1000];
		const spec = fixtureSpec('quad_converse_alpha1');
		const { points } = assertSweepMatchesReference('converse model', spec, alphas);
		const kinds = points.map((point) => point.empirical.kind);
		const expected = ['finite', 'finite', 'finite', 'finite', 'notReached'];
		assert.deepEqual(kinds, expected, `kinds by alpha: ${kinds}`);
	});

	it('generic quadratic model', () => {
		const alphas = [1, 31.622776601683793, 1000];
		assertSweepMatchesReference('generic quadratic', fixtureSpec('quad_generic'), alphas);
	});
});
