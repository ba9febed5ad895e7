import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { formatIssue } from '../../../src/errors';
import { createRandomStream } from '../../../src/random';
import { DEFAULT_RTOL } from '../../../src/spec/defaults';
import { loadSpec, validateSpec } from '../../../src/spec/load';
import type { MlpModelSpec } from '../../../src/spec/types';

const CASES = join(__dirname, '../../fixtures/cases');

function close(actual: number, expected: number, tolerance: number, label: string): void {
	const scale = Math.max(1, Math.abs(expected));
	assert.ok(
		Math.abs(actual - expected) <= tolerance * scale,
		`${label}: value ${actual}, expected ${expected}, tolerance ${tolerance} (relative, scale ${scale})`,
	);
}

for (const file of readdirSync(CASES).filter((name) => name.endsWith('.json'))) {
	test(`case file ${file} loads as written`, () => {
		const text = readFileSync(join(CASES, file), 'utf8');
		const raw = JSON.parse(text);
		const { spec, warnings } = loadSpec(text);
		assert.deepEqual(warnings.map(formatIssue), [], `warnings for ${file}`);
		assert.equal(spec.name, raw.name);
		assert.equal(spec.training.alpha, raw.training.alpha);
		assert.equal(spec.training.T, raw.training.T);
		assert.equal(spec.training.loss, 'sum');
		assert.deepEqual(spec.analysis.times, raw.analysis.times);
		assert.equal(spec.analysis.epsilon, raw.analysis.epsilon);
		assert.equal(spec.analysis.relative, raw.analysis.relative);
		assert.equal(spec.solver.rtol, DEFAULT_RTOL);
		assert.equal(spec.data.y.length, spec.data.inputCount * spec.data.outputCount);
		assert.deepEqual(spec.data.y, raw.data.y, `targets of ${file}`);
		if (raw.model.type === 'quadratic') {
			assert.deepEqual(spec.model, raw.model);
			assert.deepEqual(spec.data.x, [[]]);
		} else {
			assert.deepEqual(spec.data.x, raw.data.x);
			assert.deepEqual((spec.model as MlpModelSpec).init, raw.model.init);
		}
	});

	test(`case file ${file} loads as an object`, () => {
		const raw = JSON.parse(readFileSync(join(CASES, file), 'utf8'));
		assert.deepEqual(validateSpec(raw), []);
	});
}

test('defaults fill every field', () => {
	const { spec } = loadSpec({
		model: { type: 'mlp', widths: [2, 3, 1], activation: 'tanh' },
		data: { x: [[1, 2]], y: [[3]] },
		training: { alpha: 10, T: 200 },
	}, { defaultName: 'fromFile' });
	assert.equal(spec.name, 'fromFile');
	assert.deepEqual(spec.model, {
		type: 'mlp', widths: [2, 3, 1], activation: 'tanh', bias: false, parametrization: 'ntk', centering: 'initial', init: { seed: 0 },
	});
	assert.deepEqual(spec.data.y, [3]);
	assert.equal(spec.analysis.epsilon, 0.05);
	assert.equal(spec.analysis.relative, true);
	assert.equal(spec.analysis.times.length, 25);
	close(spec.analysis.times[0], 2, 1e-15, 'first default time T/100');
	close(spec.analysis.times[12], 20, 1e-14, 'middle default time');
	assert.equal(spec.analysis.times[24], 200);
	assert.deepEqual(spec.solver, { method: 'exponential', rtol: DEFAULT_RTOL, maxSteps: 100000 });
	assert.equal(spec.sweep, undefined);
});

test('times count and linear spacing', () => {
	const { spec } = loadSpec({
		model: { type: 'quadratic', a: 1, b: 1, w0: 0 }, data: { y: [1] },
		training: { alpha: 1, T: 10 }, analysis: { times: { count: 4, spacing: 'linear' } },
	});
	assert.deepEqual(spec.analysis.times, [2.5, 5, 7.5, 10]);
});

test('y matrix flattened input-major', () => {
	const { spec } = loadSpec({
		model: { type: 'mlp', widths: [1, 2, 2], activation: 'sin' },
		data: { x: [[1], [2]], y: [[1, 2], [3, 4]] }, training: { alpha: 1, T: 1 },
	});
	assert.deepEqual(spec.data.y, [1, 2, 3, 4]);
	assert.equal(spec.data.outputCount, 2);
});

