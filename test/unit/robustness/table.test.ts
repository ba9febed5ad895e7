/**
 * End-to-end table of bad inputs through the command line. Each row writes spec and data files to
 * a temporary folder and runs `runCli`. It checks the exit status and that standard error is one
 * line naming the JSON path and the expected text, without a stack trace. The
 * validator's own messages are covered row by row in test/unit/spec/badInputs.test.ts; this
 * table checks what reaches the user of the command line. Two rows also start a real process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';

import { formatJsonPath, validateSpec } from '../../../src/api';
import { runCli } from '../../../src/cli';
import { createNodeFileReader, loadSpecFile } from '../../../src/spec/nodeFiles';
import { REPO_ROOT } from './harness';

const FOLDER = mkdtempSync(join(tmpdir(), 'ntk-robust-'));
after(() => rmSync(FOLDER, { recursive: true, force: true }));

/** A stack frame as Node prints it: `    at name (file:line:column)`. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** Time allowed for rejecting a spec whose Jacobian exceeds the size limit, before allocation. */
const SIZE_REJECTION_LIMIT_MS = 1000;

const QUADRATIC = {
	model: { type: 'quadratic', a: 1, b: 1, w0: 0 },
	data: { y: [1] },
	training: { alpha: 10, T: 1 },
};

const MLP = {
	model: { type: 'mlp', widths: [2, 3, 1], activation: 'tanh' },
	data: { x: [[0, 1], [1, 0], [1, 1]], y: [0.5, -0.5, 1] },
	training: { alpha: 10, T: 1 },
};

const CSV_SPEC = {
	model: { type: 'mlp', widths: [2, 3, 1], activation: 'tanh' },
	data: { file: 'data.csv', target: 'y' },
	training: { alpha: 10, T: 1 },
};

/** Returns a deep copy of `base` with `change` applied. */
function edit<T>(base: T, change: (spec: any) => void): T {
	const copy = structuredClone(base);
	change(copy);
	return copy;
}

interface Row {
	readonly name: string;
	/** Spec file content: text or bytes as written, or a value written as JSON. */
	readonly spec: string | Uint8Array | object;
	/** Other files next to the spec, by name. */
	readonly files?: Readonly<Record<string, string | Uint8Array>>;
	/** Arguments after `simulate SPEC`; `command` replaces the whole argument list. */
	readonly extraArgs?: readonly string[];
	readonly command?: (specPath: string) => string[];
	readonly exit: number;
	/** JSON path the message must name, formatted as in the output, for example `$.training.T`. */
	readonly path?: string;
	readonly includes: readonly string[];
	/** Marks a row that exposes a known bug, with the reason. */
	readonly todo?: string;
}

const bytes = (...parts: (string | number[])[]) =>
	Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

