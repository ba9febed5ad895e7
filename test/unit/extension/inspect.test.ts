import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { inspectDocument } from '../../../extension/inspect';
import { nearestLocation } from '../../../extension/specLocations';
import { isSpecText, specDocumentKind } from '../../../extension/specFiles';
import { inspectJson, inspectTs, quadraticText, readCaseText, REPO_ROOT } from './helpers';

test('case file inspects without issues', () => {
	for (const name of ['quad_generic', 'quad_converse_alpha100', 'mlp_tanh_small_alpha10']) {
		const [spec] = inspectJson(readCaseText(name));
		assert.deepEqual(spec.issues, [], `${name}: issues ${JSON.stringify(spec.issues)}`);
		assert.ok(spec.spec, `${name}: no resolved spec`);
		assert.match(spec.hash ?? '', /^[0-9a-f]{32}$/, `${name}: hash ${spec.hash}`);
		for (const key of ['alpha', 'T', 'epsilon'] as const) {
			assert.ok(
				spec.keys[key],
				`${name}: ${key} not located among ${JSON.stringify(spec.keys)}`,
			);
		}
	}
});

test('key locations point at alpha text', () => {
	const text = quadraticText(3, 50);
	const [spec] = inspectJson(text);
	const alpha = spec.keys.alpha;
	assert.ok(alpha, 'alpha located');
	assert.equal(text.slice(alpha.keyStart, alpha.keyEnd), '"alpha"');
	assert.equal(text.slice(alpha.valueStart, alpha.valueEnd), '3');
	const T = spec.keys.T;
	assert.ok(T, 'T located');
	assert.equal(text.slice(T.valueStart, T.valueEnd), '50');
	assert.equal(
		spec.keys.epsilon && text.slice(spec.keys.epsilon.valueStart, spec.keys.epsilon.valueEnd),
		'0.05',
	);
});

test('invalid value issue on its range', () => {
	const text = quadraticText(-1, 50);
	const [spec] = inspectJson(text);
	assert.equal(spec.spec, undefined, 'an invalid spec has no resolved spec');
	const issue = spec.issues.find((candidate) => candidate.code === 'range');
	assert.ok(issue, `range issue among ${JSON.stringify(spec.issues)}`);
	assert.deepEqual(issue.path, ['training', 'alpha']);
	assert.equal(text.slice(issue.start, issue.end), '-1', `range [${issue.start}, ${issue.end})`);
});

test('unknown key issue on the key', () => {
	const text = quadraticText(3, 50).replace('"name"', '"nmae"');
	const [spec] = inspectJson(text);
	const issue = spec.issues.find((candidate) => candidate.code === 'unknownKey');
	assert.ok(issue, `unknownKey issue among ${JSON.stringify(spec.issues)}`);
	assert.equal(text.slice(issue.start, issue.end), '"nmae"');
	assert.equal(issue.severity, 'warning');
});

test('truncated JSON gives a parse issue', () => {
	const [spec] = inspectJson('{ "model": ');
	assert.equal(spec.spec, undefined);
	assert.ok(spec.issues.length > 0, 'at least one issue');
	assert.equal(spec.issues[0].severity, 'error');
	assert.ok(spec.issues[0].start >= 0, `start ${spec.issues[0].start}`);
	assert.ok(spec.issues[0].start <= 11, `start ${spec.issues[0].start}`);
});

test('too large spec rejected with the setting', () => {
	const text = `{
	"model": { "type": "mlp", "widths": [64, 100000, 1], "activation": "tanh" },
	"data": { "teacher": { "inputs": 4096 } },
	"training": { "alpha": 100, "T": 10 }
}`;
	const [spec] = inspectJson(text);
	const issue = spec.issues.find((candidate) => candidate.code === 'tooLarge');
	assert.ok(issue, `tooLarge issue among ${JSON.stringify(spec.issues)}`);
	assert.match(issue.message, /ntkHorizon\.budget\.memoryMB/);
});

const TS_SPECS = `const ALPHA = 1e4;
/** @ntk */
export const good = {
	model: { type: 'quadratic', a: 0.7, b: 2.5, w0: 0 },
	data: { y: [-1.3] },
	training: { alpha: ALPHA, T: 2 ** 6 },
};
/** @ntk */
export const broken = {
	model: { type: 'quadratic', a: compute(), b: 2.5, w0: 0 },
	data: { y: [-1.3] },
	training: { alpha: 3, T: 50 },
};
/** @ntk */
export const third = {
	model: { type: 'quadratic', a: 0.7, b: 2.5, w0: 0 },
	data: { y: [-1.3] },
	training: { alpha: 3, T: 50 },
	analysis: { epsilon: 0.1 },
};
`;

test('malformed TS spec leaves the others', () => {
	const specs = inspectTs(TS_SPECS);
	assert.deepEqual(
		specs.map((spec) => spec.name),
		['good', 'broken', 'third'],
	);
	assert.ok(specs[0].spec, `good: ${JSON.stringify(specs[0].issues)}`);
	assert.equal(specs[0].spec?.training.alpha, 1e4);
	assert.equal(specs[0].spec?.training.T, 64);
	assert.equal(specs[1].spec, undefined, 'broken has no resolved spec');
	const issue = specs[1].issues.find((candidate) => candidate.severity === 'error');
	assert.ok(issue, 'broken has an error');
	assert.equal(
		TS_SPECS.slice(issue.start, issue.end),
		'compute()',
		`issue range text: ${TS_SPECS.slice(issue.start, issue.end)}`,
	);
	assert.ok(specs[2].spec, `third: ${JSON.stringify(specs[2].issues)}`);
	assert.equal(specs[2].index, 2);
});

