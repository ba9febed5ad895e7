// Runs every reference case in test/fixtures/cases through loadSpec and simulateSpec, and through
// the command line's --json output, and compares each expected series point, scalar, bound and
// empirical horizon.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { TIGHTEST_RTOL, loadSpec, simulateSpec } from '../../src/api';
import type { SimulationResult, SolverMethod } from '../../src/api';
import { runCli } from '../../src/cli';

const CASE_DIRECTORY = join(__dirname, '..', 'fixtures', 'cases');
const SERIES = ['err', 'normR', 'normRbar', 'normDw', 'normDwbar', 'normKdrift'] as const;
const SCALARS = ['R0', 'lambdaMaxK0', 'lambdaMinK0', 'normJ0', 'LipDh'] as const;
/** Relative tolerance with the spec's default rtol, and with the tightest rtol. */
const DEFAULT_TOLERANCE = 1e-4;
const TIGHT_TOLERANCE = 1e-7;
/** A point far below its series' peak is compared against this fraction of the peak. */
const PEAK_FRACTION = 1e-3;

interface ReferenceCase {
	readonly name: string;
	readonly text: string;
	readonly expected: Record<string, unknown> & {
		readonly horizon: { readonly T_emp: number | null; readonly maxErrOverNormR0?: number; readonly tAtMaxErr?: number };
		readonly bounds?: Record<string, number>;
	};
}

const cases: ReferenceCase[] = readdirSync(CASE_DIRECTORY)
	.filter((file) => file.endsWith('.json'))
	.map((file) => {
		const text = readFileSync(join(CASE_DIRECTORY, file), 'utf8');
		const parsed = JSON.parse(text) as { name: string; expected: ReferenceCase['expected'] };
		return { name: parsed.name, text, expected: parsed.expected };
	});

/**
 * dopri5 runs the quadratic cases only. It is explicit, so a network case costs it about
 * T lambda_max(K0) / 3.3 steps (11 700 for mlp_tanh_small_alpha1000: 11 s alone and 36 s beside
 * the other test files on a shared 2-core machine). test/unit/simulate/network.test.ts checks
 * dopri5 against the exponential method on two shorter network runs instead.
 *
 * Returns the (method, rtol, tolerance) runs of one case.
 */
function runsOf(reference: ReferenceCase, defaultRtol: number): [SolverMethod, number, number][] {
	const runs: [SolverMethod, number, number][] = [
		['exponential', defaultRtol, DEFAULT_TOLERANCE],
		['exponential', TIGHTEST_RTOL, TIGHT_TOLERANCE],
	];
	if (!reference.name.startsWith('mlp_')) {
		runs.push(['dopri5', defaultRtol, DEFAULT_TOLERANCE], ['dopri5', TIGHTEST_RTOL, TIGHT_TOLERANCE]);
	}
	return runs;
}

function assertClose(label: string, value: number, expected: number, scale: number, tolerance: number): void {
	const deviation = Math.abs(value - expected) / scale;
	assert.ok(
		deviation <= tolerance,
		`${label}: got ${value}, expected ${expected}, relative deviation ${deviation.toExponential(2)} > tolerance ${tolerance}`,
	);
}

function compareSeries(reference: ReferenceCase, result: SimulationResult, tolerance: number, label: string): void {
	const expectedTimes = reference.expected.times as number[];
	assert.equal(result.times.length, expectedTimes.length, `${label}: number of report times`);
	for (const key of SERIES) {
		const expected = reference.expected[key] as number[];
		const peak = Math.max(...expected.map(Math.abs));
		for (let i = 0; i < expected.length; i++) {
			const scale = Math.max(Math.abs(expected[i]), PEAK_FRACTION * peak, Number.MIN_VALUE);
			assertClose(`${label} ${key}[${i}] at t = ${expectedTimes[i]}`, result[key][i], expected[i], scale, tolerance);
		}
	}
}

function compareScalars(reference: ReferenceCase, result: SimulationResult, label: string): void {
	for (const key of SCALARS) {
		const expected = reference.expected[key];
		if (typeof expected !== 'number') {
			continue;
		}
		const value = result[key];
		assert.ok(typeof value === 'number', `${label} ${key}: missing from the result`);
		assertClose(`${label} ${key}`, value, expected, Math.abs(expected), 1e-12);
	}
}

