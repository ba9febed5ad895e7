/**
 * Tests of the benchmark's own computations: the converse closed form, the problem generator, the
 * error and median helpers, the choice of the best runs and the speed target. Run with
 * `node --import tsx --test bench/bench.test.ts`.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { converseDeviation, expm1PlusIdentity } from './converse';
import { PROBLEM_SIZES, buildProblem, logSpacedTimes } from './problems';
import { selectBestRuns, speedTargetCheck } from './report';
import type { ProblemResults, SolverRow } from './report';
import { maxRelativeError, median } from './tasks';

function assertClose(actual: number, expected: number, relativeTolerance: number, description: string): void {
	const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
	assert.ok(
		error <= relativeTolerance,
		`${description}: got ${actual}, expected ${expected}, relative error ${error} > tolerance ${relativeTolerance}`,
	);
}

test('expm1PlusIdentity matches 50-digit values', () => {
	// Values of expm1(-z) + z from mpmath with mp.dps = 50.
	const expected: [number, number][] = [
		[1e-12, 4.9999999999983333333e-25],
		[1e-6, 4.9999983333337499999e-13],
		[1e-3, 4.9983337499166805536e-7],
		[0.1, 0.0048374180359595731642],
		[0.49, 0.10262639418441606899],
		[2, 1.1353352832366126919],
	];
	for (const [z, value] of expected) {
		assertClose(expm1PlusIdentity(z), value, 1e-15, `expm1PlusIdentity(${z})`);
	}
});

test('converse closed form matches the reference case at alpha 1e4', () => {
	const path = join(__dirname, '..', 'test', 'fixtures', 'cases', 'quad_converse_alpha10000.json');
	const fixture = JSON.parse(readFileSync(path, 'utf8')) as { expected: { times: number[]; err: number[] } };
	const model = { a: 0.1, b: 1, target: 1, alpha: 1e4 };
	fixture.expected.times.forEach((t, i) => {
		assertClose(Math.abs(converseDeviation(model, t)), fixture.expected.err[i], 1e-13, `E(${t}), alpha 1e4`);
	});
});

test('converse closed form matches 60-digit values at alpha 1e6', () => {
	// Values from mpmath with mp.dps = 60 evaluating r0 exp(-beta t) / D - exp(-a^2 t) r0 directly.
	const expected: [number, number][] = [
		[1e-3, -9.9998666742498123e-15],
		[1, -9.8675855013056495e-9],
		[10, -8.7542040660241316e-7],
		[100, -2.7067009304187899e-5],
	];
	const model = { a: 0.1, b: 1, target: 1, alpha: 1e6 };
	for (const [t, value] of expected) {
		assertClose(converseDeviation(model, t), value, 1e-14, `E(${t}), alpha 1e6`);
	}
});

test('buildProblem is deterministic with the requested shapes', () => {
	for (const size of PROBLEM_SIZES.slice(0, 2)) {
		const first = buildProblem(size);
		const second = buildProblem(size);
		assert.deepEqual(first, second, `${size.name}: two builds from seed ${size.seed} differ`);
		assert.equal(first.model.init.weights.W.length, size.width, `${size.name}: rows of W`);
		assert.equal(first.model.init.weights.W[0].length, size.inputDimension, `${size.name}: columns of W`);
		assert.equal(first.model.init.weights.a.length, size.width, `${size.name}: length of a`);
		assert.equal(first.data.x.length, size.sampleCount, `${size.name}: rows of x`);
		assert.equal(first.data.y.length, size.sampleCount, `${size.name}: length of y`);
		for (const target of first.data.y) {
			assert.ok(Math.abs(target) <= 1, `${size.name}: target ${target} outside [-1, 1]`);
		}
	}
});

test('logSpacedTimes spans T/100 to T', () => {
	const times = logSpacedTimes(1700, 25);
	assert.equal(times.length, 25, 'count');
	assertClose(times[0], 17, 1e-15, 'first time');
	assert.equal(times[24], 1700, 'last time is exactly T');
	for (let i = 1; i < times.length; i++) {
		assert.ok(times[i] > times[i - 1], `times not increasing at ${i}: ${times[i - 1]}, ${times[i]}`);
	}
});

test('maxRelativeError and median', () => {
	assertClose(maxRelativeError([1, 2.2, 3], [1, 2, 4]), 0.25, 1e-15, 'max relative error');
	assert.ok(Number.isNaN(maxRelativeError([], [1])), 'no common points gives NaN');
	assert.equal(median([3, 1, 2]), 2, 'odd count');
	assert.equal(median([4, 1, 3, 2]), 2.5, 'even count');
	assert.ok(Number.isNaN(median([])), 'empty gives NaN');
});

function solverRow(overrides: Partial<SolverRow> & Pick<SolverRow, 'implementation' | 'method' | 'rtol'>): SolverRow {
	return {
		role: overrides.implementation === 'SciPy' ? 'baseline' : 'timed',
		runs: 1,
		medianMs: 1000,
		medianCpuMs: 1000,
		peakRssMiB: null,
		peakRssIncreaseMiB: null,
		arrayBuffersPeakMiB: null,
		complete: true,
		status: 'finished',
		times: [],
		err: [],
		maxRelativeError: 1e-6,
		...overrides,
	};
}

function problemWith(rows: SolverRow[]): ProblemResults {
	return {
		size: PROBLEM_SIZES[1],
		outputCount: 64,
		parameterCount: 4608,
		jacobianMiB: 2.25,
		scipyStatus: 'ran',
		referenceLabel: 'test reference',
		rows,
		crossChecks: [],
	};
}

const coreReference = solverRow({
	implementation: 'TypeScript core',
	method: 'exponential',
	rtol: 1e-12,
	role: 'reference',
	medianMs: 10,
	isReference: true,
	maxRelativeError: null,
});

test('selectBestRuns picks the fastest runs within 1e-3', () => {
	const scipyFastLoose = solverRow({
		implementation: 'SciPy',
		method: 'DOP853',
		rtol: 1e-9,
		medianMs: 100,
		maxRelativeError: 2e-3,
	});
	const scipyBest = solverRow({
		implementation: 'SciPy',
		method: 'DOP853',
		rtol: 1e-10,
		medianMs: 900,
		maxRelativeError: 1e-3,
	});
	const scipySlow = solverRow({
		implementation: 'SciPy',
		method: 'DOP853',
		rtol: 1e-12,
		medianMs: 1200,
		maxRelativeError: 1e-6,
	});
	const scipyStopped = solverRow({
		implementation: 'SciPy',
		method: 'LSODA',
		rtol: 1e-10,
		medianMs: 50,
		maxRelativeError: 1e-7,
		complete: false,
		status: 'time cap reached',
	});
	const coreDefault = solverRow({
		implementation: 'TypeScript core',
		method: 'exponential',
		rtol: 1e-8,
		medianMs: 300,
	});
	const coreMatched = solverRow({
		implementation: 'TypeScript core',
		method: 'exponential',
		rtol: 1e-4,
		medianMs: 40,
		maxRelativeError: 4e-5,
	});
	const coreLoose = solverRow({
		implementation: 'TypeScript core',
		method: 'exponential',
		rtol: 1e-3,
		medianMs: 30,
		maxRelativeError: 2.5e-3,
	});
	const best = selectBestRuns([coreReference, coreDefault, coreMatched, coreLoose, scipyFastLoose, scipyBest, scipySlow, scipyStopped]);
	assert.equal(best.scipy, scipyBest, `best SciPy run: got ${best.scipy?.method} ${best.scipy?.rtol}, expected DOP853 1e-10`);
	assert.equal(best.scipyWithinAccuracy, true, 'scipyWithinAccuracy with a SciPy run at error 1e-3');
	assert.equal(best.core, coreMatched, `best core run: got ${best.core?.method} ${best.core?.rtol}, expected exponential 1e-4`);
});

test('selectBestRuns falls back to the most accurate SciPy run', () => {
	const scipyLoose = solverRow({
		implementation: 'SciPy',
		method: 'DOP853',
		rtol: 1e-10,
		medianMs: 100,
		maxRelativeError: 5e-3,
	});
	const scipyTighter = solverRow({
		implementation: 'SciPy',
		method: 'DOP853',
		rtol: 1e-12,
		medianMs: 200,
		maxRelativeError: 2e-3,
	});
	const scipyNaN = solverRow({
		implementation: 'SciPy',
		method: 'RK45',
		rtol: 1e-12,
		medianMs: 10,
		maxRelativeError: NaN,
	});
	const best = selectBestRuns([coreReference, scipyLoose, scipyTighter, scipyNaN]);
	assert.equal(best.scipy, scipyTighter, `fallback SciPy run: got ${best.scipy?.method} ${best.scipy?.rtol}, expected DOP853 1e-12`);
	assert.equal(best.scipyWithinAccuracy, false, 'scipyWithinAccuracy when every SciPy error exceeds 1e-3');
	assert.equal(best.core, undefined, 'no core run besides the reference, so no best core run');
});

test('selectBestRuns without comparable runs', () => {
	const scipyReference = solverRow({
		implementation: 'SciPy',
		method: 'DOP853 (deviation system)',
		rtol: 1e-12,
		isReference: true,
		maxRelativeError: null,
	});
	const best = selectBestRuns([scipyReference]);
	assert.equal(best.scipy, undefined, 'the reference run is not a candidate');
	assert.equal(best.core, undefined, 'no core run');
});

test('speedTargetCheck compares the best runs with the 20x target', () => {
	const cases: { coreMs: number; coreCpuMs: number; expected: boolean | null; expectedOnCpu: boolean }[] = [
		{ coreMs: 40, coreCpuMs: 40, expected: true, expectedOnCpu: true },
		{ coreMs: 500, coreCpuMs: 40, expected: false, expectedOnCpu: true },
		{ coreMs: 500, coreCpuMs: 500, expected: false, expectedOnCpu: false },
	];
	for (const { coreMs, coreCpuMs, expected, expectedOnCpu } of cases) {
		const core = solverRow({
			implementation: 'TypeScript core',
			method: 'exponential',
			rtol: 1e-4,
			medianMs: coreMs,
			medianCpuMs: coreCpuMs,
		});
		const scipy = solverRow({
			implementation: 'SciPy',
			method: 'DOP853',
			rtol: 1e-10,
			medianMs: 1000,
			medianCpuMs: 1000,
		});
		const check = speedTargetCheck(problemWith([coreReference, core, scipy]));
		const ratio = `SciPy 1000 ms, core ${coreMs} ms wall and ${coreCpuMs} ms CPU`;
		assert.equal(check.met, expected, `${ratio}: met is ${check.met}, expected ${expected}`);
		assert.equal(check.metOnCpu, expectedOnCpu, `${ratio}: metOnCpu is ${check.metOnCpu}, expected ${expectedOnCpu}`);
		assert.match(check.measured, /DOP853, rtol 1e-10/, `${ratio}: measured text names the SciPy run: ${check.measured}`);
		assert.match(check.measured, /exponential, rtol 1e-4/, `${ratio}: measured text names the core run: ${check.measured}`);
	}
});

test('speedTargetCheck labels the fallback and missing runs', () => {
	const core = solverRow({
		implementation: 'TypeScript core',
		method: 'exponential',
		rtol: 1e-4,
		medianMs: 10,
	});
	const scipyLoose = solverRow({
		implementation: 'SciPy',
		method: 'DOP853',
		rtol: 1e-12,
		maxRelativeError: 2e-3,
	});
	const fallback = speedTargetCheck(problemWith([coreReference, core, scipyLoose]));
	assert.match(fallback.measured, /no SciPy run within 1e-3/, `fallback text: ${fallback.measured}`);
	assert.match(fallback.measured, /most accurate/, `fallback text: ${fallback.measured}`);
	const noScipy = speedTargetCheck(problemWith([coreReference, core]));
	assert.equal(noScipy.met, null, `without SciPy runs met is ${noScipy.met}, expected null`);
	const looseCore = solverRow({
		implementation: 'TypeScript core',
		method: 'exponential',
		rtol: 1e-3,
		maxRelativeError: 2.5e-3,
	});
	const scipy = solverRow({ implementation: 'SciPy', method: 'DOP853', rtol: 1e-10 });
	const noCore = speedTargetCheck(problemWith([coreReference, looseCore, scipy]));
	assert.equal(noCore.met, false, `without a core run within 1e-3 met is ${noCore.met}, expected false`);
	assert.match(noCore.measured, /no core run within 1e-3/, `text without a core run: ${noCore.measured}`);
});