const ROWS: readonly Row[] = [
	{ name: 'empty file', spec: '', exit: 2, path: '$', includes: ['The spec is empty'] },
	{ name: 'whitespace only', spec: ' \n\t\n', exit: 2, path: '$', includes: ['The spec is empty'] },
	{
		name: 'truncated JSON',
		spec: JSON.stringify(QUADRATIC).slice(0, 40),
		exit: 2,
		path: '$',
		includes: ['ends early', 'line 1'],
	},
	{ name: 'top-level array', spec: '[1, 2, 3]', exit: 2, path: '$', includes: ['must be an object'] },
	{ name: 'top-level number', spec: '42', exit: 2, path: '$', includes: ['must be an object', '42'] },
	{ name: 'top-level null', spec: 'null', exit: 2, path: '$', includes: ['must be an object'] },
	{
		name: 'alpha as string',
		spec: edit(QUADRATIC, (s) => { s.training.alpha = '10'; }),
		exit: 2,
		path: '$.training.alpha',
		includes: ['finite number', '"10"'],
	},
	{
		name: 'alpha null',
		spec: edit(QUADRATIC, (s) => { s.training.alpha = null; }),
		exit: 2,
		path: '$.training.alpha',
		includes: ['got null'],
	},
	{
		name: 'alpha 1e400',
		spec: JSON.stringify(QUADRATIC).replace('"alpha":10', '"alpha":1e400'),
		exit: 2,
		path: '$.training.alpha',
		includes: ['1e400', 'too large'],
	},
	{
		name: 'T as NaN literal',
		spec: JSON.stringify(QUADRATIC).replace('"T":1', '"T":NaN'),
		exit: 2,
		path: '$',
		includes: ['NaN', 'not valid JSON'],
	},
	{
		name: 'alpha zero',
		spec: edit(QUADRATIC, (s) => { s.training.alpha = 0; }),
		exit: 2,
		path: '$.training.alpha',
		includes: ['> 0, got 0'],
	},
	{
		name: 'alpha negative',
		spec: edit(QUADRATIC, (s) => { s.training.alpha = -3; }),
		exit: 2,
		path: '$.training.alpha',
		includes: ['got -3'],
	},
	{
		name: 'T negative',
		spec: edit(QUADRATIC, (s) => { s.training.T = -1; }),
		exit: 2,
		path: '$.training.T',
		includes: ['>= 0, got -1'],
	},
	{
		name: 'epsilon zero',
		spec: edit(QUADRATIC, (s) => { s.analysis = { epsilon: 0 }; }),
		exit: 2,
		path: '$.analysis.epsilon',
		includes: ['> 0, got 0'],
	},
	{
		name: 'fractional width',
		spec: edit(MLP, (s) => { s.model.widths = [2, 2.5, 1]; }),
		exit: 2,
		path: '$.model.widths[1]',
		includes: ['integer', '2.5'],
	},
	{
		name: 'zero width',
		spec: edit(MLP, (s) => { s.model.widths = [2, 0, 1]; }),
		exit: 2,
		path: '$.model.widths[1]',
		includes: ['got 0'],
	},
	{
		name: 'too large widths',
		spec: edit(MLP, (s) => { s.model.widths = [2, 100000, 100000, 1]; }),
		exit: 2,
		path: '$.model.widths',
		includes: ['too large', 'Jacobian', 'GiB', '512 MiB'],
	},
	{
		name: 'ragged x',
		spec: edit(MLP, (s) => { s.data.x[1] = [1]; }),
		exit: 2,
		path: '$.data.x[1]',
		includes: ['1 numbers', '2'],
	},
	{
		name: 'x and y lengths differ',
		spec: edit(MLP, (s) => { s.data.y = [1]; }),
		exit: 2,
		path: '$.data.y',
		includes: ['got 1'],
	},
	{
		name: 'n = 0',
		spec: edit(MLP, (s) => { s.data = { x: [], y: [] }; }),
		exit: 2,
		path: '$.data.y',
		includes: ['at least one'],
	},
	{
		name: 'targets whose squares overflow',
		spec: edit(QUADRATIC, (s) => { s.data.y = [1e155]; }),
		exit: 2,
		path: '$.data.y',
		includes: ['too large', '1.00e+155', 'Rescale'],
	},
	{
		name: 'tiny alpha with T = 0',
		spec: edit(QUADRATIC, (s) => { s.training = { alpha: 5e-324, T: 0 }; }),
		exit: 0,
		includes: [],
	},
	{
		name: 'weights of the wrong shape',
		spec: edit(MLP, (s) => { s.model.init = { weights: { W: [[1, 2, 3]], a: [1, 2, 3] } }; }),
		exit: 2,
		path: '$.model.init.weights.W',
		includes: ['3 x 2', 'length 1'],
	},
	{
		name: 'unknown activation',
		spec: edit(MLP, (s) => { s.model.activation = 'tahn'; }),
		exit: 2,
		path: '$.model.activation',
		includes: ['"tahn"', 'Did you mean "tanh"?'],
	},
	{
		name: 'deep nesting',
		spec: JSON.stringify({ ...QUADRATIC, name: 1 }).replace('"name":1', `"name":${'['.repeat(200)}${']'.repeat(200)}`),
		exit: 2,
		path: '$',
		includes: ['levels'],
	},
	{ name: 'byte-order mark', spec: bytes([0xef, 0xbb, 0xbf], JSON.stringify(QUADRATIC)), exit: 0, includes: [] },
	{ name: 'UTF-8 accents and emoji', spec: { ...QUADRATIC, name: 'café ∂ 😀' }, exit: 0, includes: [] },
	{
		name: 'UTF-8 sequence cut at the end',
		spec: bytes(JSON.stringify(QUADRATIC), [0xe2, 0x88]),
		exit: 2,
		path: '$',
		includes: ['not valid UTF-8', 'byte offset 96', '0xE2'],
	},
	{
		name: 'Latin-1 byte in the spec',
		spec: bytes('{"name": "caf', [0xe9], '", ', JSON.stringify(QUADRATIC).slice(1)),
		exit: 2,
		path: '$',
		includes: ['not valid UTF-8', 'line 1', 'byte offset 13', '0xE9', 'Save the file with UTF-8'],
	},
	{
		name: 'UTF-16 spec file',
		spec: Buffer.from('\ufeff' + JSON.stringify(QUADRATIC), 'utf16le'),
		exit: 2,
		path: '$',
		includes: ['not valid UTF-8', 'byte offset 0'],
	},
	{
		name: 'data file missing',
		spec: CSV_SPEC,
		exit: 2,
		path: '$.data.file',
		includes: ['"data.csv"', 'not found'],
	},
	{
		name: 'data file empty',
		spec: CSV_SPEC,
		files: { 'data.csv': '' },
		exit: 2,
		path: '$.data.file',
		includes: ['is empty'],
	},
	{
		name: 'data file non-numeric',
		spec: edit(CSV_SPEC, (s) => { s.data.features = ['a', 'b']; }),
		files: { 'data.csv': 'a,b,y\n1,2,3\n1,x,4\n2,2,2\n' },
		exit: 2,
		path: '$.data.file',
		includes: ['line 3', '"b"', '"x"'],
	},
	{
		name: 'data file missing value',
		spec: CSV_SPEC,
		files: { 'data.csv': 'a,b,y\n1,2,3\n1,,4\n2,2,2\n' },
		exit: 2,
		path: '$.data.file',
		includes: ['line 3', 'missing a value', '"drop"'],
	},
	{
		name: 'data file missing target column',
		spec: edit(CSV_SPEC, (s) => { s.data.target = 'Y'; }),
		files: { 'data.csv': 'a,b,y\n1,2,3\n1,3,4\n2,2,2\n' },
		exit: 2,
		path: '$.data.target',
		includes: ['"Y"', 'Did you mean "y"?'],
	},
	{
		name: 'data file not UTF-8',
		spec: CSV_SPEC,
		files: { 'data.csv': bytes('a,b,y\n1,2,3\n', [0xff], '1,3,4\n') },
		exit: 2,
		path: '$.data.file',
		includes: ['not valid UTF-8', 'line 3', '0xFF', 'Save it with UTF-8'],
	},
	{
		name: 'spec file not found',
		spec: '',
		command: (spec) => ['simulate', `${spec}.absent`],
		exit: 2,
		includes: ['Cannot read the spec file', 'Check the path'],
	},
	{
		name: 'spec path is a folder',
		spec: '',
		command: () => ['simulate', FOLDER],
		exit: 2,
		includes: ['Cannot read the spec file'],
	},
	{
		name: 'unknown command',
		spec: QUADRATIC,
		command: (spec) => ['simulat', spec],
		exit: 2,
		includes: ['unknown command', '"simulat"'],
	},
	{
		name: 'invalid rtol',
		spec: QUADRATIC,
		extraArgs: ['--rtol', 'abc'],
		exit: 2,
		includes: ['--rtol abc', 'between 0 and 1'],
	},
	{
		name: 'unknown method',
		spec: QUADRATIC,
		extraArgs: ['--method', 'rk4'],
		exit: 2,
		includes: ['--method rk4', 'exponential or dopri5'],
	},
	{ name: 'unknown option', spec: QUADRATIC, extraArgs: ['--fast'], exit: 2, includes: ['--fast'] },
	{ name: 'two spec files', spec: QUADRATIC, extraArgs: ['other.json'], exit: 2, includes: ['exactly one spec file'] },
	{
		name: 'sweep without alpha range',
		spec: QUADRATIC,
		command: (spec) => ['sweep', spec],
		exit: 2,
		includes: ['--alpha FROM:TO:COUNT', '"sweep" block'],
	},
	{
		name: 'sweep with a bad range',
		spec: QUADRATIC,
		command: (spec) => ['sweep', spec, '--alpha', '10:1:0'],
		exit: 2,
		includes: ['--alpha 10:1:0', 'COUNT an integer'],
	},
	{
		name: 'JSON output folder missing',
		spec: QUADRATIC,
		extraArgs: ['--json', '/nonexistent-folder/out.json'],
		exit: 2,
		includes: ['/nonexistent-folder/out.json', 'write', 'folder /nonexistent-folder does not exist'],
	},
	{
		name: 'rtol below rounding level',
		spec: QUADRATIC,
		extraArgs: ['--rtol', '1e-300'],
		exit: 2,
		includes: ['--rtol 1e-300', 'at least 1e-14'],
	},
	{
		name: 'infinite alpha range',
		spec: QUADRATIC,
		command: (spec) => ['sweep', spec, '--alpha', '1:1e400:2'],
		exit: 2,
		includes: ['--alpha 1:1e400:2', 'finite numbers > 0'],
	},
	{
		name: 'unknown key is reported',
		spec: edit(QUADRATIC, (s) => { s.analysys = { epsilon: 0.5 }; }),
		exit: 0,
		path: '$.analysys',
		includes: ['Warning: $.analysys: ', 'Unknown key "analysys"', 'Did you mean "analysis"?'],
	},
];

