/**
 * The built webview in headless Chromium (see harness.ts): charts from a real message sequence,
 * live progress, invalid messages, theme changes, exports, state restore, and log axes with values
 * down to 1e-130 and zeros. Skipped when Chromium is not installed.
 */

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';

import type { ChartState, HostMessage, PanelResult, WebviewMessage } from '../../../src/protocol';
import { buildWebview, chromiumPath, openPanel, waitFor, type PanelHarness } from './harness';
import { SAMPLE_KEY, sampleMessages, sampleProgressMessage } from './sampleData';

const skip = existsSync(chromiumPath) ? false : `Chromium not found at ${chromiumPath}`;

let panel: PanelHarness;

before(async () => {
	if (skip === false) {
		await buildWebview();
		panel = await openPanel({ theme: 'dark', width: 420 });
	}
});

after(async () => {
	await panel?.close();
	assert.deepEqual(panel?.problems() ?? [], [], 'page errors or CSP violations');
});

function chart(charts: readonly ChartState[], id: string): ChartState {
	const found = charts.find((candidate) => candidate.id === id);
	assert.ok(found !== undefined, `chart ${id} missing; charts: ${charts.map((c) => c.id)}`);
	return found;
}

function assertNear(actual: number | undefined, expected: number, tolerance: number, label: string): void {
	assert.ok(
		actual !== undefined && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
		`${label}: value ${actual}, expected ${expected}, tolerance ${tolerance}`,
	);
}

test('panel plots a result and a sweep', { skip }, async () => {
	for (const message of sampleMessages()) {
		await panel.post(message);
	}
	const state = await panel.chartsState();
	assert.equal(state.focusedKey, SAMPLE_KEY);
	assert.deepEqual(
		state.charts.map((c) => c.id),
		['error', 'residual', 'weights', 'kernel', 'sweep'],
	);
	const error = chart(state.charts, 'error');
	assert.deepEqual(
		error.series.map((s) => `${s.name}:${s.points}`),
		['E(t) simulated:25', 'Theorem 1.2 bound:25', 'Prop. 1.1 bound (older):25', 'Theorem 1.3 lower bound:25', 'tolerance 0.05:25'],
	);
	assert.deepEqual(
		error.markers.map((m) => m.label),
		['guaranteed', 'estimate', 'older', 'empirical'],
	);
	assert.ok(error.x !== null, 'error chart has an x range');
	assert.ok(error.x.min < 1, `x min ${error.x.min}, expected < 1 (first t = 1, padded)`);
	assert.ok(error.x.max > 100, `x max ${error.x.max}, expected > 100 (T = 100, padded)`);
	assert.ok(error.y !== null, 'error chart has a y range');
	assert.ok(error.y.min < 9.9e-5, `y min ${error.y.min}, expected < 9.9e-5 (smallest E)`);
	assert.ok(error.y.max > 2, `y max ${error.y.max}, expected > 2 (Theorem 1.2 ceiling)`);
	const sweep = chart(state.charts, 'sweep');
	assert.equal(sweep.series[0].points, 7);
	assertNear(sweep.x?.min, 10, 0.5, 'sweep x min (padded below alpha = 10)');
	assert.match(state.status, /^Complete/);
});

test('panel appends live progress', { skip }, async () => {
	await panel.post(sampleProgressMessage(6));
	let state = await panel.chartsState();
	assert.deepEqual(
		state.charts.map((c) => c.id),
		['error', 'residual', 'sweep'],
	);
	assert.equal(chart(state.charts, 'error').series[0].points, 6);
	const xMax = chart(state.charts, 'error').x?.max ?? 0;
	assert.ok(xMax > 100, `x max ${xMax} during the run, expected > 100 (T = 100)`);
	await panel.post(sampleProgressMessage(15));
	state = await panel.chartsState();
	assert.equal(chart(state.charts, 'error').series[0].points, 15, 'cumulative report appended');
	assert.match(state.status, /^Running: \d+% · 240 steps$/);
	const cancelEnabled = `!document.querySelector('vscode-button[data-command="cancel"]').disabled`;
	assert.equal(await panel.page.evaluate<boolean>(cancelEnabled), true, 'Cancel enabled while running');
	await panel.post({ type: 'status', key: SAMPLE_KEY, status: { kind: 'error', text: 'worker crashed' } });
	state = await panel.chartsState();
	assert.equal(state.status, 'Error: worker crashed');
	assert.equal(await panel.page.evaluate<boolean>(cancelEnabled), false, 'Cancel disabled after the error');
	assert.equal(chart(state.charts, 'error').series[0].points, 15, 'points of the failed run stay on screen');
	for (const message of sampleMessages().slice(1, 2)) {
		await panel.post(message);
	}
	state = await panel.chartsState();
	assert.equal(chart(state.charts, 'error').series[0].points, 25);
});

test('panel drops invalid messages and logs them', { skip }, async () => {
	const before = (await panel.chartsState()).charts;
	await panel.post({ type: 'result', key: SAMPLE_KEY, result: { times: 'oops' } });
	await panel.post({ type: 'nonsense' });
	await panel.post(null);
	const logs = (await panel.posted()).filter((m) => m.type === 'log');
	assert.ok(logs.length >= 3, `log messages: ${JSON.stringify(logs)}`);
	assert.ok(logs.some((m) => m.type === 'log' && /message\.result\.times: expected an array/.test(m.message)));
	assert.deepEqual((await panel.chartsState()).charts, before, 'charts unchanged');
});

