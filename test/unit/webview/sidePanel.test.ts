/**
 * Tests of the host-side ChartsViewProvider against a fake `vscode` module and a fake webview view
 * that records posted messages and lets the test respond as the webview would.
 */

import assert from 'node:assert/strict';
import Module, { createRequire } from 'node:module';
import { test } from 'node:test';

import { checkHostMessage, type HostMessage, type WebviewMessage } from '../../../src/protocol';
import { SAMPLE_KEY, SAMPLE_LABEL, sampleAnalysis, sampleResult } from './sampleData';

interface Listener<T> {
	(value: T): void;
}

interface ExecutedCommand {
	readonly command: string;
	readonly args: unknown[];
}

const executed: ExecutedCommand[] = [];
let onFocusCommand: (() => void) | undefined;

const fakeUri = (path: string) => ({ path, toString: () => path });
const fakeVscode = {
	Uri: {
		joinPath: (base: { path: string }, ...parts: string[]) => fakeUri([base.path, ...parts].join('/')),
	},
	commands: {
		executeCommand: async (command: string, ...args: unknown[]) => {
			executed.push({ command, args });
			if (command === 'ntkHorizon.charts.focus') {
				onFocusCommand?.();
			}
			return undefined;
		},
	},
};

// The provider imports `vscode`, which only exists inside the editor: serve the fake instead.
const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function load(request: string, ...rest: unknown[]) {
	return request === 'vscode' ? fakeVscode : originalLoad.call(this, request, ...rest);
};
const { ChartsViewProvider } = createRequire(__filename)('../../../extension/sidePanel') as typeof import('../../../extension/sidePanel');

class FakeView {
	visible = true;
	readonly posted: HostMessage[] = [];
	private receiveListener: Listener<unknown> | undefined;
	private disposeListener: Listener<void> | undefined;
	readonly webview = {
		options: {} as { enableScripts?: boolean; localResourceRoots?: { path: string }[] },
		html: '',
		cspSource: 'vscode-webview://fake',
		asWebviewUri: (uri: { path: string }) => fakeUri(`vscode-webview://fake${uri.path}`),
		postMessage: async (message: HostMessage) => {
			this.posted.push(JSON.parse(JSON.stringify(message)) as HostMessage);
			return true;
		},
		onDidReceiveMessage: (listener: Listener<unknown>) => {
			this.receiveListener = listener;
			return { dispose: () => undefined };
		},
	};

	onDidChangeVisibility(): { dispose(): void } {
		return { dispose: () => undefined };
	}

	onDidDispose(listener: Listener<void>): { dispose(): void } {
		this.disposeListener = listener;
		return { dispose: () => undefined };
	}

	show(): void {
		this.visible = true;
	}

	/** Delivers a message as if the webview had posted it. */
	send(message: WebviewMessage | unknown): void {
		this.receiveListener?.(message);
	}

	dispose(): void {
		this.disposeListener?.();
	}

	last(type: HostMessage['type']): HostMessage | undefined {
		return [...this.posted].reverse().find((message) => message.type === type);
	}
}

interface LogRecord {
	readonly level: string;
	readonly message: string;
}

function createProvider() {
	const records: LogRecord[] = [];
	const record = (level: string) => (message: string) => records.push({ level, message });
	const log = {
		trace: record('trace'),
		debug: record('debug'),
		info: record('info'),
		warn: record('warn'),
		error: record('error'),
		notifyError: record('notify'),
		show: () => undefined,
	};
	const provider = new ChartsViewProvider(fakeUri('/ext') as never, log);
	const view = new FakeView();
	return { provider, view, records, resolve: () => provider.resolveWebviewView(view as never) };
}

const tick = (ms = 0) => new Promise((done) => setTimeout(done, ms));

