import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import { assertClose, assertJacobianMatchesDifferences, issueOf, makeSpec, readCase } from './helpers';

test('quadratic evaluates a w + b w^2 / 2', () => {
	const model = createModel(makeSpec({ type: 'quadratic', a: 0.7, b: 2.5, w0: 0.3 }, [[]]));
	const out = new Float64Array(1);
	model.evaluate(Float64Array.of(-1.2), out);
	assertClose(out[0], 0.7 * -1.2 + (2.5 * 1.44) / 2, 1e-15, 'h(-1.2)');
	assert.equal(model.parameterCount, 1);
	assert.equal(model.outputCount, 1);
	assert.deepEqual(Array.from(model.initialParameters), [0.3]);
	assert.equal(model.smooth, true);
});

test('quadratic Jacobian matches differences', () => {
	const model = createModel(makeSpec({ type: 'quadratic', a: -0.4, b: 3, w0: 1 }, [[]]));
	for (const w of [-2, 0, 0.5, 7]) {
		assertJacobianMatchesDifferences(model, Float64Array.of(w), 1e-8, `w = ${w}`);
	}
});

test('quadratic Jacobian difference is b delta', () => {
	const model = createModel(makeSpec({ type: 'quadratic', a: 0.7, b: 2.5, w0: 0 }, [[]]));
	const out = new Float64Array(1);
	model.jacobianDifference?.(Float64Array.of(1e-9), out);
	assert.equal(out[0], 2.5e-9, `delta 1e-9: value ${out[0]}, expected 2.5e-9 exactly`);
});

test('quadratic Lipschitz constants exact', () => {
	const model = createModel(makeSpec({ type: 'quadratic', a: 0.7, b: -2.5, w0: 0.2 }, [[]]));
	const constants = model.lipschitz(0.4);
	assert.equal(constants.jacobianLipschitzBound, 2.5);
	assert.equal(constants.jacobianLipschitzExact, true);
	assertClose(constants.modelLipschitzBound, Math.abs(0.7 - 0.5) + 2.5 * 0.4, 1e-15, 'Lip(h), rho 0.4');
	assert.equal(model.lipschitz(Infinity).modelLipschitzBound, Infinity);
});

test('quadratic reference case constants', () => {
	const reference = readCase('quad_generic');
	const model = createModel(makeSpec(reference.model, [[]]));
	const jacobian = new Float64Array(1);
	model.jacobian(model.initialParameters, jacobian);
	assertClose(Math.abs(jacobian[0]), reference.expected.normJ0 as number, 1e-14, 'normJ0');
	assertClose(model.lipschitz(1).jacobianLipschitzBound, reference.expected.LipDh as number, 1e-14, 'LipDh');
});

test('quadratic rejects non-finite coefficients', () => {
	const issue = issueOf(() => createModel(makeSpec({ type: 'quadratic', a: Number.NaN, b: 1, w0: 0 }, [[]])));
	assert.equal(issue.path, 'model.a');
	assert.match(issue.message, /finite number, got NaN/);
});

test('quadratic rejects negative radius', () => {
	const model = createModel(makeSpec({ type: 'quadratic', a: 1, b: 1, w0: 0 }, [[]]));
	assert.throws(() => model.lipschitz(-1), RangeError);
	assert.throws(() => model.lipschitz(Number.NaN), RangeError);
});
