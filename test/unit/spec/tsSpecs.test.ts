import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { formatJsonPath } from '../../../src/errors';
import { MAX_EXPRESSION_DEPTH } from '../../../src/spec/tsEvaluate';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';
import type { TsSpecEntry, TsSpecIssue } from '../../../src/spec/tsSpecs';

/** Parses `source` and returns its only spec, failing when there is not exactly one. */
function onlySpec(source: string): TsSpecEntry {
	const entries = findTypeScriptSpecs(source, 'spec.ts');
	assert.equal(entries.length, 1, `expected 1 spec in:\n${source}\ngot ${entries.length}`);
	return entries[0];
}

/** Parses `/** @ntk *\/ const spec = <body>;` after `prelude` and returns source and spec. */
function specOf(body: string, prelude = ''): { source: string; entry: TsSpecEntry } {
	const source = `${prelude}\n/** @ntk */\nexport const spec = ${body};\n`;
	return { source, entry: onlySpec(source) };
}

function issueTexts(source: string, entry: TsSpecEntry): string[] {
	return entry.issues.map((issue) => source.slice(issue.start, issue.end));
}

/** Returns the one issue whose range covers exactly `text`, after checking its code. */
function issueOn(source: string, entry: TsSpecEntry, text: string, code: string): TsSpecIssue {
	const matches = entry.issues.filter((issue) => source.slice(issue.start, issue.end) === text);
	const summary = JSON.stringify(
		entry.issues.map((issue) => [source.slice(issue.start, issue.end), issue.code]),
	);
	assert.equal(matches.length, 1, `expected one issue on '${text}', issues: ${summary}`);
	assert.equal(
		matches[0].code,
		code,
		`issue on '${text}': code ${matches[0].code}, expected ${code}`,
	);
	return matches[0];
}

function locatedText(
	source: string,
	entry: TsSpecEntry,
	path: (string | number)[],
	part: 'key' | 'value',
): string {
	const location = entry.locations.get(formatJsonPath(path));
	assert.ok(
		location,
		`no location for ${formatJsonPath(path)}; have ${[...entry.locations.keys()].join(', ')}`,
	);
	return part === 'key'
		? source.slice(location.keyStart ?? -1, location.keyEnd ?? -1)
		: source.slice(location.valueStart, location.valueEnd);
}

test('@ntk const gives one entry named after it', () => {
	const { source, entry } = specOf(`{ name: 'a', training: { alpha: 10 } }`);
	assert.equal(entry.name, 'spec');
	assert.equal(source.slice(entry.start, entry.end), `{ name: 'a', training: { alpha: 10 } }`);
	assert.deepEqual(entry.value, { name: 'a', training: { alpha: 10 } });
	assert.deepEqual(entry.issues, []);
});

test('@ntk tag found among other JSDoc text', () => {
	const source = `/**\n * The baseline run.\n * @see paper\n * @ntk\n */\nconst base = { a: 1 };\nconst plain = { b: 2 };`;
	const entry = onlySpec(source);
	assert.equal(entry.name, 'base');
	assert.deepEqual(entry.value, { a: 1 });
});

test('satisfies NtkSpec found in any position', () => {
	const source = [
		`import type { NtkSpec } from 'ntk-horizon';`,
		`const direct = { a: 1 } satisfies NtkSpec;`,
		`const frozen = { a: 2 } as const satisfies NtkSpec;`,
		`const wrapped = ({ a: 3 }) satisfies NtkSpec;`,
		`run({ a: 4 } satisfies NtkSpec);`,
		`export const table = { small: { a: 5 } satisfies api.NtkSpec };`,
		`export default { a: 6 } satisfies NtkSpec;`,
		`const other = { a: 7 } satisfies OtherSpec;`,
	].join('\n');
	const entries = findTypeScriptSpecs(source, 'many.ts');
	assert.deepEqual(
		entries.map((entry) => entry.name),
		['direct', 'frozen', 'wrapped', 'spec 4', 'small', 'spec 6'],
	);
	assert.deepEqual(
		entries.map((entry) => entry.value.a),
		[1, 2, 3, 4, 5, 6],
	);
});

test('@ntk with satisfies gives one entry', () => {
	const { entry } = specOf(`{ a: 1 } as const satisfies NtkSpec`);
	assert.equal(entry.name, 'spec');
	assert.deepEqual(entry.value, { a: 1 });
});

