import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChartsState } from '../../../src/protocol';
import type { SimulationResult } from '../../../src/results';
import { analyzeWithCore, finiteTime } from './core';
import { activateExtension, assertClose, closeAllEditors, openDocument, waitFor, type NtkHorizonTestApi } from './helpers';

/** Finds the chart of E(t) by its title. */
function errorChart(state: ChartsState): ChartsState['charts'][number] | undefined {
	return state.charts.find((chart) => /approximation error/i.test(chart.title));
}

describe('Charts view', () => {
	let api: NtkHorizonTestApi;

	before(async () => {
		api = await activateExtension();
	});
	after(closeAllEditors);

	it('plots the simulated E(t) and the horizons', async () => {
		const document = await openDocument('quadratic.ntk.json');
		await vscode.commands.executeCommand('ntkHorizon.openCharts', document.uri, 0);
		const result = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		assert.ok(result?.complete, 'the simulation did not complete');
		const state = await waitFor(
			'the Charts view to plot the simulated E(t)',
			async () => (await api.chartsState()) as ChartsState,
			(current) => (errorChart(current)?.series.some((series) => series.points > 0) ?? false),
		);
		assert.equal(state.label, 'quadratic converse', `focused spec label: ${state.label}`);
		const chart = errorChart(state)!;
		const simulated = chart.series.find((series) => /simulated/i.test(series.name));
		assert.ok(simulated, `E(t) chart series: ${JSON.stringify(chart.series)}`);
		// Every E(t) of this spec is positive, so the log axis keeps all report times.
		assert.equal(simulated.points, result.times.length, `points of "${simulated.name}": ${simulated.points}, expected one per report time (${result.times.length})`);
		const guaranteedMarker = chart.markers.find((marker) => /guaranteed/i.test(marker.label));
		assert.ok(guaranteedMarker, `E(t) chart markers: ${JSON.stringify(chart.markers)}`);
		const guaranteed = finiteTime('guaranteed horizon (core)', analyzeWithCore(document).horizons.guaranteed);
		assertClose('guaranteed horizon marker', guaranteedMarker.x, guaranteed, 1e-9);
	});

	it('exportChart writes PNG and SVG', async () => {
		const document = await openDocument('quadratic.ntk.json');
		await vscode.commands.executeCommand('ntkHorizon.openCharts', document.uri, 0);
		await vscode.commands.executeCommand('ntkHorizon.simulate', document.uri, 0);
		const folder = mkdtempSync(join(tmpdir(), 'ntk-chart-'));
		const png = vscode.Uri.file(join(folder, 'charts.png'));
		await vscode.commands.executeCommand('ntkHorizon.exportChart', 'png', png);
		const pngBytes = readFileSync(png.fsPath);
		assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
		assert.ok(pngBytes.length > 5000, `PNG of ${pngBytes.length} bytes is too small to hold the charts`);
		const svg = vscode.Uri.file(join(folder, 'charts.svg'));
		await vscode.commands.executeCommand('ntkHorizon.exportChart', 'svg', svg);
		const svgText = readFileSync(svg.fsPath, 'utf8');
		assert.match(svgText, /<svg[\s>]/, `SVG starts with ${JSON.stringify(svgText.slice(0, 80))}`);
		assert.match(svgText, /E\(t\)/, 'the SVG has no E(t) chart');
		assert.match(svgText, /<(path|polyline)[^>]+/, 'the SVG has no drawn line');
	});
});
