import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import type { ModelSpec } from '../../../src/spec/types';
import { issueOf, makeSpec } from './helpers';

test('createModel rejects unknown type', () => {
	const spec = makeSpec({ type: 'cnn' } as unknown as ModelSpec, [[1]]);
	const issue = issueOf(() => createModel(spec));
	assert.equal(issue.path, 'model.type');
	assert.match(issue.message, /"cnn" is not supported; use "quadratic", "linear" or "mlp"/);
});

test('createModel dispatches on type', () => {
	const quadratic = createModel(makeSpec({ type: 'quadratic', a: 1, b: 0, w0: 0 }, [[]]));
	const linear = createModel(makeSpec({ type: 'linear', w0: [] }, [[1, 2]]));
	const mlp = createModel(
		makeSpec(
			{
				type: 'mlp',
				widths: [2, 3, 1],
				activation: 'tanh',
				bias: false,
				parametrization: 'ntk',
				centering: 'none',
				init: { seed: 1 },
			},
			[[1, 2]],
		),
	);
	assert.equal(quadratic.parameterCount, 1);
	assert.equal(linear.parameterCount, 2);
	assert.equal(mlp.parameterCount, 9);
});

test('models reject wrong buffer lengths', () => {
	const mlp = createModel(
		makeSpec(
			{
				type: 'mlp',
				widths: [2, 3, 1],
				activation: 'tanh',
				bias: false,
				parametrization: 'ntk',
				centering: 'none',
				init: { seed: 1 },
			},
			[[1, 2]],
		),
	);
	assert.throws(() => mlp.evaluate(new Float64Array(8), new Float64Array(1)), /expected 9 parameters, got 8/);
	assert.throws(() => mlp.jacobian(new Float64Array(9), new Float64Array(8)), /expected an output buffer of 9, got 8/);
	const quadratic = createModel(makeSpec({ type: 'quadratic', a: 1, b: 0, w0: 0 }, [[]]));
	assert.throws(() => quadratic.jacobian(new Float64Array(2), new Float64Array(1)), RangeError);
});