test('three specs in source order', () => {
	const source = [
		`/** @ntk */ const first = { n: 1 };`,
		`function make() { return { n: 2 } satisfies NtkSpec; }`,
		`/** @ntk */ export const third = { n: 3, nested: { deep: [1, 2] } };`,
	].join('\n');
	const entries = findTypeScriptSpecs(source, 'three.ts');
	assert.deepEqual(
		entries.map((entry) => [entry.name, entry.value.n]),
		[
			['first', 1],
			['spec 2', 2],
			['third', 3],
		],
	);
	assert.ok(
		entries[0].end <= entries[1].start && entries[1].end <= entries[2].start,
		'entries overlap',
	);
});

test('empty and spec-free files give no entries', () => {
	assert.deepEqual(findTypeScriptSpecs('', 'empty.ts'), []);
	assert.deepEqual(findTypeScriptSpecs('   \n\r\n', 'blank.ts'), []);
	assert.deepEqual(
		findTypeScriptSpecs('const x = { a: 1 };\nexport function f() {}', 'plain.ts'),
		[],
	);
});

test('literals evaluate to JSON values', () => {
	const { entry } = specOf(
		`{ s: 'one', d: "two", t: \`three\`, n: 1.5, neg: -2, pos: +3, sep: 1_000_000, hex: 0x10, exp: 1e-3, ` +
			`yes: true, no: false, nothing: null, list: [1, [2, { x: 'y' }], []], empty: {} }`,
	);
	assert.deepEqual(entry.value, {
		s: 'one',
		d: 'two',
		t: 'three',
		n: 1.5,
		neg: -2,
		pos: 3,
		sep: 1_000_000,
		hex: 16,
		exp: 1e-3,
		yes: true,
		no: false,
		nothing: null,
		list: [1, [2, { x: 'y' }], []],
		empty: {},
	});
	assert.deepEqual(entry.issues, []);
});

test('numeric expressions follow JavaScript arithmetic', () => {
	const cases: [string, number][] = [
		['1 + 2 * 3', 7],
		['(1 + 2) * 3', 9],
		['2 ** 10', 1024],
		['2 ** 3 ** 2', 512],
		['-(2 ** 2)', -4],
		['7 % 3', 1],
		['1 / 8', 0.125],
		['10 - 4 - 3', 3],
		['1e4 * 2.5', 25000],
		['Math.sqrt(2)', Math.SQRT2],
		['Math.exp(1)', Math.E],
		['Math.log(Math.E)', 1],
		['Math.pow(2, 0.5)', Math.SQRT2],
		['Math.abs(-3)', 3],
		['Math.min(3, 1, 2)', 1],
		['Math.max(3, 1, 2)', 3],
		['2 * Math.PI', 2 * Math.PI],
		['Math.E', Math.E],
		['(((4)))', 4],
		['(5 as number)', 5],
		['<number>6', 6],
		['(7 satisfies number)', 7],
		['8!', 8],
	];
	for (const [expression, expected] of cases) {
		const { entry } = specOf(`{ x: ${expression} }`);
		assert.equal(
			entry.value.x,
			expected,
			`input ${expression}: value ${entry.value.x}, expected ${expected}`,
		);
		assert.deepEqual(
			entry.issues,
			[],
			`input ${expression}: issues ${JSON.stringify(entry.issues)}`,
		);
	}
});

test('string concatenation with +', () => {
	const { entry } = specOf(`{ name: 'run-' + 'a' }`);
	assert.equal(entry.value.name, 'run-a');
});

test('string and numeric keys become property names', () => {
	const { entry } = specOf(`{ 'quoted key': 1, "w0": 2, 3: 'three', 1e3: 'k', 0x10: 'hex' }`);
	assert.deepEqual(
		entry.value,
		{ 'quoted key': 1, w0: 2, '3': 'three', '1000': 'k', '16': 'hex' },
	);
});

test('const references resolve recursively', () => {
	const prelude = [
		'const BASE = 10;',
		'const ALPHA = BASE ** 3;',
		'const WIDTHS = [2, BASE * 2, 1] as const;',
		'const TRAINING = { alpha: ALPHA, T: 2 * ALPHA } satisfies Partial<Training>;',
	].join('\n');
	const { entry } = specOf(`{ model: { widths: WIDTHS }, training: TRAINING, ALPHA }`, prelude);
	assert.deepEqual(entry.value, {
		model: { widths: [2, 20, 1] },
		training: { alpha: 1000, T: 2000 },
		ALPHA: 1000,
	});
	assert.deepEqual(entry.issues, []);
});

