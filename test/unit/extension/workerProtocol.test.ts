import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createProgressDelta } from '../../../extension/progressDelta';
import { errorToFailure, isWorkerMessage, TaskError } from '../../../extension/workerProtocol';
import { SimulationError, SpecError } from '../../../src/errors';

test('worker message guard rejects junk', () => {
	const junk: unknown[] = [
		null,
		undefined,
		42,
		'done',
		[],
		{},
		{ type: 'done' },
		{ type: 'done', id: '1', value: 1 },
		{ type: 'progress', id: 1 },
		{ type: 'progress', id: 1, progress: null },
		{ type: 'failed', id: 1, failure: { message: 'x' } },
		{ type: 'other', id: 1, value: 1 },
	];
	for (const message of junk) {
		assert.equal(isWorkerMessage(message), false, `accepted ${JSON.stringify(message)}`);
	}
});

test('worker message guard accepts valid', () => {
	const valid: unknown[] = [
		{ type: 'done', id: 1, value: undefined },
		{ type: 'progress', id: 2, progress: { fraction: 0.5 } },
		{ type: 'failed', id: 3, failure: { name: 'Error', message: 'x' } },
	];
	for (const message of valid) {
		assert.equal(isWorkerMessage(message), true, `rejected ${JSON.stringify(message)}`);
	}
});

test('typed errors survive the round trip', () => {
	const simulation = new TaskError(
		errorToFailure(new SimulationError('diverged', 'E(t) grew past 1e10 at t = 4', 4)),
	);
	assert.equal(simulation.errorName, 'SimulationError');
	assert.equal(simulation.kind, 'diverged');
	assert.equal(simulation.time, 4);
	assert.equal(simulation.message, 'E(t) grew past 1e10 at t = 4');
	assert.match(simulation.workerStack ?? '', /SimulationError/);

	const issue = {
		path: ['model', 'init', 'weights', 'W'],
		severity: 'error',
		code: 'shape',
		message: 'W has 2 rows, expected 3.',
	} as const;
	const spec = new TaskError(structuredClone(errorToFailure(new SpecError([issue]))));
	assert.equal(spec.errorName, 'SpecError');
	assert.deepEqual(spec.issues, [issue]);

	const thrownString = new TaskError(errorToFailure('plain text'));
	assert.equal(thrownString.message, 'plain text');
	assert.equal(thrownString.errorName, 'Error');
});

test('progress delta sends new points once', () => {
	const newPoints = createProgressDelta();
	const report = (times: number[]) => ({
		time: times[times.length - 1] ?? 0,
		fraction: 0.5,
		steps: times.length,
		times,
		err: times.map((t) => t / 10),
		normR: times,
		normRbar: times,
	});
	assert.deepEqual(newPoints(report([1, 2])).times, [1, 2]);
	const second = newPoints(report([1, 2, 3, 4]));
	assert.deepEqual(second.times, [3, 4]);
	assert.deepEqual(second.err, [0.3, 0.4]);
	assert.equal(second.steps, 4, 'steps and fraction pass through');
	assert.deepEqual(newPoints(report([5])).times, [5], 'a report of only new points passes whole');
	assert.deepEqual(newPoints(report([1, 2, 3, 4, 5])).times, [], 'nothing new');
});
