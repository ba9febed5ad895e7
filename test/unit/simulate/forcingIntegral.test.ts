// The exponential method's exact integral of the linear flow's forcing, against Gauss-Legendre
// quadrature, including rates that coincide or nearly coincide with K_ref's eigenvalues.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ReferenceKernel } from '../../../src/simulate/deviation';
import { addForcingIntegral, removeForcing } from '../../../src/simulate/exponential';

const N = 3;
/** K_ref's eigenvalues and K0's, the second close to, equal to and far from the first. */
const EIGENVALUES = Float64Array.from([0, 2e-3, 40]);
const RATES = Float64Array.from([2e-3 * (1 + 1e-9), 2e-3, 3]);
const MATRIX = Float64Array.from([0.3, -1.2, 0.5, 2, 0.7, -0.4, -0.9, 1.1, 0.25]);

function reference(): ReferenceKernel {
	// Q_ref = I, so the coordinates are the vectors themselves.
	const vectors = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
	return {
		time: 0,
		jacobianOffset: null,
		jacobian: null,
		eigen: { size: N, values: EIGENVALUES, vectors },
		forcing: { matrix: MATRIX, rates: RATES },
	} as unknown as ReferenceKernel;
}

/** F_k(t) = -sum_l M_kl exp(-l_l t), or with `magnitude` the sum of the terms' magnitudes. */
function forcingAt(k: number, t: number, magnitude = false): number {
	let sum = 0;
	for (let l = 0; l < N; l++) {
		const term = MATRIX[k * N + l] * Math.exp(-RATES[l] * t);
		sum += magnitude ? Math.abs(term) : term;
	}
	return magnitude ? sum : -sum;
}

/** Gauss-Legendre (8 nodes) on `pieces` equal parts of [0, tau]. */
function quadrature(integrand: (s: number) => number, tau: number, pieces: number): number {
	const nodes = [
		-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
		0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363,
	];
	const weights = [
		0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
		0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763,
	];
	const width = tau / pieces;
	let sum = 0;
	for (let piece = 0; piece < pieces; piece++) {
		const middle = (piece + 0.5) * width;
		for (let j = 0; j < nodes.length; j++) {
			sum += weights[j] * integrand(middle + 0.5 * width * nodes[j]);
		}
	}
	return 0.5 * width * sum;
}

describe('exact forcing integral', () => {
	for (const [t, tau] of [
		[0, 0.5],
		[7, 30],
		[500, 900],
	] as const) {
		it(`matches quadrature from t = ${t} over ${tau}`, () => {
			const coordinates = new Float64Array(N);
			addForcingIntegral(reference(), t, tau, coordinates);
			for (let k = 0; k < N; k++) {
				const integrand = (s: number): number => Math.exp(-(tau - s) * EIGENVALUES[k]) * forcingAt(k, t + s);
				// Parts of length 1/40 resolve the boundary layer of exp(-40 (tau - s)) at s = tau.
				const pieces = Math.ceil(40 * tau);
				const expected = quadrature(integrand, tau, pieces);
				const magnitude = (s: number): number =>
					Math.exp(-(tau - s) * EIGENVALUES[k]) * forcingAt(k, t + s, true);
				const scale = quadrature(magnitude, tau, pieces);
				const error = Math.abs(coordinates[k] - expected);
				// The quadrature sums up to 288 000 terms, so its own rounding is about 1e-12.
				assert.ok(
					error <= 1e-11 * scale,
					`k ${k}: ${coordinates[k]}, quadrature ${expected}, difference ${error}`,
				);
			}
		});
	}

	it('gives identical sums from kept weights', () => {
		// One reference throughout, so later calls with a step fraction seen before reuse its
		// weights. Six fractions exceed the four kept, so some are computed again.
		const sharedReference = reference();
		const calls = [
			[0, 0.5], [3, 0.5], [3, 30], [9, 0.25], [9, 0.5], [20, 900], [20, 2], [21, 7], [40, 0.5], [41, 30], [41, 0.25],
		] as const;
		for (const [t, tau] of calls) {
			const reused = Float64Array.from([1, -2, 3]);
			const fresh = Float64Array.from([1, -2, 3]);
			addForcingIntegral(sharedReference, t, tau, reused);
			addForcingIntegral(reference(), t, tau, fresh, false);
			assert.deepEqual([...reused], [...fresh], `t ${t}, tau ${tau}`);
		}
	});

	it('is zero over a zero interval', () => {
		const coordinates = Float64Array.from([1, 2, 3]);
		addForcingIntegral(reference(), 5, 0, coordinates);
		assert.deepEqual([...coordinates], [1, 2, 3]);
	});

	it('removes F(t) from a remainder', () => {
		const eigen = new Float64Array(N);
		removeForcing(reference(), 12, eigen);
		for (let k = 0; k < N; k++) {
			const expected = -forcingAt(k, 12);
			assert.ok(Math.abs(eigen[k] - expected) <= 1e-15 * Math.abs(expected), `k ${k}: ${eigen[k]}, expected ${expected}`);
		}
	});
});