let rowNumber = 0;

/** Writes a row's files into a folder of its own and returns the spec path. */
function writeRow(row: Row): string {
	const folder = join(FOLDER, `row${rowNumber++}`);
	mkdirSync(folder);
	for (const [name, content] of Object.entries(row.files ?? {})) {
		writeFileSync(join(folder, name), content);
	}
	const specPath = join(folder, 'spec.ntk.json');
	const isRaw = typeof row.spec === 'string' || row.spec instanceof Uint8Array;
	writeFileSync(specPath, isRaw ? (row.spec as string | Uint8Array) : JSON.stringify(row.spec));
	return specPath;
}

interface CliRun {
	readonly status: number;
	readonly out: string;
	readonly err: string;
	readonly elapsedMs: number;
}

function runInProcess(args: readonly string[]): CliRun {
	let out = '';
	let err = '';
	const started = Date.now();
	const status = runCli(args, {
		out: (text) => { out += `${text}\n`; },
		err: (text) => { err += `${text}\n`; },
		errIsTerminal: false,
	});
	return { status, out, err, elapsedMs: Date.now() - started };
}

function argsOf(row: Row, specPath: string): string[] {
	return row.command ? row.command(specPath) : ['simulate', specPath, ...(row.extraArgs ?? [])];
}

function assertRun(row: Row, run: CliRun, args: readonly string[]): void {
	const context = `row "${row.name}", arguments ${JSON.stringify(args)}\nstdout: ${run.out.slice(0, 400)}\nstderr: ${run.err}`;
	assert.equal(run.status, row.exit, `exit status: ${context}`);
	assert.doesNotMatch(run.err, STACK_FRAME, `stack trace printed: ${context}`);
	if (row.path !== undefined) {
		assert.ok(run.err.includes(`${row.path}: `), `standard error should name ${row.path}: ${context}`);
	}
	for (const text of row.includes) {
		assert.ok(run.err.includes(text), `standard error should contain ${JSON.stringify(text)}: ${context}`);
	}
	if (row.exit === 2) {
		assert.equal(run.err.trim().split('\n').length, 1, `the message should be one paragraph on one line: ${context}`);
		assert.equal(run.out, '', `nothing should reach standard output: ${context}`);
	}
}

