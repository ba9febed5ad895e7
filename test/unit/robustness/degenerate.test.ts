/**
 * Degenerate but valid problems and the run limits: each must give an honest, finite result or a
 * typed error that names the time and the cause, never NaN or a division by zero.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { SimulationError, SpecError, analyzeSpec, loadSpec, simulateSpec, sweepAlpha } from '../../../src/api';
import type { Horizon, ResolvedSpec, SimulationResult } from '../../../src/api';
import { assertResultShape, CASES_DIR } from './harness';
import { quadraticError } from './quadraticReference';

/** Allowed wall time past a deadline or a cancellation request: one step plus the result. */
const STOP_DELAY_LIMIT_MS = 1000;

function load(raw: unknown, options = {}): ResolvedSpec {
	return loadSpec(raw, options).spec;
}

function mlp(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		model: { type: 'mlp', widths: [2, 8, 1], activation: 'tanh' },
		data: { x: [[0, 1], [1, 0], [1, 1]], y: [0.5, -0.5, 1] },
		training: { alpha: 10, T: 5 },
		...overrides,
	};
}

function quadratic(
	model: Record<string, number>,
	target: number,
	training: Record<string, number>,
	extra = {},
): unknown {
	return { model: { type: 'quadratic', ...model }, data: { y: [target] }, training, ...extra };
}

function predicted(result: SimulationResult): [string, Horizon][] {
	const { guaranteed, guaranteedRounded, estimate, older } = result.horizons;
	return Object.entries({ guaranteed, guaranteedRounded, estimate, older });
}

test('R0 = 0 with centered targets', () => {
	const spec = load(mlp({ data: { x: [[0, 1], [1, 0]], y: [0, 0] } }));
	const result = simulateSpec(spec);
	assertResultShape(result, spec);
	assert.equal(result.R0, 0, `R0 for y* = 0: got ${result.R0}, expected 0`);
	assert.ok(result.err.every((value) => value === 0), `E for R0 = 0: got ${result.err}, expected all 0`);
	for (const [name, horizon] of predicted(result)) {
		assert.equal(horizon.kind, 'notApplicable', `${name} horizon for R0 = 0: got ${JSON.stringify(horizon)}`);
		assert.match((horizon as { reason: string }).reason, /R0 = 0/);
	}
	const empirical = result.horizons.empirical;
	assert.equal(empirical.kind, 'notReached', `empirical horizon: ${JSON.stringify(empirical)}`);
});

test('R0 = 0 with targets equal to h(w0)', () => {
	// h(w0) = a w0 + b w0^2 / 2 = 1.5 and alpha = 2, so y* = alpha h(w0) = 3 gives r0 = 0.
	const spec = load(quadratic({ a: 1, b: 1, w0: 1 }, 3, { alpha: 2, T: 4 }));
	const result = simulateSpec(spec);
	assertResultShape(result, spec);
	assert.equal(result.R0, 0, `R0 with y* = alpha h(w0): got ${result.R0}, expected 0`);
	assert.ok(result.err.every((value) => value === 0), `E: got ${result.err}, expected all 0`);
	assert.equal(result.horizons.guaranteed.kind, 'notApplicable', JSON.stringify(result.horizons.guaranteed));
});

test('duplicate inputs give a singular kernel', () => {
	const spec = load(mlp({ data: { x: [[0, 1], [0, 1], [0, 1]], y: [0.5, -0.5, 1] } }));
	const result = simulateSpec(spec);
	assertResultShape(result, spec);
	assert.ok(result.lambdaMinK0 >= 0, `lambda_min of a singular kernel: got ${result.lambdaMinK0}, expected >= 0`);
	const ratio = result.lambdaMinK0 / result.lambdaMaxK0;
	assert.ok(ratio < 1e-12, `lambda_min / lambda_max: got ${ratio}, expected < 1e-12 for three equal inputs`);
	assert.equal(result.complete, true);
});

test('T = 0 gives empty series and no NaN', () => {
	const spec = load(mlp({ training: { alpha: 10, T: 0 } }));
	const result = simulateSpec(spec);
	assertResultShape(result, spec);
	assert.equal(result.complete, true);
	assert.deepEqual(result.horizons.empirical, { kind: 'notReached', searchedUntil: 0, peakError: 0, peakTime: 0 });
	for (const [name, horizon] of predicted(result)) {
		const finite = horizon.kind !== 'finite' || Number.isFinite(horizon.time);
		assert.ok(finite, `${name} horizon for T = 0: ${JSON.stringify(horizon)}`);
	}
});

