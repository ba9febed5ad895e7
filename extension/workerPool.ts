/**
 * A small pool of `worker_threads` running simulations, sweeps, analyses and document
 * inspections off the extension host thread. Two lanes: `quick` (one worker for inspections and
 * hover analyses, so they never queue behind a long run) and `run` (`size` workers for
 * simulations and sweep points). Workers start on first use.
 */

import { Worker } from 'node:worker_threads';

import {
	errorToFailure,
	isWorkerMessage,
	poolError,
	TaskError,
	type RunMessage,
	type TaskResults,
	type WorkerTask,
} from './workerProtocol';
import type { SimulationProgress } from '../src/results';

export type Lane = 'quick' | 'run';

/** Logging the pool needs; a `vscode.LogOutputChannel` fits. */
export interface PoolLogger {
	debug(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}

export interface WorkerPoolOptions {
	/** Absolute path of the worker script (`dist/worker.js`). */
	readonly scriptPath: string;
	/** Number of `run` workers (>= 1). */
	readonly size: number;
	readonly log: PoolLogger;
	/** V8 heap limit of each worker in MiB; typed arrays are not covered by it. */
	readonly maxOldGenerationSizeMb?: number;
}

export interface RunOptions {
	readonly lane?: Lane;
	readonly signal?: AbortSignal;
	readonly onProgress?: (progress: SimulationProgress) => void;
	/** The pool terminates the worker when it has not replied after this many milliseconds. */
	readonly timeoutMs?: number;
}

/**
 * Default V8 heap limit of a worker in MiB. It bounds JavaScript objects only; typed arrays such as
 * the Jacobian are bounded by the `budget.memoryMB` check before a run starts.
 */
export const DEFAULT_WORKER_HEAP_MB = 2048;

/** Time a worker gets to reply to a stop request before it is terminated and replaced. */
export const STOP_GRACE_MS = 100;

interface Job {
	readonly id: number;
	readonly task: WorkerTask;
	readonly options: RunOptions;
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: Error) => void;
	readonly stopFlag: Int32Array;
	settled: boolean;
	cleanup: () => void;
}

interface Slot {
	worker: Worker | undefined;
	job: Job | undefined;
	/** Removed by `resize`: its worker stops after the current task. */
	retired?: boolean;
}

/** Runs tasks on worker threads; see the module comment for the lanes. */
export class WorkerPool {
	private readonly lanes: Record<Lane, { slots: Slot[]; queue: Job[] }>;
	private nextId = 1;
	private disposed = false;

	constructor(private readonly options: WorkerPoolOptions) {
		const runSlots = Array.from({ length: Math.max(1, options.size) }, () => emptySlot());
		this.lanes = {
			quick: { slots: [emptySlot()], queue: [] },
			run: { slots: runSlots, queue: [] },
		};
	}

	/** Number of `run` workers (the `workers` setting, resolved). */
	get size(): number {
		return this.lanes.run.slots.length;
	}

	/** Number of worker threads alive in both lanes. */
	get liveWorkers(): number {
		return this.allSlots().filter((slot) => slot.worker !== undefined).length;
	}

	/** Queues a task and resolves with its result; rejects with a `TaskError`. */
	run<K extends WorkerTask['kind']>(
		task: Extract<WorkerTask, { kind: K }>,
		options: RunOptions = {},
	): Promise<TaskResults[K]> {
		if (this.disposed) {
			return Promise.reject(
				poolError('disposed', 'The NTK Horizon worker pool is shut down.'),
			);
		}
		if (options.signal?.aborted) {
			return Promise.reject(poolError('cancelled', 'Cancelled before it started.'));
		}
		return new Promise<TaskResults[K]>((resolve, reject) => {
			const job: Job = {
				id: this.nextId++,
				task,
				options,
				resolve: resolve as (value: unknown) => void,
				reject,
				stopFlag: new Int32Array(new SharedArrayBuffer(4)),
				settled: false,
				cleanup: () => undefined,
			};
			this.lanes[options.lane ?? 'run'].queue.push(job);
			this.watchSignal(job);
			this.pump(options.lane ?? 'run');
		});
	}