for (const row of ROWS) {
	test(`command line: ${row.name}`, row.todo ? { todo: row.todo } : {}, () => {
		const specPath = writeRow(row);
		const args = argsOf(row, specPath);
		assertRun(row, runInProcess(args), args);
	});
}

test('oversized spec rejected before allocation', () => {
	const row = ROWS.find((r) => r.name === 'too large widths') as Row;
	const specPath = writeRow(row);
	const run = runInProcess(['simulate', specPath]);
	assertRun(row, run, ['simulate', specPath]);
	console.log(`size rejection of widths [2, 100000, 100000, 1] took ${run.elapsedMs} ms`);
	assert.ok(run.elapsedMs < SIZE_REJECTION_LIMIT_MS, `rejection took ${run.elapsedMs} ms, limit ${SIZE_REJECTION_LIMIT_MS} ms`);
});

test('real process exits 2 without stack trace', () => {
	for (const name of ['alpha negative', 'Latin-1 byte in the spec']) {
		const row = ROWS.find((r) => r.name === name) as Row;
		const specPath = writeRow(row);
		const args = argsOf(row, specPath);
		const child = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], {
			cwd: REPO_ROOT,
			encoding: 'utf8',
			timeout: 60_000,
		});
		assertRun(row, { status: child.status ?? -1, out: child.stdout, err: child.stderr, elapsedMs: 0 }, args);
	}
});

