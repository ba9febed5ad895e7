/**
 * Property-based robustness tests: mutated reference specs (as values and as JSON text) and random
 * TypeScript spec files go through the parser, the validator and, when they load, a budgeted
 * analysis and simulation. Nothing but SpecError or SimulationError may escape, every issue has
 * a path, a code and a message, and every run ends within its budget plus an allowance.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { analyzeSpec, simulateSpec, sweepAlpha, validateSpec } from '../../../src/api';
import { jsonPathAtOffset, locateJsonPath, locateTsPath, tsPathAtOffset } from '../../../src/spec/locate';
import type { LocatedPath } from '../../../src/spec/locate';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';
import {
	assertTypedError,
	describeInput,
	emptyStatistics,
	formatStatistics,
	fuzzLoadOptions,
	readSeedSpecs,
	runCore,
	SIMULATION_BUDGET_MS,
	validateAndLoad,
} from './harness';
import type { RunStatistics } from './harness';

const SEEDS = readSeedSpecs();
const OPTIONS = fuzzLoadOptions();

/** Upper bound of each property's wall time; fast-check stops generating when it passes. */
const PROPERTY_TIME_LIMIT_MS = 12_000;

/** Parse and evaluation time allowed for one TypeScript text of at most a few kilobytes. */
const TS_PARSE_LIMIT_MS = 2000;

const TS_ISSUE_CODES = new Set([
	'notStatic',
	'nonFinite',
	'cycle',
	'depth',
	'tooLarge',
	'syntax',
	'duplicateKey',
	'notConst',
	'notObject',
]);

/** Values that trip numeric and type checks: non-finite, huge, tiny, negative, fractional. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.constantFrom<unknown>(
		NaN,
		Infinity,
		-Infinity,
		0,
		-0,
		-1,
		0.5,
		1.5,
		1e308,
		-1e308,
		5e-324,
		2 ** 53 + 2,
		1e9,
		1e-9,
		'',
		'tanh',
		'relu',
		'mlp',
		'linear',
		null,
		true,
		[],
		{},
		[[]],
		[1, 2, 3],
		[[1, 2], [3]],
	),
	fc.double(),
	fc.integer(),
	fc.jsonValue({ maxDepth: 3 }),
	fc.string({ maxLength: 12 }),
);

/** One edit of a spec value, addressed by a list of child choices from the root. */
type Mutation =
	| { readonly op: 'replace'; readonly route: number[]; readonly value: unknown }
	| { readonly op: 'delete'; readonly route: number[] }
	| { readonly op: 'nest'; readonly route: number[]; readonly depth: number; readonly asArray: boolean }
	| { readonly op: 'copy'; readonly route: number[]; readonly from: number[] };

const route = fc.array(fc.nat(40), { minLength: 1, maxLength: 5 });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), route, value: nastyValue }) },
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), route }) },
	{
		weight: 1,
		arbitrary: fc.record({
			op: fc.constant('nest' as const),
			route,
			depth: fc.integer({ min: 1, max: 60 }),
			asArray: fc.boolean(),
		}),
	},
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('copy' as const), route, from: route }) },
);

/** Follows `choices` from `root`; returns the container and key of the last step reached. */
function locate(
	root: unknown,
	choices: readonly number[],
): { parent: Record<string, unknown>; key: string } | undefined {
	let parent: Record<string, unknown> | undefined;
	let key = '';
	let node = root;
	for (const choice of choices) {
		if (node === null || typeof node !== 'object') {
			break;
		}
		const keys = Object.keys(node);
		if (keys.length === 0) {
			break;
		}
		parent = node as Record<string, unknown>;
		key = keys[choice % keys.length];
		node = parent[key];
	}
	return parent === undefined ? undefined : { parent, key };
}

