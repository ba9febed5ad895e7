import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describeHorizon, formatHorizon, formatNumber } from '../../../extension/format';

test('formatNumber keeps 3 significant digits', () => {
	const cases: [number, string][] = [
		[0, '0'],
		[612.345, '612'],
		[1234.5, '1230'],
		[0.05, '0.05'],
		[0.0012345, '0.00123'],
		[12345, '1.23e4'],
		[1e4, '1e4'],
		[4e-7, '4e-7'],
		[-2.5e8, '-2.5e8'],
		[1, '1'],
		[Infinity, 'infinity'],
		[Number.NaN, 'NaN'],
	];
	for (const [input, expected] of cases) {
		assert.equal(
			formatNumber(input),
			expected,
			`formatNumber(${input}): got ${formatNumber(input)}, expected ${expected}`,
		);
	}
});

test('formatHorizon covers every kind', () => {
	assert.equal(formatHorizon({ kind: 'finite', time: 1234.5 }), '1230');
	assert.equal(
		formatHorizon({ kind: 'unbounded', reason: 'tolerance above the ceiling' }),
		'unbounded',
	);
	assert.equal(formatHorizon({ kind: 'notApplicable', reason: 'ReLU' }), 'not applicable');
	assert.equal(
		formatHorizon({
			kind: 'notReached',
			searchedUntil: 50,
			peakError: 0.0123,
			peakTime: 41.27,
		}),
		'not reached up to t = 50 (peak E 0.0123 at t = 41.3)',
	);
});

test('describeHorizon adds the reason', () => {
	assert.equal(
		describeHorizon({ kind: 'notApplicable', reason: 'Dh is not Lipschitz' }),
		'not applicable: Dh is not Lipschitz',
	);
	assert.equal(describeHorizon({ kind: 'finite', time: 3 }), '3');
});
