import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { formatPowerOfTen, formatValue, logRange, logSafeSeries, logTicks } from '../../../webview/logScale';

test('logSafeSeries drops unplottable values', () => {
	const input = [1, 0, -2, Number.NaN, Infinity, -Infinity, null, 1e-130, 100];
	const series = logSafeSeries(input);
	assert.equal(series.values.length, input.length, `input length ${input.length}, output ${series.values.length}`);
	assert.deepEqual(series.values, [0, null, null, null, null, null, null, -130, 2]);
	assert.equal(series.dropped, 5, `dropped: value ${series.dropped}, expected 5 (0, -2, NaN, +-Infinity)`);
	assert.equal(series.min, -130);
	assert.equal(series.max, 2);
});

test('logSafeSeries of nothing plottable', () => {
	const series = logSafeSeries([0, null, -1]);
	assert.equal(series.min, null);
	assert.equal(series.max, null);
	assert.deepEqual(series.values, [null, null, null]);
});

test('logRange pads, handles one value and none', () => {
	assert.deepEqual(logRange(null, null), { min: -1, max: 1 });
	assert.deepEqual(logRange(-3, -3), { min: -3.5, max: -2.5 });
	const padded = logRange(-130, 0);
	assert.ok(padded.min < -130, `range for [-130, 0]: ${JSON.stringify(padded)}, min not padded`);
	assert.ok(padded.max > 0, `range for [-130, 0]: ${JSON.stringify(padded)}, max not padded`);
	assert.deepEqual(logRange(Number.NaN, 1), { min: -1, max: 1 });
	assert.deepEqual(logRange(-Infinity, 1), { min: -1, max: 1 });
});

test('logTicks spans 130 decades with few ticks', () => {
	const ticks = logTicks({ min: -131, max: 1 }, 6);
	assert.ok(ticks.length >= 2, `tick count ${ticks.length}, expected at least 2`);
	assert.ok(ticks.length <= 6, `tick count ${ticks.length}, expected at most 6`);
	assert.ok(ticks.every((tick) => Number.isInteger(tick.position)), `positions ${ticks.map((t) => t.position)}`);
	assert.ok(ticks.some((tick) => tick.label === '10⁻¹⁰⁰'), `labels ${ticks.map((t) => t.label)}`);
});

test('logTicks inside one decade uses mantissas', () => {
	const ticks = logTicks({ min: Math.log10(0.15), max: Math.log10(0.99) }, 6);
	// 1..9 would give 8 ticks (0.2 to 0.9), more than 6, so 1, 2, 5 is used.
	assert.deepEqual(
		ticks.map((tick) => tick.label),
		['0.2', '0.5'],
	);
	const dense = logTicks({ min: Math.log10(0.15), max: Math.log10(0.99) }, 10);
	assert.equal(dense.length, 8, `maxCount 10: labels ${dense.map((tick) => tick.label)}`);
});

test('logTicks on a very narrow range', () => {
	const range = { min: 0, max: 0.001 };
	const ticks = logTicks(range, 5);
	assert.ok(ticks.length >= 2, `range ${JSON.stringify(range)}: ticks ${JSON.stringify(ticks)}`);
	assert.ok(ticks.every((tick) => tick.position >= range.min - 1e-12 && tick.position <= range.max + 1e-12));
});

test('logTicks of an empty or invalid range', () => {
	assert.deepEqual(logTicks({ min: 1, max: 1 }, 5), []);
	assert.deepEqual(logTicks({ min: Number.NaN, max: 1 }, 5), []);
	assert.deepEqual(logTicks({ min: 0, max: Infinity }, 5), []);
});

test('logTicks stays bounded, ordered and in range', () => {
	fc.assert(
		fc.property(
			fc.double({ min: -320, max: 320, noNaN: true }),
			fc.double({ min: 1e-6, max: 640, noNaN: true }),
			fc.integer({ min: 2, max: 12 }),
			(min, span, maxCount) => {
				const range = { min, max: min + span };
				const ticks = logTicks(range, maxCount);
				const context = `range ${JSON.stringify(range)}, maxCount ${maxCount}, ticks ${JSON.stringify(ticks)}`;
				assert.ok(ticks.length <= Math.max(maxCount, 2), `too many ticks: ${context}`);
				for (let i = 0; i < ticks.length; i++) {
					assert.ok(ticks[i].position >= range.min - 1e-9, `tick ${i} below the range: ${context}`);
					assert.ok(ticks[i].position <= range.max + 1e-9, `tick ${i} above the range: ${context}`);
					assert.ok(i === 0 || ticks[i].position > ticks[i - 1].position, `not increasing: ${context}`);
					assert.ok(ticks[i].label.length > 0, `tick ${i} has an empty label: ${context}`);
					assert.doesNotMatch(ticks[i].label, /NaN|Infinity/, `tick ${i} label: ${context}`);
				}
			},
		),
		{ numRuns: 500 },
	);
});

test('formatPowerOfTen near one and far', () => {
	const cases: [number, string][] = [
		[0, '1'],
		[1, '10'],
		[3, '1000'],
		[-2, '0.01'],
		[4, '10⁴'],
		[-3, '10⁻³'],
		[-130, '10⁻¹³⁰'],
	];
	for (const [exponent, expected] of cases) {
		assert.equal(formatPowerOfTen(exponent), expected, `exponent ${exponent}`);
	}
});

test('formatValue three significant digits', () => {
	const cases: [number | null, string][] = [
		[3.41421, '3.41'],
		[100, '100'],
		[0.05, '0.05'],
		[1.2345e-7, '1.23e-7'],
		[123456, '1.23e5'],
		[0, '0'],
		[null, '–'],
		[Number.NaN, '–'],
		[Infinity, '–'],
	];
	for (const [value, expected] of cases) {
		assert.equal(formatValue(value), expected, `value ${value}`);
	}
});
