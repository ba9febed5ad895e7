/**
 * The "NTK Horizon" log output channel and the rate-limited error pop-ups. Other modules log
 * through `Log` and never call the window API for errors themselves.
 */

import * as vscode from 'vscode';

import { TaskError } from './workerProtocol';

/** Logging functions at the channel's levels; the user sets the level with "Set Log Level". */
export interface Log {
	trace(message: string): void;
	debug(message: string): void;
	info(message: string): void;
	warn(message: string): void;
	/** Logs a message and, when given, the error with its stack (including a worker's stack). */
	error(message: string, error?: unknown): void;
	/** Shows at most one pop-up per failure kind at a time, with a Show Log button. */
	notifyError(kind: string, message: string): void;
	show(): void;
}

/** Minimum time between two pop-ups of the same failure kind. */
const NOTIFY_INTERVAL_MS = 30_000;

/** Creates the log output channel; dispose the returned disposable on deactivation. */
export function createLog(): { log: Log; disposable: vscode.Disposable } {
	const channel = vscode.window.createOutputChannel('NTK Horizon', { log: true });
	const open = new Set<string>();
	const lastShown = new Map<string, number>();
	const log: Log = {
		trace: (message) => channel.trace(message),
		debug: (message) => channel.debug(message),
		info: (message) => channel.info(message),
		warn: (message) => channel.warn(message),
		error: (message, error) =>
			channel.error(error === undefined ? message : `${message}\n${describeError(error)}`),
		notifyError: (kind, message) => {
			const now = Date.now();
			if (open.has(kind) || now - (lastShown.get(kind) ?? -Infinity) < NOTIFY_INTERVAL_MS) {
				channel.debug(`Pop-up of kind ${kind} suppressed: ${message}`);
				return;
			}
			open.add(kind);
			lastShown.set(kind, now);
			void vscode.window
				.showErrorMessage(`NTK Horizon: ${message}`, 'Show Log')
				.then((choice) => {
					open.delete(kind);
					if (choice === 'Show Log') {
						channel.show(true);
					}
				});
		},
		show: () => channel.show(true),
	};
	return { log, disposable: channel };
}

/** Formats an error for the log: message, kind and the stack where it was thrown. */
export function describeError(error: unknown): string {
	if (error instanceof TaskError) {
		const kind = error.kind ? ` (${error.kind})` : '';
		return `${error.errorName}${kind}: ${error.message}\n${error.workerStack ?? error.stack ?? ''}`;
	}
	if (error instanceof Error) {
		return error.stack ?? `${error.name}: ${error.message}`;
	}
	return String(error);
}
