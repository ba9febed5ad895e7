/**
 * Entry point: wires the worker pool, the spec documents, the editor features and the commands.
 * Nothing heavy is loaded here: the TypeScript compiler, the schema validator and the numerical
 * core run in worker threads that start on first use.
 */

import { performance } from 'node:perf_hooks';

import * as vscode from 'vscode';

import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { EventLoopMonitor } from './eventLoop';
import { registerHover } from './hover';
import { createLog, type Log } from './log';
import { registerQuickFixes } from './quickFix';
import { RunController } from './runs';
import { readSettings, SETTINGS_SECTION } from './settings';
import { ChartsViewProvider } from './sidePanel';
import { SpecDocuments } from './specDocuments';
import { toUri } from './specTargets';
import { registerStatusBar } from './statusBar';
import type { NtkHorizonTestApi } from './testApi';
import { WorkerPool } from './workerPool';

/** Activates the extension and returns the test API. */
export function activate(context: vscode.ExtensionContext): NtkHorizonTestApi {
	const started = performance.now();
	const { log, disposable: logDisposable } = createLog();
	const settings = readSettings();
	const monitor = new EventLoopMonitor();
	const pool = new WorkerPool({
		scriptPath: context.asAbsolutePath('dist/worker.js'),
		size: settings.workers,
		log,
	});
	const specDocuments = new SpecDocuments(pool, log);
	const charts = new ChartsViewProvider(context.extensionUri, log);
	const runs = new RunController(pool, () => charts, log);
	context.subscriptions.push(
		logDisposable,
		{ dispose: () => pool.dispose() },
		{ dispose: () => monitor.dispose() },
		specDocuments,
		charts,
		runs,
		vscode.window.registerWebviewViewProvider(ChartsViewProvider.viewType, charts),
		registerDiagnostics(specDocuments),
		registerHover(specDocuments, runs),
		registerCodeLens(specDocuments),
		registerQuickFixes(specDocuments),
		registerStatusBar(specDocuments, runs, () => charts),
		registerCommands({ specDocuments, runs, charts, log }),
		watchSettings(pool, specDocuments, log),
		vscode.workspace.onDidGrantWorkspaceTrust(() => specDocuments.refreshAll()),
	);
	const activationMs = performance.now() - started;
	log.info(`Activated in ${activationMs.toFixed(1)} ms with ${pool.size} simulation workers.`);
	return createTestApi({ pool, monitor, charts, runs, specDocuments, activationMs });
}

/** Nothing to do: every resource is in `context.subscriptions`. */
export function deactivate(): void {}

function watchSettings(
	pool: WorkerPool,
	specDocuments: SpecDocuments,
	log: Log,
): vscode.Disposable {
	return vscode.workspace.onDidChangeConfiguration((event) => {
		if (!event.affectsConfiguration(SETTINGS_SECTION)) {
			return;
		}
		const settings = readSettings();
		if (event.affectsConfiguration(`${SETTINGS_SECTION}.workers`)) {
			pool.resize(settings.workers);
			log.info(`Simulation workers: ${pool.size}.`);
		}
		if (
			event.affectsConfiguration(`${SETTINGS_SECTION}.budget.memoryMB`) ||
			event.affectsConfiguration(`${SETTINGS_SECTION}.defaultEpsilon`)
		) {
			specDocuments.refreshAll();
		}
	});
}

interface TestApiParts {
	readonly pool: WorkerPool;
	readonly monitor: EventLoopMonitor;
	readonly charts: ChartsViewProvider;
	readonly runs: RunController;
	readonly specDocuments: SpecDocuments;
	readonly activationMs: number;
}

function createTestApi(parts: TestApiParts): NtkHorizonTestApi {
	const { pool, monitor, charts, runs, specDocuments } = parts;
	const keyOf = (uri: string, specIndex: number) => RunController.keyOf(toUri(uri), specIndex);
	return {
		workerPool: {
			killAll: () => pool.killAll(),
			get size() {
				return pool.size;
			},
			get liveWorkers() {
				return pool.liveWorkers;
			},
		},
		eventLoopMaxLagMs: () => monitor.maxLagMs(),
		resetEventLoopLag: () => monitor.reset(),
		chartsState: () => charts.chartsState(),
		lastResult: (uri, specIndex) => runs.lastResult(keyOf(uri, specIndex)),
		lastSweep: (uri, specIndex) => runs.lastSweep(keyOf(uri, specIndex)),
		analysis: async (uri, specIndex) => {
			const document = await vscode.workspace.openTextDocument(toUri(uri));
			const spec = (await specDocuments.ensureInspected(document))?.specs[specIndex];
			return spec?.spec ? specDocuments.analyze(spec, document.uri) : undefined;
		},
		activationMs: parts.activationMs,
	};
}
