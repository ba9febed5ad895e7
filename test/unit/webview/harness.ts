/**
 * Loads the built Charts webview (dist/webview.js, dist/webview.css) in headless Chromium outside
 * VS Code. A 127.0.0.1 HTTP server serves the page from `renderWebviewHtml` with its real CSP, a
 * nonce'd stub of `acquireVsCodeApi` records what the page posts, and theme variables like VS
 * Code's are set on the root element. Host messages go through a JSON round trip first, as VS Code
 * sends them, so Infinity and NaN arrive as null.
 *
 * Used by the browser tests, `scripts/panelScreenshots.ts` and the end-to-end suite.
 */

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { renderWebviewHtml } from '../../../extension/webviewHtml';
import type { ChartsState, HostMessage, WebviewMessage } from '../../../src/protocol';

/** Repository root (this file is test/unit/webview/harness.ts). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** Debian's Chromium; override with the CHROMIUM_PATH environment variable. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type ThemeName = 'dark' | 'light' | 'highContrast';

/** Options of `openPanel`. */
export interface PanelOptions {
	readonly theme?: ThemeName;
	/** Viewport width in CSS pixels; a side bar is about 300 to 450. */
	readonly width?: number;
	readonly height?: number;
	/** Value `getState()` returns at load, as after the view was hidden and shown again. */
	readonly savedState?: unknown;
}

/** A loaded panel and the means to drive it. */
export interface PanelHarness {
	readonly page: Page;
	/** Sends a host message (after a JSON round trip) and waits for the panel to render it. */
	post(message: HostMessage | unknown): Promise<void>;
	/** Messages the page posted to the host so far. */
	posted(): Promise<WebviewMessage[]>;
	/** What `getState()` would return now. */
	savedState(): Promise<unknown>;
	chartsState(): Promise<ChartsState>;
	exportChart(format: 'png' | 'svg'): Promise<Buffer>;
	setTheme(theme: ThemeName): Promise<void>;
	/** Content-Security-Policy violations and page errors seen so far. */
	problems(): string[];
	close(): Promise<void>;
}