	/**
	 * Changes the number of `run` workers. Idle surplus workers stop at once; busy ones stop when
	 * their task ends.
	 */
	resize(size: number): void {
		const lane = this.lanes.run;
		const target = Math.max(1, Math.floor(size));
		while (lane.slots.length < target) {
			lane.slots.push(emptySlot());
		}
		for (const slot of lane.slots.splice(target)) {
			slot.retired = true;
			if (slot.job === undefined && slot.worker) {
				void slot.worker.terminate();
				slot.worker = undefined;
			}
		}
		this.pump('run');
	}

	/** Asks every queued and running task to stop. */
	cancelAll(): void {
		for (const lane of Object.values(this.lanes)) {
			for (const job of lane.queue.splice(0)) {
				this.settle(job, poolError('cancelled', 'Cancelled before it started.'));
			}
			for (const slot of lane.slots) {
				if (slot.job) {
					this.stopJob(slot, slot.job);
				}
			}
		}
	}

	/** Terminates every worker as if it had crashed; running tasks reject with `crashed`. */
	killAll(): void {
		this.options.log.warn('Terminating every worker on request.');
		for (const slot of this.allSlots()) {
			if (slot.worker) {
				this.replaceWorker(
					slot,
					poolError('crashed', 'The simulation worker was stopped.'),
				);
			}
		}
	}

	/** Rejects everything and terminates all workers. */
	dispose(): void {
		this.disposed = true;
		for (const lane of Object.values(this.lanes)) {
			for (const job of lane.queue.splice(0)) {
				this.settle(
					job,
					poolError('disposed', 'The NTK Horizon worker pool is shut down.'),
				);
			}
		}
		for (const slot of this.allSlots()) {
			this.replaceWorker(
				slot,
				poolError('disposed', 'The NTK Horizon worker pool is shut down.'),
			);
		}
	}

	private allSlots(): Slot[] {
		return [...this.lanes.quick.slots, ...this.lanes.run.slots];
	}

	private pump(lane: Lane): void {
		const { slots, queue } = this.lanes[lane];
		for (const slot of slots) {
			if (slot.job === undefined && queue.length > 0) {
				this.start(slot, queue.shift() as Job);
			}
		}
	}

	private start(slot: Slot, job: Job): void {
		const worker = slot.worker ?? this.spawn(slot);
		slot.job = job;
		const message: RunMessage = {
			type: 'run',
			id: job.id,
			task: job.task,
			stopFlag: job.stopFlag,
		};
		if (job.options.timeoutMs !== undefined) {
			const timer = setTimeout(() => this.onTimeout(slot, job), job.options.timeoutMs);
			const previous = job.cleanup;
			job.cleanup = () => {
				clearTimeout(timer);
				previous();
			};
		}
		try {
			worker.postMessage(message);
		} catch (error) {
			// A task that cannot be cloned (DataCloneError) fails alone; the worker stays usable.
			slot.job = undefined;
			this.settle(job, new TaskError(errorToFailure(error)));
			this.pump(this.laneOf(slot));
		}
	}

	private spawn(slot: Slot): Worker {
		const worker = new Worker(this.options.scriptPath, {
			resourceLimits: {
				maxOldGenerationSizeMb:
					this.options.maxOldGenerationSizeMb ?? DEFAULT_WORKER_HEAP_MB,
			},
		});
		slot.worker = worker;
		worker.on('message', (message: unknown) => this.onMessage(slot, message));
		// Without an `error` listener a throwing worker ends the whole extension host process.
		worker.on('error', (error: Error) => this.onWorkerGone(worker, slot, describeCrash(error)));
		worker.on('exit', (code: number) => this.onWorkerGone(worker, slot, `exit code ${code}`));
		return worker;
	}

