// Runs the command line in-process on a reference case and on invalid input.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { runCli } from '../../../src/cli';

const CASE = join(__dirname, '..', '..', 'fixtures', 'cases', 'quad_converse_alpha100.json');

function run(args: string[]): { status: number; out: string; err: string } {
	let out = '';
	let err = '';
	const status = runCli(args, {
		out: (text) => (out += text + '\n'),
		err: (text) => (err += text + '\n'),
		errIsTerminal: false,
	});
	return { status, out, err };
}

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
});
