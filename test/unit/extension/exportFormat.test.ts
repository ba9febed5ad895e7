import assert from 'node:assert/strict';
import { test } from 'node:test';

import { simulationToCsv, sweepToCsv, toJsonText } from '../../../extension/exportFormat';
import { newSpecText } from '../../../extension/newSpecTemplate';
import { loadSpec, simulateSpec } from '../../../src/api';
import type { SweepResult } from '../../../src/results';
import { readCaseText } from './helpers';

test('simulation CSV one row per time', () => {
	const { spec } = loadSpec(readCaseText('quad_generic'));
	const result = simulateSpec(spec);
	const csv = simulationToCsv(result);
	const lines = csv.trimEnd().split('\n');
	assert.equal(
		lines.length,
		result.times.length + 1,
		`lines ${lines.length}, times ${result.times.length}`,
	);
	const header = lines[0].split(',');
	assert.deepEqual(header.slice(0, 7), [
		'time',
		'err',
		'normR',
		'normRbar',
		'normDw',
		'normDwbar',
		'normKdrift',
	]);
	const first = lines[1].split(',');
	assert.equal(Number(first[0]), result.times[0]);
	assert.equal(
		Number(first[1]),
		result.err[0],
		`err[0] written ${first[1]}, value ${result.err[0]}`,
	);
	for (const line of lines.slice(1)) {
		assert.equal(
			line.split(',').length,
			header.length,
			`row has ${line.split(',').length} cells, header ${header.length}`,
		);
	}
});

test('sweep CSV leaves non-finite cells empty', () => {
	const sweep = {
		points: [
			{
				alpha: 10,
				empirical: { kind: 'notReached', searchedUntil: 100, peakError: 0.01, peakTime: 5 },
				guaranteed: { kind: 'finite', time: 1.5 },
				estimate: { kind: 'finite', time: 3 },
				older: { kind: 'notApplicable', reason: 'ReLU' },
				steps: 12,
			},
		],
		empiricalSlope: null,
		estimateSlope: null,
		olderSlope: null,
		spec: {},
	} as unknown as SweepResult;
	assert.equal(
		sweepToCsv(sweep),
		'alpha,empirical,empiricalKind,guaranteed,guaranteedKind,estimate,estimateKind,older,olderKind,steps\n10,,notReached,1.5,finite,3,finite,,notApplicable,12\n',
	);
});

test('JSON export writes non-finite as null', () => {
	assert.equal(
		toJsonText({ a: Infinity, b: [1, Number.NaN] }),
		'{\n  "a": null,\n  "b": [\n    1,\n    null\n  ]\n}\n',
	);
});

test('new spec template loads', () => {
	const text = newSpecText(0.02);
	const { spec, warnings } = loadSpec(text);
	assert.deepEqual(warnings, []);
	assert.equal(spec.analysis.epsilon, 0.02);
	assert.equal(spec.model.type, 'mlp');
	assert.ok(spec.sweep, 'template has a sweep range');
});