test('relu states that no horizon is guaranteed', () => {
	const { spec, warnings } = loadSpec(mlp({ model: { type: 'mlp', widths: [2, 8, 1], activation: 'relu' } }));
	assert.ok(warnings.some((issue) => issue.code === 'nonSmooth'), `warnings: ${JSON.stringify(warnings)}`);
	const result = simulateSpec(spec);
	assertResultShape(result, spec);
	for (const name of ['guaranteed', 'guaranteedRounded'] as const) {
		const horizon = result.horizons[name];
		assert.equal(horizon.kind, 'notApplicable', `${name} for relu: ${JSON.stringify(horizon)}`);
		assert.match((horizon as { reason: string }).reason, /not Lipschitz/);
	}
	assert.equal(result.analysis.lipschitz.bound, null, `Lip(Dh) bound for relu: ${result.analysis.lipschitz.bound}`);
});

test('linear model has E exactly zero', () => {
	const spec = load(mlp({ model: { type: 'linear' } }));
	const result = simulateSpec(spec);
	assertResultShape(result, spec);
	assert.ok(result.err.length > 0);
	assert.ok(result.err.every((value) => value === 0), `E of a linear model: got ${result.err}, expected all 0`);
	assert.equal(result.horizons.guaranteed.kind, 'unbounded', JSON.stringify(result.horizons.guaranteed));
	assert.ok(result.normR.at(-1)! < result.normR[0], 'the residual should decrease');
});

test('oversized Jacobian rejected in milliseconds', () => {
	const raw = mlp({
		model: { type: 'mlp', widths: [2, 4096, 4096, 1], activation: 'tanh' },
		data: { teacher: { inputs: 2048 } },
	});
	const started = performance.now();
	assert.throws(
		() => loadSpec(raw, { maxJacobianBytes: 64 * 1024 * 1024 }),
		(error: unknown) => {
			assert.ok(error instanceof SpecError, `expected SpecError, got ${String(error)}`);
			const issue = error.issues.find((i) => i.code === 'tooLarge');
			assert.ok(issue, `issues: ${JSON.stringify(error.issues)}`);
			assert.match(issue.message, /Jacobian needs about 256 GiB/);
			assert.match(issue.message, /limit of 64\.0 MiB/);
			return true;
		},
	);
	const elapsed = performance.now() - started;
	console.log(`rejection of a 256 GiB Jacobian took ${elapsed.toFixed(1)} ms`);
	assert.ok(elapsed < 500, `rejection took ${elapsed} ms, limit 500 ms (typically about 1 ms)`);
});

test('non-finite flow stops and names the time', () => {
	// dw/dt = h'(w) r / alpha reaches about 1e438 while w grows to 1e146, beyond the double range.
	const spec = load(quadratic({ a: 1, b: 1, w0: 0 }, 1e-8, { alpha: 1e-300, T: 1 }));
	assert.throws(
		() => simulateSpec(spec),
		(error: unknown) => {
			assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
			assert.ok(['nonFinite', 'diverged'].includes(error.kind), `kind ${error.kind}`);
			assert.ok(Number.isFinite(error.time), `time ${error.time} should be finite`);
			assert.ok(error.time! > 0, `time ${error.time} should be > 0`);
			assert.ok(error.time! < 1, `time ${error.time} should be < T = 1`);
			assert.match(error.message, /at t = /);
			return true;
		},
	);
});

test('overflowing h(w0) stops at t = 0', () => {
	const spec = load(quadratic({ a: 1, b: 1e300, w0: 1e10 }, 1, { alpha: 1, T: 1 }));
	assert.throws(
		() => simulateSpec(spec),
		(error: unknown) => {
			assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
			assert.equal(error.kind, 'nonFinite');
			assert.equal(error.time, 0);
			assert.match(error.message, /h\(w0\)/);
			return true;
		},
	);
});

/** Loads the teacher example with dopri5 and T = 1e5, a run of many explicit steps. */
function longRun(): ResolvedSpec {
	const raw = JSON.parse(readFileSync(join(CASES_DIR, '../../../examples/teacher.ntk.json'), 'utf8'));
	raw.training.T = 1e5;
	raw.solver = { method: 'dopri5', maxSteps: 10_000_000 };
	return load(raw);
}

test('time budget stops with partial results', () => {
	const spec = longRun();
	const budgetMs = 300;
	const started = Date.now();
	const result = simulateSpec(spec, { deadlineMs: started + budgetMs });
	const overrun = Date.now() - started - budgetMs;
	console.log(`time budget ${budgetMs} ms: stopped ${overrun} ms after the deadline, ${result.solver.steps} steps`);
	assertResultShape(result, spec);
	assert.equal(result.complete, false, 'a run past its budget must be marked incomplete');
	assert.match(result.stopReason ?? '', /time budget/);
	assert.ok(overrun < STOP_DELAY_LIMIT_MS, `stopped ${overrun} ms after the deadline, limit ${STOP_DELAY_LIMIT_MS} ms`);
});

