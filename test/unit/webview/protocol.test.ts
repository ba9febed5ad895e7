import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import {
	checkHostMessage,
	checkWebviewMessage,
	isHostMessage,
	isWebviewMessage,
	mergeProgress,
	toPanelProgress,
	toPanelResult,
	toPanelSweep,
	type PanelProgress,
} from '../../../src/protocol';
import type { SimulationResult } from '../../../src/results';
import { SAMPLE_KEY, sampleMessages, sampleResult, sampleSweep } from './sampleData';

/** Sends a value through JSON, as `postMessage` to and from a webview does. */
function roundTrip<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

test('sample host messages pass the guard', () => {
	for (const message of sampleMessages()) {
		assert.equal(checkHostMessage(roundTrip(message)), undefined, `message type ${message.type}`);
	}
});

test('host guard rejects junk', () => {
	const junk: unknown[] = [
		null,
		undefined,
		42,
		'restore',
		[],
		[{ type: 'focus', key: 'a' }],
		{},
		{ type: 'toString' },
		{ type: '__proto__' },
		{ type: 'constructor' },
		{ type: 'hasOwnProperty', key: 'a' },
		{ type: 'focus' },
		{ type: 'focus', key: 7 },
		{ type: 'exportRequest', requestId: 1, format: 'jpeg' },
		{ type: 'exportRequest', requestId: -1, format: 'png' },
		{ type: 'exportRequest', requestId: 1.5, format: 'png' },
		{ type: 'stateRequest', requestId: '1' },
		{ type: 'status', key: 'a', status: { kind: 'fatal', text: 'x' } },
		{ type: 'restore', state: { entries: {}, focusedKey: null } },
	];
	for (const value of junk) {
		const problem = checkHostMessage(value);
		assert.equal(typeof problem, 'string', `input ${JSON.stringify(value)}: accepted, expected a problem`);
		assert.equal(isHostMessage(value), false, `input ${JSON.stringify(value)}`);
	}
});

test('host guard names the bad field', () => {
	const message = roundTrip(sampleMessages()[1]) as unknown as { result: { err: unknown[] } };
	message.result.err[3] = 'x';
	assert.equal(checkHostMessage(message), 'message.result.err[3]: expected a finite number, got "x"');
});

test('host guard rejects misaligned series', () => {
	const message = roundTrip(sampleMessages()[1]) as unknown as { result: { normR: unknown[] } };
	message.result.normR.pop();
	const problem = checkHostMessage(message);
	assert.match(String(problem), /normR: expected 25 entries like times, got 24/);
});

test('host guard rejects non-finite numbers not sent through JSON', () => {
	const message = sampleMessages()[1] as unknown as { result: { err: number[] } };
	const result = { ...message, result: { ...message.result, err: [...message.result.err] } };
	result.result.err[0] = Infinity;
	assert.match(String(checkHostMessage(result)), /err\[0\]: expected a finite number/);
	result.result.err[0] = Number.NaN;
	assert.match(String(checkHostMessage(result)), /err\[0\]: expected a finite number/);
});

test('host guard checks every horizon kind', () => {
	const base = roundTrip(sampleMessages()[0]) as unknown as { analysis: { horizons: Record<string, unknown> } };
	const valid = [
		{ kind: 'finite', time: 0 },
		{ kind: 'unbounded', reason: 'tolerance above the ceiling' },
		{ kind: 'notApplicable', reason: 'ReLU' },
		{ kind: 'notReached', searchedUntil: 100, peakError: 0.01, peakTime: 100 },
	];
	const invalid = [
		{ kind: 'finite', time: null },
		{ kind: 'finite', time: -1 },
		{ kind: 'finite' },
		{ kind: 'unbounded' },
		{ kind: 'notReached', searchedUntil: 100 },
		{ kind: 'infinite' },
		null,
	];
	for (const horizon of valid) {
		base.analysis.horizons.estimate = horizon;
		assert.equal(checkHostMessage(base), undefined, `horizon ${JSON.stringify(horizon)}`);
	}
	for (const horizon of invalid) {
		base.analysis.horizons.estimate = horizon;
		assert.match(String(checkHostMessage(base)), /horizons\.estimate/, `horizon ${JSON.stringify(horizon)}`);
	}
});

test('webview guard accepts each message type', () => {
	const valid: unknown[] = [
		{ type: 'ready' },
		{ type: 'command', command: 'simulate', key: SAMPLE_KEY },
		{ type: 'command', command: 'exportSvg', key: null },
		{ type: 'exportResult', requestId: 3, format: 'png', base64: 'iVBORw0KGgo=' },
		{ type: 'requestFailed', requestId: 3, message: 'no chart' },
		{ type: 'log', level: 'warn', message: 'dropped' },
		{
			type: 'chartsState',
			requestId: 4,
			state: {
				focusedKey: null,
				label: null,
				status: '',
				charts: [{ id: 'error', title: 't', series: [{ name: 'E', points: 3 }], x: { min: 1, max: 10 }, y: null, markers: [], note: null }],
			},
		},
	];
	for (const message of valid) {
		assert.equal(checkWebviewMessage(message), undefined, `message ${JSON.stringify(message)}`);
		assert.equal(isWebviewMessage(message), true);
	}
});

