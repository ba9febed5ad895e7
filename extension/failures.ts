/** Turns a failed command into one log entry and at most one pop-up per failure kind. */

import type { Log } from './log';
import { TaskError } from './workerProtocol';

/** Logs a failure and shows at most one pop-up per kind; a cancellation is only logged. */
export function reportFailure(log: Log, operation: string, error: unknown): void {
	if (error instanceof TaskError && error.kind === 'cancelled') {
		log.info(`${operation}: cancelled.`);
		return;
	}
	const kind = error instanceof TaskError ? (error.kind ?? error.errorName) : 'internal';
	const message = error instanceof Error ? error.message : String(error);
	log.error(`${operation} failed.`, error);
	log.notifyError(kind, `${operation} failed: ${message}`);
}
