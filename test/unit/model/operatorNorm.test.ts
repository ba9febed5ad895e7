import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SimulationError } from '../../../src/errors';
import {
	certifiedSpectralNorm,
	frobeniusNorm,
	largestSymmetricEigenvalue,
	spectralNorm,
} from '../../../src/model/operatorNorm';
import { assertClose } from './helpers';

// A 2 x 3 matrix with singular values 5 and 3 (numpy.linalg.svd).
const MATRIX = Float64Array.of(3, 2, 2, 2, 3, -2);

test('spectral norm of known matrix', () => {
	assertClose(spectralNorm(MATRIX, 2, 3), 5, 1e-15, '||[[3, 2, 2], [2, 3, -2]]||_2');
	const transposed = Float64Array.of(3, 2, 2, 3, 2, -2);
	assertClose(spectralNorm(transposed, 3, 2), 5, 1e-15, 'norm of the transpose');
	assert.equal(spectralNorm(new Float64Array(0), 0, 4), 0);
});

test('certified norm is slightly larger', () => {
	const exact = spectralNorm(MATRIX, 2, 3);
	const certified = certifiedSpectralNorm(MATRIX, 2, 3);
	assert.ok(certified >= exact, `certified ${certified} below computed ${exact}`);
	assert.ok(certified <= exact * (1 + 1e-13), `certified ${certified} far above computed ${exact}`);
});

test('largest eigenvalue and Frobenius norm', () => {
	const symmetric = Float64Array.of(2, 1, 1, 2);
	assertClose(largestSymmetricEigenvalue(symmetric, 2), 3, 1e-15, 'lambda_max [[2, 1], [1, 2]]');
	assertClose(frobeniusNorm(MATRIX), Math.sqrt(34), 1e-15, '||A||_F');
});

test('non-finite entries raise SimulationError', () => {
	const broken = Float64Array.of(1, Number.NaN, 0, 1, 2, 3);
	let caught: unknown;
	try {
		spectralNorm(broken, 2, 3);
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof SimulationError, `expected a SimulationError, got ${String(caught)}`);
	assert.equal(caught.kind, 'nonFinite');
});
