import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { formatIssue } from '../../../src/errors';
import { parseCsvTable, parseJsonTable } from '../../../src/spec/dataTable';
import { loadSpec, validateSpec } from '../../../src/spec/load';
import { loadSpecFile } from '../../../src/spec/nodeFiles';
import type { SpecLoadOptions } from '../../../src/spec/options';

function memoryOptions(files: Record<string, string>): SpecLoadOptions {
	return {
		baseDirectory: '/ws/specs',
		readFile: (path) => {
			if (!(path in files)) {
				throw Object.assign(new Error('missing'), { code: 'ENOENT' });
			}
			return files[path];
		},
	};
}

function fileSpec(data: Record<string, unknown>, widths = [2, 4, 1]): unknown {
	return { model: { type: 'mlp', widths, activation: 'tanh' }, data, training: { alpha: 10, T: 10 } };
}

test('csv standardized with reported statistics', () => {
	const options = memoryOptions({ '/ws/specs/data/d.csv': '\ufeffa,b,name,y\n1,10,x,2\n3,30,y,4\r\n\n' });
	const { spec } = loadSpec(fileSpec({ file: 'data/d.csv', target: 'y' }), options);
	const source = spec.data.source;
	assert.equal(source.kind, 'file');
	if (source.kind !== 'file') {
		return;
	}
	assert.deepEqual(source.features, ['a', 'b'], 'BOM stripped from the first header, text column skipped');
	assert.deepEqual(source.featureMeans, [2, 20]);
	assert.deepEqual(source.featureStds, [1, 10]);
	assert.equal(source.targetMean, 3);
	assert.equal(source.targetStd, 1);
	assert.equal(source.standardized, true);
	assert.deepEqual(spec.data.x, [[-1, -1], [1, 1]]);
	assert.deepEqual(spec.data.y, [-1, 1]);
	assert.equal(spec.data.inputCount, 2, 'trailing blank lines add no rows');
});

test('csv raw values without standardize', () => {
	const options = memoryOptions({ '/ws/specs/d.csv': 'a,b,y\n1,2,3\n4,5,6\n' });
	const { spec } = loadSpec(fileSpec({ file: 'd.csv', target: 'y', standardize: false }), options);
	assert.deepEqual(spec.data.x, [[1, 2], [4, 5]]);
	assert.deepEqual(spec.data.y, [3, 6]);
});

test('json rows with nulls dropped and limit', () => {
	const rows = [
		{ a: 1, b: 2, y: 1 },
		{ a: null, b: 2, y: 5 },
		{ a: 2, b: 1, y: 2 },
		{ a: 3, b: 5, y: 9 },
		{ a: 4, b: 4, y: 7 },
	];
	const options = memoryOptions({ '/ws/data.json': JSON.stringify(rows) });
	const { spec } = loadSpec(fileSpec({ file: '../data.json', target: 'y', missing: 'drop', limit: 3, standardize: false }), options);
	assert.deepEqual(spec.data.x, [[1, 2], [2, 1], [3, 5]]);
	assert.equal(spec.data.source.kind === 'file' ? spec.data.source.droppedRows : -1, 1);
});

test('json null without drop is an error', () => {
	const options = memoryOptions({ '/ws/data.json': JSON.stringify([{ a: 1, b: 2, y: 1 }, { a: null, b: 2, y: 5 }]) });
	const issues = validateSpec(fileSpec({ file: '/ws/data.json', target: 'y' }), options);
	assert.equal(issues.length, 1, issues.map(formatIssue).join('\n'));
	assert.match(issues[0].message, /row \[1\], column "a" is missing a value/);
});

test('features count must match widths[0]', () => {
	const options = memoryOptions({ '/ws/specs/d.csv': 'a,b,c,y\n1,2,0,3\n4,5,1,6\n' });
	const issues = validateSpec(fileSpec({ file: 'd.csv', target: 'y' }), options);
	assert.equal(issues.length, 1, issues.map(formatIssue).join('\n'));
	assert.match(issues[0].message, /gives 3 features \(a, b, c\) but model.widths\[0\] is 2/);
});

test('many bad cells summarized', () => {
	const lines = ['a,b,y', ...Array.from({ length: 20 }, () => 'x,1,2')];
	const options = memoryOptions({ '/ws/specs/d.csv': lines.join('\n') });
	const issues = validateSpec(fileSpec({ file: 'd.csv', target: 'y', features: ['a', 'b'] }), options);
	assert.equal(issues.length, 6, issues.map(formatIssue).join('\n'));
	assert.match(issues[5].message, /15 more invalid cells/);
});

test('csv cell parsing', () => {
	const table = parseCsvTable('n,v\nA, 1.5e3 \nB,-.5\nC,1e999\nD,nan\nE,"3,25"\nF,\n');
	const cells = table.rows.map((row) => row.cells.get('v'));
	assert.deepEqual(cells, [
		1500,
		-0.5,
		{ text: '1e999', problem: 'nonFinite' },
		{ text: 'nan', problem: 'nonFinite' },
		{ text: '3,25', problem: 'decimalComma' },
		null,
	]);
	assert.equal(table.rows[0].label, 'line 2');
});

test('csv duplicate header rejected', () => {
	assert.throws(() => parseCsvTable('a,a\n1,2\n'), /"a" twice/);
});

test('json table overflow is non-finite', () => {
	const table = parseJsonTable('[{"v": 1e400}]');
	assert.deepEqual(table.rows[0].cells.get('v'), { text: 'Infinity', problem: 'nonFinite' });
});

const folder = mkdtempSync(join(tmpdir(), 'ntk-spec-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('loadSpecFile reads relative data', () => {
	mkdirSync(join(folder, 'ws', 'data'), { recursive: true });
	writeFileSync(join(folder, 'ws', 'data', 'd.csv'), 'a,b,y\n1,2,3\n4,5,7\n');
	writeFileSync(join(folder, 'ws', 'exp.ntk.json'), JSON.stringify(fileSpec({ file: 'data/d.csv', target: 'y' })));
	const { spec } = loadSpecFile(join(folder, 'ws', 'exp.ntk.json'), { workspaceRoot: join(folder, 'ws') });
	assert.equal(spec.name, 'exp');
	assert.equal(spec.data.inputCount, 2);
});

test('symlink out of workspace rejected', () => {
	writeFileSync(join(folder, 'secret.csv'), 'a,b,y\n1,2,3\n4,5,7\n');
	symlinkSync(join(folder, 'secret.csv'), join(folder, 'ws', 'link.csv'));
	writeFileSync(join(folder, 'ws', 'link.ntk.json'), JSON.stringify(fileSpec({ file: 'link.csv', target: 'y' })));
	assert.throws(
		() => loadSpecFile(join(folder, 'ws', 'link.ntk.json'), { workspaceRoot: join(folder, 'ws') }),
		(error: Error) => /outside the workspace/.test(error.message) && /link\.csv/.test(error.message),
	);
});
