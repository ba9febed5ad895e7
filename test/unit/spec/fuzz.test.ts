import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { SpecError } from '../../../src/errors';
import { loadSpec, validateSpec } from '../../../src/spec/load';

const VALID = {
	model: { type: 'mlp', widths: [2, 4, 1], activation: 'tanh' },
	data: { x: [[0, 1], [1, 0]], y: [0.5, -0.5] },
	training: { alpha: 100, T: 50 },
	analysis: { epsilon: 0.05, times: { count: 5 } },
	solver: { method: 'dopri5' },
};

/** Replaces the value at one random path of the valid spec with an arbitrary value. */
const mutatedSpec = fc
	.tuple(fc.array(fc.nat(8), { minLength: 1, maxLength: 4 }), fc.anything({ withNullPrototype: true }))
	.map(([choices, replacement]) => {
		const spec = structuredClone(VALID) as Record<string, unknown>;
		let node: Record<string, unknown> = spec;
		for (let depth = 0; depth < choices.length; depth++) {
			const keys = Object.keys(node);
			const key = keys[choices[depth] % keys.length];
			const child = node[key];
			if (depth === choices.length - 1 || child === null || typeof child !== 'object') {
				node[key] = replacement;
				break;
			}
			node = child as Record<string, unknown>;
		}
		return spec;
	});

function assertOnlySpecErrors(input: unknown): void {
	const issues = validateSpec(input);
	assert.ok(Array.isArray(issues));
	assert.ok(issues.every((issue) => issue.code !== 'internal'), JSON.stringify(issues));
	try {
		loadSpec(input);
	} catch (error) {
		assert.ok(error instanceof SpecError, `loadSpec threw ${String(error)}`);
	}
}

test('validateSpec survives mutated specs', () => {
	fc.assert(fc.property(mutatedSpec, assertOnlySpecErrors), { numRuns: 300, seed: 1 });
});

test('validateSpec survives arbitrary values', () => {
	fc.assert(fc.property(fc.anything(), assertOnlySpecErrors), { numRuns: 300, seed: 2 });
});

test('validateSpec survives arbitrary text', () => {
	const text = fc.oneof(fc.string(), fc.json(), fc.json().map((json) => json.slice(0, json.length / 2)));
	fc.assert(fc.property(text, assertOnlySpecErrors), { numRuns: 300, seed: 3 });
});

test('mutated spec text survives', () => {
	const text = mutatedSpec.map((spec) => JSON.stringify(spec) ?? '');
	fc.assert(fc.property(text, assertOnlySpecErrors), { numRuns: 200, seed: 4 });
});

test('throwing getter becomes an issue', () => {
	const spec = structuredClone(VALID) as Record<string, unknown>;
	Object.defineProperty(spec, 'training', {
		enumerable: true,
		get() {
			throw new Error('getter failed');
		},
	});
	const issues = validateSpec(spec);
	assert.equal(issues.length, 1);
	assert.equal(issues[0].code, 'internal');
	assert.match(issues[0].message, /getter failed/);
	assert.throws(() => loadSpec(spec), SpecError);
});
