import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatIssue, formatJsonPath, SpecError } from '../../../src/errors';
import type { SpecIssue } from '../../../src/errors';
import { loadSpec, validateSpec } from '../../../src/spec/load';
import type { SpecLoadOptions } from '../../../src/spec/options';

/** Returns a small valid spec. Each row below breaks one part of it. */
function baseSpec(): Record<string, any> {
	return {
		name: 'base',
		model: { type: 'mlp', widths: [2, 4, 1], activation: 'tanh' },
		data: { x: [[0, 1], [1, 0], [1, 1]], y: [0.5, -0.5, 1] },
		training: { alpha: 100, T: 50 },
	};
}

function edit(change: (spec: Record<string, any>) => void): Record<string, any> {
	const spec = baseSpec();
	change(spec);
	return spec;
}

const FILES: Record<string, string> = {
	'/ws/empty.csv': '',
	'/ws/headerOnly.csv': 'a,b,y\n',
	'/ws/text.csv': 'a,b,y\n1,2,3\n1,abc,4\n',
	'/ws/missing.csv': 'a,b,y\n1,2,3\n1,,4\n',
	'/ws/comma.csv': 'a,b,y\n1,"2,5",3\n2,3,4\n',
	'/ws/inf.csv': 'a,b,y\n1,Infinity,3\n2,3,4\n',
	'/ws/ragged.csv': 'a,b,y\n1,2\n',
	'/ws/good.csv': 'a,b,y\n1,2,3\n2,3,5\n4,1,2\n',
	'/ws/bad.json': '{"a": 1}',
	'/ws/notes.txt': 'a,b\n',
};

const FILE_OPTIONS: SpecLoadOptions = {
	baseDirectory: '/ws',
	workspaceRoot: '/ws',
	readFile: (path) => {
		if (!(path in FILES)) {
			throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
		}
		return FILES[path];
	},
};

function fileSpec(data: Record<string, unknown>): Record<string, any> {
	return edit((spec) => {
		spec.data = data;
	});
}

interface Row {
	readonly name: string;
	readonly input: unknown;
	readonly path: string;
	readonly code: string;
	readonly includes: readonly string[];
	readonly severity?: 'error' | 'warning';
	readonly options?: SpecLoadOptions;
}

const deepText = '{"model": '.repeat(40) + '1' + '}'.repeat(40);
let deepObject: unknown = 1;
for (let i = 0; i < 5000; i++) {
	deepObject = { model: deepObject };
}