	private onMessage(slot: Slot, message: unknown): void {
		const job = slot.job;
		if (!isWorkerMessage(message)) {
			this.options.log.warn(`Dropped a malformed message from a worker: ${preview(message)}`);
			return;
		}
		if (job === undefined || message.id !== job.id) {
			return;
		}
		if (message.type === 'progress') {
			job.options.onProgress?.(message.progress);
			return;
		}
		slot.job = undefined;
		if (message.type === 'done') {
			this.settle(job, undefined, message.value);
		} else {
			this.settle(job, new TaskError(message.failure));
		}
		if (slot.retired && slot.worker) {
			const worker = slot.worker;
			slot.worker = undefined;
			void worker.terminate();
		}
		this.pump(this.laneOf(slot));
	}

	private onWorkerGone(worker: Worker, slot: Slot, reason: string): void {
		if (slot.worker !== worker) {
			return;
		}
		this.options.log.error(
			`Simulation worker stopped unexpectedly (${reason}); starting a fresh one.`,
		);
		slot.worker = undefined;
		const job = slot.job;
		slot.job = undefined;
		if (job) {
			this.settle(
				job,
				poolError('crashed', `The simulation worker stopped unexpectedly (${reason}).`),
			);
		}
		void worker.terminate();
		this.pump(this.laneOf(slot));
	}

	private onTimeout(slot: Slot, job: Job): void {
		if (slot.job !== job) {
			return;
		}
		const seconds = ((job.options.timeoutMs ?? 0) / 1000).toFixed(1);
		this.replaceWorker(
			slot,
			poolError(
				'timeout',
				`The run did not finish within ${seconds} s and was stopped. Raise ntkHorizon.budget.timeSeconds or shorten T.`,
			),
		);
	}

	private watchSignal(job: Job): void {
		const signal = job.options.signal;
		if (!signal) {
			return;
		}
		const onAbort = () => this.cancelJob(job);
		signal.addEventListener('abort', onAbort, { once: true });
		const previous = job.cleanup;
		job.cleanup = () => {
			signal.removeEventListener('abort', onAbort);
			previous();
		};
	}

	private cancelJob(job: Job): void {
		for (const lane of Object.values(this.lanes)) {
			const queued = lane.queue.indexOf(job);
			if (queued >= 0) {
				lane.queue.splice(queued, 1);
				this.settle(job, poolError('cancelled', 'Cancelled before it started.'));
				return;
			}
			const slot = lane.slots.find((candidate) => candidate.job === job);
			if (slot) {
				this.stopJob(slot, job);
				return;
			}
		}
	}

	/** Sets the stop flag, then terminates the worker if the task has not replied in time. */
	private stopJob(slot: Slot, job: Job): void {
		Atomics.store(job.stopFlag, 0, 1);
		setTimeout(() => {
			if (slot.job === job) {
				this.replaceWorker(
					slot,
					poolError('cancelled', 'Cancelled; the worker was restarted.'),
				);
			}
		}, STOP_GRACE_MS);
	}

	/** Terminates the slot's worker, rejects its task and leaves the slot to start a fresh worker. */
	private replaceWorker(slot: Slot, error: TaskError): void {
		const worker = slot.worker;
		const job = slot.job;
		slot.worker = undefined;
		slot.job = undefined;
		if (job) {
			this.settle(job, error);
		}
		if (worker) {
			void worker.terminate();
		}
		if (!this.disposed) {
			this.pump(this.laneOf(slot));
		}
	}

	private settle(job: Job, error: Error | undefined, value?: unknown): void {
		if (job.settled) {
			return;
		}
		job.settled = true;
		job.cleanup();
		if (error) {
			job.reject(error);
		} else {
			job.resolve(value);
		}
	}

	private laneOf(slot: Slot): Lane {
		return this.lanes.quick.slots.includes(slot) ? 'quick' : 'run';
	}
}

function emptySlot(): Slot {
	return { worker: undefined, job: undefined };
}

function describeCrash(error: Error): string {
	return `${error.name}: ${error.message}`;
}

function preview(value: unknown): string {
	try {
		return JSON.stringify(value)?.slice(0, 200) ?? String(value);
	} catch {
		return String(value);
	}
}
