import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createModel } from '../../../src/model/index';
import { createRandomStream } from '../../../src/random';
import type { MlpModelSpec } from '../../../src/spec/types';
import { issueOf, makeSpec } from './helpers';

const INPUTS = [
	[0.5, -1.2, 0.3],
	[1.1, 0.4, -0.7],
];

function mlp(widths: number[], init: MlpModelSpec['init'], options: Partial<MlpModelSpec> = {}): MlpModelSpec {
	return { type: 'mlp', widths, activation: 'tanh', bias: false, parametrization: 'ntk', centering: 'none', init, ...options };
}

test('seeded weights follow the stream', () => {
	const model = createModel(makeSpec(mlp([3, 4, 2], { seed: 42 }), INPUTS, 2));
	const random = createRandomStream(42);
	for (let index = 0; index < 12 + 8; index++) {
		assert.equal(model.initialParameters[index], random.normal(), `parameter ${index}`);
	}
});

test('seeded standard weights scaled by fan-in', () => {
	const spec = mlp([3, 4, 2], { seed: 42 }, { parametrization: 'standard', bias: true });
	const model = createModel(makeSpec(spec, INPUTS, 2));
	const random = createRandomStream(42);
	for (let index = 0; index < 12; index++) {
		assert.equal(model.initialParameters[index], random.normal() * (1 / Math.sqrt(3)), `W_0 entry ${index}`);
	}
	for (let index = 12; index < 16; index++) {
		assert.equal(model.initialParameters[index], 0, `b_0 entry ${index - 12}`);
	}
	for (let index = 16; index < 24; index++) {
		assert.equal(model.initialParameters[index], random.normal() * (1 / 2), `W_1 entry ${index - 16}`);
	}
});

test('two-layer layout with biases', () => {
	const weights = { W: [[1, 2, 3], [4, 5, 6]], bW: [0.1, 0.2], a: [[7, 8], [9, 10]], ba: [0.3, 0.4] };
	const model = createModel(makeSpec(mlp([3, 2, 2], { weights }, { bias: true }), INPUTS, 2));
	assert.deepEqual(Array.from(model.initialParameters), [1, 2, 3, 4, 5, 6, 0.1, 0.2, 7, 8, 9, 10, 0.3, 0.4]);
});

test('deep layout fills omitted biases', () => {
	const layers = [{ W: [[1, 2, 3], [4, 5, 6]], b: [0.5, 0.6] }, { W: [[1, -1], [2, -2]] }, { W: [[3, 4]], b: [9] }];
	const model = createModel(makeSpec(mlp([3, 2, 2, 1], { weights: { layers } }, { bias: true }), INPUTS, 1));
	assert.deepEqual(Array.from(model.initialParameters), [1, 2, 3, 4, 5, 6, 0.5, 0.6, 1, -1, 2, -2, 0, 0, 3, 4, 9]);
});

test('weight shape errors name the path', () => {
	const W = [[1, 2, 3], [4, 5, 6]];
	const cases: [MlpModelSpec, string, RegExp][] = [
		[mlp([3, 2, 1], { weights: { W: [[1, 2, 3]], a: [1, 2] } }), 'model.init.weights.W', /2 x 3/],
		[mlp([3, 2, 1], { weights: { W: [[1, 2, 3], [4, 5]], a: [1, 2] } }), 'model.init.weights.W.1', /3 numbers/],
		[mlp([3, 2, 1], { weights: { W, a: [1, 2, 3] } }), 'model.init.weights.a', /2 numbers/],
		[mlp([3, 2, 1], { weights: { W, a: [1, 'x'] } }), 'model.init.weights.a.1', /finite number/],
		[mlp([3, 2, 2], { weights: { W, a: [1, 2] } }), 'model.init.weights.a.0', /a is 2 x 2/],
		[mlp([3, 2, 1], { weights: { W, a: [1, 2], bW: [0, 0] } }), 'model.init.weights.bW', /bias: false/],
		[mlp([3, 2, 1], { weights: { W, a: [1, 2], c: 1 } }), 'model.init.weights.c', /unknown key/],
		[mlp([3, 2, 2, 1], { weights: { W, a: [1, 2] } }), 'model.init.weights', /layers/],
		[mlp([3, 2, 2, 1], { weights: { layers: [{ W }] } }), 'model.init.weights.layers', /3 layers/],
		[mlp([3, 2, 2, 1], { weights: { layers: [{ W }, { W: [[1, 2]] }, { W: [[1, 2]] }] } }), 'model.init.weights.layers.1.W', /2 x 2/],
		[mlp([3, 2, 1], { weights: { W, a: [1, 2], bW: [1] } }, { bias: true }), 'model.init.weights.bW', /2 numbers/],
		[mlp([3, 2, 1], { seed: 1.5 }), 'model.init.seed', /integer/],
		[mlp([3, 2, 1], { seed: 1, weights: { W, a: [1, 2] } } as MlpModelSpec['init']), 'model.init', /both/],
		[mlp([3, 2, 1], {} as MlpModelSpec['init']), 'model.init', /"seed"/],
		[mlp([3, 1], { seed: 1 }), 'model.widths', /at least one hidden layer/],
		[mlp([3, 0, 1], { seed: 1 }), 'model.widths.1', /positive integer/],
	];
	for (const [spec, path, message] of cases) {
		const issue = issueOf(() => createModel(makeSpec(spec, INPUTS, spec.widths[spec.widths.length - 1])));
		assert.equal(issue.path, path, `issue path for ${JSON.stringify(spec.init)}: ${issue.message}`);
		assert.match(issue.message, message, `issue message at ${path}`);
	}
});

test('data shape errors name the path', () => {
	const spec = mlp([3, 2, 1], { seed: 1 });
	const wrongWidth = issueOf(() => createModel(makeSpec(spec, [[1, 2, 3], [1, 2]])));
	assert.equal(wrongWidth.path, 'data.x.1');
	assert.match(wrongWidth.message, /expected d = widths\[0\] = 3/);
	const wrongOutputs = issueOf(() => createModel(makeSpec(spec, INPUTS, 2)));
	assert.equal(wrongOutputs.path, 'model.widths.2');
	const unknownActivation = issueOf(() => createModel(makeSpec({ ...spec, activation: 'elu' as 'tanh' }, INPUTS)));
	assert.equal(unknownActivation.path, 'model.activation');
});
