/**
 * Shared checks of the robustness tests: the shape of every issue and error the core may return,
 * and a guarded run of analysis and simulation with a wall-clock budget.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { SimulationError, SpecError, analyzeSpec, loadSpec, simulateSpec, validateSpec } from '../../../src/api';
import type { ResolvedSpec, SimulationResult, SpecIssue, SpecLoadOptions } from '../../../src/api';
import { createNodeFileReader } from '../../../src/spec/nodeFiles';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');
export const CASES_DIR = join(REPO_ROOT, 'test/fixtures/cases');

/** Jacobian and kernel limit of the generated specs: 256 KiB keeps n <= 181 outputs. */
export const SIZE_LIMIT_BYTES = 256 * 1024;

/** Wall-clock budget handed to each simulation through `deadlineMs`. */
export const SIMULATION_BUDGET_MS = 150;

/**
 * Allowed time past the budget: the preparation of K0, one integrator step, the final analysis and
 * the result assembly. The slowest seed, examples/cars-mpg.ntk.json (n = 96, p = 320), needs up to
 * 0.6 s alone on a shared 2-core machine, and several times that while other tests run.
 */
export const OVERRUN_ALLOWANCE_MS = 5000;

const SEVERITIES = new Set(['error', 'warning']);
const FAILURE_KINDS = new Set([
	'nonFinite',
	'diverged',
	'toleranceNotMet',
	'stepLimit',
	'timeBudget',
	'cancelled',
	'tooLarge',
]);

/** A spec to mutate: its parsed value and the folder its data paths resolve against. */
export interface SeedSpec {
	readonly name: string;
	readonly value: Record<string, unknown>;
}

/** Reads the reference cases (without their `expected` block) and the example specs. */
export function readSeedSpecs(): SeedSpec[] {
	const seeds: SeedSpec[] = [];
	for (const file of readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()) {
		const value = JSON.parse(readFileSync(join(CASES_DIR, file), 'utf8')) as Record<string, unknown>;
		delete value.expected;
		seeds.push({ name: file, value });
	}
	for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.ntk.json')).sort()) {
		const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
		seeds.push({ name: file, value: JSON.parse(text) as Record<string, unknown> });
	}
	return seeds;
}

/** Load options of the generated specs: data files only inside `examples/`, small size limit. */
export function fuzzLoadOptions(): SpecLoadOptions {
	return {
		readFile: createNodeFileReader(EXAMPLES_DIR),
		baseDirectory: EXAMPLES_DIR,
		workspaceRoot: EXAMPLES_DIR,
		maxJacobianBytes: SIZE_LIMIT_BYTES,
	};
}

/** Counters printed at the end of each property. */
export interface RunStatistics {
	tried: number;
	loaded: number;
	simulated: number;
	stoppedByBudget: number;
	simulationErrors: Map<string, number>;
	slowestSimulationMs: number;
	slowestAnalysisMs: number;
}

export function emptyStatistics(): RunStatistics {
	return {
		tried: 0,
		loaded: 0,
		simulated: 0,
		stoppedByBudget: 0,
		simulationErrors: new Map(),
		slowestSimulationMs: 0,
		slowestAnalysisMs: 0,
	};
}

export function formatStatistics(label: string, stats: RunStatistics): string {
	const errors = [...stats.simulationErrors].map(([kind, count]) => `${kind} ${count}`).join(', ');
	return (
		`${label}: ${stats.tried} inputs tried, ${stats.loaded} loaded, ${stats.simulated} simulated, ` +
		`${stats.stoppedByBudget} stopped by the ${SIMULATION_BUDGET_MS} ms budget; ` +
		`simulation errors: ${errors || 'none'}; slowest analysis ${stats.slowestAnalysisMs} ms, ` +
		`slowest simulation ${stats.slowestSimulationMs} ms`
	);
}

/** Describes an input for a failure message, shortened to keep the message readable. */
export function describeInput(input: unknown): string {
	let text: string;
	try {
		text = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
	} catch {
		text = String(input);
	}
	return text.length > 1500 ? `${text.slice(0, 1500)}... (${text.length} characters)` : text;
}

/** Asserts that each issue has a path array, a known severity, a code and a message. */
export function assertIssueShapes(issues: unknown, input: unknown): asserts issues is SpecIssue[] {
	assert.ok(Array.isArray(issues), `validateSpec returned ${String(issues)} for input ${describeInput(input)}`);
	for (const issue of issues as SpecIssue[]) {
		const where = `issue ${JSON.stringify(issue)} for input ${describeInput(input)}`;
		assert.ok(Array.isArray(issue.path), `path is not an array: ${where}`);
		for (const key of issue.path) {
			const isIndex = typeof key === 'number' && Number.isInteger(key) && key >= 0;
			assert.ok(typeof key === 'string' || isIndex, `path element ${String(key)} is invalid: ${where}`);
		}
		assert.ok(SEVERITIES.has(issue.severity), `severity is ${String(issue.severity)}: ${where}`);
		assert.equal(typeof issue.code, 'string', `code is not a string: ${where}`);
		assert.ok(issue.code.length > 0, `code is empty: ${where}`);
		assert.equal(typeof issue.message, 'string', `message is not a string: ${where}`);
		assert.ok(issue.message.trim().length > 0, `message is empty: ${where}`);
		assert.notEqual(issue.code, 'internal', `the checks crashed (code internal): ${where}`);
	}
}

