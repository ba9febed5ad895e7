/**
 * Worker thread of the parallel alpha sweep in `bench/tasks.ts`: loads the core, posts `ready`,
 * then runs `sweepAlpha` on the alphas it receives and posts the points.
 */

import { parentPort } from 'node:worker_threads';
import { loadSpec, sweepAlpha, SimulationError } from '../src/api';
import type { SolverMethod, SweepPoint } from '../src/api';

/** The work one thread receives. */
export interface SweepWorkerTask {
	readonly rawSpec: unknown;
	readonly alphas: readonly number[];
	readonly method: SolverMethod;
	readonly deadlineMs: number;
}

/** Message a sweep thread posts to the main thread. */
export type SweepWorkerReply =
	| { readonly kind: 'ready' }
	| { readonly kind: 'done'; readonly points: readonly SweepPoint[] }
	| { readonly kind: 'failed'; readonly message: string };

const port = parentPort;
if (port === null) {
	throw new Error('bench/sweepWorker.ts must run in a worker thread');
}
port.on('message', (task: SweepWorkerTask) => {
	try {
		const { spec } = loadSpec(task.rawSpec);
		const result = sweepAlpha(spec, task.alphas, { method: task.method, deadlineMs: task.deadlineMs });
		port.postMessage({ kind: 'done', points: result.points } satisfies SweepWorkerReply);
	} catch (error) {
		const message = error instanceof SimulationError ? `${error.kind}: ${error.message}` : String(error);
		port.postMessage({ kind: 'failed', message } satisfies SweepWorkerReply);
	}
});
port.postMessage({ kind: 'ready' } satisfies SweepWorkerReply);
