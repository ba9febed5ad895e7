import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tanh } from '../../../src/model/tanh';
import { createRandomStream } from '../../../src/random';

const UNIT = 2 ** -53;

// [x, tanh(x)] with tanh evaluated by mpmath at 200 bits for the double x, to 20 digits.
const REFERENCE: [number, number][] = [
	[1e-300, 1.0000000000000000251e-300],
	[3e-9, 2.999999999999999971e-9],
	[-2.5e-5, -0.000024999999994791667866],
	[0.0037, 0.0036999831157591249274],
	[-0.0054, -0.005399947512612213092],
	[0.05, 0.049958374957879974967],
	[0.2052969508116, 0.20246055352648189468],
	[-0.3466, -0.33335680843336192644],
	[0.5, 0.4621171572600097585],
	[-0.75, -0.63514895238728731921],
	[1.0, 0.76159415595576488812],
	[1.5, 0.90514825364486643824],
	[-2.0, -0.96402758007581688395],
	[3.0, 0.99505475368673045133],
	[-5.5, -0.99996659715630380964],
	[9.0, 0.99999996954004097448],
	[17.5, 0.99999999999999873898],
	[-19.0, -0.99999999999999993722],
	[21.9, 0.99999999999999999981],
];

test('tanh matches 200-bit values', () => {
	// Tolerance 5 * 2^-53: at most 3.45 * 2^-53 measured over 330 000 arguments, plus the rounding
	// of each reference to a double.
	for (const [x, expected] of REFERENCE) {
		const value = tanh(x);
		const error = Math.abs(value - expected) / Math.abs(expected);
		assert.ok(error <= 5 * UNIT, `tanh(${x}) = ${value}, expected ${expected}: relative error ${error / UNIT} * 2^-53, tolerance 5`);
	}
});

test('tanh matches Math.tanh per range', () => {
	const random = createRandomStream(11);
	// Tolerance 8 * 2^-53, the sum of both functions' measured errors rounded up.
	for (const [low, high] of [[1e-12, 1e-6], [1e-6, 0.01], [0.01, 0.4], [0.4, 1], [1, 3], [3, 10], [10, 23]]) {
		let worst = 0;
		let worstAt = 0;
		for (let i = 0; i < 20000; i++) {
			const magnitude = low * (high / low) ** random.uniform();
			const x = random.uniform() < 0.5 ? -magnitude : magnitude;
			const error = Math.abs(tanh(x) - Math.tanh(x)) / Math.abs(Math.tanh(x));
			if (error > worst) {
				worst = error;
				worstAt = x;
			}
		}
		assert.ok(worst <= 8 * UNIT, `[${low}, ${high}]: relative difference ${worst / UNIT} * 2^-53 at x = ${worstAt}, tolerance 8`);
	}
});

test('tanh special values', () => {
	assert.ok(Object.is(tanh(0), 0));
	assert.ok(Object.is(tanh(-0), -0));
	assert.equal(tanh(5e-324), 5e-324);
	assert.equal(tanh(22.5), 1);
	assert.equal(tanh(-22.5), -1);
	assert.equal(tanh(Infinity), 1);
	assert.equal(tanh(-Infinity), -1);
	assert.ok(Number.isNaN(tanh(Number.NaN)));
});

test('tanh monotone at table boundaries', () => {
	// 2x = (64 k + j) ln 2 / 64 + r switches j and k at odd multiples of ln(2) / 256.
	for (let index = -2000; index <= 2000; index += 7) {
		const boundary = ((index + 0.5) * Math.LN2) / 128;
		const below = tanh(boundary * (1 - 1e-15));
		const at = tanh(boundary);
		const above = tanh(boundary * (1 + 1e-15));
		const [low, high] = boundary > 0 ? [below, above] : [above, below];
		assert.ok(low <= at, `tanh not monotone below ${boundary}: ${below}, ${at}, ${above}`);
		assert.ok(at <= high, `tanh not monotone above ${boundary}: ${below}, ${at}, ${above}`);
	}
});