function applyMutation(spec: Record<string, unknown>, change: Mutation): void {
	const target = locate(spec, change.route);
	if (target === undefined) {
		return;
	}
	const { parent, key } = target;
	if (change.op === 'delete') {
		if (Array.isArray(parent)) {
			parent.splice(Number(key), 1);
		} else {
			delete parent[key];
		}
	} else if (change.op === 'replace') {
		parent[key] = change.value;
	} else if (change.op === 'nest') {
		let value: unknown = parent[key];
		for (let level = 0; level < change.depth; level++) {
			value = change.asArray ? [value] : { [key]: value };
		}
		parent[key] = value;
	} else {
		const source = locate(spec, change.from);
		parent[key] = source === undefined ? null : structuredClone(source.parent[source.key]);
	}
}

const mutatedSpec = fc
	.tuple(fc.nat(SEEDS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }))
	.map(([seedIndex, changes]) => {
		const spec = structuredClone(SEEDS[seedIndex].value);
		for (const change of changes) {
			applyMutation(spec, change);
		}
		return spec;
	});

/** Number literals as text, including ones JSON rejects or `JSON.parse` silently rounds. */
const numberText = fc.oneof(
	fc.constantFrom(
		'1e400',
		'-1e400',
		'1e-400',
		'NaN',
		'Infinity',
		'-Infinity',
		'0x10',
		'010',
		'.5',
		'5.',
		'+1',
		'-0',
		'1e',
		'9007199254740993',
		'4.9e-324',
	),
	fc.double({ noNaN: true }).map(String),
);

/** Edits of spec text: truncation, inserted characters, a deleted slice, a swapped number, a BOM. */
type TextEdit =
	| { readonly op: 'truncate'; readonly at: number }
	| { readonly op: 'insert'; readonly at: number; readonly text: string }
	| { readonly op: 'cut'; readonly at: number; readonly length: number }
	| { readonly op: 'number'; readonly which: number; readonly text: string }
	| { readonly op: 'bom' };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const insertedText = fc.oneof(
	fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '/*', '//', '\\', '\u0000', '\ufeff', '\ud800', '\n', 'null'),
	fc.string({ maxLength: 4, unit: 'binary' }),
);

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
	fc.record({ op: fc.constant('truncate' as const), at: position }),
	fc.record({ op: fc.constant('insert' as const), at: position, text: insertedText }),
	fc.record({ op: fc.constant('cut' as const), at: position, length: fc.integer({ min: 1, max: 20 }) }),
	fc.record({ op: fc.constant('number' as const), which: fc.nat(200), text: numberText }),
	fc.constant({ op: 'bom' as const }),
);

function applyTextEdit(text: string, edit: TextEdit): string {
	const at = 'at' in edit ? Math.floor(edit.at * text.length) : 0;
	switch (edit.op) {
		case 'truncate':
			return text.slice(0, at);
		case 'insert':
			return text.slice(0, at) + edit.text + text.slice(at);
		case 'cut':
			return text.slice(0, at) + text.slice(at + edit.length);
		case 'number': {
			const matches = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
			if (matches.length === 0) {
				return text;
			}
			const match = matches[edit.which % matches.length];
			const start = match.index ?? 0;
			return text.slice(0, start) + edit.text + text.slice(start + match[0].length);
		}
		case 'bom':
			return '\ufeff' + text;
	}
}

const mutatedText = fc
	.tuple(mutatedSpec, fc.array(textEdit, { minLength: 0, maxLength: 3 }), fc.boolean())
	.map(([spec, edits, pretty]) => {
		let text = JSON.stringify(spec, null, pretty ? '\t' : undefined) ?? '';
		for (const edit of edits) {
			text = applyTextEdit(text, edit);
		}
		return text;
	});

/** Asserts that a located range lies inside the text and is not reversed. */
function assertRange(located: LocatedPath, text: string, description: string): void {
	const where = `${description}: range ${located.valueStart}-${located.valueEnd} in text ${describeInput(text)}`;
	assert.ok(located.valueStart >= 0, `starts before 0, ${where}`);
	assert.ok(located.valueStart <= located.valueEnd, `is reversed, ${where}`);
	assert.ok(located.valueEnd <= text.length, `ends past the text, ${where}`);
}

