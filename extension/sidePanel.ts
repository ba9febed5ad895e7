/**
 * The Charts webview view (`ntkHorizon.charts`). The provider sends analyses, progress, results and
 * sweeps to the webview and keeps a copy of the panel state to resend when the view is shown again.
 * It runs the commands the panel's buttons request, and requests chart exports and the plotted data.
 */

import * as vscode from 'vscode';

import { applyHostMessage, EMPTY_STATE } from '../src/panelState';
import {
	checkWebviewMessage,
	toPanelAnalysis,
	toPanelProgress,
	toPanelResult,
	toPanelSweep,
	mergeProgress,
	type ChartFormat,
	type ChartsState,
	type HostMessage,
	type PanelProgress,
	type PanelState,
	type PanelStatus,
	type WebviewMessage,
} from '../src/protocol';
import type { HorizonAnalysis, SimulationProgress, SimulationResult, SweepResult } from '../src/results';
import type { Log } from './log';
import { commandForPanel } from './panelCommands';
import { createNonce, renderWebviewHtml } from './webviewHtml';

/** Timeout for the webview to load or to respond to a request, in milliseconds. */
const REQUEST_TIMEOUT_MS = 20_000;

/** Minimum interval between two progress messages for the same spec, in milliseconds. */
const PROGRESS_INTERVAL_MS = 50;

/** Specs whose data the host keeps for the panel; older ones are dropped first. */
const MAX_ENTRIES = 64;

interface PendingRequest {
	readonly resolve: (message: WebviewMessage) => void;
	readonly reject: (error: Error) => void;
	readonly timer: ReturnType<typeof setTimeout>;
}

interface PendingProgress {
	progress: PanelProgress;
	timer: ReturnType<typeof setTimeout> | undefined;
	lastSent: number;
}