test('webview guard rejects junk', () => {
	const junk: unknown[] = [
		null,
		'ready',
		{ type: 'command', command: 'rm -rf', key: null },
		{ type: 'command', command: 'simulate' },
		{ type: 'exportResult', requestId: 1, format: 'png', base64: 'not base64!' },
		{ type: 'exportResult', requestId: 1, format: 'png', base64: 'abc' },
		{ type: 'exportResult', requestId: 1, format: 'gif', base64: '' },
		{ type: 'log', level: 'fatal', message: 'x' },
		{ type: 'log', level: 'info' },
		{ type: 'chartsState', requestId: 1, state: { charts: 'none' } },
		{ type: 'restore', state: { entries: [], focusedKey: null } },
	];
	for (const value of junk) {
		assert.equal(typeof checkWebviewMessage(value), 'string', `input ${JSON.stringify(value)}: accepted`);
	}
});

test('guards never throw on random values', () => {
	fc.assert(
		fc.property(fc.jsonValue(), fc.constantFrom('focus', 'result', 'restore', 'progress', 'command', 'log'), (value, type) => {
			checkHostMessage(value);
			checkWebviewMessage(value);
			const tagged = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, type } : { type, value };
			checkHostMessage(tagged);
			checkWebviewMessage(tagged);
		}),
		{ numRuns: 500 },
	);
});

test('toPanelResult turns non-finite values into null', () => {
	const result = sampleResult();
	const broken: SimulationResult = {
		...result,
		err: [Infinity, Number.NaN, ...result.err.slice(2)],
		normKdrift: result.normKdrift.slice(0, 5),
		horizons: {
			...result.horizons,
			guaranteed: { kind: 'finite', time: Infinity },
			estimate: { kind: 'finite', time: Number.NaN },
		},
	};
	const encoded = toPanelResult(broken);
	assert.equal(encoded.err[0], null);
	assert.equal(encoded.err[1], null);
	assert.equal(encoded.err[2], result.err[2]);
	assert.equal(encoded.normKdrift.length, result.times.length, 'short series padded to the times length');
	assert.equal(encoded.normKdrift[5], null);
	assert.equal(encoded.horizons.guaranteed.kind, 'unbounded');
	assert.equal(encoded.horizons.estimate.kind, 'notApplicable');
	assert.equal(checkHostMessage({ type: 'result', key: 'k', result: encoded }), undefined, 'encoded result passes the guard');
	assert.deepEqual(roundTrip(encoded), encoded, 'encoded result survives JSON unchanged');
});

test('toPanelSweep keeps slopes and finite alphas', () => {
	const sweep = sampleSweep();
	const encoded = toPanelSweep({ ...sweep, olderSlope: Number.NaN, points: [...sweep.points, { ...sweep.points[0], alpha: Infinity }] });
	assert.equal(encoded.points.length, sweep.points.length);
	assert.equal(encoded.olderSlope, null);
	assert.equal(encoded.empiricalSlope, sweep.empiricalSlope);
});

function progressOf(times: number[], steps: number): PanelProgress {
	return toPanelProgress({ time: times[times.length - 1] ?? 0, fraction: 0.5, steps, times, err: times, normR: times, normRbar: times });
}

test('mergeProgress: cumulative and incremental agree', () => {
	const cumulative = [progressOf([1, 2], 10), progressOf([1, 2, 3, 4], 20), progressOf([1, 2, 3, 4, 5], 30)];
	const incremental = [progressOf([1, 2], 10), progressOf([3, 4], 20), progressOf([5], 30)];
	const merge = (reports: PanelProgress[]) => reports.reduce<PanelProgress | null>((held, next) => mergeProgress(held, next), null);
	const fromCumulative = merge(cumulative);
	const fromIncremental = merge(incremental);
	assert.deepEqual(fromCumulative?.times, [1, 2, 3, 4, 5]);
	assert.deepEqual(fromIncremental?.times, [1, 2, 3, 4, 5]);
	assert.deepEqual(fromCumulative?.err, fromIncremental?.err);
	assert.equal(fromIncremental?.steps, 30);
});

test('mergeProgress: fewer steps starts a new run', () => {
	const merged = mergeProgress(progressOf([1, 2, 3], 30), progressOf([1], 5));
	assert.deepEqual(merged.times, [1]);
	assert.equal(merged.steps, 5);
});
