// Runs the command line in-process on a reference case and on invalid input.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { run } from './runInProcess';

const CASE = join(__dirname, '..', '..', 'fixtures', 'cases', 'quad_converse_alpha100.json');

describe('command line', () => {
	it('simulate writes the expected keys', () => {
		const directory = mkdtempSync(join(tmpdir(), 'ntk-cli-'));
		const target = join(directory, 'out.json');
		const { status, out } = run(['simulate', CASE, '--json', target]);
		assert.equal(status, 0, out);
		const json = JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown>;
		const expected = JSON.parse(readFileSync(CASE, 'utf8')).expected as Record<string, unknown>;
		const keys = Object.keys(json);
		const caseKeys = Object.keys(expected).filter((key) => !['checks', 'horizon', 'bounds'].includes(key));
		assert.deepEqual(keys.slice(0, caseKeys.length), caseKeys);
		assert.deepEqual(keys.slice(caseKeys.length), ['bounds', 'horizons', 'solver', 'spec']);
		const errors = json.err as number[];
		const reference = expected.err as number[];
		for (let i = 0; i < reference.length; i++) {
			const deviation = Math.abs(errors[i] - reference[i]) / reference[i];
			assert.ok(deviation <= 1e-4, `err[${i}] = ${errors[i]}, expected ${reference[i]}, deviation ${deviation}`);
		}
		assert.match(out, /empirical \(simulated\)\s+T = 24\.96/);
	});

	it('invalid spec exits 2 with the JSON path', () => {
		const directory = mkdtempSync(join(tmpdir(), 'ntk-cli-'));
		const path = join(directory, 'bad.ntk.json');
		const spec = JSON.parse(readFileSync(CASE, 'utf8'));
		spec.training.alpha = -1;
		writeFileSync(path, JSON.stringify(spec));
		const { status, err } = run(['simulate', path]);
		assert.equal(status, 2, err);
		assert.match(err, /training\.alpha/);
		assert.doesNotMatch(err, /\n\s+at /);
	});

	it('bad options exit 2', () => {
		assert.equal(run(['simulate', CASE, '--rtol', 'abc']).status, 2);
		assert.equal(run(['simulate', CASE, '--method', 'euler']).status, 2);
		assert.equal(run(['sweep', CASE, '--alpha', '1:0:3']).status, 2);
		assert.equal(run(['frobnicate', CASE]).status, 2);
		assert.equal(run(['simulate', '/nonexistent/spec.json']).status, 2);
	});

	it('help exits 0', () => {
		const { status, out } = run(['--help']);
		assert.equal(status, 0);
		assert.match(out, /ntk-horizon simulate SPEC/);
	});

	it('sweep fits a slope near 1 on the converse model', () => {
		const { status, out } = run(['sweep', CASE, '--alpha', '10:1000:3']);
		assert.equal(status, 0, out);
		assert.match(out, /slope of log T against log alpha/);
	});

	it('help names every option', () => {
		const { status, out } = run(['--help']);
		assert.equal(status, 0);
		for (const option of ['--json', '--method', '--rtol', '--alpha', '--max-memory-mb']) {
			assert.ok(out.includes(option), `help text lacks ${option}`);
		}
	});

	it('clean spec prints no warning', () => {
		const { status, err } = run(['simulate', CASE]);
		assert.equal(status, 0, err);
		assert.equal(err, '', 'standard error of a clean run');
	});
});