test('local const shadows an outer const', () => {
	const source = `const A = 1;\nfunction f() {\n\tconst A = 2;\n\treturn { a: A } satisfies NtkSpec;\n}\n`;
	assert.equal(onlySpec(source).value.a, 2);
});

test('locations cover keys and values', () => {
	const { source, entry } = specOf(
		`{\n\ttraining: { alpha: 2 ** 10, 'T': 1e4 },\n\tdata: { y: [1, -2.5] },\n}`,
	);
	assert.equal(locatedText(source, entry, ['training', 'alpha'], 'key'), 'alpha');
	assert.equal(locatedText(source, entry, ['training', 'alpha'], 'value'), '2 ** 10');
	assert.equal(locatedText(source, entry, ['training', 'T'], 'key'), `'T'`);
	assert.equal(locatedText(source, entry, ['training', 'T'], 'value'), '1e4');
	assert.equal(locatedText(source, entry, ['training'], 'value'), `{ alpha: 2 ** 10, 'T': 1e4 }`);
	assert.equal(locatedText(source, entry, ['data', 'y', 1], 'value'), '-2.5');
	assert.equal(entry.locations.get(formatJsonPath(['data', 'y', 1]))?.keyStart, undefined);
	assert.equal(locatedText(source, entry, [], 'value'), source.slice(entry.start, entry.end));
	for (const [key, location] of entry.locations) {
		assert.equal(
			key,
			formatJsonPath(location.path),
			`location key ${key} does not match its path`,
		);
	}
});

test('locations through const references', () => {
	const prelude = `const MODEL = {\n\ttype: 'quadratic',\n\ta: 0.7,\n};\nconst ALPHA = 3;`;
	const { source, entry } = specOf(`{ model: MODEL, training: { ALPHA } }`, prelude);
	assert.equal(locatedText(source, entry, ['model'], 'value'), 'MODEL');
	assert.equal(locatedText(source, entry, ['model', 'a'], 'value'), '0.7');
	const inDeclaration = entry.locations.get(formatJsonPath(['model', 'a']));
	assert.ok(
		inDeclaration !== undefined && inDeclaration.valueStart < entry.start,
		'model.a not in the const',
	);
	assert.equal(locatedText(source, entry, ['training', 'ALPHA'], 'key'), 'ALPHA');
	assert.equal(locatedText(source, entry, ['training', 'ALPHA'], 'value'), 'ALPHA');
});

test('Infinity and non-finite results are flagged', () => {
	const { source, entry } = specOf(
		`{ a: Infinity, b: -Infinity, c: 1 / 0, d: 1e400, e: NaN, f: Math.log(-1), g: 0 / 0 }`,
	);
	assert.equal(entry.value.a, Infinity);
	assert.equal(entry.value.b, -Infinity);
	assert.equal(entry.value.c, Infinity);
	assert.equal(entry.value.d, Infinity);
	assert.ok(Number.isNaN(entry.value.e), `e: value ${entry.value.e}, expected NaN`);
	assert.ok(Number.isNaN(entry.value.f), `f: value ${entry.value.f}, expected NaN`);
	for (const text of ['1 / 0', '1e400', 'NaN', 'Math.log(-1)', '0 / 0']) {
		const issue = issueOn(source, entry, text, 'nonFinite');
		assert.equal(issue.severity, 'warning', `severity of the issue on ${text}`);
	}
	assert.equal(
		entry.issues.filter((issue) => source.slice(issue.start, issue.end) === 'Infinity').length,
		2,
	);
});