test('shouldStop cancels quickly', () => {
	const spec = longRun();
	const cancelAt = Date.now() + 200;
	const result = simulateSpec(spec, { shouldStop: () => Date.now() >= cancelAt });
	const delay = Date.now() - cancelAt;
	console.log(`cancellation took effect ${delay} ms after the request, ${result.solver.steps} steps`);
	assert.equal(result.complete, false);
	assert.match(result.stopReason ?? '', /cancel/);
	assert.ok(delay < STOP_DELAY_LIMIT_MS, `cancellation took ${delay} ms, limit ${STOP_DELAY_LIMIT_MS} ms`);
});

test('time budget covers kernel preparation', () => {
	const spec = load({
		model: { type: 'mlp', widths: [4, 16, 1], activation: 'tanh' },
		data: { teacher: { inputs: 300, dimension: 4 } },
		training: { alpha: 100, T: 1 },
	});
	const budgetMs = 100;
	const started = Date.now();
	let outcome: string;
	try {
		const result = simulateSpec(spec, { deadlineMs: started + budgetMs });
		assert.equal(result.complete, false, 'a run past its budget must be marked incomplete');
		outcome = result.stopReason ?? 'no stop reason';
	} catch (error) {
		assert.ok(error instanceof SimulationError, `expected SimulationError, got ${String(error)}`);
		assert.equal(error.kind, 'timeBudget', `error kind: ${error.message}`);
		outcome = error.message;
	}
	const overrun = Date.now() - started - budgetMs;
	console.log(`n = 300 with a ${budgetMs} ms budget: stopped ${overrun} ms after the deadline (${outcome})`);
	assert.ok(overrun < STOP_DELAY_LIMIT_MS, `stopped ${overrun} ms after the deadline, limit ${STOP_DELAY_LIMIT_MS} ms`);
});

test('quadratic reference matches the cases', () => {
	for (const name of ['quad_converse_alpha1', 'quad_converse_alpha100', 'quad_converse_alpha10000']) {
		const testCase = JSON.parse(readFileSync(join(CASES_DIR, `${name}.json`), 'utf8'));
		testCase.expected.times.forEach((t: number, i: number) => {
			const value = quadraticError(testCase.model, testCase.data.y[0], testCase.training.alpha, t);
			const expected = testCase.expected.err[i];
			const tolerance = 1e-12 * Math.max(Math.abs(expected), 1e-300);
			assert.ok(Math.abs(value - expected) <= tolerance, `${name} t = ${t}: value ${value}, expected ${expected}, tolerance ${tolerance}`);
		});
	}
});

const CONVERSE = { a: 0.1, b: 1, w0: 0 };
const ALPHAS = [1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12, 1e14, 1e16, 1e18];

/** Largest relative error of the simulated E against the closed form over the report times. */
function worstRelativeError(alpha: number, method: 'exponential' | 'dopri5', rtol: number): number {
	const spec = load(quadratic(CONVERSE, 1, { alpha, T: 100 }, { solver: { method, rtol } }));
	const result = simulateSpec(spec);
	let worst = 0;
	result.times.forEach((t, i) => {
		const expected = quadraticError(CONVERSE, 1, alpha, t);
		worst = Math.max(worst, Math.abs(result.err[i] - expected) / expected);
	});
	return worst;
}

for (const method of ['exponential', 'dopri5'] as const) {
	test(`E keeps relative accuracy for alpha 1 to 1e18 (${method})`, () => {
		const rtol = 1e-8;
		const worst = ALPHAS.map((alpha) => worstRelativeError(alpha, method, rtol));
		const table = ALPHAS.map((alpha, i) => `${alpha}: ${worst[i].toExponential(1)}`).join(', ');
		console.log(`${method}, rtol ${rtol}: worst relative error of E by alpha ${table}`);
		ALPHAS.forEach((alpha, i) => {
			assert.ok(worst[i] <= 10 * rtol, `alpha ${alpha}: relative error ${worst[i]}, expected <= ${10 * rtol}`);
		});
	});
}

for (const method of ['exponential', 'dopri5'] as const) {
	test(`E meets rtol 1e-12 at alpha 1e10 (${method})`, () => {
		const worst = worstRelativeError(1e10, method, 1e-12);
		assert.ok(worst <= 1e-10, `relative error ${worst}, expected <= 1e-10 (100 x rtol)`);
	});
}