describe('command line limits', () => {
	const directory = mkdtempSync(join(tmpdir(), 'ntk-cli-'));

	function writeSpec(name: string, spec: unknown): string {
		const path = join(directory, name);
		writeFileSync(path, JSON.stringify(spec));
		return path;
	}

	// The Jacobian needs 8 x 64 outputs x 3600 parameters = 1.76 MiB.
	const wide = writeSpec('wide.ntk.json', {
		model: { type: 'mlp', widths: [2, 1200, 1], activation: 'tanh' },
		data: { teacher: { inputs: 64 } },
		training: { alpha: 10, T: 1 },
	});
	const small = writeSpec('small.ntk.json', {
		model: { type: 'quadratic', a: 1, b: 1, w0: 0 },
		data: { y: [1e-8] },
		training: { alpha: 1, T: 1 },
	});

	it('memory limit names its option', () => {
		const { status, out, err } = run(['simulate', wide, '--max-memory-mb', '1']);
		assert.equal(status, 2, err);
		assert.equal(out, '');
		assert.match(err, /\$\.model\.widths: The spec is too large/);
		assert.match(err, /limit of 1\.00 MiB/);
		assert.match(err, /raise the limit with --max-memory-mb N \(in MiB\)/);
		assert.doesNotMatch(err, /maxJacobianBytes/);
	});

	it('memory limit accepts a small spec', () => {
		const { status, err } = run(['simulate', small, '--max-memory-mb', '1']);
		assert.equal(status, 0, err);
	});

	it('invalid memory limits exit 2', () => {
		for (const value of ['0', '0.5', 'abc', 'Infinity', '1e400', '']) {
			const { status, err } = run(['simulate', small, '--max-memory-mb', value]);
			assert.equal(status, 2, `--max-memory-mb ${JSON.stringify(value)}: ${err}`);
			assert.ok(err.includes(`--max-memory-mb ${value} is invalid`), `message for ${JSON.stringify(value)}: ${err}`);
		}
	});

	it('rtol range is stated', () => {
		for (const value of ['1e-15', '0', '1', '-1e-8']) {
			const { status, err } = run(['simulate', small, `--rtol=${value}`]);
			assert.equal(status, 2, `--rtol ${value}: ${err}`);
			assert.ok(err.includes('at least 1e-14'), `message for --rtol ${value}: ${err}`);
		}
		assert.equal(run(['simulate', small, '--rtol', '1e-14']).status, 0, '--rtol 1e-14 is the smallest accepted value');
	});

	it('negative option value is one line', () => {
		const { status, err } = run(['simulate', small, '--rtol', '-1e-8']);
		assert.equal(status, 2, err);
		assert.equal(err.trim().split('\n').length, 1, `message on more than one line: ${err}`);
		assert.match(err, /--rtol=-XYZ/);
	});

	it('alpha range rejects non-finite ends', () => {
		for (const range of ['1:Infinity:3', '-1:10:3', '1::3', '1:1e400:2', 'NaN:10:2']) {
			const { status, out, err } = run(['sweep', small, `--alpha=${range}`]);
			assert.equal(status, 2, `--alpha ${range}: ${err}`);
			assert.equal(out, '', `--alpha ${range} printed ${out}`);
			assert.ok(err.includes(`--alpha ${range} is invalid`), `message for ${range}: ${err}`);
		}
	});

	it('sweep keeps going past a failing alpha', () => {
		const target = join(directory, 'sweep.json');
		const { status, out, err } = run(['sweep', small, '--alpha', '1e-300:10:3', '--json', target]);
		assert.equal(status, 0, err);
		assert.match(out, /1\.00000e-300 \| failed: the simulation failed \(nonFinite\)/);
		const json = JSON.parse(readFileSync(target, 'utf8'));
		assert.equal(json.complete, true);
		assert.equal(json.points.length, 3);
		assert.match(json.points[0].error, /nonFinite/);
		assert.equal(json.points[2].error, undefined, JSON.stringify(json.points[2]));
	});

	it('weights message says how to fix them', () => {
		const path = writeSpec('weights.ntk.json', {
			model: { type: 'mlp', widths: [2, 3, 1], activation: 'tanh', init: { weights: { W: [[1, 2]], a: [1, 2, 3] } } },
			data: { x: [[0, 1], [1, 0]], y: [0.5, -0.5] },
			training: { alpha: 10, T: 1 },
		});
		const { status, err } = run(['simulate', path]);
		assert.equal(status, 2, err);
		assert.ok(
			err.includes('W must be a 3 x 2 array of rows, got an array of length 1. Write W as 3 rows of 2 numbers, one row per hidden unit.'),
			err,
		);
	});

	it('tiny alpha reports the usable range', () => {
		const path = writeSpec('tiny.ntk.json', {
			model: { type: 'mlp', widths: [2, 8, 1], activation: 'tanh' },
			data: { x: [[0, 1], [1, 0], [1, 1]], y: [0.5, -0.5, 1] },
			training: { alpha: 1e-300, T: 5 },
		});
		const { status, out, err } = run(['simulate', path]);
		assert.equal(status, 2, err);
		assert.equal(out, '');
		assert.match(err, /^Invalid spec: \$\.training\.alpha: alpha = 1e-300 is too small for T = 5/);
		assert.match(err, /Use alpha >= \S+ for this T, or T <= \S+ for this alpha\./);
	});
});
