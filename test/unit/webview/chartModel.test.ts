import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyHostMessage, EMPTY_STATE, focusedEntry } from '../../../src/panelState';
import type { PanelEntry, PanelResult } from '../../../src/protocol';
import { buildCharts, horizonMarkers } from '../../../webview/chartModel';
import { preparePlot } from '../../../webview/plotData';
import { sampleMessages, sampleProgressMessage } from './sampleData';

function sampleEntry(): PanelEntry {
	const entry = focusedEntry(sampleMessages().reduce(applyHostMessage, EMPTY_STATE));
	assert.ok(entry !== null);
	return entry;
}

test('result and sweep give five charts', () => {
	const charts = buildCharts(sampleEntry());
	assert.deepEqual(
		charts.map((chart) => chart.id),
		['error', 'residual', 'weights', 'kernel', 'sweep'],
	);
	const error = charts[0];
	assert.deepEqual(
		error.series.map((series) => series.name),
		['E(t) simulated', 'Theorem 1.2 bound', 'Prop. 1.1 bound (older)', 'Theorem 1.3 lower bound', 'tolerance 0.05'],
	);
	assert.deepEqual(
		error.markers.map((marker) => marker.label),
		['guaranteed', 'estimate', 'older', 'empirical'],
	);
	const empirical = error.markers[3].x;
	assert.ok(Math.abs(empirical - 24.966727307956013) < 1e-9, `empirical marker at ${empirical}, expected 24.9667 (tolerance 1e-9)`);
});

test('sweep legend carries the fitted slopes', () => {
	const sweep = buildCharts(sampleEntry()).find((chart) => chart.id === 'sweep');
	assert.deepEqual(
		sweep?.series.map((series) => series.name),
		['empirical, slope 1.00', 'guaranteed (Theorem 1.2)', 'estimate, slope 1.00', 'older (Prop. 1.1), slope 0.50'],
	);
	assert.equal(sweep?.series[0].pointsOnly, true);
});

test('sweep rings mark horizons not reached', () => {
	const entry = sampleEntry();
	assert.ok(entry.sweep, 'the sample has a sweep');
	const points = entry.sweep.points.map((point, index) =>
		index < 2 ? { ...point, empirical: { kind: 'notReached' as const, searchedUntil: 50 * (index + 1), peakError: 0.01, peakTime: 3 } } : point,
	);
	const sweep = buildCharts({ ...entry, sweep: { ...entry.sweep, points } }).find((chart) => chart.id === 'sweep');
	const rings = sweep?.series.find((series) => series.hollow === true);
	assert.ok(rings !== undefined, `series: ${sweep?.series.map((series) => series.name)}`);
	assert.equal(rings.name, 'empirical not reached by (ring)');
	assert.equal(rings.pointsOnly, true);
	assert.deepEqual(rings.values.slice(0, 3), [50, 100, null]);
	assert.equal(sweep?.series[0].values[0], null, 'no filled point where the horizon was not reached');
});

test('markers skip horizons that are not finite', () => {
	const markers = horizonMarkers(
		{
			guaranteed: { kind: 'notApplicable', reason: 'ReLU' },
			estimate: { kind: 'unbounded', reason: 'above ceiling' },
			older: { kind: 'finite', time: 0 },
		},
		{ kind: 'notReached', searchedUntil: 10, peakError: 0.1, peakTime: 10 },
	);
	assert.deepEqual(markers, []);
});

test('progress gives error and residual charts', () => {
	const [analysis] = sampleMessages();
	const state = [analysis, sampleProgressMessage(8)].reduce(applyHostMessage, EMPTY_STATE);
	const entry = focusedEntry(state);
	assert.ok(entry !== null);
	const charts = buildCharts(entry);
	assert.deepEqual(
		charts.map((chart) => chart.id),
		['error', 'residual'],
	);
	assert.deepEqual(
		charts[0].series.map((series) => series.name),
		['E(t) simulated', 'tolerance 0.05'],
	);
	assert.equal(charts[0].markers.length, 3, 'predicted horizons from the analysis, no empirical one yet');
	assert.equal(charts[0].xs.length, 8);
	const xEnd = charts[0].xEnd ?? Number.NaN;
	assert.ok(Math.abs(xEnd - 100) < 1e-9, `xEnd ${xEnd}, expected T = 100 (last time / fraction), tolerance 1e-9`);
	const plot = preparePlot(charts[0]);
	assert.ok(plot.xRange.max > 2, `x range ${JSON.stringify(plot.xRange)} reaches log10(T) = 2`);
});

test('analysis alone gives no chart', () => {
	const [analysis] = sampleMessages();
	const entry = focusedEntry(applyHostMessage(EMPTY_STATE, analysis));
	assert.ok(entry !== null);
	assert.deepEqual(buildCharts(entry), []);
});

test('zero error plots nothing and keeps the note', () => {
	const entry = sampleEntry();
	const result = entry.result as PanelResult;
	const linear: PanelEntry = {
		...entry,
		sweep: null,
		result: {
			...result,
			err: result.err.map(() => 0),
			theorem12: result.err.map(() => null),
			proposition11: result.err.map(() => null),
			converseLower: null,
		},
	};
	const error = buildCharts(linear)[0];
	const withoutTolerance = { ...error, series: error.series.filter((series) => !series.name.startsWith('tolerance')) };
	const plot = preparePlot(withoutTolerance);
	assert.equal(plot.isEmpty, true, 'E = 0 everywhere leaves nothing on log axes');
	assert.ok(Number.isFinite(plot.yRange.min), `y range ${JSON.stringify(plot.yRange)}: min not finite`);
	assert.ok(Number.isFinite(plot.yRange.max), `y range ${JSON.stringify(plot.yRange)}: max not finite`);
	assert.match(error.emptyNote, /zero/);
});

test('preparePlot drops non-positive x rows', () => {
	const plot = preparePlot({
		id: 'residual',
		title: 't',
		xLabel: 't',
		yLabel: 'y',
		xs: [0, 1, 10, 100],
		series: [{ name: 'r', role: 'red', dash: [], pointsOnly: false, values: [5, 1e-130, 0, 2] }],
		markers: [{ label: 'far', x: 1e9, role: 'blue' }],
		emptyNote: '',
	});
	assert.deepEqual(plot.xs, [0, 1, 2], 'x = 0 removed, the rest as log10');
	assert.deepEqual(plot.series[0].values, [-130, null, Math.log10(2)]);
	assert.equal(plot.series[0].points, 2);
	assert.ok(plot.yRange.min < -130, `y range ${JSON.stringify(plot.yRange)} includes 1e-130`);
	assert.equal(plot.markers[0].inRange, false, 'a marker at 1e9 lies beyond the x axis (1 to 100)');
});