test('unsupported expressions give issues', () => {
	const prelude = [
		`import { imported } from './elsewhere';`,
		`import fallback from './fallback';`,
		`import * as lib from './lib';`,
		`let mutable = 1;`,
		`var old = 2;`,
		`const { picked } = { picked: 3 };`,
		`function helper() { return 4; }`,
		`const key = 'k';`,
	].join('\n');
	const cases: [string, string, string, string][] = [
		['call', 'foo()', 'foo()', 'Cannot evaluate the call `foo()` statically. Use a literal'],
		['method call', 'helper()', 'helper()', 'the call `helper()`'],
		['spread', '...base', '...base', 'the spread `...base`'],
		['named import', 'imported', 'imported', `imported from './elsewhere'`],
		['default import', 'fallback', 'fallback', `imported from './fallback'`],
		['namespace member', 'lib.value', 'lib.value', 'Cannot evaluate `lib.value`'],
		['let', 'mutable', 'mutable', 'declared with let'],
		['var', 'old', 'old', 'declared with var'],
		['destructured', 'picked', 'picked', 'destructuring declaration'],
		['function', 'helper', 'helper', 'is a function, not a const'],
		['undeclared', 'missing', 'missing', 'not declared in this file'],
		['undefined', 'undefined', 'undefined', '`undefined` is not a JSON value'],
		['template', '`a${key}`', '`a${key}`', 'because it has substitutions'],
		['operator', 'a1 && 2', 'a1 && 2', 'the operator && is not supported'],
		['comparison', '1 < 2', '1 < 2', 'the operator < is not supported'],
		['Math.sin', 'Math.sin(1)', 'Math.sin(1)', 'only Math.sqrt, exp, log, pow, abs, min, max, PI'],
		['Math.LN2', 'Math.LN2', 'Math.LN2', 'only Math.sqrt'],
		['not', '!true', '!true', 'only the unary operators - and +'],
		['BigInt', '10n', '10n', 'BigInt'],
		['arrow', '() => 1', '() => 1', 'the function'],
		['new', 'new Date()', 'new Date()', 'Cannot evaluate `new Date()`'],
		['conditional', 'true ? 1 : 2', 'true ? 1 : 2', 'Cannot evaluate'],
		['string minus', `'a' - 1`, `'a' - 1`, 'needs two numbers'],
		['negated string', `-'a'`, `-'a'`, 'unary minus applies to numbers only'],
		['Math arity', 'Math.pow(2)', 'Math.pow(2)', 'Math.pow takes 2 arguments, got 1'],
		['Math argument', `Math.sqrt('4')`, `'4'`, 'must be a number'],
	];
	for (const [label, expression, range, fragment] of cases) {
		const body =
			expression === '...base' ? `{ keep: 1, ...base }` : `{ keep: 1, x: ${expression} }`;
		const { source, entry } = specOf(body, prelude);
		const issue = issueOn(source, entry, range, 'notStatic');
		assert.ok(
			issue.message.includes(fragment),
			`${label}: message '${issue.message}' lacks '${fragment}'`,
		);
		assert.equal(issue.severity, 'error', `${label}: severity`);
		assert.deepEqual(
			entry.value,
			{ keep: 1 },
			`${label}: value ${JSON.stringify(entry.value)}`,
		);
	}
});

test('unsupported object members give issues', () => {
	const cases: [string, string, string][] = [
		[`['computed']: 1`, `['computed']`, 'computed key'],
		[`[key]: 1`, `[key]`, 'computed key'],
		[`get g() { return 1; }`, `get g() { return 1; }`, 'the getter `g`'],
		[`set s(v) {}`, `set s(v) {}`, 'the setter `s`'],
		[`m() { return 1; }`, `m() { return 1; }`, 'the method `m`'],
		[`__proto__: { a: 1 }`, `__proto__`, 'sets the prototype'],
	];
	for (const [member, range, fragment] of cases) {
		const { source, entry } = specOf(`{ keep: 1, ${member} }`, `const key = 'k';`);
		const issue = issueOn(source, entry, range, 'notStatic');
		assert.ok(
			issue.message.includes(fragment),
			`${member}: message '${issue.message}' lacks '${fragment}'`,
		);
		assert.deepEqual(
			entry.value,
			{ keep: 1 },
			`${member}: value ${JSON.stringify(entry.value)}`,
		);
	}
});

test('array spread and hole are left out', () => {
	const { source, entry } = specOf(`{ y: [1, ...rest, 2, , 3] }`);
	assert.deepEqual(entry.value.y, [1, 2, 3]);
	issueOn(source, entry, '...rest', 'notStatic');
	const hole = issueOn(source, entry, ',', 'notStatic');
	assert.ok(hole.message.includes('empty slot'), `hole message: ${hole.message}`);
	assert.equal(locatedText(source, entry, ['y', 2], 'value'), '3');
});