/** Provides the Charts view; create one in `activate` and register it for `ChartsViewProvider.viewType`. */
export class ChartsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
	/** The view id contributed in package.json. */
	static readonly viewType = 'ntkHorizon.charts';

	private view: vscode.WebviewView | undefined;
	private isReady = false;
	private state: PanelState = EMPTY_STATE;
	private nextRequestId = 1;
	private readonly pendingRequests = new Map<number, PendingRequest>();
	private readonly pendingProgress = new Map<string, PendingProgress>();
	private readonly readyWaiters: (() => void)[] = [];
	private viewDisposables: vscode.Disposable[] = [];

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly log: Log,
	) {}

	/** Called by VS Code when the view becomes visible for the first time (or after a reload). */
	resolveWebviewView(webviewView: vscode.WebviewView): void {
		this.disposeView();
		this.view = webviewView;
		this.isReady = false;
		const webview = webviewView.webview;
		webview.options = {
			enableScripts: true,
			localResourceRoots: [
				vscode.Uri.joinPath(this.extensionUri, 'dist'),
				vscode.Uri.joinPath(this.extensionUri, 'media'),
			],
		};
		webview.html = renderWebviewHtml({
			cspSource: webview.cspSource,
			nonce: createNonce(),
			scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
			styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.css')).toString(),
		});
		this.viewDisposables = [
			webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
			webviewView.onDidChangeVisibility(() => {
				// Without retainContextWhenHidden the page is discarded while hidden and reloads on
				// show; it then posts `ready` and gets the state again.
				if (!webviewView.visible) {
					this.isReady = false;
				}
			}),
			webviewView.onDidDispose(() => {
				if (this.view === webviewView) {
					this.disposeView();
				}
			}),
		];
	}

	/** Shows a spec's predicted horizons; does not move the focus unless no spec is focused. */
	showAnalysis(key: string, label: string, analysis: HorizonAnalysis): void {
		this.dispatch({ type: 'analysis', key, label, analysis: toPanelAnalysis(analysis) });
	}

	/**
	 * Appends the points of a running simulation and focuses its spec. Reports may carry all points
	 * so far or only new ones; messages to the webview are batched to one per 50 ms per spec.
	 */
	showProgress(key: string, progress: SimulationProgress): void {
		const panelProgress = toPanelProgress(progress);
		this.state = applyHostMessage(this.state, { type: 'progress', key, progress: panelProgress });
		const pending = this.pendingProgress.get(key) ?? { progress: panelProgress, timer: undefined, lastSent: 0 };
		pending.progress = pending.timer === undefined ? panelProgress : mergeProgress(pending.progress, panelProgress);
		this.pendingProgress.set(key, pending);
		if (pending.timer !== undefined) {
			return;
		}
		const wait = Math.max(0, pending.lastSent + PROGRESS_INTERVAL_MS - Date.now());
		pending.timer = setTimeout(() => this.flushProgress(key), wait);
	}

	/** Shows a finished or stopped simulation and focuses its spec. */
	showResult(key: string, result: SimulationResult): void {
		this.flushProgress(key);
		this.dispatch({ type: 'result', key, result: toPanelResult(result) });
	}

	/** Shows a sweep over alpha and focuses its spec. */
	showSweep(key: string, sweep: SweepResult): void {
		this.dispatch({ type: 'sweep', key, sweep: toPanelSweep(sweep) });
	}

	/** Sets or clears (null) a spec's status line, for example an error message. */
	showStatus(key: string, status: PanelStatus | null): void {
		this.dispatch({ type: 'status', key, status });
	}

	/** Makes the panel show `key`'s latest data (the spec under the cursor). */
	focusSpec(key: string): void {
		if (this.state.focusedKey !== key) {
			this.dispatch({ type: 'focus', key });
		}
	}

	/** Opens the Charts view, loading its webview if needed. */
	async reveal(): Promise<void> {
		await this.whenReady();
	}

	/**
	 * Renders the focused spec's charts as one PNG or SVG image in the webview.
	 *
	 * @throws Error when there is no chart, or the webview does not respond within 20 s
	 */
	async exportChart(format: ChartFormat): Promise<Uint8Array> {
		const response = await this.request((requestId) => ({ type: 'exportRequest', requestId, format }));
		if (response.type !== 'exportResult') {
			throw new Error(`Chart export failed: unexpected response ${response.type} from the Charts view.`);
		}
		return new Uint8Array(Buffer.from(response.base64, 'base64'));
	}

	/** Returns what each chart plots (series and point counts, axis ranges, markers), for tests. */
	async chartsState(): Promise<ChartsState> {
		const response = await this.request((requestId) => ({ type: 'stateRequest', requestId }));
		if (response.type !== 'chartsState') {
			throw new Error(`Reading the chart state failed: unexpected response ${response.type} from the Charts view.`);
		}
		return response.state;
	}

	/** Rejects pending requests and releases the view's listeners. */
	dispose(): void {
		for (const pending of this.pendingProgress.values()) {
			clearTimeout(pending.timer);
		}
		this.pendingProgress.clear();
		this.disposeView();
	}

	private dispatch(message: HostMessage): void {
		this.state = pruneEntries(applyHostMessage(this.state, message));
		this.post(message);
	}

	private flushProgress(key: string): void {
		const pending = this.pendingProgress.get(key);
		if (pending === undefined || pending.timer === undefined) {
			return;
		}
		clearTimeout(pending.timer);
		pending.timer = undefined;
		pending.lastSent = Date.now();
		this.post({ type: 'progress', key, progress: pending.progress });
	}

	private post(message: HostMessage): void {
		if (this.view === undefined || !this.isReady) {
			// The webview gets the whole state with `restore` once it is ready.
			return;
		}
		this.view.webview.postMessage(message).then(
			(delivered) => {
				if (!delivered) {
					this.log.debug(`Charts view: ${message.type} message not delivered (view hidden).`);
				}
			},
			(error: unknown) => this.log.error(`Charts view: posting a ${message.type} message failed.`, error),
		);
	}

	private receive(data: unknown): void {
		const problem = checkWebviewMessage(data);
		if (problem !== undefined) {
			this.log.warn(`Charts view: dropped an invalid message from the webview: ${problem}`);
			return;
		}
		const message = data as WebviewMessage;
		switch (message.type) {
			case 'ready':
				this.isReady = true;
				this.post({ type: 'restore', state: this.state });
				this.readyWaiters.splice(0).forEach((resolve) => resolve());
				return;
			case 'command':
				this.runCommand(message.command, message.key);
				return;
			case 'log':
				this.log[message.level](`Charts view: ${message.message}`);
				return;
			default:
				this.settleRequest(message);
		}
	}

	private runCommand(command: Parameters<typeof commandForPanel>[0], key: string | null): void {
		const call = commandForPanel(command, key);
		this.log.debug(`Charts view: running ${call.command} for ${key ?? 'the active editor'}.`);
		vscode.commands.executeCommand(call.command, ...call.args).then(undefined, (error: unknown) => {
			this.log.error(`Charts view: command ${call.command} failed.`, error);
		});
	}

	private settleRequest(message: WebviewMessage): void {
		if (!('requestId' in message)) {
			return;
		}
		const pending = this.pendingRequests.get(message.requestId);
		if (pending === undefined) {
			this.log.debug(`Charts view: response to unknown or timed-out request ${message.requestId} ignored.`);
			return;
		}
		this.pendingRequests.delete(message.requestId);
		clearTimeout(pending.timer);
		if (message.type === 'requestFailed') {
			pending.reject(new Error(message.message));
		} else {
			pending.resolve(message);
		}
	}

	/** Sends a request to the webview once it is ready and waits for the response with the same id. */
	private async request(build: (requestId: number) => HostMessage): Promise<WebviewMessage> {
		await this.whenReady();
		const requestId = this.nextRequestId++;
		return new Promise<WebviewMessage>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pendingRequests.delete(requestId);
				reject(new Error(`The Charts view timed out: no response within ${REQUEST_TIMEOUT_MS / 1000} s.`));
			}, REQUEST_TIMEOUT_MS);
			this.pendingRequests.set(requestId, { resolve, reject, timer });
			this.post(build(requestId));
		});
	}

	/** Resolves once the webview has loaded, opening the view first when it is closed or hidden. */
	private async whenReady(): Promise<void> {
		if (this.view !== undefined && this.isReady && this.view.visible) {
			return;
		}
		const ready = new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				reject(new Error(`The Charts view did not load within ${REQUEST_TIMEOUT_MS / 1000} s.`));
			}, REQUEST_TIMEOUT_MS);
			this.readyWaiters.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
		if (this.view === undefined) {
			await vscode.commands.executeCommand(`${ChartsViewProvider.viewType}.focus`);
		} else {
			this.view.show(true);
		}
		if (this.view !== undefined && this.isReady && this.view.visible) {
			this.readyWaiters.splice(0).forEach((resolve) => resolve());
		}
		await ready;
	}

	private disposeView(): void {
		this.viewDisposables.forEach((disposable) => disposable.dispose());
		this.viewDisposables = [];
		this.view = undefined;
		this.isReady = false;
		for (const pending of this.pendingRequests.values()) {
			clearTimeout(pending.timer);
			pending.reject(new Error('The Charts view was closed before it responded. Open the view and try again.'));
		}
		this.pendingRequests.clear();
	}
}

/** Drops the least recently updated entries beyond `MAX_ENTRIES`, never the focused one. */
function pruneEntries(state: PanelState): PanelState {
	if (state.entries.length <= MAX_ENTRIES) {
		return state;
	}
	const excess = state.entries.length - MAX_ENTRIES;
	const removable = state.entries.filter((entry) => entry.key !== state.focusedKey).slice(0, excess);
	const removed = new Set(removable.map((entry) => entry.key));
	return { ...state, entries: state.entries.filter((entry) => !removed.has(entry.key)) };
}