test('TS key locations cover the expression', () => {
	const [good] = inspectTs(TS_SPECS);
	const T = good.keys.T;
	assert.ok(T, 'T located');
	assert.equal(TS_SPECS.slice(T.valueStart, T.valueEnd), '2 ** 6');
	assert.equal(TS_SPECS.slice(T.keyStart, T.keyEnd), 'T');
});

test('nearestLocation falls back to ancestors', () => {
	const [spec] = inspectJson(quadraticText(3, 50));
	const fallback = { valueStart: 0, valueEnd: 1 };
	const model = nearestLocation(spec.locations, ['model', 'weights', 'W', 3], fallback);
	const exact = spec.locations.find((entry) => entry.path.join('.') === 'model');
	assert.deepEqual(model, exact);
	assert.deepEqual(nearestLocation(spec.locations, ['nothing'], fallback), fallback);
});

test('spec documents recognised by name and text', () => {
	assert.equal(specDocumentKind('/a/b/run.ntk.json', 'json'), 'json');
	assert.equal(specDocumentKind('/a/b/run.NTK.JSON', 'plaintext'), 'json');
	assert.equal(specDocumentKind('/a/b/package.json', 'json'), undefined);
	assert.equal(specDocumentKind('/a/b/specs.ts', 'typescript'), 'typescript');
	assert.equal(isSpecText('/** @ntk */ const a = {}'), true);
	assert.equal(isSpecText('const a = {} satisfies NtkSpec'), true);
	assert.equal(isSpecText('export const x = 1;'), false);
});

test('data files follow trust and root', () => {
	const file = join(REPO_ROOT, 'examples', 'cars-mpg.ntk.json');
	const text = readFileSync(file, 'utf8');
	const base = {
		kind: 'inspect',
		text,
		fileName: file,
		documentKind: 'json',
		maxJacobianBytes: 1 << 29,
	} as const;

	const [trusted] = inspectDocument({ ...base, allowDataFiles: true, workspaceRoot: REPO_ROOT });
	assert.deepEqual(
		trusted.issues.filter((issue) => issue.severity === 'error'),
		[],
		'trusted workspace reads the file',
	);
	assert.equal(trusted.spec?.data.y.length, 96);

	const [untrusted] = inspectDocument({
		...base,
		allowDataFiles: false,
		workspaceRoot: REPO_ROOT,
	});
	assert.equal(untrusted.spec, undefined, 'untrusted workspace rejects the data file');
	const disabled = untrusted.issues.find((issue) => issue.severity === 'error');
	assert.ok(disabled, 'an error issue');
	assert.deepEqual(
		disabled.path.slice(0, 2),
		['data', 'file'],
		`issue path ${JSON.stringify(disabled.path)}`,
	);
	assert.equal(text.slice(disabled.start, disabled.end), '"data/cars.json"');

	const [outside] = inspectDocument({
		...base,
		allowDataFiles: true,
		workspaceRoot: join(REPO_ROOT, 'test'),
	});
	assert.equal(outside.spec, undefined, 'a data file outside the workspace root is rejected');
});

test('symbolic link out of the workspace rejected', () => {
	const outside = mkdtempSync(join(tmpdir(), 'ntk-outside-'));
	writeFileSync(join(outside, 'secret.csv'), 'x1,y\n1,2\n3,4\n5,6\n');
	const workspace = mkdtempSync(join(tmpdir(), 'ntk-workspace-'));
	mkdirSync(join(workspace, 'data'));
	symlinkSync(join(outside, 'secret.csv'), join(workspace, 'data', 'link.csv'));
	const file = join(workspace, 'linked.ntk.json');
	const text = JSON.stringify({
		model: { type: 'mlp', widths: [1, 8, 1], activation: 'tanh' },
		data: { file: 'data/link.csv', target: 'y', features: ['x1'] },
		training: { alpha: 10, T: 10 },
	});
	writeFileSync(file, text);
	const [linked] = inspectDocument({
		kind: 'inspect',
		text,
		fileName: file,
		documentKind: 'json',
		maxJacobianBytes: 1 << 29,
		allowDataFiles: true,
		workspaceRoot: workspace,
	});
	assert.equal(linked.spec, undefined, 'the linked file outside the workspace was read');
	const issue = linked.issues.find((candidate) => candidate.severity === 'error');
	assert.ok(issue, 'an error issue');
	assert.match(issue.message, /outside the workspace/);
});

test('imported alpha reported once, missing T kept', () => {
	const prefix = "import { ALPHA } from './consts';\n/** @ntk */\nconst s = { model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 }, data: { y: [1] }, ";
	const [withT] = inspectTs(`${prefix}training: { alpha: ALPHA, T: 100 } };\n`);
	assert.deepEqual(
		withT.issues.map((issue) => issue.code),
		['notStatic'],
		`issues: ${JSON.stringify(withT.issues)}`,
	);
	const [withoutT] = inspectTs(`${prefix}training: { alpha: ALPHA } };\n`);
	const codes = withoutT.issues.map((issue) => issue.code);
	assert.ok(codes.includes('notStatic'), `issues: ${JSON.stringify(withoutT.issues)}`);
	assert.ok(
		withoutT.issues.some((issue) => issue.code === 'required' && /T is missing/.test(issue.message)),
		`the missing T was dropped: ${JSON.stringify(withoutT.issues)}`,
	);
	assert.ok(
		!withoutT.issues.some((issue) => /alpha is missing/.test(issue.message)),
		`the echo of the imported alpha stayed: ${JSON.stringify(withoutT.issues)}`,
	);
});
