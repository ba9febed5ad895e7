import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import {
	jsonPathAtOffset,
	locateJsonPath,
	locateTsPath,
	tsPathAtOffset,
} from '../../../src/spec/locate';
import type { LocatedPath } from '../../../src/spec/locate';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';

const SPEC_JSON = `{
	"name": "quad",
	"model": { "type": "quadratic", "a": 0.7, "b": 2.5 },
	"data": { "y": [-1.3, 2e-3] },
	"training": {
		"alpha": 1000,
		"T": 50
	}
}`;

function keyText(text: string, location: LocatedPath): string {
	return text.slice(location.keyStart ?? -1, location.keyEnd ?? -1);
}

function valueText(text: string, location: LocatedPath): string {
	return text.slice(location.valueStart, location.valueEnd);
}

test('locateJsonPath finds key and value', () => {
	const location = locateJsonPath(SPEC_JSON, ['training', 'alpha']);
	assert.deepEqual(location.path, ['training', 'alpha']);
	assert.equal(keyText(SPEC_JSON, location), '"alpha"');
	assert.equal(valueText(SPEC_JSON, location), '1000');
	const model = locateJsonPath(SPEC_JSON, ['model']);
	assert.equal(valueText(SPEC_JSON, model), '{ "type": "quadratic", "a": 0.7, "b": 2.5 }');
});

test('locateJsonPath finds array elements', () => {
	const location = locateJsonPath(SPEC_JSON, ['data', 'y', 1]);
	assert.deepEqual(location.path, ['data', 'y', 1]);
	assert.equal(valueText(SPEC_JSON, location), '2e-3');
	assert.equal(location.keyStart, undefined);
});

test('missing key is located on its parent', () => {
	const missing = locateJsonPath(SPEC_JSON, ['training', 'loss']);
	assert.deepEqual(missing.path, ['training']);
	assert.equal(keyText(SPEC_JSON, missing), '"training"');
	assert.ok(
		valueText(SPEC_JSON, missing).startsWith('{\n\t\t"alpha"'),
		valueText(SPEC_JSON, missing),
	);
	const deepMissing = locateJsonPath(SPEC_JSON, ['analysis', 'times', 3]);
	assert.deepEqual(deepMissing.path, []);
	assert.equal(valueText(SPEC_JSON, deepMissing), SPEC_JSON);
	const outOfRange = locateJsonPath(SPEC_JSON, ['data', 'y', 7]);
	assert.deepEqual(outOfRange.path, ['data', 'y']);
	const throughNumber = locateJsonPath(SPEC_JSON, ['training', 'alpha', 'x']);
	assert.deepEqual(throughNumber.path, ['training', 'alpha']);
	const wrongKind = locateJsonPath(SPEC_JSON, ['data', 'y', 'first']);
	assert.deepEqual(wrongKind.path, ['data', 'y']);
});

test('duplicate key locates the last one', () => {
	const text = '{ "alpha": 1, "alpha": 2 }';
	const location = locateJsonPath(text, ['alpha']);
	assert.equal(valueText(text, location), '2');
	assert.equal(location.keyStart, text.lastIndexOf('"alpha"'));
});

test('numeric object keys match numeric path parts', () => {
	const text = '{ "weights": { "0": [1, 2] } }';
	assert.equal(valueText(text, locateJsonPath(text, ['weights', 0, 1])), '2');
	assert.equal(valueText(text, locateJsonPath(text, ['weights', '0', 1])), '2');
});

test('empty or non-JSON text locates the whole text', () => {
	assert.deepEqual(locateJsonPath('', ['a']), { path: [], valueStart: 0, valueEnd: 0 });
	assert.deepEqual(locateJsonPath('   ', ['a']), { path: [], valueStart: 0, valueEnd: 3 });
});

test('broken JSON still locates what parsed', () => {
	const text = '{\n\t"training": { "alpha": 10, "T": ';
	const alpha = locateJsonPath(text, ['training', 'alpha']);
	assert.equal(valueText(text, alpha), '10');
	const incomplete = locateJsonPath(text, ['training', 'T']);
	assert.equal(keyText(text, incomplete), '"T"');
	assert.equal(
		incomplete.valueStart,
		incomplete.valueEnd,
		'value range of a missing value is empty',
	);
	assert.equal(incomplete.valueStart, text.length - 1);
});

