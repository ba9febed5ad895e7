import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyHostMessage, EMPTY_STATE, focusedEntry } from '../../../src/panelState';
import type { HostMessage, PanelState } from '../../../src/protocol';
import { SAMPLE_KEY, sampleMessages, sampleProgressMessage } from './sampleData';

function apply(messages: HostMessage[], state: PanelState = EMPTY_STATE): PanelState {
	return messages.reduce(applyHostMessage, state);
}

test('analysis does not steal the focus', () => {
	const [analysis] = sampleMessages();
	const other: HostMessage = { ...analysis, key: 'other#0', label: 'other' } as HostMessage;
	const state = apply([analysis, other]);
	assert.equal(state.focusedKey, SAMPLE_KEY, 'first analysis focuses; the second keeps the focus');
	assert.equal(state.entries.length, 2);
});

test('result focuses its spec and ends the run', () => {
	const [analysis, result] = sampleMessages();
	const state = apply([{ ...analysis, key: 'other#0' } as HostMessage, analysis, sampleProgressMessage(10), result]);
	const entry = focusedEntry(state);
	assert.equal(state.focusedKey, SAMPLE_KEY);
	assert.equal(entry?.progress, null, 'progress cleared by the result');
	assert.equal(entry?.result?.times.length, 25);
	assert.equal(entry?.status, null);
	assert.equal(entry?.label, analysis.type === 'analysis' ? analysis.label : '', 'label kept from the analysis');
});

test('progress appends and a new run replaces the result', () => {
	const [analysis, result] = sampleMessages();
	const running = apply([analysis, sampleProgressMessage(5), sampleProgressMessage(12)]);
	assert.equal(focusedEntry(running)?.progress?.times.length, 12);
	assert.equal(focusedEntry(running)?.status?.kind, 'running');
	const rerun = apply([result, sampleProgressMessage(3)], running);
	const entry = focusedEntry(rerun);
	assert.equal(entry?.result, null, 'a progress report after a result starts a new run');
	assert.equal(entry?.progress?.times.length, 3);
});

test('focus on an unknown spec shows nothing', () => {
	const state = apply([...sampleMessages(), { type: 'focus', key: 'unknown#3' }]);
	assert.equal(state.focusedKey, 'unknown#3');
	assert.equal(focusedEntry(state), null);
	const back = applyHostMessage(state, { type: 'focus', key: SAMPLE_KEY });
	assert.equal(focusedEntry(back)?.sweep?.points.length, 7, 'data kept while another spec was focused');
});

test('status sets and clears an error', () => {
	const errored = apply([...sampleMessages(), { type: 'status', key: SAMPLE_KEY, status: { kind: 'error', text: 'worker crashed' } }]);
	assert.deepEqual(focusedEntry(errored)?.status, { kind: 'error', text: 'worker crashed' });
	const cleared = applyHostMessage(errored, { type: 'status', key: SAMPLE_KEY, status: null });
	assert.equal(focusedEntry(cleared)?.status, null);
});

test('restore replaces and requests keep the state', () => {
	const state = apply(sampleMessages());
	assert.equal(applyHostMessage(EMPTY_STATE, { type: 'restore', state }), state);
	assert.equal(applyHostMessage(state, { type: 'stateRequest', requestId: 1 }), state);
	assert.equal(applyHostMessage(state, { type: 'exportRequest', requestId: 2, format: 'svg' }), state);
});