/** Editor colors of VS Code's Dark Modern, Light Modern and Dark High Contrast themes. */
const THEMES: Record<ThemeName, { bodyClass: string; variables: Record<string, string> }> = {
	dark: {
		bodyClass: 'vscode-dark',
		variables: {
			'--vscode-foreground': '#cccccc',
			'--vscode-editor-foreground': '#cccccc',
			'--vscode-editor-background': '#1f1f1f',
			'--vscode-sideBar-background': '#181818',
			'--vscode-descriptionForeground': '#9d9d9d',
			'--vscode-errorForeground': '#f85149',
			'--vscode-editorRuler-foreground': '#5a5a5a',
			'--vscode-charts-red': '#f14c4c',
			'--vscode-charts-blue': '#3794ff',
			'--vscode-charts-green': '#89d185',
			'--vscode-charts-orange': '#d18616',
			'--vscode-charts-purple': '#b180d7',
			'--vscode-charts-yellow': '#cca700',
			'--vscode-button-background': '#0078d4',
			'--vscode-button-foreground': '#ffffff',
			'--vscode-button-secondaryBackground': '#313131',
			'--vscode-button-secondaryForeground': '#cccccc',
			'--vscode-button-border': 'rgba(255, 255, 255, 0.07)',
			'--vscode-sideBarSectionHeader-background': '#181818',
			'--vscode-sideBarSectionHeader-foreground': '#cccccc',
			'--vscode-sideBarTitle-foreground': '#cccccc',
			'--vscode-focusBorder': '#0078d4',
			'--vscode-icon-foreground': '#cccccc',
		},
	},
	light: {
		bodyClass: 'vscode-light',
		variables: {
			'--vscode-foreground': '#3b3b3b',
			'--vscode-editor-foreground': '#3b3b3b',
			'--vscode-editor-background': '#ffffff',
			'--vscode-sideBar-background': '#f8f8f8',
			'--vscode-descriptionForeground': '#616161',
			'--vscode-errorForeground': '#f85149',
			'--vscode-editorRuler-foreground': '#d3d3d3',
			'--vscode-charts-red': '#e51400',
			'--vscode-charts-blue': '#1a85ff',
			'--vscode-charts-green': '#388a34',
			'--vscode-charts-orange': '#d18616',
			'--vscode-charts-purple': '#652d90',
			'--vscode-charts-yellow': '#bf8803',
			'--vscode-button-background': '#005fb8',
			'--vscode-button-foreground': '#ffffff',
			'--vscode-button-secondaryBackground': '#e5e5e5',
			'--vscode-button-secondaryForeground': '#3b3b3b',
			'--vscode-button-border': 'rgba(0, 0, 0, 0.1)',
			'--vscode-sideBarSectionHeader-background': '#f8f8f8',
			'--vscode-sideBarSectionHeader-foreground': '#3b3b3b',
			'--vscode-sideBarTitle-foreground': '#3b3b3b',
			'--vscode-focusBorder': '#005fb8',
			'--vscode-icon-foreground': '#3b3b3b',
		},
	},
	highContrast: {
		bodyClass: 'vscode-high-contrast',
		variables: {
			'--vscode-foreground': '#ffffff',
			'--vscode-editor-foreground': '#ffffff',
			'--vscode-editor-background': '#000000',
			'--vscode-sideBar-background': '#000000',
			'--vscode-descriptionForeground': '#ffffff',
			'--vscode-errorForeground': '#f48771',
			'--vscode-editorRuler-foreground': '#ffffff',
			'--vscode-charts-red': '#f14c4c',
			'--vscode-charts-blue': '#3794ff',
			'--vscode-charts-green': '#89d185',
			'--vscode-charts-orange': '#d18616',
			'--vscode-charts-purple': '#b180d7',
			'--vscode-charts-yellow': '#ffff00',
			'--vscode-button-background': '#000000',
			'--vscode-button-foreground': '#ffffff',
			'--vscode-button-secondaryBackground': '#000000',
			'--vscode-button-secondaryForeground': '#ffffff',
			'--vscode-sideBarSectionHeader-background': '#000000',
			'--vscode-sideBarSectionHeader-foreground': '#ffffff',
			'--vscode-sideBarTitle-foreground': '#ffffff',
			'--vscode-focusBorder': '#f38518',
			'--vscode-icon-foreground': '#ffffff',
			'--vscode-contrastBorder': '#6fc3df',
			'--vscode-button-border': '#6fc3df',
		},
	},
};

const COMMON_VARIABLES: Record<string, string> = {
	'--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
	'--vscode-font-size': '13px',
	'--vscode-editor-font-family': '"Droid Sans Mono", monospace',
};

const NONCE = 'harnessNonce0123456789';

/** Builds the webview bundle into dist/ with the repository's esbuild script. */
export async function buildWebview(): Promise<void> {
	const esbuild = await import('esbuild');
	await esbuild.build({
		bundle: true,
		platform: 'browser',
		format: 'iife',
		target: 'es2022',
		entryPoints: { webview: join(repoRoot, 'webview', 'main.ts') },
		outdir: join(repoRoot, 'dist'),
		sourcemap: true,
		logLevel: 'warning',
		loader: { '.css': 'css' },
	});
}

/** Opens the panel in a new headless Chromium; call `close()` to stop the browser and the server. */
export async function openPanel(options: PanelOptions = {}): Promise<PanelHarness> {
	const server = await startServer(options);
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({
			executablePath: chromiumPath,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
		});
		const page = await browser.newPage({
			viewport: { width: options.width ?? 420, height: options.height ?? 900 },
			deviceScaleFactor: 1,
		});
		const problems: string[] = [];
		page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
		page.on('console', (message) => {
			if (message.type() === 'error') {
				problems.push(`console error: ${message.text()}`);
			}
		});
		await page.route('**/*', (route) =>
			route.request().url().startsWith(origin) ? route.continue() : route.abort(),
		);
		await page.goto(`${origin}/`);
		await waitFor(page, `window.__posted.some((message) => message.type === 'ready')`);
		return createHarness(page, browser, server, problems);
	} catch (error) {
		await browser?.close();
		server.close();
		throw error;
	}
}

/**
 * Polls a page expression until it is truthy and returns its value. Playwright's `waitForFunction`
 * with a string predicate evaluates it with `eval` inside the page, which the panel's CSP blocks.
 */
