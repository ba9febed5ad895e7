import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyHostMessage, EMPTY_STATE, focusedEntry } from '../../../src/panelState';
import type { PanelEntry, PanelResult } from '../../../src/protocol';
import { formatHorizon, horizonRows, statusText } from '../../../webview/panelText';
import { sampleMessages, sampleProgressMessage } from './sampleData';

function entryAfter(count: number): PanelEntry {
	const entry = focusedEntry(sampleMessages().slice(0, count).reduce(applyHostMessage, EMPTY_STATE));
	assert.ok(entry !== null);
	return entry;
}

test('formatHorizon covers every kind', () => {
	assert.deepEqual(formatHorizon({ kind: 'finite', time: 1234.5 }), { value: '1230', detail: '' });
	assert.deepEqual(formatHorizon({ kind: 'unbounded', reason: 'r' }), { value: '∞', detail: 'r' });
	assert.deepEqual(formatHorizon({ kind: 'notApplicable', reason: 'ReLU' }), { value: 'n/a', detail: 'ReLU' });
	assert.deepEqual(formatHorizon({ kind: 'notReached', searchedUntil: 100, peakError: 0.02, peakTime: 100 }), {
		value: '> 100',
		detail: 'not reached; peak E 0.02 at t = 100',
	});
});

test('statusText for each run state', () => {
	assert.equal(statusText(null), 'No data for this spec yet. Press Simulate.');
	assert.equal(statusText(entryAfter(1)), 'Predicted horizons. Press Simulate to plot E(t).');
	const running = focusedEntry([sampleMessages()[0], sampleProgressMessage(10)].reduce(applyHostMessage, EMPTY_STATE));
	assert.equal(statusText(running), 'Running: 6% · 160 steps');
	const done = entryAfter(2);
	assert.equal(statusText(done), 'Complete · 412 steps · 0.038 s');
	const result = done.result as PanelResult;
	const cancelled = { ...done, result: { ...result, complete: false, stopReason: 'cancelled by the user' } };
	assert.match(statusText(cancelled), /^Cancelled \(cancelled by the user\) · 412 steps · series end at t = 100$/);
	const budget = { ...done, result: { ...result, complete: false, stopReason: 'time budget of 60 s reached' } };
	assert.match(statusText(budget), /^Incomplete \(time budget of 60 s reached\)/);
	const failed: PanelEntry = { ...done, status: { kind: 'error', text: 'worker crashed' } };
	assert.equal(statusText(failed), 'Error: worker crashed');
	const stopped: PanelEntry = { ...(running as PanelEntry), status: null };
	assert.equal(statusText(stopped), 'Stopped without a result: 6% · 160 steps');
});

test('horizonRows before and after a run', () => {
	const before = horizonRows(entryAfter(1)).map((row) => `${row.name}=${row.value}`);
	assert.deepEqual(before, [
		'Guaranteed (Thm 1.2)=3.41',
		'Estimate=7.07',
		'Older (Prop. 1.1)=18.5',
		'Tolerance on E=0.05',
		'Lip(Dh) certified=1',
		'Lip(Dh) estimate=1',
	]);
	const after = horizonRows(entryAfter(2)).map((row) => `${row.name}=${row.value}`);
	assert.ok(after.includes('Empirical=25'), after.join(', '));
	assert.ok(after.includes('Training time T=100'), after.join(', '));
	assert.deepEqual(horizonRows(null), []);
});