test('panel survives 1e-130, zeros and Infinity on log axes', { skip }, async () => {
	const result = (sampleMessages()[1] as Extract<HostMessage, { type: 'result' }>).result;
	const extreme: PanelResult = {
		...result,
		normR: result.normR.map((value, index) => (index < 20 ? value : 10 ** (-130 + index - 24))),
		normRbar: result.normRbar.map((value, index) => (index % 5 === 0 ? 0 : value)),
		normKdrift: result.normKdrift.map(() => 0),
		err: result.err.map((value, index) => (index === 3 ? Infinity : value)),
	};
	const started = Date.now();
	await panel.post({ type: 'result', key: SAMPLE_KEY, result: extreme });
	const state = await panel.chartsState();
	const elapsed = Date.now() - started;
	assert.ok(elapsed < 5000, `render and answer took ${elapsed} ms, expected < 5000`);
	const residual = chart(state.charts, 'residual');
	assert.ok(residual.y !== null, 'residual chart has a y range');
	assert.ok(residual.y.min < 1.1e-130, `residual y min ${residual.y.min}, expected < 1.1e-130`);
	assert.equal(residual.series[1].points, 20, 'five zeros of normRbar dropped');
	assert.equal(chart(state.charts, 'error').series[0].points, 24, 'Infinity arrives as null and is dropped');
	const kernel = chart(state.charts, 'kernel');
	assert.equal(kernel.x, null);
	assert.match(kernel.note ?? '', /did not change/);
	await panel.post(sampleMessages()[1]);
});

test('panel redraws on theme change', { skip }, async () => {
	const markerColor = () =>
		panel.page.evaluate<string | null>(`(() => {
			const marker = document.querySelector('[data-chart-id="error"] .u-series:nth-child(2) .u-marker');
			return marker === null ? null : getComputedStyle(marker).borderColor;
		})()`);
	assert.equal(await markerColor(), 'rgb(241, 76, 76)', 'dark theme --vscode-charts-red');
	await panel.setTheme('light');
	assert.equal(await markerColor(), 'rgb(229, 20, 0)', 'light theme --vscode-charts-red');
	await panel.setTheme('dark');
});

test('panel exports PNG and SVG', { skip }, async () => {
	const png = await panel.exportChart('png');
	assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
	const width = png.readUInt32BE(16);
	const height = png.readUInt32BE(20);
	assert.ok(width >= 300, `PNG width ${width}, expected >= 300`);
	assert.ok(height > 5 * 200, `PNG height ${height}, expected > 1000 for five charts`);
	const svg = (await panel.exportChart('svg')).toString('utf8');
	assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
	assert.equal(svg.match(/<clipPath /g)?.length, 5);
});

test('panel refuses an export without charts', { skip }, async () => {
	await panel.post({ type: 'focus', key: 'empty#0' });
	await assert.rejects(panel.exportChart('png'), /There is no chart to export/);
	await panel.post({ type: 'focus', key: SAMPLE_KEY });
});

test('saved state restores the charts', { skip }, async () => {
	const saved = await panel.savedState();
	const reopened = await openPanel({ theme: 'light', width: 320, savedState: saved });
	try {
		const state = await reopened.chartsState();
		assert.equal(state.focusedKey, SAMPLE_KEY);
		assert.equal(state.charts.length, 5);
		assert.equal(chart(state.charts, 'error').series[0].points, 25);
		const canvasWidth = await reopened.page.evaluate<number | undefined>(`document.querySelector('canvas')?.getBoundingClientRect().width`);
		assert.ok(canvasWidth !== undefined, 'a canvas exists');
		assert.ok(canvasWidth <= 320, `canvas width ${canvasWidth}, expected <= 320 (panel width)`);
	} finally {
		await reopened.close();
	}
	assert.deepEqual(reopened.problems(), []);
});

test('request right after restore sees charts', { skip }, async () => {
	const saved = await panel.savedState();
	await panel.post({ type: 'focus', key: 'empty#0' });
	const restore = JSON.stringify({ type: 'restore', state: saved });
	const request = JSON.stringify({ type: 'stateRequest', requestId: 77 });
	// Both messages in one task: the request arrives before any animation frame has rendered.
	await panel.page.evaluate(`window.postMessage(${restore}, '*'); window.postMessage(${request}, '*');`);
	const response = await waitFor<WebviewMessage>(panel.page, 'window.__posted.find((message) => message.requestId === 77)');
	assert.ok(response.type === 'chartsState', `response ${JSON.stringify(response).slice(0, 200)}`);
	assert.equal(response.state.charts.length, 5);
	assert.equal(chart(response.state.charts, 'error').series[0].points, 25);
	assert.ok(chart(response.state.charts, 'error').y !== null, 'y range set by the first draw');
});

test('panel follows its width', { skip }, async () => {
	const widthExpression = `document.querySelector('.uplot')?.getBoundingClientRect().width ?? 0`;
	const plotWidth = () => panel.page.evaluate<number>(widthExpression);
	await panel.page.setViewportSize({ width: 600, height: 900 });
	await waitFor(panel.page, `(${widthExpression}) > 500`);
	assert.ok((await plotWidth()) > 500, `plot width ${await plotWidth()} after widening to 600`);
	await panel.page.setViewportSize({ width: 420, height: 900 });
});
