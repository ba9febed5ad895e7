/**
 * UI suite: drives code-server's browser workbench with Playwright (playwright-core and Debian's
 * Chromium), with the packaged .vsix installed. It checks what a user works with: the status bar, a
 * hover, a diagnostic, the Charts view in the activity bar, a simulation started from the command
 * palette and a theme switch. Screenshots go to test-output/screenshots/.
 *
 * Run: npm run test:ui (packages the .vsix first). NTK_UI_VSIX selects another .vsix.
 */

import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { analyzeSpec, loadSpec } from '../../../src/api';
import type { HorizonAnalysis } from '../../../src/results';
import {
	createSandbox,
	installVsix,
	launchBrowser,
	repoRoot,
	runCleanups,
	startCodeServer,
	workbenchUrl,
	type Browser,
	type CodeServer,
} from '../harness/codeServer';
import { copyWorkspace } from '../harness/prepare';
import {
	hoverToken,
	openFile,
	pickQuickItem,
	pollUntil,
	runCommand,
	statusBarItem,
	stepTimeoutMs,
	waitForCodeLens,
	waitForWorkbench,
	webviewViewFrame,
} from './workbench';

const extensionId = 'ntk-horizon.ntk-horizon';
const screenshotDir = join(repoRoot, 'test-output', 'screenshots');

/** Returns NTK_UI_VSIX, or else the newest ntk-horizon-*.vsix in the repository root. */
function findVsix(): string {
	if (process.env.NTK_UI_VSIX) {
		return process.env.NTK_UI_VSIX;
	}
	const candidates = readdirSync(repoRoot)
		.filter((name) => /^ntk-horizon-.*\.vsix$/.test(name))
		.map((name) => join(repoRoot, name))
		.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
	assert.ok(candidates.length > 0, `no ntk-horizon-*.vsix in ${repoRoot}; run npm run package first`);
	return candidates[0];
}

/** Analyzes a fixture spec with the core, in the test process. */
function coreAnalysis(workspace: string, fileName: string): HorizonAnalysis {
	const text = readFileSync(join(workspace, fileName), 'utf8');
	return analyzeSpec(loadSpec(text, { baseDirectory: workspace }).spec);
}

