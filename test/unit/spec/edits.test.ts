import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import {
	formatNumber,
	formatNumberDown,
	formatNumberUp,
	replaceValueEdit,
} from '../../../src/spec/edits';
import type { TextEdit } from '../../../src/spec/edits';
import { locateJsonPath, locateTsPath } from '../../../src/spec/locate';
import { findTypeScriptSpecs } from '../../../src/spec/tsSpecs';

function applyEdit(text: string, edit: TextEdit): string {
	return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

/** Counts the significant digits of a number's text, ignoring sign, leading zeros and exponent. */
function significantDigits(text: string): number {
	const mantissa = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
	return mantissa.replace(/0+$/, '').length;
}

test('formatNumberUp and formatNumberDown on a table', () => {
	const cases: [number, number, string, string][] = [
		[1234.5, 3, '1240', '1230'],
		[-1234.5, 3, '-1230', '-1240'],
		[1000, 3, '1000', '1000'],
		[0.99999, 3, '1', '0.999'],
		[0.96, 1, '1', '0.9'],
		[1.0000001, 3, '1.01', '1'],
		[0.1 + 0.2, 3, '0.301', '0.3'],
		[123456789, 2, '1.3e8', '1.2e8'],
		[1.2345e-7, 3, '1.24e-7', '1.23e-7'],
		[0.00012345, 3, '0.000124', '0.000123'],
		[999999.5, 3, '1e6', '999000'],
		[0, 3, '0', '0'],
		[5e-324, 3, '4.94e-324', '4.94e-324'],
		[Number.MAX_VALUE, 3, '1.7976931348623157e308', '1.79e308'],
	];
	for (const [x, digits, up, down] of cases) {
		assert.equal(
			formatNumberUp(x, digits),
			up,
			`formatNumberUp(${x}, ${digits}): expected ${up}`,
		);
		assert.equal(
			formatNumberDown(x, digits),
			down,
			`formatNumberDown(${x}, ${digits}): expected ${down}`,
		);
	}
});

test('formatNumber writes readable text', () => {
	const cases: [number, string][] = [
		[1e6, '1e6'],
		[123456, '123456'],
		[0.0001, '0.0001'],
		[0.00001, '1e-5'],
		[-2.5e-7, '-2.5e-7'],
		[1e21, '1e21'],
		[1.5, '1.5'],
		[-0, '0'],
		[100, '100'],
		[2 ** 60, '1.152921504606847e18'],
	];
	for (const [x, expected] of cases) {
		assert.equal(formatNumber(x), expected, `formatNumber(${x})`);
	}
	assert.equal(formatNumber(Math.PI, { digits: 4 }), '3.142');
});

test('rounded text brackets the value', () => {
	const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
	fc.assert(
		fc.property(finite, fc.integer({ min: 1, max: 17 }), (x, digits) => {
			const up = formatNumberUp(x, digits);
			const down = formatNumberDown(x, digits);
			const upValue = Number(up);
			const downValue = Number(down);
			assert.ok(
				upValue >= x,
				`formatNumberUp(${x}, ${digits}) = ${up} reads as ${upValue} < ${x}`,
			);
			assert.ok(
				downValue <= x,
				`formatNumberDown(${x}, ${digits}) = ${down} reads as ${downValue} > ${x}`,
			);
			assert.equal(JSON.parse(up), upValue, `${up} is not the same JSON number`);
			assert.equal(JSON.parse(down), downValue, `${down} is not the same JSON number`);
			assert.ok(
				Number.isFinite(upValue) && Number.isFinite(downValue),
				`input ${x}: ${up}, ${down} not finite`,
			);
			const unit = Math.abs(x) * 10 ** (1 - digits);
			const tolerance = unit + Number.MIN_VALUE * 4;
			assert.ok(
				upValue - x <= tolerance,
				`formatNumberUp(${x}, ${digits}) = ${up}: gap ${upValue - x} > ${tolerance}`,
			);
			assert.ok(
				x - downValue <= tolerance,
				`formatNumberDown(${x}, ${digits}) = ${down}: gap ${x - downValue} > ${tolerance}`,
			);
			// Near the largest double, rounding away from zero overflows, so more digits are kept.
			if (Math.abs(x) < 1e300) {
				assert.ok(
					significantDigits(up) <= digits,
					`formatNumberUp(${x}, ${digits}) = ${up} has too many digits`,
				);
				assert.ok(
					significantDigits(down) <= digits,
					`formatNumberDown(${x}, ${digits}) = ${down} has too many digits`,
				);
			}
		}),
		{ numRuns: 3000, seed: 42 },
	);
});

test('exact formatNumber reads back as the same double', () => {
	fc.assert(
		fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
			const text = formatNumber(x);
			assert.ok(
				Object.is(Number(text), x) || (x === 0 && Number(text) === 0),
				`formatNumber(${x}) = ${text}`,
			);
		}),
		{ numRuns: 3000, seed: 5 },
	);
});

