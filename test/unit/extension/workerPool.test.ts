import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { STOP_GRACE_MS, WorkerPool } from '../../../extension/workerPool';
import { TaskError, type AnalyzeTask } from '../../../extension/workerProtocol';
import type { ResolvedSpec } from '../../../src/spec/types';

const SCRIPTED_WORKER = join(__dirname, 'fixtures', 'scriptedWorker.cjs');

interface Recorded {
	readonly warnings: string[];
	readonly errors: string[];
}

/** Starts the workers first, because a worker still starting up cannot reply to a stop request in time. */
async function warmUp(pool: WorkerPool, lane: 'run' | 'quick' = 'run'): Promise<void> {
	await pool.run(scripted('echo'), { lane });
}

function createPool(size = 1): { pool: WorkerPool; log: Recorded } {
	const log: Recorded = { warnings: [], errors: [] };
	const pool = new WorkerPool({
		scriptPath: SCRIPTED_WORKER,
		size,
		log: {
			debug: () => undefined,
			warn: (m) => log.warnings.push(m),
			error: (m) => log.errors.push(m),
		},
	});
	return { pool, log };
}

/** Builds a task whose spec name selects the scripted worker's behaviour. */
function scripted(behaviour: string): AnalyzeTask {
	return { kind: 'analyze', spec: { name: behaviour } as unknown as ResolvedSpec };
}

/** Runs the scripted worker's `echo` behaviour, which returns the kind and the worker's thread id. */
function echo(
	pool: WorkerPool,
	lane: 'run' | 'quick' = 'run',
): Promise<{ echoed: string; threadId: number }> {
	return pool.run(scripted('echo'), { lane }) as unknown as Promise<{
		echoed: string;
		threadId: number;
	}>;
}

