// Runs the command line on TypeScript spec files, read statically, and checks `--json -`.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { run } from './runInProcess';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const CONVERSE = join(EXAMPLES, 'converse.ntk.json');

function writeSpecFile(text: string): string {
	const path = join(mkdtempSync(join(tmpdir(), 'ntk-cli-ts-')), 'specs.ts');
	writeFileSync(path, text);
	return path;
}

describe('command line on TypeScript specs', () => {
	it('runs the spec named by --spec', () => {
		const { status, out, err } = run(['simulate', join(EXAMPLES, 'specs.ts'), '--spec', 'converseLongTraining']);
		assert.equal(status, 0, err);
		assert.match(out, /guaranteed \(Theorem 1\.2\)/);
	});

	it('several specs without --spec exit 2 naming them', () => {
		const { status, err } = run(['simulate', join(EXAMPLES, 'specs.ts')]);
		assert.equal(status, 2, err);
		assert.match(err, /wideTeacher, converseLongTraining/);
		assert.match(err, /--spec NAME/);
	});

	it('unknown --spec name exits 2', () => {
		const { status, err } = run(['simulate', join(EXAMPLES, 'specs.ts'), '--spec', 'nope']);
		assert.equal(status, 2, err);
		assert.match(err, /no spec named "nope"/);
	});

	it('call in a spec exits 2 with its line', () => {
		const path = writeSpecFile('/** @ntk */\nconst s = { model: foo(), training: { alpha: 1, T: 1 } };\n');
		const { status, err } = run(['simulate', path]);
		assert.equal(status, 2, err);
		assert.match(err, /line 2 of spec s: Cannot evaluate the call `foo\(\)` statically/);
		assert.doesNotMatch(err, /\n\s+at /);
	});

	it('file without a spec exits 2', () => {
		const path = writeSpecFile('export const x = 1;\n');
		const { status, err } = run(['simulate', path]);
		assert.equal(status, 2, err);
		assert.match(err, /has no spec/);
	});
});

describe('command line --json -', () => {
	it('standard output holds only the JSON', () => {
		const { status, out, err } = run(['simulate', CONVERSE, '--json', '-']);
		assert.equal(status, 0, err);
		const json = JSON.parse(out) as Record<string, unknown>;
		assert.ok(Array.isArray(json.err), 'err series missing');
		assert.match(err, /horizons:/);
	});
});