test('comments, CRLF and BOM offsets', () => {
	const text = '\uFEFF{\r\n\t// α scale 😀\r\n\t"training": { "alpha": 5, },\r\n}';
	const location = locateJsonPath(text, ['training', 'alpha']);
	assert.equal(keyText(text, location), '"alpha"');
	assert.equal(valueText(text, location), '5');
	assert.equal(location.valueStart, text.indexOf('5, }'));
});

test('jsonPathAtOffset on key and value', () => {
	const keyOffset = SPEC_JSON.indexOf('"alpha"') + 2;
	assert.deepEqual(
		jsonPathAtOffset(SPEC_JSON, keyOffset),
		{ path: ['training', 'alpha'], onKey: true },
	);
	const valueOffset = SPEC_JSON.indexOf('1000') + 1;
	assert.deepEqual(
		jsonPathAtOffset(SPEC_JSON, valueOffset),
		{ path: ['training', 'alpha'], onKey: false },
	);
	const elementOffset = SPEC_JSON.indexOf('2e-3');
	assert.deepEqual(
		jsonPathAtOffset(SPEC_JSON, elementOffset),
		{ path: ['data', 'y', 1], onKey: false },
	);
	const nestedKey = SPEC_JSON.indexOf('"b"');
	assert.deepEqual(jsonPathAtOffset(SPEC_JSON, nestedKey), { path: ['model', 'b'], onKey: true });
});

test('jsonPathAtOffset between tokens and outside', () => {
	const colon = SPEC_JSON.indexOf('"alpha":') + '"alpha"'.length;
	assert.deepEqual(
		jsonPathAtOffset(SPEC_JSON, colon),
		{ path: ['training', 'alpha'], onKey: false },
	);
	const insideTraining = SPEC_JSON.indexOf('{\n\t\t"alpha"') + 1;
	assert.deepEqual(
		jsonPathAtOffset(SPEC_JSON, insideTraining),
		{ path: ['training'], onKey: false },
	);
	assert.equal(jsonPathAtOffset(`  ${SPEC_JSON}`, 0), undefined);
	assert.equal(jsonPathAtOffset(SPEC_JSON, SPEC_JSON.length + 5), undefined);
	assert.equal(jsonPathAtOffset('', 0), undefined);
});

test('jsonPathAtOffset agrees with locateJsonPath', () => {
	const paths: (string | number)[][] = [
		['name'],
		['model', 'type'],
		['model', 'a'],
		['data', 'y', 0],
		['training', 'T'],
	];
	for (const path of paths) {
		const location = locateJsonPath(SPEC_JSON, path);
		for (let offset = location.valueStart; offset < location.valueEnd; offset += 1) {
			const found = jsonPathAtOffset(SPEC_JSON, offset);
			assert.deepEqual(
				found?.path,
				path,
				`offset ${offset} in the value of ${path.join('.')}`,
			);
		}
	}
});

test('JSON locators never throw', () => {
	const pathPart = fc.oneof(fc.constantFrom('training', 'alpha', 'data', 'y'), fc.nat(3));
	const mutation = fc.record({
		position: fc.nat({ max: SPEC_JSON.length }),
		deleteCount: fc.nat({ max: 6 }),
		insert: fc.string({ unit: fc.constantFrom(...'{}[]:,"0123456789e-. \n/*'), maxLength: 6 }),
	});
	const text = fc.oneof(
		fc.string({ maxLength: 120 }),
		mutation.map(({ position, deleteCount, insert }) => {
			return SPEC_JSON.slice(0, position) + insert + SPEC_JSON.slice(position + deleteCount);
		}),
	);
	fc.assert(
		fc.property(text, fc.array(pathPart, { maxLength: 4 }), fc.nat(200), (json, path, at) => {
			const location = locateJsonPath(json, path);
			const range = `[${location.valueStart}, ${location.valueEnd})`;
			assert.ok(
				location.valueStart <= location.valueEnd,
				`input ${JSON.stringify(json)}: ${range}`,
			);
			assert.ok(location.valueEnd <= json.length, `input ${JSON.stringify(json)}: ${range}`);
			assert.deepEqual(
				location.path,
				path.slice(0, location.path.length),
				'located path is a prefix',
			);
			const found = jsonPathAtOffset(json, at);
			assert.ok(
				found === undefined || Array.isArray(found.path),
				`offset ${at}: ${String(found)}`,
			);
		}),
		{ numRuns: 500, seed: 3 },
	);
});