/** Locates every issue path in JSON text, as the editor does for diagnostics, and one offset. */
function checkJsonLocations(text: string, offset: number): void {
	for (const issue of validateSpec(text, OPTIONS)) {
		assertRange(locateJsonPath(text, issue.path), text, `locateJsonPath(${JSON.stringify(issue.path)})`);
	}
	jsonPathAtOffset(text, Math.floor(offset * (text.length + 1)));
}

function checkInput(input: unknown, stats: RunStatistics): void {
	stats.tried++;
	const spec = validateAndLoad(input, OPTIONS);
	if (spec !== undefined) {
		stats.loaded++;
		runCore(spec, stats, input);
	}
}

test('mutated spec values load or give typed issues', () => {
	const stats = emptyStatistics();
	fc.assert(
		fc.property(mutatedSpec, (spec) => checkInput(spec, stats)),
		{ numRuns: 400, seed: 11, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, includeErrorInReport: true },
	);
	console.log(formatStatistics('mutated spec values', stats));
	assert.ok(stats.loaded > 0, 'no mutated spec loaded, so the simulation was never exercised');
});

test('mutated spec text loads or gives typed issues', () => {
	const stats = emptyStatistics();
	fc.assert(
		fc.property(mutatedText, position, (text, offset) => {
			checkInput(text, stats);
			checkJsonLocations(text, offset);
		}),
		{ numRuns: 400, seed: 12, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, includeErrorInReport: true },
	);
	console.log(formatStatistics('mutated spec text', stats));
	assert.ok(stats.loaded > 0, 'no mutated spec text loaded, so the simulation was never exercised');
});

/** TypeScript expressions: literals, names, arithmetic, spreads, casts and unsupported forms. */
const tsExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string; leaf: string; compound: string }>((tie) => ({
	expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('compound')),
	leaf: fc.oneof(
		numberText,
		fc.constantFrom(
			'true',
			'null',
			'undefined',
			'Math.PI',
			'Math.sqrt(2)',
			'Math.max(1, 2)',
			'shared',
			'other',
			'notDeclared',
			's',
			'`text`',
			'1n',
			'[]',
			'{}',
			"'tanh'",
			"'relu'",
			'"\\u{1F600}"',
			'/re/g',
			'new Date()',
			'() => 1',
			'this',
		),
		fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
	),
	compound: fc.oneof(
		fc.array(tie('expr'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
		fc
			.array(fc.tuple(fc.constantFrom('a', 'model', 'T', "'b c'", '0', '[k]', '__proto__', 'get g()'), tie('expr')), {
				maxLength: 3,
			})
			.map((entries) => `{ ${entries.map(([key, value]) => `${key}: ${value}`).join(', ')} }`),
		fc
			.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '**', '%', '??', '||', '&&', '===', ','), tie('expr'))
			.map(([left, op, right]) => `${left} ${op} ${right}`),
		fc.tuple(fc.constantFrom('-', '+', '!', '~', 'typeof ', 'void '), tie('expr')).map(([op, value]) => `${op}${value}`),
		tie('expr').map((value) => `(${value})`),
		tie('expr').map((value) => `${value} as const`),
		tie('expr').map((value) => `[...${value}]`),
		tie('expr').map((value) => `{ ...${value} }`),
		tie('expr').map((value) => `${value}!`),
		fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
	),
})).expr;

/** A spec slot: its default text, or a random expression in its place. */
const slot = (fallback: string) =>
	fc.oneof({ weight: 2, arbitrary: fc.constant(fallback) }, { weight: 1, arbitrary: tsExpression });