test('provider sets options and a CSP page', () => {
	const { view, resolve } = createProvider();
	resolve();
	assert.equal(view.webview.options.enableScripts, true);
	assert.deepEqual(
		view.webview.options.localResourceRoots?.map((root) => root.path),
		['/ext/dist', '/ext/media'],
	);
	assert.match(view.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
	assert.ok(view.webview.html.includes('src="vscode-webview://fake/ext/dist/webview.js"'));
	assert.ok(view.webview.html.includes('href="vscode-webview://fake/ext/dist/webview.css"'));
});

test('provider restores state when the webview is ready', async () => {
	const { provider, view, resolve } = createProvider();
	provider.showAnalysis(SAMPLE_KEY, SAMPLE_LABEL, sampleAnalysis());
	provider.showResult(SAMPLE_KEY, sampleResult());
	resolve();
	assert.equal(view.posted.length, 0, 'nothing posted before ready');
	view.send({ type: 'ready' });
	const restore = view.last('restore');
	assert.ok(restore?.type === 'restore');
	assert.equal(checkHostMessage(restore), undefined);
	assert.equal(restore.state.focusedKey, SAMPLE_KEY);
	assert.equal(restore.state.entries[0].result?.times.length, 25);
	provider.focusSpec('other#1');
	assert.deepEqual(view.last('focus'), { type: 'focus', key: 'other#1' });
});

test('provider posts results that pass the guard', () => {
	const { provider, view, resolve } = createProvider();
	resolve();
	view.send({ type: 'ready' });
	provider.showResult(SAMPLE_KEY, sampleResult());
	const message = view.last('result');
	assert.ok(message !== undefined, 'result posted');
	assert.equal(checkHostMessage(message), undefined);
});

test('provider batches progress reports', async () => {
	const { provider, view, resolve } = createProvider();
	resolve();
	view.send({ type: 'ready' });
	const result = sampleResult();
	for (let count = 1; count <= 10; count++) {
		provider.showProgress(SAMPLE_KEY, {
			time: result.times[count - 1],
			fraction: count / 25,
			steps: count * 10,
			times: result.times.slice(count - 1, count),
			err: result.err.slice(count - 1, count),
			normR: result.normR.slice(count - 1, count),
			normRbar: result.normRbar.slice(count - 1, count),
		});
	}
	await tick(80);
	const progress = view.posted.filter((message) => message.type === 'progress');
	assert.equal(progress.length, 1, `progress messages: value ${progress.length}, expected 1 for 10 reports in one tick`);
	assert.ok(progress[0].type === 'progress');
	assert.equal(progress[0].progress.times.length, 10, 'the batch carries all ten incremental points');
	assert.equal(progress[0].progress.steps, 100);
});

test('provider drops and logs invalid messages', () => {
	const { view, records, resolve } = createProvider();
	resolve();
	view.send({ type: 'command', command: 'format disk', key: null });
	view.send('ready');
	const warnings = records.filter((record) => record.level === 'warn');
	assert.equal(warnings.length, 2);
	assert.match(warnings[0].message, /message\.command: expected one of simulate/);
	assert.equal(executed.filter((call) => call.command === 'format disk').length, 0);
	assert.equal(view.posted.length, 0, 'a string "ready" is not a ready message');
});

test('provider runs button commands', async () => {
	const { view, records, resolve } = createProvider();
	resolve();
	executed.length = 0;
	view.send({ type: 'command', command: 'simulate', key: SAMPLE_KEY });
	view.send({ type: 'command', command: 'exportSvg', key: SAMPLE_KEY });
	view.send({ type: 'log', level: 'error', message: 'canvas lost' });
	await tick();
	assert.deepEqual(executed, [
		{ command: 'ntkHorizon.simulate', args: ['file:///work/examples/converse.ntk.json', 0] },
		{ command: 'ntkHorizon.exportChart', args: ['svg'] },
	]);
	assert.ok(records.some((record) => record.level === 'error' && record.message === 'Charts view: canvas lost'));
});

test('provider exports through the webview', async () => {
	const { provider, view, resolve } = createProvider();
	resolve();
	view.send({ type: 'ready' });
	const pending = provider.exportChart('png');
	await tick();
	const request = view.last('exportRequest');
	assert.ok(request?.type === 'exportRequest');
	assert.equal(request.format, 'png');
	view.send({ type: 'exportResult', requestId: request.requestId, format: 'png', base64: Buffer.from([137, 80, 78, 71]).toString('base64') });
	assert.deepEqual([...(await pending)], [137, 80, 78, 71]);

	const failing = provider.exportChart('svg');
	await tick();
	const second = view.last('exportRequest');
	assert.ok(second?.type === 'exportRequest');
	assert.notEqual(second.requestId, request.requestId, 'each request gets a new id');
	view.send({ type: 'requestFailed', requestId: second.requestId, message: 'There is no chart to export.' });
	await assert.rejects(failing, /There is no chart to export\./);
});

test('provider asks the webview for chart state', async () => {
	const { provider, view, resolve } = createProvider();
	resolve();
	view.send({ type: 'ready' });
	const pending = provider.chartsState();
	await tick();
	const request = view.last('stateRequest');
	assert.ok(request?.type === 'stateRequest');
	const state = { focusedKey: SAMPLE_KEY, label: 'x', status: 'Complete', charts: [] };
	view.send({ type: 'chartsState', requestId: request.requestId, state });
	assert.deepEqual(await pending, state);
});

test('provider opens a closed view before a request', async () => {
	const { provider, view } = createProvider();
	onFocusCommand = () => {
		provider.resolveWebviewView(view as never);
		setTimeout(() => view.send({ type: 'ready' }), 5);
	};
	try {
		const pending = provider.chartsState();
		await tick(20);
		assert.ok(executed.some((call) => call.command === 'ntkHorizon.charts.focus'), 'focus command run');
		const request = view.last('stateRequest');
		assert.ok(request?.type === 'stateRequest', `posted: ${view.posted.map((m) => m.type)}`);
		view.send({ type: 'chartsState', requestId: request.requestId, state: { focusedKey: null, label: null, status: '', charts: [] } });
		assert.equal((await pending).focusedKey, null);
	} finally {
		onFocusCommand = undefined;
	}
});

test('closing the view rejects pending requests', async () => {
	const { provider, view, resolve } = createProvider();
	resolve();
	view.send({ type: 'ready' });
	const pending = provider.exportChart('png');
	await tick();
	view.dispose();
	await assert.rejects(pending, /closed before it responded/);
});