test('formatNumber rejects bad input', () => {
	assert.throws(
		() => formatNumber(Infinity),
		{ name: 'RangeError', message: /finite, got Infinity/ },
	);
	assert.throws(() => formatNumber(NaN), { name: 'RangeError', message: /finite, got NaN/ });
	assert.throws(
		() => formatNumberUp(1, 0),
		{ name: 'RangeError', message: /from 1 to 17, got 0/ },
	);
	assert.throws(() => formatNumberDown(1, 18), { name: 'RangeError', message: /got 18/ });
	assert.throws(() => formatNumberUp(1, 2.5), { name: 'RangeError', message: /got 2.5/ });
});

test('replaceValueEdit in JSON', () => {
	const text = '{\r\n\t"name": "αβ 😀",\r\n\t"training": { "alpha": 10, "T": 5 }\r\n}';
	const location = locateJsonPath(text, ['training', 'alpha']);
	const edit = replaceValueEdit(text, location, 1234.5, { digits: 3, rounding: 'up' });
	assert.deepEqual(edit, { start: location.valueStart, end: location.valueEnd, newText: '1240' });
	const edited = applyEdit(text, edit);
	assert.deepEqual(JSON.parse(edited).training, { alpha: 1240, T: 5 });
});

test('replaceValueEdit replaces a whole TS expression', () => {
	const source = `const BASE = 10;\n/** @ntk */\nconst spec = {\n\ttraining: { alpha: 2 ** 10, T: 1e4, beta: BASE * (3 + 1) },\n};\n`;
	const cases: [string[], number, string][] = [
		[['training', 'alpha'], 5000, 'alpha: 5000,'],
		[['training', 'T'], 0.25, 'T: 0.25,'],
		[['training', 'beta'], 1e-9, 'beta: 1e-9 }'],
	];
	for (const [path, value, fragment] of cases) {
		const [entry] = findTypeScriptSpecs(source, 'spec.ts');
		const edit = replaceValueEdit(source, locateTsPath(entry, path), value);
		const edited = applyEdit(source, edit);
		assert.ok(
			edited.includes(fragment),
			`path ${path.join('.')}: edited text lacks '${fragment}':\n${edited}`,
		);
		const [after] = findTypeScriptSpecs(edited, 'spec.ts');
		const training = after.value.training as Record<string, unknown>;
		assert.equal(training[path[1]], value, `path ${path.join('.')}: value after the edit`);
		assert.deepEqual(after.issues, []);
	}
});

test('replaceValueEdit expands a shorthand property', () => {
	const source = `const alpha = 10;\nconst spec = { training: { alpha } } satisfies NtkSpec;\n`;
	const [entry] = findTypeScriptSpecs(source, 'spec.ts');
	const edited = applyEdit(
		source,
		replaceValueEdit(source, locateTsPath(entry, ['training', 'alpha']), 42),
	);
	assert.ok(edited.includes('{ training: { alpha: 42 } }'), `edited text:\n${edited}`);
	const [after] = findTypeScriptSpecs(edited, 'spec.ts');
	assert.deepEqual(after.value, { training: { alpha: 42 } });
});

test('replaceValueEdit rejects objects and bad ranges', () => {
	const text = '{ "training": { "alpha": 1 } }';
	const parent = locateJsonPath(text, ['training', 'missing']);
	assert.throws(
		() => replaceValueEdit(text, parent, 3),
		{ name: 'RangeError', message: /contains an object or array/ },
	);
	const outside = { valueStart: 5, valueEnd: text.length + 1 };
	assert.throws(
		() => replaceValueEdit(text, outside, 3),
		{ name: 'RangeError', message: /within the text of length/ },
	);
	const reversed = { valueStart: 6, valueEnd: 5 };
	assert.throws(() => replaceValueEdit(text, reversed, 3), { name: 'RangeError' });
	const alpha = locateJsonPath(text, ['training', 'alpha']);
	assert.throws(
		() => replaceValueEdit(text, alpha, Infinity),
		{ name: 'RangeError', message: /finite/ },
	);
});

test('replaceValueEdit fills an empty value', () => {
	const text = '{ "training": { "alpha": } }';
	const location = locateJsonPath(text, ['training', 'alpha']);
	const edited = applyEdit(text, replaceValueEdit(text, location, 20));
	assert.equal(edited, '{ "training": { "alpha":20 } }');
	assert.deepEqual(JSON.parse(edited), { training: { alpha: 20 } });
});