test('standardizing values near 1e300', () => {
	const row: Row = {
		name: 'huge feature values',
		spec: CSV_SPEC,
		files: { 'data.csv': 'a,b,y\n1e300,2,3\n-1e300,3,5\n4,1,2\n' },
		exit: 0,
		includes: [],
	};
	const specPath = writeRow(row);
	const { spec } = loadSpecFile(specPath);
	const column = spec.data.x.map((x) => x[0]);
	// The column is 1e300 x (1, -1, ~0): mean ~0 and standard deviation sqrt(2/3) after scaling.
	const expected = [Math.sqrt(1.5), -Math.sqrt(1.5), 0];
	column.forEach((value, i) => {
		const tolerance = 1e-12 * Math.max(Math.abs(expected[i]), 1);
		assert.ok(Math.abs(value - expected[i]) <= tolerance, `x[${i}][0]: value ${value}, expected ${expected[i]}, tolerance ${tolerance}`);
	});
});

test('column with one text cell warns', () => {
	const row: Row = {
		name: 'one text cell',
		spec: CSV_SPEC,
		files: { 'data.csv': 'a,b,y\n1,2,3\n0x10,3,5\n4,1,2\n' },
		exit: 2,
		includes: [],
	};
	const specPath = writeRow(row);
	const issues = validateSpec(readFileSync(specPath, 'utf8'), {
		readFile: createNodeFileReader(),
		baseDirectory: dirname(specPath),
	});
	const warning = issues.find((issue) => issue.code === 'dataColumnSkipped');
	assert.ok(warning, `expected a dataColumnSkipped warning, got ${JSON.stringify(issues)}`);
	assert.equal(warning.severity, 'warning');
	assert.equal(formatJsonPath(warning.path), '$.data.file');
	assert.match(warning.message, /column "a" of "data\.csv" is not used as a feature because line 3 has the text "0x10"/);
	assert.ok(issues.some((issue) => issue.code === 'shape' && issue.severity === 'error'), JSON.stringify(issues));
});