const ROWS: readonly Row[] = [
	{ name: 'empty text', input: '', path: '$', code: 'parse', includes: ['empty'] },
	{ name: 'whitespace text', input: ' \n\t', path: '$', code: 'parse', includes: ['empty'] },
	{ name: 'truncated JSON', input: '{"model": {"type": "mlp"', path: '$', code: 'parse', includes: ['ends early', 'line 1'] },
	{ name: 'top-level array', input: '[1, 2]', path: '$', code: 'type', includes: ['must be an object', '[1,2]'] },
	{ name: 'top-level string', input: '"spec"', path: '$', code: 'type', includes: ['must be an object', '"spec"'] },
	{ name: 'top-level null text', input: 'null', path: '$', code: 'type', includes: ['must be an object', 'null'] },
	{ name: 'null object', input: null, path: '$', code: 'type', includes: ['must be an object'] },
	{ name: 'undefined input', input: undefined, path: '$', code: 'type', includes: ['must be an object', 'nothing'] },
	{ name: 'number input', input: 42, path: '$', code: 'type', includes: ['must be an object', '42'] },
	{
		name: 'unknown top-level key',
		input: edit((s) => { s.trainng = {}; }),
		path: '$.trainng', code: 'unknownKey', severity: 'warning', includes: ['"trainng"', 'Did you mean "training"?'],
	},
	{
		name: 'unknown model key',
		input: edit((s) => { s.model.activaton = 'tanh'; }),
		path: '$.model.activaton', code: 'unknownKey', severity: 'warning', includes: ['Did you mean "activation"?'],
	},
	{
		name: 'missing training',
		input: edit((s) => { delete s.training; }),
		path: '$.training', code: 'required', includes: ['training is missing from the spec.', '{"alpha": 100, "T": 1000}'],
	},
	{
		name: 'missing alpha',
		input: edit((s) => { delete s.training.alpha; }),
		path: '$.training.alpha', code: 'required', includes: ['alpha is missing from training.', 'Set a positive output scale'],
	},
	{
		name: 'alpha as string',
		input: edit((s) => { s.training.alpha = '100'; }),
		path: '$.training.alpha', code: 'type', includes: ['must be a finite number', 'got "100"'],
	},
	{
		name: 'alpha null',
		input: edit((s) => { s.training.alpha = null; }),
		path: '$.training.alpha', code: 'type', includes: ['got null'],
	},
	{
		name: 'alpha negative',
		input: edit((s) => { s.training.alpha = -1; }),
		path: '$.training.alpha', code: 'range',
		includes: ['alpha must be a number > 0, got -1.', 'Set a positive output scale such as 100.'],
	},
	{
		name: 'alpha zero',
		input: edit((s) => { s.training.alpha = 0; }),
		path: '$.training.alpha', code: 'range', includes: ['> 0, got 0'],
	},
	{
		name: 'alpha NaN object',
		input: edit((s) => { s.training.alpha = NaN; }),
		path: '$.training.alpha', code: 'type', includes: ['finite number', 'got NaN'],
	},
	{
		name: 'alpha Infinity object',
		input: edit((s) => { s.training.alpha = Infinity; }),
		path: '$.training.alpha', code: 'type', includes: ['got Infinity'],
	},
	{
		name: 'alpha 1e400 literal',
		input: JSON.stringify(baseSpec()).replace('"alpha":100', '"alpha":1e400'),
		path: '$.training.alpha', code: 'numberRange', includes: ['1e400', 'Infinity'],
	},
	{
		name: 'epsilon 1e-400 literal',
		input: JSON.stringify(edit((s) => { s.analysis = { epsilon: 0.07 }; })).replace('0.07', '1e-400'),
		path: '$.analysis.epsilon', code: 'numberRange', includes: ['1e-400', 'become 0'],
	},
	{
		name: 'NaN literal',
		input: JSON.stringify(baseSpec()).replace('"alpha":100', '"alpha":NaN'),
		path: '$', code: 'parse', includes: ['NaN', 'not valid JSON'],
	},
	{
		name: 'Infinity literal',
		input: JSON.stringify(baseSpec()).replace('"T":50', '"T":-Infinity'),
		path: '$', code: 'parse', includes: ['-Infinity', 'not valid JSON'],
	},
	{
		name: 'T negative',
		input: edit((s) => { s.training.T = -5; }),
		path: '$.training.T', code: 'range', includes: ['T must be a number >= 0, got -5'],
	},
	{
		name: 'epsilon zero',
		input: edit((s) => { s.analysis = { epsilon: 0 }; }),
		path: '$.analysis.epsilon', code: 'range', includes: ['epsilon must be a number > 0, got 0'],
	},
	{
		name: 'epsilon negative',
		input: edit((s) => { s.analysis = { epsilon: -0.1 }; }),
		path: '$.analysis.epsilon', code: 'range', includes: ['got -0.1'],
	},
	{
		name: 'fractional width',
		input: edit((s) => { s.model.widths = [2, 4.5, 1]; }),
		path: '$.model.widths[1]', code: 'type', includes: ['must be an integer', 'got 4.5'],
	},
	{
		name: 'zero width',
		input: edit((s) => { s.model.widths = [2, 0, 1]; }),
		path: '$.model.widths[1]', code: 'range', includes: ['integer >= 1, got 0'],
	},
	{
		name: 'too few widths',
		input: edit((s) => { s.model.widths = [2, 1]; }),
		path: '$.model.widths', code: 'shape', includes: ['at least 3 entries'],
	},
	{
		name: 'huge widths',
		input: edit((s) => { s.model.widths = [2, 100000, 100000, 1]; }),
		path: '$.model.widths', code: 'tooLarge', includes: ['Jacobian', 'GiB', '512 MiB', 'maxJacobianBytes'],
	},
	{
		name: 'huge teacher',
		input: edit((s) => { s.data = { teacher: { inputs: 1e9 } }; }),
		path: '$.data.teacher.inputs', code: 'tooLarge', includes: ['The inputs need about', '1000000000 x 2', '512 MiB'],
	},
	{
		name: 'huge teacher width',
		input: edit((s) => { s.data = { teacher: { inputs: 4, function: 'mlp', width: 1e9 } }; }),
		path: '$.data.teacher.width', code: 'tooLarge', includes: ['The teacher weights need about 22.4 GiB'],
	},
	{
		name: 'kernel too large',
		input: edit((s) => { s.data = { teacher: { inputs: 20000 } }; }),
		path: '$.model.widths', code: 'tooLarge', includes: ['kernel', '2.98 GiB'],
	},
	{
		name: 'ragged x',
		input: edit((s) => { s.data.x[2] = [1]; }),
		path: '$.data.x[2]', code: 'shape', includes: ['x[2] has 1 numbers but x[0] has 2'],
	},
	{
		name: 'x width differs from widths[0]',
		input: edit((s) => { s.model.widths = [3, 4, 1]; }),
		path: '$.data.x', code: 'shape', includes: ['2 numbers', 'model.widths[0] is 3'],
	},
	{
		name: 'x and y lengths differ',
		input: edit((s) => { s.data.y = [1, 2]; }),
		path: '$.data.y', code: 'shape', includes: ['3 x 1 = 3 numbers', 'got 2'],
	},
	{
		name: 'y row too short',
		input: edit((s) => { s.model.widths = [2, 4, 2]; s.data.y = [[1, 2], [3, 4], [5]]; }),
		path: '$.data.y[2]', code: 'shape', includes: ['one number per output (2), got 1'],
	},
	{
		name: 'y mixes numbers and rows',
		input: edit((s) => { s.data.y = [1, [2], 3]; }),
		path: '$.data.y[1]', code: 'shape', includes: ['mixes numbers and rows'],
	},
	{
		name: 'n = 0',
		input: edit((s) => { s.data = { x: [], y: [] }; }),
		path: '$.data.y', code: 'shape', includes: ['at least one target'],
	},
	{
		name: 'x empty with targets',
		input: edit((s) => { s.data = { x: [], y: [1] }; }),
		path: '$.data.x', code: 'shape', includes: ['at least one input row'],
	},
	{
		name: 'teacher with zero inputs',
		input: edit((s) => { s.data = { teacher: { inputs: 0 } }; }),
		path: '$.data.teacher.inputs', code: 'range', includes: ['integer >= 1, got 0'],
	},
	{
		name: 'unknown activation',
		input: edit((s) => { s.model.activation = 'tahn'; }),
		path: '$.model.activation', code: 'enum', includes: ['one of tanh', 'got "tahn"', 'Did you mean "tanh"?'],
	},
	{
		name: 'relu warning',
		input: edit((s) => { s.model.activation = 'relu'; }),
		path: '$.model.activation', code: 'nonSmooth', severity: 'warning', includes: ['not Lipschitz'],
	},
	{
		name: 'unknown model type',
		input: edit((s) => { s.model = { type: 'cnn' }; }),
		path: '$.model.type', code: 'enum', includes: ['quadratic, linear, mlp', 'got "cnn"'],
	},
	{
		name: 'model type missing',
		input: edit((s) => { s.model = { widths: [2, 4, 1] }; }),
		path: '$.model.type', code: 'required', includes: ['type is missing'],
	},
	{
		name: 'init seed and weights',
		input: edit((s) => { s.model.init = { seed: 1, weights: { W: [[1]] } }; }),
		path: '$.model.init', code: 'conflict', includes: ['either seed or weights'],
	},
	{
		name: 'weight not a number',
		input: edit((s) => { s.model.init = { weights: { W: [[1, 'x']], a: [1] } }; }),
		path: '$.model.init.weights.W[0][1]', code: 'type', includes: ['finite numbers', 'got "x"'],
	},
	{ name: 'deep nesting text', input: deepText, path: '$', code: 'depth', includes: ['40 levels', 'maximum of 32'] },
	{ name: 'deep nesting object', input: deepObject, path: '$', code: 'depth', includes: ['more than 32 levels'] },
	{
		name: 'duplicate key',
		input: JSON.stringify(baseSpec()).replace('"alpha":100', '"alpha":100,"alpha":50'),
		path: '$.training.alpha', code: 'duplicateKey', severity: 'warning', includes: ['more than once', 'last value'],
	},
	{
		name: 'times past T',
		input: edit((s) => { s.analysis = { times: [1, 60] }; }),
		path: '$.analysis.times[1]', code: 'range', includes: ['(0, T] with T = 50, got 60'],
	},
	{
		name: 'times not increasing',
		input: edit((s) => { s.analysis = { times: [1, 5, 5] }; }),
		path: '$.analysis.times[2]', code: 'order', includes: ['greater than times[1] = 5'],
	},
	{
		name: 'times zero',
		input: edit((s) => { s.analysis = { times: [0, 5] }; }),
		path: '$.analysis.times[0]', code: 'range', includes: ['> 0, got 0'],
	},
	{
		name: 'sweep reversed',
		input: edit((s) => { s.sweep = { alpha: { from: 100, to: 1, count: 5 } }; }),
		path: '$.sweep.alpha.to', code: 'range', includes: ['>= from = 100, got 1'],
	},
	{
		name: 'solver method unknown',
		input: edit((s) => { s.solver = { method: 'rk4' }; }),
		path: '$.solver.method', code: 'enum', includes: ['exponential, dopri5', 'got "rk4"'],
	},
	{
		name: 'two data sources',
		input: edit((s) => { s.data.teacher = { inputs: 3 }; }),
		path: '$.data', code: 'dataSource', includes: ['exactly one source', 'x/y and teacher'],
	},
	{
		name: 'no data source',
		input: edit((s) => { s.data = {}; }),
		path: '$.data', code: 'dataSource', includes: ['none of them'],
	},
	{
		name: 'quadratic with two targets',
		input: { model: { type: 'quadratic', a: 1, b: 1, w0: 0 }, data: { y: [1, 2] }, training: { alpha: 1, T: 1 } },
		path: '$.data.y', code: 'shape', includes: ['one target y*', 'got 2'],
	},
	{
		name: 'linear w0 wrong length',
		input: edit((s) => { s.model = { type: 'linear', w0: [0, 0, 0] }; }),
		path: '$.data.x', code: 'shape', includes: ['length of model.w0 is 3'],
	},
	{
		name: 'data file missing',
		input: fileSpec({ file: 'nope.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFileRead', includes: ['"nope.csv"', 'file not found'],
	},
	{
		name: 'data file empty',
		input: fileSpec({ file: 'empty.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFileEmpty', includes: ['is empty'],
	},
	{
		name: 'data file header only',
		input: fileSpec({ file: 'headerOnly.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFileEmpty', includes: ['no data rows'],
	},
	{
		name: 'data file non-numeric',
		input: fileSpec({ file: 'text.csv', target: 'y', features: ['a', 'b'] }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataCell', includes: ['line 3, column "b"', 'the text "abc"'],
	},
	{
		name: 'data file missing value',
		input: fileSpec({ file: 'missing.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataCell', includes: ['line 3, column "b" is missing a value', '"drop"'],
	},
	{
		name: 'data file decimal comma',
		input: fileSpec({ file: 'comma.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataCell', includes: ['"2,5", a decimal comma'],
	},
	{
		name: 'data file non-finite',
		input: fileSpec({ file: 'inf.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataCell', includes: ['line 2, column "b"', 'Infinity', 'not a finite number'],
	},
	{
		name: 'data file ragged row',
		input: fileSpec({ file: 'ragged.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFileFormat', includes: ['line 2 has 2 cells but the header has 3'],
	},
	{
		name: 'data file missing target column',
		input: fileSpec({ file: 'good.csv', target: 'Y' }), options: FILE_OPTIONS,
		path: '$.data.target', code: 'missingColumn', includes: ['"Y" is not in the data file', 'Did you mean "y"?'],
	},
	{
		name: 'data file target absent',
		input: fileSpec({ file: 'good.csv' }), options: FILE_OPTIONS,
		path: '$.data.target', code: 'required', includes: ['target is missing', 'Columns: a, b, y'],
	},
	{
		name: 'data file unknown feature',
		input: fileSpec({ file: 'good.csv', target: 'y', features: ['a', 'c'] }), options: FILE_OPTIONS,
		path: '$.data.features[1]', code: 'missingColumn', includes: ['"c" is not in the data file'],
	},
	{
		name: 'data file JSON not array',
		input: fileSpec({ file: 'bad.json', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFileFormat', includes: ['array of row objects'],
	},
	{
		name: 'data file wrong extension',
		input: fileSpec({ file: 'notes.txt', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFile', includes: ['.csv or .json', '".txt"'],
	},
	{
		name: 'data file outside workspace',
		input: fileSpec({ file: '../etc/data.csv', target: 'y' }), options: FILE_OPTIONS,
		path: '$.data.file', code: 'dataFileOutside', includes: ['/etc/data.csv', 'outside the workspace'],
	},
	{
		name: 'data files disabled',
		input: fileSpec({ file: 'good.csv', target: 'y' }), options: { ...FILE_OPTIONS, allowDataFiles: false },
		path: '$.data.file', code: 'dataFilesDisabled', includes: ['disabled', 'untrusted'],
	},
	{
		name: 'data file constant column',
		input: fileSpec({ file: 'good.csv', target: 'y', limit: 1 }), options: FILE_OPTIONS,
		path: '$.data.standardize', code: 'dataFile', includes: ['same value in every used row'],
	},
];

function describe(issues: readonly SpecIssue[]): string {
	return issues.map((issue) => `${issue.severity} ${issue.code} ${formatIssue(issue)}`).join('\n') || '(no issues)';
}

for (const row of ROWS) {
	test(`validateSpec: ${row.name}`, () => {
		const issues = validateSpec(row.input, row.options ?? {});
		const found = issues.find((issue) => formatJsonPath(issue.path) === row.path && issue.code === row.code);
		assert.ok(found, `input: ${row.name}\nexpected: ${row.code} at ${row.path}\ngot:\n${describe(issues)}`);
		assert.equal(found.severity, row.severity ?? 'error', `severity of ${row.name}: ${describe([found])}`);
		for (const text of row.includes) {
			assert.ok(found.message.includes(text), `message of ${row.name} should contain ${JSON.stringify(text)}\ngot: ${found.message}`);
		}
		assert.ok(/[.?]$/.test(found.message), `message of ${row.name} should end a sentence: ${found.message}`);
	});
}

test('loadSpec throws SpecError on errors', () => {
	for (const row of ROWS.filter((r) => (r.severity ?? 'error') === 'error')) {
		assert.throws(
			() => loadSpec(row.input, row.options ?? {}),
			(error: unknown) => error instanceof SpecError && error.issues.some((issue) => issue.code === row.code),
			`loadSpec should throw SpecError with ${row.code} for ${row.name}`,
		);
	}
});

test('loadSpec returns warnings only specs', () => {
	for (const row of ROWS.filter((r) => r.severity === 'warning')) {
		const { warnings } = loadSpec(row.input, row.options ?? {});
		assert.ok(warnings.some((issue) => issue.code === row.code), `${row.name}: expected warning ${row.code}, got\n${describe(warnings)}`);
	}
});
