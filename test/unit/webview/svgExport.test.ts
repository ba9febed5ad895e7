import assert from 'node:assert/strict';
import { test } from 'node:test';

import { applyHostMessage, EMPTY_STATE, focusedEntry } from '../../../src/panelState';
import { buildCharts, type ChartSpec } from '../../../webview/chartModel';
import { DEFAULT_PALETTE } from '../../../webview/palette';
import { chartsToSvg, chartToSvg, escapeXml } from '../../../webview/svgExport';
import { sampleMessages } from './sampleData';

const OPTIONS = { width: 400, plotHeight: 170, palette: DEFAULT_PALETTE };

function sampleCharts(): ChartSpec[] {
	const entry = focusedEntry(sampleMessages().reduce(applyHostMessage, EMPTY_STATE));
	assert.ok(entry !== null);
	return buildCharts(entry);
}

/** Checks that every opened element is closed in order; returns the element names seen. */
function assertBalanced(svg: string): string[] {
	const stack: string[] = [];
	const names: string[] = [];
	for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
		const [, closing, name, selfClosing] = match;
		names.push(name);
		if (selfClosing) {
			continue;
		}
		if (closing) {
			assert.equal(stack.pop(), name, `closing </${name}> at offset ${match.index}`);
		} else {
			stack.push(name);
		}
	}
	assert.deepEqual(stack, [], 'unclosed elements');
	return names;
}

test('chartToSvg draws series, axes, markers and legend', () => {
	const error = sampleCharts()[0];
	const svg = chartToSvg(error, OPTIONS);
	assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), svg.slice(0, 80));
	assertBalanced(svg);
	const polylines = svg.match(/<polyline /g)?.length ?? 0;
	assert.equal(polylines, 5, `polylines: value ${polylines}, expected 5 (E, two bounds, converse, tolerance)`);
	for (const label of ['guaranteed 3.41', 'estimate 7.07', 'older 18.5', 'empirical 25']) {
		assert.ok(svg.includes(`>${label}<`), `marker label ${label} missing`);
	}
	for (const series of error.series) {
		assert.ok(svg.includes(`>${escapeXml(series.name)}<`), `legend entry ${series.name} missing`);
	}
	for (const tick of ['>1<', '>10<', '>100<', '>0.01<']) {
		assert.ok(svg.includes(tick), `tick ${tick} missing`);
	}
	assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
});

test('chartToSvg keeps points inside the plot box', () => {
	const svg = chartToSvg(sampleCharts()[1], OPTIONS);
	const box = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="none"/.exec(svg);
	assert.ok(box !== null, 'plot frame missing');
	const [left, top, width, height] = box.slice(1).map(Number);
	for (const match of svg.matchAll(/points="([^"]+)"/g)) {
		for (const pair of match[1].split(' ')) {
			const [x, y] = pair.split(',').map(Number);
			assert.ok(x >= left - 0.1, `x ${x} left of the plot box at ${left}`);
			assert.ok(x <= left + width + 0.1, `x ${x} right of the plot box at ${left + width}`);
			assert.ok(y >= top - 0.1, `y ${y} above the plot box at ${top}`);
			assert.ok(y <= top + height + 0.1, `y ${y} below the plot box at ${top + height}`);
		}
	}
});

test('chartsToSvg stacks every chart', () => {
	const charts = sampleCharts();
	const svg = chartsToSvg(charts, OPTIONS);
	assertBalanced(svg);
	assert.equal(svg.match(/<g transform="translate\(0 /g)?.length, charts.length);
	assert.equal(svg.match(/<clipPath id="clip-c\d+"/g)?.length, charts.length, 'one unique clip path per chart');
	const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
	assert.ok(height > charts.length * 200, `height ${height} for ${charts.length} charts`);
	assert.equal(svg.match(/<circle /g)?.length, 7 + 1, 'seven sweep points and one legend dot');
});

test('chartToSvg escapes text', () => {
	const chart: ChartSpec = {
		id: 'kernel',
		title: 'a < b & "c"',
		xLabel: 't',
		yLabel: "it's",
		xs: [1, 2],
		series: [{ name: '<script>', role: 'red', dash: [], pointsOnly: false, values: [1, 2] }],
		markers: [],
		emptyNote: '',
	};
	const svg = chartToSvg(chart, OPTIONS);
	assertBalanced(svg);
	assert.ok(svg.includes('a &lt; b &amp; &quot;c&quot;'));
	assert.ok(svg.includes('&lt;script&gt;'));
	assert.ok(!svg.includes('<script>'));
});

test('chartToSvg of an empty chart shows the note', () => {
	const chart: ChartSpec = {
		id: 'error',
		title: 'E',
		xLabel: 't',
		yLabel: 'E',
		xs: [1, 2, 3],
		series: [{ name: 'E', role: 'red', dash: [], pointsOnly: false, values: [0, 0, null] }],
		markers: [],
		emptyNote: 'nothing positive',
	};
	const svg = chartToSvg(chart, OPTIONS);
	assertBalanced(svg);
	assert.ok(svg.includes('>nothing positive<'));
	assert.equal(svg.match(/<polyline /g), null);
	assert.doesNotMatch(svg, /NaN|Infinity/);
});

test('chartToSvg draws hollow points as rings', () => {
	const chart: ChartSpec = {
		id: 'sweep',
		title: 'T*',
		xLabel: 'α',
		yLabel: 'T*',
		xs: [1, 10],
		series: [
			{ name: 'empirical', role: 'red', dash: [], pointsOnly: true, values: [2, null] },
			{ name: 'not reached', role: 'red', dash: [], pointsOnly: true, hollow: true, values: [null, 30] },
		],
		markers: [],
		emptyNote: '',
	};
	const svg = chartToSvg(chart, OPTIONS);
	assertBalanced(svg);
	assert.equal(svg.match(/<circle [^>]*fill="none"/g)?.length, 2, 'one ring in the plot and one in the legend');
	assert.equal(svg.match(/<circle /g)?.length, 4, 'two points and two legend dots');
});