export async function waitFor<T>(page: Page, expression: string, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await page.evaluate<T>(expression);
		if (value) {
			return value;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${expression}`);
		}
		await new Promise((done) => setTimeout(done, 20));
	}
}

/** Waits two animation frames, so the panel has rendered what it received. */
const NEXT_FRAMES = 'new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))';

function createHarness(page: Page, browser: Browser, server: Server, problems: string[]): PanelHarness {
	let requestId = 1000;
	const waitForAnswer = async (id: number): Promise<WebviewMessage> => {
		return waitFor<WebviewMessage>(page, `window.__posted.find((message) => message.requestId === ${id})`);
	};
	const post = async (message: unknown): Promise<void> => {
		const serialized = JSON.parse(JSON.stringify(message)) as unknown;
		await page.evaluate(`window.postMessage(${JSON.stringify(serialized)}, '*')`);
		await page.evaluate(NEXT_FRAMES);
	};
	return {
		page,
		post,
		posted: () => page.evaluate<WebviewMessage[]>('window.__posted'),
		savedState: () => page.evaluate<unknown>('window.__state'),
		chartsState: async () => {
			const id = requestId++;
			await post({ type: 'stateRequest', requestId: id });
			const answer = await waitForAnswer(id);
			if (answer.type !== 'chartsState') {
				throw new Error(`Expected a chartsState answer, got ${JSON.stringify(answer).slice(0, 200)}`);
			}
			return answer.state;
		},
		exportChart: async (format) => {
			const id = requestId++;
			await post({ type: 'exportRequest', requestId: id, format });
			const answer = await waitForAnswer(id);
			if (answer.type !== 'exportResult') {
				throw new Error(`Export failed: ${JSON.stringify(answer).slice(0, 300)}`);
			}
			return Buffer.from(answer.base64, 'base64');
		},
		setTheme: async (theme) => {
			await page.evaluate(themeScript(theme));
			await page.evaluate(NEXT_FRAMES);
		},
		problems: () => problems,
		close: async () => {
			const violations = await page.evaluate<string[]>('window.__violations').catch(() => [] as string[]);
			problems.push(...violations.map((violation) => `CSP violation: ${violation}`));
			await browser.close();
			server.close();
		},
	};
}

/** Script that applies a theme the way VS Code does: body class plus variables on the root. */
function themeScript(theme: ThemeName): string {
	const { bodyClass, variables } = THEMES[theme];
	const all = { ...COMMON_VARIABLES, ...variables };
	return `(() => {
		const root = document.documentElement;
		for (const [name, value] of Object.entries(${JSON.stringify(all)})) {
			root.style.setProperty(name, value);
		}
		root.style.setProperty('background', ${JSON.stringify(variables['--vscode-sideBar-background'])});
		document.body.className = ${JSON.stringify(bodyClass)};
	})()`;
}

function stubScript(options: PanelOptions): string {
	return `
		window.__posted = [];
		window.__violations = [];
		window.__state = ${JSON.stringify(options.savedState ?? null)} ?? undefined;
		document.addEventListener('securitypolicyviolation', (event) => {
			window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
		});
		window.acquireVsCodeApi = () => ({
			postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
			getState: () => window.__state,
			setState: (state) => { window.__state = JSON.parse(JSON.stringify(state)); },
		});
		${themeScript(options.theme ?? 'dark')};
	`;
}

async function startServer(options: PanelOptions): Promise<Server> {
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		if (url.pathname === '/') {
			const origin = `http://${request.headers.host ?? '127.0.0.1'}`;
			const html = renderWebviewHtml({
				cspSource: origin,
				nonce: NONCE,
				scriptUri: `${origin}/dist/webview.js`,
				styleUri: `${origin}/dist/webview.css`,
			}).replace('<div id="root"></div>', `<div id="root"></div>\n\t<script nonce="${NONCE}">${stubScript(options)}</script>`);
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(html);
			return;
		}
		const file = { '/dist/webview.js': 'text/javascript', '/dist/webview.css': 'text/css' }[url.pathname];
		if (file === undefined) {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'content-type': file });
		response.end(readFileSync(join(repoRoot, url.pathname)));
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	return server;
}