const SPEC_TS = `const ALPHA = 2 ** 10;
/** @ntk */
export const first = {
	model: { type: 'quadratic', a: 0.7 },
	training: { alpha: ALPHA, T: 1e4 },
	data: { y: [1, -2] },
};
const second = { training: { 'alpha': 5 } } satisfies NtkSpec;
`;

test('locateTsPath falls back to ancestors', () => {
	const [first] = findTypeScriptSpecs(SPEC_TS, 'specs.ts');
	const alpha = locateTsPath(first, ['training', 'alpha']);
	assert.equal(keyText(SPEC_TS, alpha), 'alpha');
	assert.equal(valueText(SPEC_TS, alpha), 'ALPHA');
	assert.equal(valueText(SPEC_TS, locateTsPath(first, ['data', 'y', 1])), '-2');
	const missing = locateTsPath(first, ['training', 'loss']);
	assert.deepEqual(missing.path, ['training']);
	assert.equal(keyText(SPEC_TS, missing), 'training');
	const root = locateTsPath(first, ['analysis', 'epsilon']);
	assert.deepEqual(root.path, []);
	assert.equal(valueText(SPEC_TS, root), SPEC_TS.slice(first.start, first.end));
});

test('locateTsPath matches numeric keys', () => {
	const source = `const spec = { weights: { 0: [1, 2], '1': [3] } } satisfies NtkSpec;`;
	const [entry] = findTypeScriptSpecs(source, 'weights.ts');
	assert.equal(valueText(source, locateTsPath(entry, ['weights', 0, 1])), '2');
	assert.equal(valueText(source, locateTsPath(entry, ['weights', '0', 0])), '1');
	assert.equal(valueText(source, locateTsPath(entry, ['weights', 1, 0])), '3');
	assert.deepEqual(locateTsPath(entry, ['weights', '01']).path, ['weights']);
});

test('tsPathAtOffset across several specs', () => {
	const entries = findTypeScriptSpecs(SPEC_TS, 'specs.ts');
	const onKey = tsPathAtOffset(entries, SPEC_TS.indexOf('alpha: ALPHA') + 1);
	assert.equal(onKey?.entry.name, 'first');
	assert.deepEqual(onKey?.path, ['training', 'alpha']);
	assert.equal(onKey?.onKey, true);
	const onValue = tsPathAtOffset(entries, SPEC_TS.indexOf('1e4') + 2);
	assert.deepEqual([onValue?.path, onValue?.onKey], [['training', 'T'], false]);
	const onElement = tsPathAtOffset(entries, SPEC_TS.indexOf('-2'));
	assert.deepEqual(onElement?.path, ['data', 'y', 1]);
	const second = tsPathAtOffset(entries, SPEC_TS.indexOf(`'alpha'`));
	assert.equal(second?.entry.name, 'second');
	assert.deepEqual([second?.path, second?.onKey], [['training', 'alpha'], true]);
	const between = tsPathAtOffset(entries, SPEC_TS.indexOf('{ type') + 1);
	assert.deepEqual([between?.path, between?.onKey], [['model'], false]);
	const beforeValue = tsPathAtOffset(entries, SPEC_TS.indexOf('{ type') - 1);
	assert.deepEqual([beforeValue?.path, beforeValue?.onKey], [[], false]);
	assert.equal(
		tsPathAtOffset(entries, 3),
		undefined,
		'offset in the ALPHA declaration outside any spec value',
	);
	assert.equal(tsPathAtOffset(entries, SPEC_TS.length), undefined);
	assert.equal(tsPathAtOffset([], 10), undefined);
});

test('tsPathAtOffset at range boundaries', () => {
	const entries = findTypeScriptSpecs(SPEC_TS, 'specs.ts');
	const keyStart = SPEC_TS.indexOf('alpha: ALPHA');
	assert.equal(tsPathAtOffset(entries, keyStart)?.onKey, true, 'first character of the key');
	const afterKey = tsPathAtOffset(entries, keyStart + 'alpha'.length);
	assert.deepEqual(
		[afterKey?.path, afterKey?.onKey],
		[['training'], false],
		'the colon belongs to the object',
	);
});