test('function parameter is not static', () => {
	const source = `function make(alpha: number) {\n\treturn { alpha } satisfies NtkSpec;\n}`;
	const entry = onlySpec(source);
	const issue = issueOn(source, entry, 'alpha', 'notStatic');
	assert.ok(issue.message.includes('function parameter'), issue.message);
	assert.deepEqual(entry.value, {});
});

test('local Math is not the global Math', () => {
	const { source, entry } = specOf(
		`{ x: Math.sqrt(4) }`,
		`const Math = { sqrt: (x: number) => x };`,
	);
	issueOn(source, entry, 'Math.sqrt(4)', 'notStatic');
	assert.deepEqual(entry.value, {});
});

test('const without a literal initializer', () => {
	const prelude = `const computed = compute();\ndeclare const ambient: number;`;
	const { source, entry } = specOf(`{ a: computed, b: ambient }`, prelude);
	issueOn(source, entry, 'compute()', 'notStatic');
	const reference = issueOn(source, entry, 'computed', 'notStatic');
	assert.ok(
		reference.message.includes('line 1'),
		`message names the declaration line: ${reference.message}`,
	);
	const ambient = issueOn(source, entry, 'ambient', 'notStatic');
	assert.ok(ambient.message.includes('no initializer'), ambient.message);
	assert.deepEqual(entry.value, {});
});

test('const used before declaration', () => {
	const source = `/** @ntk */\nconst spec = { a: LATER, b: 1 };\nconst LATER = 2;\n`;
	const entry = onlySpec(source);
	const issue = issueOn(source, entry, 'LATER', 'notStatic');
	assert.ok(issue.message.includes('ReferenceError'), issue.message);
	assert.ok(issue.message.includes('line 3'), issue.message);
	const deferred = `function make() {\n\treturn { a: LATER } satisfies NtkSpec;\n}\nconst LATER = 2;\n`;
	const deferredEntry = onlySpec(deferred);
	assert.deepEqual(deferredEntry.issues, []);
	assert.deepEqual(deferredEntry.value, { a: 2 });
});

test('const cycle is reported, not followed', () => {
	const prelude = `const A = B + 1;\nconst B = A * 2;\nconst SELF = { inner: SELF };`;
	const { source, entry } = specOf(`{ a: A, self: SELF, ok: 1 }`, prelude);
	const cycle = entry.issues.find(
		(issue) => issue.code === 'cycle' && source.slice(issue.start, issue.end) === 'A',
	);
	assert.ok(cycle, `no cycle issue on A: ${JSON.stringify(entry.issues)}`);
	assert.ok(cycle.message.includes('A -> B -> A'), cycle.message);
	const selfCycle = entry.issues.find(
		(issue) => issue.code === 'cycle' && issue.message.includes('SELF -> SELF'),
	);
	assert.ok(selfCycle, `no self cycle issue: ${JSON.stringify(entry.issues)}`);
	assert.deepEqual(entry.value, { self: {}, ok: 1 });
});

test('duplicate key warns, last wins', () => {
	const { source, entry } = specOf(`{ a: { x: 1, y: 2 }, b: 0, a: { x: 3 } }`);
	assert.deepEqual(entry.value, { a: { x: 3 }, b: 0 });
	const warning = issueOn(source, entry, 'a', 'duplicateKey');
	assert.equal(warning.start, source.indexOf('{ a:') + 2, 'warning on the first occurrence');
	assert.equal(warning.severity, 'warning');
	assert.equal(locatedText(source, entry, ['a', 'x'], 'value'), '3');
	assert.equal(
		entry.locations.has(formatJsonPath(['a', 'y'])),
		false,
		'stale location of a.y kept',
	);
});

test('@ntk on let warns but still evaluates', () => {
	const source = `/** @ntk */\nlet spec = { a: 1 };`;
	const entry = onlySpec(source);
	issueOn(source, entry, 'spec', 'notConst');
	assert.deepEqual(entry.value, { a: 1 });
});

test('@ntk const that is not an object', () => {
	const { source, entry } = specOf(`[1, 2]`);
	issueOn(source, entry, '[1, 2]', 'notObject');
	assert.deepEqual(entry.value, {});
	const viaConst = specOf(`BASE`, `const BASE = { a: 1 };`);
	assert.deepEqual(viaConst.entry.value, { a: 1 });
});

