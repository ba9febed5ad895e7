import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, extensionId, waitFor, workspaceRoot } from './helpers';

/** Commands every caller (palette, CodeLens, tests) relies on. */
const commandIds = [
	'ntkHorizon.simulate',
	'ntkHorizon.sweepAlpha',
	'ntkHorizon.showHorizon',
	'ntkHorizon.openCharts',
	'ntkHorizon.cancel',
	'ntkHorizon.exportResults',
	'ntkHorizon.exportChart',
	'ntkHorizon.newSpec',
];

describe('activation', () => {
	it('runs in the copied fixture workspace', () => {
		assert.equal(workspaceRoot(), process.env.NTK_E2E_WORKSPACE);
	});

	it('activates by itself in a workspace with spec files', async () => {
		const extension = vscode.extensions.getExtension(extensionId);
		assert.ok(extension, `extension ${extensionId} is not loaded from the development path`);
		// Nothing in the suite has called activate() yet: the workspaceContains event must do it.
		await waitFor('the extension to become active', () => extension.isActive, (active) => active, {
			events: [vscode.extensions.onDidChange as vscode.Event<unknown>],
		});
	});

	it('registers every command', async () => {
		await activateExtension();
		const registered = new Set(await vscode.commands.getCommands(true));
		const missing = commandIds.filter((id) => !registered.has(id));
		assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
	});

	it('returns the test API from activate()', async () => {
		const api = await activateExtension();
		assert.equal(typeof api.workerPool.killAll, 'function', 'workerPool.killAll is not a function');
		assert.equal(typeof api.eventLoopMaxLagMs, 'function', 'eventLoopMaxLagMs is not a function');
		assert.equal(typeof api.resetEventLoopLag, 'function', 'resetEventLoopLag is not a function');
		assert.equal(typeof api.chartsState, 'function', 'chartsState is not a function');
		assert.equal(typeof api.lastResult, 'function', 'lastResult is not a function');
		assert.ok(api.workerPool.size >= 1, `workerPool.size is ${api.workerPool.size}, expected at least 1`);
	});

	it('activates in under 100 ms', async () => {
		const api = await activateExtension();
		assert.ok(api.activationMs < 100, `activate() took ${api.activationMs.toFixed(1)} ms, expected < 100 ms`);
	});
});