/** Asserts that a thrown value is a SpecError or a SimulationError of the documented shape. */
export function assertTypedError(error: unknown, stage: string, input: unknown): void {
	const where = `${stage} threw for input ${describeInput(input)}`;
	if (error instanceof SpecError) {
		assertIssueShapes(error.issues, input);
		assert.ok(error.issues.some((issue) => issue.severity === 'error'), `SpecError without an error issue: ${where}`);
		return;
	}
	if (error instanceof SimulationError) {
		assert.ok(FAILURE_KINDS.has(error.kind), `SimulationError kind ${String(error.kind)}: ${where}`);
		assert.ok(error.message.trim().length > 0, `SimulationError without a message: ${where}`);
		const time = error.time;
		assert.ok(time === undefined || Number.isFinite(time), `SimulationError time ${String(time)}: ${where}`);
		return;
	}
	const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	assert.fail(`untyped exception ${detail}: ${where}`);
}

/**
 * Validates and loads one input, checking that `validateSpec` never throws, that its issues have
 * the documented shape, and that `loadSpec` succeeds exactly when no issue is an error.
 *
 * @returns the resolved spec, or undefined when the input is invalid
 */
export function validateAndLoad(input: unknown, options: SpecLoadOptions): ResolvedSpec | undefined {
	const issues = validateSpec(input, options);
	assertIssueShapes(issues, input);
	const hasError = issues.some((issue) => issue.severity === 'error');
	try {
		const { spec } = loadSpec(input, options);
		assert.ok(!hasError, `loadSpec succeeded although validateSpec found errors, input ${describeInput(input)}`);
		return spec;
	} catch (error) {
		assertTypedError(error, 'loadSpec', input);
		assert.ok(hasError, `loadSpec threw although validateSpec found no error, input ${describeInput(input)}`);
		return undefined;
	}
}

/** Runs `analyzeSpec` and a budgeted `simulateSpec`, checking errors, timing and the result. */
export function runCore(spec: ResolvedSpec, stats: RunStatistics, input: unknown): void {
	const analysisStart = Date.now();
	try {
		analyzeSpec(spec);
	} catch (error) {
		assertTypedError(error, 'analyzeSpec', input);
	}
	const analysisMs = Date.now() - analysisStart;
	stats.slowestAnalysisMs = Math.max(stats.slowestAnalysisMs, analysisMs);
	assert.ok(analysisMs < OVERRUN_ALLOWANCE_MS, `analyzeSpec took ${analysisMs} ms, limit ${OVERRUN_ALLOWANCE_MS} ms, input ${describeInput(input)}`);

	const started = Date.now();
	let result: SimulationResult | undefined;
	try {
		result = simulateSpec(spec, { deadlineMs: started + SIMULATION_BUDGET_MS });
	} catch (error) {
		assertTypedError(error, 'simulateSpec', input);
		const kind = error instanceof SimulationError ? error.kind : 'SpecError';
		stats.simulationErrors.set(kind, (stats.simulationErrors.get(kind) ?? 0) + 1);
	}
	const elapsed = Date.now() - started;
	stats.slowestSimulationMs = Math.max(stats.slowestSimulationMs, elapsed);
	const limit = SIMULATION_BUDGET_MS + OVERRUN_ALLOWANCE_MS;
	assert.ok(elapsed < limit, `simulateSpec took ${elapsed} ms with a ${SIMULATION_BUDGET_MS} ms budget, limit ${limit} ms, input ${describeInput(input)}`);
	if (result !== undefined) {
		stats.simulated++;
		if (!result.complete) {
			stats.stoppedByBudget++;
		}
		assertResultShape(result, input);
	}
}

/** Asserts equal series lengths, finite values and a stop reason on incomplete results. */
export function assertResultShape(result: SimulationResult, input: unknown): void {
	const where = `input ${describeInput(input)}`;
	const count = result.times.length;
	for (const key of ['err', 'normR', 'normRbar', 'normDw', 'normDwbar', 'normKdrift'] as const) {
		const series = result[key];
		assert.equal(series.length, count, `${key} has ${series.length} entries, times has ${count}: ${where}`);
		const bad = series.findIndex((value) => !Number.isFinite(value) || value < 0);
		assert.equal(bad, -1, `${key}[${bad}] = ${series[bad]} is not a finite non-negative number: ${where}`);
	}
	if (!result.complete) {
		assert.equal(typeof result.stopReason, 'string', `incomplete result without stopReason: ${where}`);
	}
	const empirical = result.horizons.empirical;
	if (empirical.kind === 'notReached') {
		const threshold = result.analysis.threshold;
		const consistent = empirical.peakError <= threshold * (1 + 1e-9);
		assert.ok(consistent, `empirical horizon notReached with peak E ${empirical.peakError} above the threshold ${threshold}: ${where}`);
	}
	for (const [name, horizon] of Object.entries(result.horizons)) {
		if (horizon.kind === 'finite') {
			const valid = Number.isFinite(horizon.time) && horizon.time >= 0;
			assert.ok(valid, `horizon ${name} has time ${horizon.time}: ${where}`);
		}
	}
	assert.doesNotThrow(() => JSON.stringify(result), `the result does not serialize: ${where}`);
}