test('linear model w0 defaults to zeros', () => {
	const { spec } = loadSpec({ model: { type: 'linear' }, data: { x: [[1, 2, 3]], y: [1] }, training: { alpha: 1, T: 1 } });
	assert.deepEqual(spec.model, { type: 'linear', w0: [0, 0, 0] });
});

test('sweep resolved', () => {
	const { spec } = loadSpec({
		model: { type: 'quadratic', a: 1, b: 1, w0: 0 }, data: { y: [1] }, training: { alpha: 1, T: 1 },
		sweep: { alpha: { from: 1, to: 1000, count: 4 } },
	});
	assert.deepEqual(spec.sweep, { from: 1, to: 1000, count: 4 });
});

test('comments, trailing comma and BOM accepted', () => {
	const text = '\ufeff{\n// quadratic\n"model": {"type": "quadratic", "a": 1, "b": 1, "w0": 0,},\n"data": {"y": [1]}, "training": {"alpha": 1, "T": 1}}';
	assert.deepEqual(validateSpec(text), []);
});

test('parse error carries offset', () => {
	const [issue] = validateSpec('{"model": }');
	assert.equal(issue.code, 'parse');
	assert.equal(issue.offset, 10, formatIssue(issue));
});

test('teacher data deterministic per seed', () => {
	const spec = (seed: number) => ({
		model: { type: 'mlp', widths: [3, 8, 1], activation: 'tanh' },
		data: { teacher: { inputs: 20, seed } }, training: { alpha: 10, T: 10 },
	});
	const first = loadSpec(spec(7)).spec.data;
	const again = loadSpec(spec(7)).spec.data;
	const other = loadSpec(spec(8)).spec.data;
	assert.deepEqual(first, again);
	assert.notDeepEqual(first.y, other.y);
	assert.equal(first.x.length, 20);
	assert.equal(first.x[0].length, 3);
	for (const value of first.y) {
		assert.ok(Math.abs(value) <= 1, `sinProjection target ${value} must lie in [-1, 1]`);
	}
});

test('teacher noise keeps inputs', () => {
	const spec = (noise: number) => ({
		model: { type: 'mlp', widths: [2, 4, 1], activation: 'tanh' },
		data: { teacher: { inputs: 50, seed: 1, function: 'mlp', noise } }, training: { alpha: 10, T: 10 },
	});
	const clean = loadSpec(spec(0)).spec.data;
	const noisy = loadSpec(spec(0.1)).spec.data;
	assert.deepEqual(noisy.x, clean.x);
	const differences = noisy.y.map((value, i) => value - clean.y[i]);
	const rms = Math.sqrt(differences.reduce((sum, d) => sum + d * d, 0) / differences.length);
	assert.ok(rms > 0.05, `noise rms ${rms}, expected about 0.1, lower limit 0.05 for 50 draws`);
	assert.ok(rms < 0.2, `noise rms ${rms}, expected about 0.1, upper limit 0.2 for 50 draws`);
});

test('sinProjection teacher matches its formula', () => {
	const n = 5;
	const d = 4;
	const { spec } = loadSpec({
		model: { type: 'linear' }, data: { teacher: { inputs: n, dimension: d, seed: 3 } }, training: { alpha: 1, T: 1 },
	});
	const stream = createRandomStream(3);
	const x = Array.from({ length: n }, () => Array.from({ length: d }, () => stream.normal()));
	const u = Array.from({ length: d }, () => stream.normal());
	const norm = Math.sqrt(u.reduce((sum, value) => sum + value * value, 0));
	assert.deepEqual(spec.data.x, x);
	for (let i = 0; i < n; i++) {
		const projection = x[i].reduce((sum, value, j) => sum + (value * u[j]) / norm, 0);
		close(spec.data.y[i], Math.sin(projection / Math.sqrt(d)), 1e-15, `y[${i}] = sin(<u, x_i> / sqrt(d))`);
	}
	assert.deepEqual(spec.model, { type: 'linear', w0: [0, 0, 0, 0] });
});