async function rejection(promise: Promise<unknown>): Promise<TaskError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof TaskError, `expected a TaskError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the task to reject');
}

test('pool returns results and progress', async () => {
	const { pool } = createPool();
	try {
		const fractions: number[] = [];
		const value = await pool.run(scripted('progress'), {
			onProgress: (progress) => fractions.push(progress.fraction),
		});
		assert.equal(value, 'finished');
		assert.deepEqual(fractions, [1 / 3, 2 / 3, 1]);
	} finally {
		pool.dispose();
	}
});

test('worker failure keeps kind and time', async () => {
	const { pool } = createPool();
	try {
		const error = await rejection(pool.run(scripted('throw')));
		assert.equal(error.errorName, 'SimulationError');
		assert.equal(error.kind, 'nonFinite');
		assert.equal(error.time, 3);
		assert.equal(error.message, 'E(t) is not finite at t = 3');
		assert.equal(error.workerStack, 'SimulationError: stack line');
	} finally {
		pool.dispose();
	}
});

test('cancel obeyed through the stop flag', async () => {
	const { pool } = createPool();
	try {
		await warmUp(pool);
		const controller = new AbortController();
		const running = pool.run(scripted('obeyStop'), { signal: controller.signal });
		setTimeout(() => controller.abort(), 50);
		const value = await running;
		assert.deepEqual(value, { stopped: true });
		assert.equal(pool.liveWorkers, 1, 'the obeying worker is kept');
	} finally {
		pool.dispose();
	}
});

test('cancel ignored terminates the worker', async () => {
	const { pool } = createPool();
	try {
		const controller = new AbortController();
		const running = pool.run(scripted('ignoreStop'), { signal: controller.signal });
		await new Promise((resolve) => setTimeout(resolve, 100));
		const cancelledAt = Date.now();
		controller.abort();
		const error = await rejection(running);
		const elapsed = Date.now() - cancelledAt;
		assert.equal(error.kind, 'cancelled');
		assert.ok(
			elapsed < STOP_GRACE_MS + 400,
			`rejected ${elapsed} ms after the cancel, expected about ${STOP_GRACE_MS} ms`,
		);
		assert.deepEqual((await echo(pool)).echoed, 'analyze', 'a fresh worker runs the next task');
	} finally {
		pool.dispose();
	}
});

test('crashed worker replaced', async () => {
	for (const behaviour of ['crash', 'exit']) {
		const { pool, log } = createPool();
		try {
			const error = await rejection(pool.run(scripted(behaviour)));
			assert.equal(error.kind, 'crashed', `${behaviour}: kind ${error.kind}`);
			assert.match(
				error.message,
				/stopped unexpectedly/,
				`${behaviour}: message ${error.message}`,
			);
			assert.equal(
				log.errors.length,
				1,
				`${behaviour}: logged ${JSON.stringify(log.errors)}`,
			);
			const value = await echo(pool);
			assert.equal(value.echoed, 'analyze', `${behaviour}: next task after the crash`);
		} finally {
			pool.dispose();
		}
	}
});

test('timeout terminates a hung worker', async () => {
	const { pool } = createPool();
	try {
		const started = Date.now();
		const error = await rejection(pool.run(scripted('ignoreStop'), { timeoutMs: 200 }));
		const elapsed = Date.now() - started;
		assert.equal(error.kind, 'timeout');
		assert.ok(elapsed >= 190, `timed out after ${elapsed} ms, expected about 200 ms`);
		assert.ok(elapsed < 1500, `timed out after ${elapsed} ms, expected about 200 ms`);
		assert.match(error.message, /budget\.timeSeconds/);
	} finally {
		pool.dispose();
	}
});

test('killAll rejects running and recovers', async () => {
	const { pool } = createPool();
	try {
		const running = pool.run(scripted('ignoreStop'));
		await new Promise((resolve) => setTimeout(resolve, 100));
		pool.killAll();
		const error = await rejection(running);
		assert.equal(error.kind, 'crashed');
		assert.equal(pool.liveWorkers, 0);
		assert.equal((await echo(pool)).echoed, 'analyze');
	} finally {
		pool.dispose();
	}
});

test('queued task cancelled before start', async () => {
	const { pool } = createPool();
	try {
		await warmUp(pool);
		const blocking = pool.run(scripted('obeyStop'));
		const controller = new AbortController();
		const queued = pool.run(scripted('echo'), { signal: controller.signal });
		controller.abort();
		const error = await rejection(queued);
		assert.equal(error.kind, 'cancelled');
		pool.cancelAll();
		assert.deepEqual(await blocking, { stopped: true });
	} finally {
		pool.dispose();
	}
});

test('quick lane not blocked by runs', async () => {
	const { pool } = createPool(1);
	try {
		await warmUp(pool);
		const blocking = pool.run(scripted('obeyStop'));
		const started = Date.now();
		const value = await echo(pool, 'quick');
		assert.equal(value.echoed, 'analyze');
		assert.ok(Date.now() - started < 2000, `quick task took ${Date.now() - started} ms`);
		pool.cancelAll();
		// On a loaded machine the worker may miss the 100 ms grace and be restarted instead: both
		// end the run, which is all this test needs.
		await blocking.catch((error: Error) => assert.match(error.message, /Cancelled/));
	} finally {
		pool.dispose();
	}
});

test('runs spread over the pool', async () => {
	const { pool } = createPool(2);
	try {
		const values = await Promise.all([1, 2, 3, 4].map(() => echo(pool)));
		const threads = new Set(values.map((value) => value.threadId));
		assert.equal(pool.size, 2);
		assert.ok(threads.size <= 2, `threads used: ${[...threads].join(', ')}`);
		pool.resize(1);
		assert.equal(pool.size, 1);
		assert.ok(pool.liveWorkers <= 2, `live workers after resize: ${pool.liveWorkers}`);
	} finally {
		pool.dispose();
	}
});

test('malformed worker message dropped', async () => {
	const { pool, log } = createPool();
	try {
		assert.equal(await pool.run(scripted('malformed')), 'after junk');
		assert.equal(log.warnings.length, 1, `warnings: ${JSON.stringify(log.warnings)}`);
		assert.match(log.warnings[0], /malformed message/);
	} finally {
		pool.dispose();
	}
});

test('disposed pool rejects new tasks', async () => {
	const { pool } = createPool();
	pool.dispose();
	const error = await rejection(pool.run(scripted('echo')));
	assert.equal(error.kind, 'disposed');
});

test('uncloneable task rejected alone', async () => {
	const { pool } = createPool();
	try {
		const task = {
			kind: 'analyze',
			spec: { name: 'echo', notCloneable: () => 1 },
		} as unknown as AnalyzeTask;
		const error = await rejection(pool.run(task));
		assert.equal(
			error.errorName,
			'DataCloneError',
			`error ${error.errorName}: ${error.message}`,
		);
		assert.equal((await echo(pool)).echoed, 'analyze', 'the pool runs the next task');
	} finally {
		pool.dispose();
	}
});