test('empirical horizon independent of T', () => {
	// h(w) = w + w^2 / 2, y* = 1, alpha = 0.5: E crosses 5 % of ||r0|| near t = 0.1617.
	const horizons = [1e3, 1e15, 1e16].map((T) => {
		const spec = load(quadratic({ a: 1, b: 1, w0: 0 }, 1, { alpha: 0.5, T }, { analysis: { times: [T] } }));
		return simulateSpec(spec).horizons.empirical;
	});
	assert.equal(horizons[0].kind, 'finite', JSON.stringify(horizons[0]));
	assert.equal(horizons[1].kind, 'finite', `T = 1e15: ${JSON.stringify(horizons[1])}, T = 1e3: ${JSON.stringify(horizons[0])}`);
	assert.equal(horizons[2].kind, 'finite', `T = 1e16: ${JSON.stringify(horizons[2])}, T = 1e3: ${JSON.stringify(horizons[0])}`);
	for (const [index, T] of [[1, 1e15], [2, 1e16]] as const) {
		const long = horizons[index];
		const short = horizons[0];
		if (long.kind === 'finite' && short.kind === 'finite') {
			const deviation = Math.abs(long.time - short.time) / short.time;
			assert.ok(deviation <= 1e-6, `T = ${T}: crossing ${long.time}, T = 1e3: ${short.time}, deviation ${deviation} > 1e-6`);
		}
	}
});

test('guaranteed horizon accurate for tiny epsilon', () => {
	// Lip(Dh) = |b| is exact for the quadratic, so guaranteed / estimate = (sqrt(1 + 3 eps) - 1) / (3 eps) -> 1/2.
	for (const epsilon of [1e-14, 1e-300]) {
		const spec = load(quadratic({ a: 1, b: 1, w0: 0 }, 1, { alpha: 10, T: 1 }, { analysis: { epsilon } }));
		const { guaranteed, estimate } = analyzeSpec(spec).horizons;
		assert.ok(guaranteed.kind === 'finite', `guaranteed: ${JSON.stringify(guaranteed)}`);
		assert.ok(estimate.kind === 'finite', `estimate: ${JSON.stringify(estimate)}`);
		const ratio = guaranteed.time / estimate.time;
		const expected = 0.5 - (3 * epsilon) / 8;
		assert.ok(Math.abs(ratio - expected) <= 1e-9, `eps ${epsilon}: guaranteed / estimate ${ratio}, expected ${expected}, tolerance 1e-9`);
	}
});

test('tiny alpha gives a clear error or an answer', () => {
	// sqrt(T R0) / alpha is about 1e300, a ball on which the certified bound overflows.
	const spec = load(mlp({ training: { alpha: 1e-300, T: 5 } }));
	assert.throws(
		() => analyzeSpec(spec),
		(error: unknown) => {
			assert.ok(error instanceof SpecError, `expected SpecError, got ${String(error)}`);
			const issue = error.issues[0];
			assert.deepEqual(issue.path, ['training', 'alpha'], `path of ${issue.message}`);
			assert.equal(issue.code, 'range', issue.message);
			assert.match(issue.message, /alpha = 1e-300 is too small for T = 5/);
			assert.match(issue.message, /Use alpha >= \d(\.\d)?e-?\d+ for this T, or T <= \d(\.\d)?e-?\d+ for this alpha\./);
			return true;
		},
	);
});

test('sweep keeps points around a failing alpha', () => {
	const spec = load(quadratic({ a: 1, b: 1, w0: 0 }, 1e-8, { alpha: 1, T: 1 }));
	const result = sweepAlpha(spec, [1, 1e-300, 10]);
	assert.deepEqual(result.points.map((point) => point.alpha), [1, 1e-300, 10]);
	assert.equal(result.complete, true, `stop reason: ${result.stopReason}`);
	const [first, failed, last] = result.points;
	assert.match(failed.error ?? '', /nonFinite/, `point at alpha 1e-300: ${JSON.stringify(failed)}`);
	assert.equal(failed.empirical.kind, 'notApplicable', JSON.stringify(failed.empirical));
	for (const point of [first, last]) {
		assert.equal(point.error, undefined, `alpha ${point.alpha}: ${point.error}`);
		assert.ok(point.steps > 0, `alpha ${point.alpha}: ${point.steps} steps`);
	}
});

test('sweep past its deadline says so', () => {
	const spec = longRun();
	const result = sweepAlpha(spec, [10, 100, 1000], { deadlineMs: Date.now() + 100 });
	assert.ok(result.points.length < 3, `points: ${result.points.length}`);
	assert.equal(result.complete, false, 'the result should be marked incomplete');
	assert.match(result.stopReason ?? '', /time budget/, `stop reason: ${result.stopReason}`);
});
