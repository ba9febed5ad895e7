/**
 * Entry of the Charts webview. It restores the saved state, renders the focused spec and applies
 * host messages. It responds to export and chart-state requests and follows theme and size changes.
 */

import 'uplot/dist/uPlot.min.css';
import './styles.css';

import { checkHostMessage, type HostMessage, type LogLevel, type PanelState, type WebviewMessage } from '../src/protocol';
import { applyHostMessage, EMPTY_STATE, focusedEntry } from '../src/panelState';
import { PanelView } from './panelView';
import { chartsToPngBase64 } from './pngExport';
import { chartsToSvg } from './svgExport';
import { readPalette, watchTheme } from './theme';

/** The API object VS Code gives a webview script (once per page). */
interface VsCodeApi {
	postMessage(message: WebviewMessage): void;
	getState(): unknown;
	setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

declare global {
	interface Window {
		/** Nonce Lit puts on the `<style>` elements it creates where adoptedStyleSheets are missing. */
		litNonce?: string;
	}
}

/** Height of the plot area of an exported SVG chart, in CSS pixels. */
const SVG_PLOT_HEIGHT = 170;

const vscode = acquireVsCodeApi();
window.litNonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce;

let state = restoreState(vscode.getState());
let palette = readPalette();
let renderQueued = false;

const root = document.getElementById('root') ?? document.body;
// Export buttons also go through the host. It runs ntkHorizon.exportChart, which requests the
// bytes with an exportRequest once the user has picked a file.
const view = new PanelView(root, (command) => vscode.postMessage({ type: 'command', command, key: state.focusedKey }));

render();
window.addEventListener('message', (event: MessageEvent<unknown>) => receive(event.data));
watchTheme(() => {
	palette = readPalette();
	render();
});
new ResizeObserver(() => view.resize(chartWidth())).observe(root);
window.addEventListener('error', (event) => log('error', `Webview error: ${event.message}`));
// A view kept alive while hidden reports ready again when shown, so the host resends its state.
document.addEventListener('visibilitychange', () => {
	if (document.visibilityState === 'visible') {
		vscode.postMessage({ type: 'ready' });
	}
});
vscode.postMessage({ type: 'ready' });

function receive(data: unknown): void {
	const problem = checkHostMessage(data);
	if (problem !== undefined) {
		log('warn', `Dropped an invalid host message: ${problem}`);
		return;
	}
	const message = data as HostMessage;
	if (message.type === 'exportRequest') {
		void afterRender().then(() => respondToExport(message.requestId, message.format));
		return;
	}
	if (message.type === 'stateRequest') {
		void afterRender().then(() => {
			vscode.postMessage({ type: 'chartsState', requestId: message.requestId, state: view.chartsState() });
		});
		return;
	}
	state = applyHostMessage(state, message);
	vscode.setState(state);
	scheduleRender();
}

function respondToExport(requestId: number, format: 'png' | 'svg'): void {
	try {
		if (view.chartSpecs().length === 0) {
			throw new Error('There is no chart to export. Run Simulate or Sweep α first.');
		}
		const base64 =
			format === 'svg'
				? utf8ToBase64(chartsToSvg(view.chartSpecs(), { width: chartWidth(), plotHeight: SVG_PLOT_HEIGHT, palette }))
				: chartsToPngBase64(view.pngParts(), palette, chartWidth());
		vscode.postMessage({ type: 'exportResult', requestId, format, base64 });
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		vscode.postMessage({ type: 'requestFailed', requestId, message });
	}
}

function scheduleRender(): void {
	if (renderQueued) {
		return;
	}
	renderQueued = true;
	requestAnimationFrame(() => {
		if (renderQueued) {
			render();
		}
	});
}

/**
 * Renders now if a render is queued, then waits one task. uPlot 1.6.32 draws new and updated charts
 * in a microtask, so after the wait the canvases and scales match the latest data.
 */
async function afterRender(): Promise<void> {
	if (renderQueued) {
		render();
	}
	await new Promise((done) => setTimeout(done, 0));
}

function render(): void {
	renderQueued = false;
	view.render(focusedEntry(state), palette, chartWidth());
}

function chartWidth(): number {
	return Math.max(200, Math.floor(root.clientWidth));
}

function restoreState(saved: unknown): PanelState {
	const problem = checkHostMessage({ type: 'restore', state: saved });
	return saved === undefined || problem !== undefined ? EMPTY_STATE : (saved as PanelState);
}

function log(level: LogLevel, message: string): void {
	vscode.postMessage({ type: 'log', level, message });
}

function utf8ToBase64(text: string): string {
	const bytes = new TextEncoder().encode(text);
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary);
}