test('syntax errors inside a spec become issues', () => {
	const { source, entry } = specOf(`{ training: { alpha: , T: 2 }, name: 'x' }`);
	assert.equal(entry.value.name, 'x');
	assert.deepEqual(entry.value.training, { T: 2 });
	const syntax = entry.issues.filter((issue) => issue.code === 'syntax');
	assert.ok(syntax.length >= 1, `no syntax issue: ${JSON.stringify(entry.issues)}`);
	assert.ok(
		syntax[0].start >= entry.start && syntax[0].end <= entry.end,
		'syntax issue outside the spec',
	);
	assert.ok(syntax[0].message.startsWith('Syntax error: '), syntax[0].message);
	assert.ok(source.length > 0);
});

test('half-typed files do not throw', () => {
	const prefixes = [
		`/** @ntk */ const s = {`,
		`/** @ntk */ const s = { model: { type: 'quad`,
		`/** @ntk */ const s = { a: 1,, b: 2 }`,
		`/** @ntk */ const s = { a: [1, 2 }`,
		`/** @ntk */ const s =`,
		`const s = { a: 1 } satisfies`,
		`const s = { a: 1 } satisfies NtkSpec`,
		`/** @ntk */ const s = { a: \``,
		`/** @ntk`,
		`{ a: 1 } satisfies NtkSpec }}}}`,
	];
	for (const text of prefixes) {
		const entries = findTypeScriptSpecs(text, 'partial.ts');
		for (const entry of entries) {
			assert.equal(
				typeof entry.value,
				'object',
				`input ${text}: value ${String(entry.value)}`,
			);
		}
	}
	const { entry } = specOf(`{ model: { type: 'quad`);
	assert.ok(
		entry.issues.some((issue) => issue.code === 'syntax'),
		`no syntax issue: ${JSON.stringify(entry.issues)}`,
	);
});

test('UTF-16 offsets after non-ASCII text', () => {
	const prelude = `// Données d'entraînement 😀 αβγ 名前\nconst 名前 = '🧪';`;
	const { source, entry } = specOf(`{ label: 名前, training: { alpha: 5 } }`, prelude);
	assert.equal(entry.start, source.indexOf('{ label'), 'entry start is a UTF-16 offset');
	assert.equal(entry.value.label, '🧪');
	assert.equal(locatedText(source, entry, ['training', 'alpha'], 'key'), 'alpha');
	assert.equal(locatedText(source, entry, ['training', 'alpha'], 'value'), '5');
	const bad = specOf(`{ x: f('😀') }`, prelude);
	issueOn(bad.source, bad.entry, `f('😀')`, 'notStatic');
});

test('CRLF line endings keep ranges', () => {
	const lf = `/** @ntk */\nconst spec = {\n\tmodel: { type: 'quadratic' },\n\ttraining: {\n\t\talpha: 1e3,\n\t},\n\tbad: go(),\n};\n`;
	const crlf = lf.replace(/\n/g, '\r\n');
	const [lfEntry] = findTypeScriptSpecs(lf, 'lf.ts');
	const [crlfEntry] = findTypeScriptSpecs(crlf, 'crlf.ts');
	assert.deepEqual(crlfEntry.value, lfEntry.value);
	assert.equal(locatedText(crlf, crlfEntry, ['training', 'alpha'], 'value'), '1e3');
	assert.equal(
		locatedText(crlf, crlfEntry, ['training'], 'value'),
		'{\r\n\t\talpha: 1e3,\r\n\t}',
	);
	issueOn(crlf, crlfEntry, 'go()', 'notStatic');
});

test('byte-order mark before the spec', () => {
	const source = `\uFEFF/** @ntk */ const s = { a: 1 };`;
	const entry = onlySpec(source);
	assert.equal(source.slice(entry.start, entry.end), '{ a: 1 }');
	assert.deepEqual(entry.value, { a: 1 });
});

test('deep nesting stops at the depth limit', () => {
	const depth = MAX_EXPRESSION_DEPTH + 50;
	const { entry } = specOf(`{ deep: ${'['.repeat(depth)}1${']'.repeat(depth)}, ok: 2 }`);
	const issues = entry.issues.filter((issue) => issue.code === 'depth');
	assert.equal(issues.length, 1, `depth issues: ${JSON.stringify(entry.issues)}`);
	assert.equal(entry.value.ok, 2);
	const parens = specOf(`{ x: ${'('.repeat(depth)}1${')'.repeat(depth)} }`);
	assert.equal(parens.entry.issues[0]?.code, 'depth');
	const chain = specOf(`{ x: ${Array.from({ length: 5000 }, () => '1').join(' + ')} }`);
	assert.equal(chain.entry.issues[0]?.code, 'depth');
});