function compareHorizon(reference: ReferenceCase, result: SimulationResult, tolerance: number, label: string): void {
	const expected = reference.expected.horizon;
	const empirical = result.horizons.empirical;
	if (expected.T_emp === null) {
		assert.equal(empirical.kind, 'notReached', `${label}: expected no crossing, got ${JSON.stringify(empirical)}`);
		if (empirical.kind === 'notReached' && expected.maxErrOverNormR0 !== undefined && expected.tAtMaxErr !== undefined) {
			// The expected peak is a maximum over a grid with ratio 1.0163 between points, so the
			// refined peak is at least as large and its time lies within one grid spacing.
			const gridPeak = expected.maxErrOverNormR0 * result.analysis.initialResidualNorm;
			assert.ok(empirical.peakError >= gridPeak * (1 - tolerance), `${label}: peak E ${empirical.peakError} below the grid maximum ${gridPeak}`);
			assert.ok(empirical.peakError <= gridPeak * 1.001, `${label}: peak E ${empirical.peakError} far above the grid maximum ${gridPeak}`);
			assertClose(`${label} time of peak E`, empirical.peakTime, expected.tAtMaxErr, expected.tAtMaxErr, 0.017);
		}
		return;
	}
	assert.equal(empirical.kind, 'finite', `${label}: expected T_emp = ${expected.T_emp}, got ${JSON.stringify(empirical)}`);
	if (empirical.kind === 'finite') {
		assertClose(`${label} T_emp`, empirical.time, expected.T_emp, expected.T_emp, tolerance);
	}
}

describe('reference cases', () => {
	for (const reference of cases) {
		const { spec } = loadSpec(reference.text);
		for (const [method, rtol, tolerance] of runsOf(reference, spec.solver.rtol)) {
			const label = `${reference.name} ${method} rtol=${rtol}`;
			it(`${label} matches`, () => {
				const result = simulateSpec(spec, { method, rtol, maxSteps: 1_000_000 });
				assert.equal(result.complete, true, `${label}: run incomplete (${result.stopReason})`);
				compareSeries(reference, result, tolerance, label);
				compareScalars(reference, result, label);
				compareHorizon(reference, result, tolerance, label);
			});
		}
	}
});

describe('reference case bounds', () => {
	for (const reference of cases.filter((item) => item.expected.bounds !== undefined)) {
		it(`${reference.name} bounds at T match`, () => {
			const { spec } = loadSpec(reference.text);
			const result = simulateSpec(spec);
			const bounds = reference.expected.bounds as Record<string, number>;
			const last = result.times.length - 1;
			const label = reference.name;
			assertClose(`${label} kappa(T)`, result.bounds.kappa[last], bounds.kappaT, bounds.kappaT, 1e-12);
			assertClose(`${label} theorem 1.2 at T`, result.bounds.theorem12Rounded[last] as number, bounds.thm12BoundT, bounds.thm12BoundT, 1e-12);
			assertClose(`${label} weight bound at T`, result.bounds.weightMovement[last], bounds.weightBoundT, bounds.weightBoundT, 1e-12);
			assertClose(`${label} Lip(h) on the ball`, result.analysis.lipschitz.modelBound as number, bounds.LiphLocal, bounds.LiphLocal, 1e-12);
			const chizat = bounds.chizatBoundT_localLiph;
			assertClose(`${label} Proposition 1.1 at T`, result.bounds.proposition11[last] as number, chizat, chizat, 1e-12);
			if (bounds.converseLowerT !== undefined) {
				const lower = result.bounds.converseLower?.[last];
				assert.ok(typeof lower === 'number', `${label}: converse lower bound missing at T`);
				assertClose(`${label} Theorem 1.3 at T`, lower, bounds.converseLowerT, bounds.converseLowerT, 1e-12);
				assert.ok(result.err[last] >= lower, `${label}: E(T) = ${result.err[last]} below the lower bound ${lower}`);
			} else {
				assert.equal(result.bounds.converseLower, undefined, `${label}: not the converse model`);
			}
			for (let i = 0; i <= last; i++) {
				const upper = result.bounds.theorem12[i] as number;
				assert.ok(result.err[i] <= upper, `${label}: E(${result.times[i]}) = ${result.err[i]} above Theorem 1.2's ${upper}`);
			}
		});
	}
});

describe('reference cases through the command line', () => {
	for (const reference of cases) {
		it(`${reference.name} --json matches`, () => {
			const target = join(mkdtempSync(join(tmpdir(), 'ntk-case-')), 'result.json');
			const messages: string[] = [];
			const status = runCli(['simulate', join(CASE_DIRECTORY, `${reference.name}.json`), '--json', target], {
				out: () => undefined,
				err: (text) => messages.push(text),
				errIsTerminal: false,
			});
			assert.equal(status, 0, `exit status ${status}: ${messages.join(' ')}`);
			const result = JSON.parse(readFileSync(target, 'utf8')) as SimulationResult;
			compareSeries(reference, result, DEFAULT_TOLERANCE, `${reference.name} command line`);
			compareScalars(reference, result, `${reference.name} command line`);
		});
	}
});