const tsSpecText = fc
	.record({
		shared: tsExpression,
		other: slot('shared'),
		name: slot("'fuzzed'"),
		activation: slot("'tanh'"),
		width: slot('8'),
		target: slot('0.5'),
		alpha: slot('100'),
		trainingTime: slot('2'),
		epsilon: slot('0.05'),
		extra: slot('undefined'),
		form: fc.constantFrom('tag', 'satisfies', 'let'),
		edits: fc.array(textEdit, { maxLength: 2 }),
	})
	.map((parts) => {
		const body = [
			'{',
			`\tname: ${parts.name},`,
			`\tmodel: { type: 'mlp', widths: [2, ${parts.width}, 1], activation: ${parts.activation} },`,
			`\tdata: { x: [[0, 1], [1, 0], [1, 1]], y: [${parts.target}, -0.5, 1] },`,
			`\ttraining: { alpha: ${parts.alpha}, T: ${parts.trainingTime} },`,
			`\tanalysis: { epsilon: ${parts.epsilon}, times: { count: 5 } },`,
			`\textra: ${parts.extra},`,
			'}',
		].join('\n');
		const declaration =
			parts.form === 'satisfies'
				? `export const s = ${body} satisfies NtkSpec;`
				: `/** @ntk */\nexport ${parts.form === 'let' ? 'let' : 'const'} s = ${body};`;
		let text = `const shared = ${parts.shared};\nconst other = ${parts.other};\n${declaration}\n`;
		for (const edit of parts.edits) {
			text = applyTextEdit(text, edit);
		}
		return text;
	});

function checkTypeScriptText(text: string, offset: number, stats: RunStatistics): void {
	stats.tried++;
	const started = Date.now();
	const entries = findTypeScriptSpecs(text, 'fuzzed.ts');
	const elapsed = Date.now() - started;
	assert.ok(elapsed < TS_PARSE_LIMIT_MS, `findTypeScriptSpecs took ${elapsed} ms, limit ${TS_PARSE_LIMIT_MS} ms, text ${describeInput(text)}`);
	assert.ok(Array.isArray(entries), `findTypeScriptSpecs returned ${String(entries)} for ${describeInput(text)}`);
	tsPathAtOffset(entries, Math.floor(offset * (text.length + 1)));
	for (const entry of entries) {
		const where = `entry ${entry.name} of text ${describeInput(text)}`;
		assert.ok(entry.start >= 0, `range ${entry.start}-${entry.end} starts before 0: ${where}`);
		assert.ok(entry.start <= entry.end, `range ${entry.start}-${entry.end} is reversed: ${where}`);
		assert.ok(entry.end <= text.length, `range ${entry.start}-${entry.end} ends past the text: ${where}`);
		const isObject = entry.value !== null && typeof entry.value === 'object' && !Array.isArray(entry.value);
		assert.ok(isObject, `value is ${describeInput(entry.value)}: ${where}`);
		for (const issue of entry.issues) {
			const inRange = issue.start >= 0 && issue.start <= issue.end && issue.end <= text.length;
			assert.ok(inRange, `issue range ${issue.start}-${issue.end}: ${where}`);
			assert.ok(TS_ISSUE_CODES.has(issue.code), `issue code ${issue.code}: ${where}`);
			assert.ok(issue.message.trim().length > 0, `issue without message: ${where}`);
		}
		for (const issue of validateSpec(entry.value, OPTIONS)) {
			assertRange(locateTsPath(entry, issue.path), text, `locateTsPath(${JSON.stringify(issue.path)})`);
		}
		const spec = validateAndLoad(entry.value, OPTIONS);
		if (spec !== undefined) {
			stats.loaded++;
			runCore(spec, stats, text);
		}
	}
}