/** The parts of the browser's canvas API that `seriesPixels` reads (the suite has no DOM types). */
interface PageCanvas {
	readonly width: number;
	readonly height: number;
	getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** The parts of the browser's DOM that `seriesPixels` and `chartColors` read. */
interface PageElement {
	querySelector(selector: string): PageElement | null;
}
interface PageGlobals {
	getComputedStyle(element: PageElement): { color: string; borderColor: string; backgroundColor: string };
}

// The functions below run inside the webview through `evaluate`, which serializes their source.
// They declare no named inner functions, because tsx's name-keeping wrapper (`__name`) does not
// exist in the page.

/**
 * Counts the canvas pixels of the first chart drawn in its first series' color, which uPlot also
 * gives that series' legend marker. Axes, grid and labels use other colors.
 */
async function seriesPixels(frame: FrameLocator): Promise<{ color: string; pixels: number }> {
	return frame.locator('section.chart').first().evaluate((element) => {
		const page = globalThis as unknown as PageGlobals;
		const chart = element as unknown as PageElement;
		const canvas = chart.querySelector('canvas') as unknown as PageCanvas | null;
		const marker = chart.querySelector('.u-legend .u-series:not(:first-child) .u-marker');
		const color = marker === null ? '' : page.getComputedStyle(marker).borderColor;
		const rgb = /rgba?\((\d+), (\d+), (\d+)/.exec(color);
		const context = canvas === null ? null : canvas.getContext('2d');
		if (canvas === null || context === null || rgb === null || canvas.width === 0) {
			return { color, pixels: 0 };
		}
		const [red, green, blue] = [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
		const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
		let pixels = 0;
		for (let i = 0; i < data.length; i += 4) {
			// Anti-aliased line pixels blend with the background, so allow some distance.
			const distance = Math.abs(data[i] - red) + Math.abs(data[i + 1] - green) + Math.abs(data[i + 2] - blue);
			if (data[i + 3] > 0 && distance < 60) {
				pixels++;
			}
		}
		return { color, pixels };
	});
}

/** Computed colors the chart takes from the theme: title text and first series' legend marker. */
async function chartColors(frame: FrameLocator): Promise<{ text: string; marker: string }> {
	return frame.locator('section.chart').first().evaluate((element) => {
		const page = globalThis as unknown as PageGlobals;
		const chart = element as unknown as PageElement;
		const title = chart.querySelector('.chart-title') ?? chart;
		const marker = chart.querySelector('.u-legend .u-series:not(:first-child) .u-marker');
		const markerStyle = marker === null ? null : page.getComputedStyle(marker);
		return {
			text: page.getComputedStyle(title).color,
			marker: markerStyle === null ? '' : markerStyle.borderColor || markerStyle.backgroundColor,
		};
	});
}

/** Moves the mouse off tabs and waits (up to 5 s each) for tooltips and the progress toast to close. */
async function clearForScreenshot(page: Page): Promise<void> {
	await page.mouse.move(900, 700);
	const tooltip = page.locator('.workbench-hover').first();
	await tooltip.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
	const toast = page.locator('.notification-toast', { hasText: 'NTK Horizon' }).first();
	await toast.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

async function screenshot(page: Page, name: string): Promise<void> {
	mkdirSync(join(screenshotDir, 'steps'), { recursive: true });
	await page.screenshot({ path: join(screenshotDir, name) });
}

describe('workbench UI', { concurrency: false }, () => {
	let server: CodeServer;
	let browser: Browser;
	let page: Page;
	let workspace: string;

	before(async () => {
		const sandbox = createSandbox({ 'workbench.colorTheme': 'Default Dark Modern' });
		installVsix(sandbox, findVsix());
		workspace = copyWorkspace(sandbox.root);
		server = await startCodeServer(sandbox, { smokeTestDriver: false });
		browser = await launchBrowser(sandbox);
		page = browser.page;
		page.setDefaultTimeout(stepTimeoutMs);
		await page.goto(workbenchUrl(server, workspace));
		await waitForWorkbench(page, 'quadratic.ntk.json');
	});

	after(async () => {
		if (page !== undefined) {
			await screenshot(page, 'last.png').catch(() => undefined);
		}
		const blocked = browser?.blockedRequests ?? [];
		await runCleanups();
		assert.deepEqual(blocked, [], 'requests that tried to leave 127.0.0.1');
	});

	afterEach(async (context) => {
		// A screenshot of every step, to read failures from. The named ones above go to the docs.
		const name = context.name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
		await screenshot(page, `steps/${name}.png`).catch(() => undefined);
	});

	it('status bar shows the guaranteed horizon', async () => {
		await openFile(page, 'quadratic.ntk.json', '"alpha"');
		const item = statusBarItem(page, 'NTK T*');
		await item.waitFor();
		const expected = coreAnalysis(workspace, 'quadratic.ntk.json').horizons.guaranteed;
		assert.equal(expected.kind, 'finite');
		const shown = Number(/NTK T\* = ([\d.e-]+)/.exec(await item.innerText())?.[1]);
		const time = expected.kind === 'finite' ? expected.time : NaN;
		assert.ok(Math.abs(shown - time) <= 5.1e-3 * time, `status bar T* ${shown}, core ${time} (3 significant digits)`);
	});

	it('hover on alpha shows the horizons', async () => {
		const editor = await openFile(page, 'quadratic.ntk.json', '"alpha"');
		await waitForCodeLens(editor, 'NTK horizon ~');
		const hover = await hoverToken(page, editor, '"alpha"', 'guaranteed');
		const text = await hover.innerText();
		assert.match(text, /NTK Horizon/, `hover text:\n${text}`);
		const expected = coreAnalysis(workspace, 'quadratic.ntk.json').horizons.guaranteed;
		const time = expected.kind === 'finite' ? expected.time : NaN;
		const row = text.split('\n').find((line) => /horizon guaranteed/.test(line)) ?? '';
		const shown = Number(/([\d.]+(?:e-?\d+)?)\s*$/.exec(row)?.[1]);
		assert.ok(Math.abs(shown - time) <= 5.1e-3 * time, `hover row "${row}": ${shown}, core ${time}`);
		await screenshot(page, 'hover.png');
		await page.keyboard.press('Escape');
	});

	it('bad spec shows a squiggle with the message', async () => {
		const editor = await openFile(page, 'negative-alpha.ntk.json', '"alpha"');
		await waitForCodeLens(editor, 'NTK horizon');
		await editor.locator('.squiggly-error').first().waitFor();
		const hover = await hoverToken(page, editor, '-5', 'got -5');
		assert.match(await hover.innerText(), /alpha/, 'diagnostic hover does not name alpha');
		await screenshot(page, 'diagnostic.png');
		await page.keyboard.press('Escape');
	});

	it('activity bar opens the Charts view', async () => {
		await page.locator('.activitybar [aria-label^="NTK Horizon"]').first().click();
		const frame = webviewViewFrame(page, extensionId);
		await frame.locator('[data-command]').first().waitFor();
		const buttons = await frame.locator('[data-command]').allInnerTexts();
		assert.ok(buttons.some((text) => /Simulate/.test(text)), `Charts view buttons: ${JSON.stringify(buttons)}`);
	});

	it('Simulate from the palette fills the charts', async () => {
		await openFile(page, 'quadratic.ntk.json', '"alpha"');
		await runCommand(page, 'NTK Horizon: Simulate');
		const frame = webviewViewFrame(page, extensionId);
		await frame.locator('section.chart[data-chart-id] canvas').first().waitFor({ timeout: 30_000 });
		const drawn = await pollUntil('the E(t) line on the canvas', () => seriesPixels(frame), (count) => count.pixels > 100);
		assert.ok(drawn.pixels > 100, `only ${drawn.pixels} canvas pixels in the series color ${drawn.color}`);
		const titles = await frame.locator('section.chart .chart-title').allInnerTexts();
		assert.ok(titles.length >= 1, `chart titles: ${JSON.stringify(titles)}`);
		await clearForScreenshot(page);
		await screenshot(page, 'panel.png');
	});

	it('Sweep alpha from the palette draws the sweep chart', async () => {
		await openFile(page, 'quadratic.ntk.json', '"alpha"');
		await runCommand(page, 'NTK Horizon: Sweep Alpha');
		const frame = webviewViewFrame(page, extensionId);
		const sweep = frame.locator('section.chart[data-chart-id="sweep"]');
		await sweep.locator('canvas').first().waitFor({ timeout: 60_000 });
		const legend = await pollUntil(
			'the fitted slope in the sweep legend',
			() => sweep.innerText(),
			(text) => /slope -?\d/.test(text),
		);
		assert.match(legend, /slope -?\d/, `sweep chart text: ${legend}`);
		await sweep.scrollIntoViewIfNeeded();
		await clearForScreenshot(page);
		await screenshot(page, 'sweep.png');
	});

	it('color theme switch restyles the charts', async () => {
		const frame = webviewViewFrame(page, extensionId);
		const dark = await chartColors(frame);
		await runCommand(page, 'Preferences: Color Theme');
		await pickQuickItem(page, 'Color Theme', 'Light Modern');
		const light = await pollUntil(
			'chart colors to change after switching to Light Modern',
			() => chartColors(frame),
			(colors) => colors.text !== dark.text && colors.marker !== dark.marker,
		);
		assert.notEqual(light.text, dark.text, `chart title color stayed ${dark.text}`);
		assert.ok(dark.marker !== '', 'the dark chart has no legend marker color');
		assert.notEqual(light.marker, dark.marker, `series marker color stayed ${dark.marker}`);
		// The canvas is redrawn too: the E(t) line now has the light theme's series color.
		const redrawn = await pollUntil('the E(t) line in the new color', () => seriesPixels(frame), (count) => count.pixels > 100);
		assert.equal(redrawn.color, light.marker, 'series color used for the pixel count');
		await clearForScreenshot(page);
		await screenshot(page, 'panel-light.png');
	});
});
