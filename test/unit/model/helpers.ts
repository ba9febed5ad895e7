/** Shared test helpers for the model tests: tolerance checks, finite differences, specs. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SpecError } from '../../../src/errors';
import type { DifferentiableModel } from '../../../src/model/types';
import type { Activation, Centering, MlpModelSpec, ModelSpec, Parametrization, ResolvedSpec } from '../../../src/spec/types';

/** Returns an MLP model section: no biases, NTK parametrization, no centering, seed 7, then `options`. */
export function mlpSpec(widths: number[], activation: Activation, options: Partial<MlpModelSpec> = {}): MlpModelSpec {
	return {
		type: 'mlp',
		widths,
		activation,
		bias: false,
		parametrization: 'ntk',
		centering: 'none',
		init: { seed: 7 },
		...options,
	};
}

/** One MLP variant of `mlpVariants`. */
export interface MlpVariant {
	readonly widths: number[];
	readonly activation: Activation;
	readonly parametrization: Parametrization;
	readonly centering: Centering;
	readonly bias: boolean;
	/** Text naming the variant in messages. */
	readonly label: string;
}

/** Lists every combination of the given architectures and activations with all parametrizations, centerings and bias settings. */
export function mlpVariants(architectures: readonly number[][], activations: readonly Activation[]): MlpVariant[] {
	const variants: MlpVariant[] = [];
	for (const widths of architectures) {
		for (const activation of activations) {
			for (const parametrization of ['ntk', 'standard'] as const) {
				for (const centering of ['none', 'initial', 'antisymmetric'] as const) {
					for (const bias of [false, true]) {
						const label = `widths [${widths}] ${activation} ${parametrization} ${centering} bias ${bias}`;
						variants.push({ widths, activation, parametrization, centering, bias, label });
					}
				}
			}
		}
	}
	return variants;
}

/** Asserts `|actual - expected| <= tolerance * max(1, |expected|)` with a message naming all four. */
export function assertClose(actual: number, expected: number, tolerance: number, label: string): void {
	const scale = Math.max(1, Math.abs(expected));
	const ok = Math.abs(actual - expected) <= tolerance * scale;
	assert.ok(ok, `${label}: value ${actual}, expected ${expected}, tolerance ${tolerance} (relative, scale ${scale})`);
}

/** Asserts `|actual - expected| <= tolerance * |expected|` (pure relative error). */
export function assertRelative(actual: number, expected: number, tolerance: number, label: string): void {
	const error = Math.abs(actual - expected) / Math.abs(expected);
	assert.ok(error <= tolerance, `${label}: value ${actual}, expected ${expected}, relative error ${error} > tolerance ${tolerance}`);
}

/** Central-difference Jacobian of `model.evaluate` at w, row-major n x p. */
export function finiteDifferenceJacobian(model: DifferentiableModel, w: Float64Array, step = 1e-6): Float64Array {
	const n = model.outputCount;
	const p = model.parameterCount;
	const result = new Float64Array(n * p);
	const plus = new Float64Array(n);
	const minus = new Float64Array(n);
	const shifted = Float64Array.from(w);
	for (let j = 0; j < p; j++) {
		shifted[j] = w[j] + step;
		model.evaluate(shifted, plus);
		shifted[j] = w[j] - step;
		model.evaluate(shifted, minus);
		shifted[j] = w[j];
		for (let i = 0; i < n; i++) {
			result[i * p + j] = (plus[i] - minus[i]) / (2 * step);
		}
	}
	return result;
}

/** Asserts that the analytic Jacobian at w matches central differences entrywise. */
export function assertJacobianMatchesDifferences(model: DifferentiableModel, w: Float64Array, tolerance: number, label: string): void {
	const n = model.outputCount;
	const p = model.parameterCount;
	const analytic = new Float64Array(n * p);
	model.jacobian(w, analytic);
	const numeric = finiteDifferenceJacobian(model, w);
	let scale = 0;
	for (const value of numeric) {
		scale = Math.max(scale, Math.abs(value));
	}
	for (let k = 0; k < n * p; k++) {
		const error = Math.abs(analytic[k] - numeric[k]);
		assert.ok(
			error <= tolerance * Math.max(1, scale),
			`${label}: J[${Math.floor(k / p)}][${k % p}] analytic ${analytic[k]}, finite difference ${numeric[k]}, tolerance ${tolerance} x ${Math.max(1, scale)}`,
		);
	}
}

/** Builds a resolved spec with the given model and inputs, zero targets and fixed defaults. */
export function makeSpec(model: ModelSpec, x: number[][], outputs = 1): ResolvedSpec {
	const inputCount = x.length;
	return {
		name: 'test',
		model,
		data: {
			x,
			y: new Array<number>(inputCount * outputs).fill(0),
			inputCount,
			outputCount: outputs,
			source: { kind: 'explicit' },
		},
		training: { alpha: 1, T: 1, loss: 'sum' },
		analysis: { epsilon: 0.1, relative: true, times: [1] },
		solver: { method: 'exponential', rtol: 1e-8, maxSteps: 1000 },
	};
}

/** Runs `create`, asserts that it raises a SpecError with one issue, and returns that issue. */
export function issueOf(create: () => unknown): { path: string; message: string } {
	try {
		create();
	} catch (error) {
		assert.ok(error instanceof SpecError, `expected a SpecError, got ${String(error)}`);
		assert.equal(error.issues.length, 1, `expected one issue, got ${error.message}`);
		return { path: error.issues[0].path.join('.'), message: error.issues[0].message };
	}
	assert.fail('expected a SpecError, but the call returned');
}

/** Reads a reference case from test/fixtures/cases. */
export function readCase(name: string): {
	model: ModelSpec;
	data: { x?: number[][]; y: number[] };
	expected: Record<string, unknown>;
} {
	const path = join(__dirname, '..', '..', 'fixtures', 'cases', `${name}.json`);
	return JSON.parse(readFileSync(path, 'utf8'));
}

/** Returns a reproducible vector with entries in [-1, 1) from a linear congruential generator. */
export function pseudoRandomVector(length: number, seed: number): Float64Array {
	const result = new Float64Array(length);
	let state = seed >>> 0;
	for (let i = 0; i < length; i++) {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		result[i] = state / 2147483648 - 1;
	}
	return result;
}