test('random TypeScript specs parse or give typed issues', () => {
	const stats = emptyStatistics();
	fc.assert(
		fc.property(tsSpecText, position, (text, offset) => checkTypeScriptText(text, offset, stats)),
		{ numRuns: 400, seed: 13, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, includeErrorInReport: true },
	);
	console.log(formatStatistics('random TypeScript specs', stats));
	assert.ok(stats.loaded > 0, 'no TypeScript spec loaded, so the simulation was never exercised');
});

/** Values from the smallest subnormal to the largest double, for alpha, T, epsilon and targets. */
const extremeNumber = fc.constantFrom(
	5e-324, 1e-310, 1e-300, 1e-160, 1e-20, 1e-8, 0.5, 1, 7, 1e8, 1e20, 1e150, 1e300, 1.7e308,
);

const SMALL_MODELS: readonly Record<string, unknown>[] = [
	{ type: 'quadratic', a: 1, b: 1, w0: 0 },
	{ type: 'quadratic', a: 0.1, b: -3, w0: 2 },
	{ type: 'linear' },
	{ type: 'mlp', widths: [2, 4, 1], activation: 'tanh' },
	{ type: 'mlp', widths: [2, 4, 1], activation: 'relu', centering: 'none' },
	{ type: 'mlp', widths: [2, 3, 2], activation: 'sin', centering: 'antisymmetric', bias: true },
];

/** Small valid specs whose alpha, T, epsilon and targets are extreme but finite. */
const extremeSpec = fc
	.record({
		model: fc.constantFrom(...SMALL_MODELS),
		alpha: extremeNumber,
		trainingTime: fc.oneof(extremeNumber, fc.constant(0)),
		epsilon: extremeNumber,
		target: extremeNumber,
		relative: fc.boolean(),
	})
	.map(({ model, alpha, trainingTime, epsilon, target, relative }) => {
		const outputs = model.type === 'mlp' ? (model.widths as number[])[2] : 1;
		const data =
			model.type === 'quadratic'
				? { y: [target] }
				: { x: [[0, 1], [1, 0.5]], y: Array.from({ length: 2 * outputs }, (_, i) => (i === 0 ? target : -1)) };
		return {
			model,
			data,
			training: { alpha, T: trainingTime },
			analysis: { epsilon, relative, times: { count: 3 } },
		};
	});

/** Runs analysis, a budgeted simulation and a two-point sweep, allowing only typed errors. */
function checkExtremeSpec(
	raw: unknown,
	stats: RunStatistics,
	stages: readonly ('analysis' | 'simulation' | 'sweep')[],
): void {
	stats.tried++;
	const spec = validateAndLoad(raw, OPTIONS);
	if (spec === undefined) {
		return;
	}
	stats.loaded++;
	const runs = {
		analysis: () => analyzeSpec(spec),
		simulation: () => simulateSpec(spec, { deadlineMs: Date.now() + SIMULATION_BUDGET_MS }),
		sweep: () => sweepAlpha(spec, [spec.training.alpha, 1], { deadlineMs: Date.now() + SIMULATION_BUDGET_MS }),
	};
	for (const stage of stages) {
		try {
			runs[stage]();
			stats.simulated += stage === 'simulation' ? 1 : 0;
		} catch (error) {
			assertTypedError(error, stage, raw);
		}
	}
}

test('extreme alpha, T, epsilon and targets analyze', () => {
	const stats = emptyStatistics();
	fc.assert(
		fc.property(extremeSpec, (raw) => checkExtremeSpec(raw, stats, ['analysis'])),
		{ numRuns: 600, seed: 14, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, includeErrorInReport: true },
	);
	console.log(formatStatistics('extreme values, analysis', stats));
});

test('extreme alpha, T, epsilon and targets simulate', () => {
	const stats = emptyStatistics();
	fc.assert(
		fc.property(extremeSpec, (raw) => checkExtremeSpec(raw, stats, ['simulation', 'sweep'])),
		{ numRuns: 300, seed: 15, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, includeErrorInReport: true },
	);
	console.log(formatStatistics('extreme values, simulation and sweep', stats));
});