test('parser stack overflow gives issue', () => {
	const depth = 5000;
	const source = `/** @ntk */ const s = { deep: ${'['.repeat(depth)}${']'.repeat(depth)} };`;
	const entries = findTypeScriptSpecs(source, 'deep.ts');
	assert.equal(entries.length, 1);
	assert.equal(entries[0].issues[0]?.code, 'depth');
	assert.deepEqual(entries[0].value, {});
	assert.deepEqual(
		findTypeScriptSpecs(`const x = ${'['.repeat(depth)}${']'.repeat(depth)};`, 'deep.ts'),
		[],
	);
});

test('exponential const expansion stops fast', () => {
	const lines = ['const L0 = [1, 2, 3, 4];'];
	for (let level = 1; level <= 14; level += 1) {
		const previous = `L${level - 1}`;
		lines.push(`const L${level} = [${previous}, ${previous}, ${previous}, ${previous}];`);
	}
	const started = performance.now();
	const { entry } = specOf(`{ data: L14 }`, lines.join('\n'));
	const elapsed = performance.now() - started;
	assert.ok(
		entry.issues.some((issue) => issue.code === 'tooLarge'),
		`no tooLarge issue: ${issueTexts('', entry)}`,
	);
	// Without the evaluation cap this would expand 4^15, about 1e9, values.
	assert.ok(elapsed < 15000, `evaluation took ${elapsed.toFixed(0)} ms, expected < 15000 ms`);
});

test('random and mutated text never throws', () => {
	const seedText = [
		`import { x } from './x';`,
		`const A = 2 ** 10;`,
		`/** @ntk */`,
		`export const spec = {`,
		`\tmodel: { type: 'mlp', widths: [2, 16, 1], activation: 'tanh' },`,
		`\tdata: { x: [[0, 1], [1, 0]], y: [1, -1] },`,
		`\ttraining: { alpha: A, T: 1e4, loss: 'sum' },`,
		`\tanalysis: { epsilon: Math.sqrt(0.01), times: [1, 2, 3] },`,
		`} as const satisfies NtkSpec;`,
		`const other = { a: -1, 'b': [...x], [x]: 1 } satisfies NtkSpec;`,
	].join('\n');
	const alphabet = '{}[]()@ntk/*`\'":,;+-*%!?.0123456789eE_ \n\r\tconstletsatisfiesNtkSpecMath';
	const mutation = fc.record({
		position: fc.nat({ max: seedText.length }),
		deleteCount: fc.nat({ max: 8 }),
		insert: fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 8 }),
	});
	const check = (text: string): void => {
		const started = performance.now();
		const entries = findTypeScriptSpecs(text, 'fuzz.ts');
		const elapsed = performance.now() - started;
		const shown = JSON.stringify(text.slice(0, 80));
		assert.ok(
			elapsed < 2000,
			`input ${shown}: took ${elapsed.toFixed(0)} ms, expected < 2000 ms`,
		);
		for (const entry of entries) {
			assert.ok(
				entry.start <= entry.end && entry.end <= text.length,
				`entry range [${entry.start}, ${entry.end})`,
			);
			for (const issue of entry.issues) {
				assert.ok(
					issue.start <= issue.end && issue.end <= text.length,
					`issue range [${issue.start}, ${issue.end})`,
				);
			}
		}
	};
	fc.assert(
		fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
			let text = seedText;
			for (const { position, deleteCount, insert } of mutations) {
				const at = Math.min(position, text.length);
				text = text.slice(0, at) + insert + text.slice(at + deleteCount);
			}
			check(text);
		}),
		{ numRuns: 300, seed: 20261204 },
	);
	fc.assert(
		fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 200 }), (text) => {
			check(text);
		}),
		{ numRuns: 300, seed: 7 },
	);
	fc.assert(
		fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
			check(`/** @ntk */ const s = {${text}};`);
		}),
		{ numRuns: 200, seed: 11 },
	);
});
