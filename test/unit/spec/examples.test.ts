import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { formatIssue } from '../../../src/errors';
import { validateSpec } from '../../../src/spec/load';
import { loadSpecFile } from '../../../src/spec/nodeFiles';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';

const EXAMPLES = join(__dirname, '../../../examples');

for (const file of readdirSync(EXAMPLES).filter((name) => name.endsWith('.ntk.json'))) {
	test(`example ${file} loads without warnings`, () => {
		const { spec, warnings } = loadSpecFile(join(EXAMPLES, file), { workspaceRoot: join(EXAMPLES, '..') });
		assert.deepEqual(warnings.map(formatIssue), []);
		assert.ok(spec.data.inputCount >= 1);
	});
}

test('cars example uses 96 standardized rows', () => {
	const { spec } = loadSpecFile(join(EXAMPLES, 'cars-mpg.ntk.json'));
	assert.equal(spec.data.inputCount, 96);
	assert.equal(spec.data.source.kind, 'file');
	if (spec.data.source.kind !== 'file') {
		return;
	}
	assert.equal(spec.data.source.droppedRows, 8, 'rows with a null in a used column among the first 104');
	const mean = spec.data.y.reduce((sum, value) => sum + value, 0) / spec.data.y.length;
	const variance = spec.data.y.reduce((sum, value) => sum + (value - mean) ** 2, 0) / spec.data.y.length;
	assert.ok(Math.abs(mean) < 1e-12, `standardized target mean ${mean}, expected 0, tolerance 1e-12`);
	assert.ok(Math.abs(variance - 1) < 1e-12, `standardized target variance ${variance}, expected 1, tolerance 1e-12`);
});

test('TypeScript example specs validate', () => {
	const text = readFileSync(join(EXAMPLES, 'specs.ts'), 'utf8');
	const entries = findTypeScriptSpecs(text, 'specs.ts');
	assert.deepEqual(entries.map((entry) => entry.name), ['wideTeacher', 'converseLongTraining']);
	for (const entry of entries) {
		assert.deepEqual(entry.issues, [], `reader issues of ${entry.name}`);
		assert.deepEqual(validateSpec(entry.value).map(formatIssue), [], `spec issues of ${entry.name}`);
	}
	assert.deepEqual((entries[0].value.model as { widths: number[] }).widths, [4, 64, 1]);
	assert.equal((entries[0].value.training as { alpha: number }).alpha, 10000);
});
