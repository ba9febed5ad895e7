import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import { assertClose, assertJacobianMatchesDifferences, issueOf, makeSpec } from './helpers';

const X = [
	[1, 2, 0],
	[0, -1, 3],
	[2, 2, 2],
	[0.5, 0, -1],
];

test('linear evaluates X w', () => {
	const model = createModel(makeSpec({ type: 'linear', w0: [1, 0, -1] }, X));
	const out = new Float64Array(4);
	model.evaluate(Float64Array.of(1, 2, 3), out);
	assert.deepEqual(Array.from(out), [5, 7, 12, -2.5]);
	assert.equal(model.parameterCount, 3);
	assert.equal(model.outputCount, 4);
	assert.deepEqual(Array.from(model.initialParameters), [1, 0, -1]);
});

test('linear Jacobian matches differences', () => {
	const model = createModel(makeSpec({ type: 'linear', w0: [] }, X));
	assertJacobianMatchesDifferences(model, Float64Array.of(0.3, -2, 1), 1e-9, 'linear');
	assert.deepEqual(Array.from(model.initialParameters), [0, 0, 0]);
});

test('linear Lipschitz constants', () => {
	const model = createModel(makeSpec({ type: 'linear', w0: [] }, X));
	const constants = model.lipschitz(5);
	assert.equal(constants.jacobianLipschitzBound, 0);
	assert.equal(constants.jacobianLipschitzExact, true);
	// Largest singular value of X, from numpy.linalg.norm(X, 2).
	assertClose(constants.modelLipschitzBound, 4.095742055306315, 1e-13, '||X||_2');
});

test('linear Lipschitz constants, tall and wide X agree', () => {
	const wide = createModel(makeSpec({ type: 'linear', w0: [] }, [[3, 4, 0, 0]]));
	assertClose(wide.lipschitz(0).modelLipschitzBound, 5, 1e-14, '||[3 4 0 0]||_2');
	const tall = createModel(makeSpec({ type: 'linear', w0: [] }, [[3], [4]]));
	assertClose(tall.lipschitz(0).modelLipschitzBound, 5, 1e-14, '||[3; 4]||_2');
});

test('linear rejects ragged x', () => {
	const issue = issueOf(() => createModel(makeSpec({ type: 'linear', w0: [] }, [[1, 2], [3]])));
	assert.equal(issue.path, 'data.x.1');
	assert.match(issue.message, /expected 2/);
});

test('linear rejects w0 of wrong length', () => {
	const issue = issueOf(() => createModel(makeSpec({ type: 'linear', w0: [1, 2] }, X)));
	assert.equal(issue.path, 'model.w0');
	assert.match(issue.message, /expected 3/);
});

test('linear rejects several outputs', () => {
	const issue = issueOf(() => createModel(makeSpec({ type: 'linear', w0: [] }, X, 2)));
	assert.equal(issue.path, 'data.y');
});
