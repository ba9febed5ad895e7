/**
 * Messages between the extension host and the simulation workers (`dist/worker.js`). Every payload
 * is structured-clone data; typed errors cross the thread boundary as `WorkerFailure` records and
 * are rebuilt on the host by `failureToError`.
 */

import type { JsonPath, SpecIssue } from '../src/errors';
import type {
	HorizonAnalysis,
	SimulationProgress,
	SimulationResult,
	SweepResult,
} from '../src/results';
import type { LocatedPath, PathLocation } from '../src/spec/locate';
import type { ResolvedSpec, SolverMethod } from '../src/spec/types';

export type { LocatedPath } from '../src/spec/locate';

/** Source range of a value (and its key), as 0-based UTF-16 offsets, end exclusive. */
export type SourceLocation = PathLocation;

/** A spec issue placed on a range of the document. */
export interface LocatedIssue {
	readonly path: JsonPath;
	readonly severity: 'error' | 'warning';
	readonly code: string;
	readonly message: string;
	readonly start: number;
	readonly end: number;
}

export type DocumentKind = 'json' | 'typescript';

/** The keys a hover, a diagnostic or a quick fix acts on. */
export type SpecKey = 'alpha' | 'T' | 'epsilon';

/** JSON path of each key in the raw spec. */
export const SPEC_KEY_PATHS: Readonly<Record<SpecKey, JsonPath>> = {
	alpha: ['training', 'alpha'],
	T: ['training', 'T'],
	epsilon: ['analysis', 'epsilon'],
};

/** One spec found in a document, validated, with the ranges the editor features need. */
export interface InspectedSpec {
	/** Position among the document's specs (0 for a `*.ntk.json` file). */
	readonly index: number;
	readonly name: string;
	/** Range of the whole spec (the object literal, or the whole JSON document). */
	readonly start: number;
	readonly end: number;
	/** Validation and static-evaluation issues, errors and warnings. */
	readonly issues: readonly LocatedIssue[];
	/** The resolved spec; absent when an issue is an error. */
	readonly spec?: ResolvedSpec;
	/** Hash of the resolved spec's JSON, the cache key of its analysis and runs. */
	readonly hash?: string;
	/** Whether the raw spec sets the solver method and rtol (then the settings do not override them). */
	readonly solverExplicit: { readonly method: boolean; readonly rtol: boolean };
	/** Ranges of `alpha`, `T` and `epsilon` where the spec writes them. */
	readonly keys: Partial<Record<SpecKey, SourceLocation>>;
	/**
	 * Ranges of object properties (not of number-array elements), used to place issues found
	 * after inspection, for example a weight shape the model rejects.
	 */
	readonly locations: readonly LocatedPath[];
	/** Estimated bytes of the larger of the Jacobian (8 n p) and the kernel (8 n^2); absent without a spec. */
	readonly memoryBytes?: number;
}

/** Options of a document inspection. */
export interface InspectTask {
	readonly kind: 'inspect';
	readonly text: string;
	readonly fileName: string;
	readonly documentKind: DocumentKind;
	/** Folder that relative data-file paths resolve against. */
	readonly baseDir?: string;
	/** Data files must resolve inside this folder. */
	readonly workspaceRoot?: string;
	/** False in an untrusted workspace: data files are then rejected. */
	readonly allowDataFiles: boolean;
	readonly maxJacobianBytes: number;
	/** Tolerance ε for specs that do not set `analysis.epsilon` (the `defaultEpsilon` setting). */
	readonly defaultEpsilon?: number;
}

export interface AnalyzeTask {
	readonly kind: 'analyze';
	readonly spec: ResolvedSpec;
}

export interface SimulateTask {
	readonly kind: 'simulate';
	readonly spec: ResolvedSpec;
	readonly method: SolverMethod;
	readonly rtol: number;
	/** Wall-clock budget of the run in milliseconds; the core stops and returns a partial result. */
	readonly budgetMs: number;
}

export interface SweepTask {
	readonly kind: 'sweep';
	readonly spec: ResolvedSpec;
	readonly alphas: readonly number[];
	readonly method: SolverMethod;
	readonly rtol: number;
	readonly budgetMs: number;
}

export type WorkerTask = InspectTask | AnalyzeTask | SimulateTask | SweepTask;

/** Result type of each task kind. */
export interface TaskResults {
	inspect: readonly InspectedSpec[];
	analyze: HorizonAnalysis;
	simulate: SimulationResult;
	sweep: SweepResult;
}

/** Host to worker message that runs a task. A non-zero `stopFlag[0]` requests that the task stop. */
export interface RunMessage {
	readonly type: 'run';
	readonly id: number;
	readonly task: WorkerTask;
	readonly stopFlag: Int32Array;
}

/** Worker to host. */
export type WorkerMessage =
	| { readonly type: 'progress'; readonly id: number; readonly progress: SimulationProgress }
	| { readonly type: 'done'; readonly id: number; readonly value: unknown }
	| { readonly type: 'failed'; readonly id: number; readonly failure: WorkerFailure };

/** An error thrown inside a worker, as plain data. */
export interface WorkerFailure {
	readonly name: string;
	readonly message: string;
	readonly stack?: string;
	/** `SimulationError.kind`, or `crashed`, `timeout`, `cancelled`, `tooLarge` set by the pool. */
	readonly kind?: string;
	readonly time?: number;
	readonly issues?: readonly SpecIssue[];
}

/** Checks the shape of a message received from a worker; anything else is dropped and logged. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
	if (typeof value !== 'object' || value === null) {
		return false;
	}
	const message = value as Record<string, unknown>;
	if (typeof message.id !== 'number') {
		return false;
	}
	switch (message.type) {
		case 'progress':
			return typeof message.progress === 'object' && message.progress !== null;
		case 'done':
			return 'value' in message;
		case 'failed':
			return isWorkerFailure(message.failure);
		default:
			return false;
	}
}

function isWorkerFailure(value: unknown): value is WorkerFailure {
	if (typeof value !== 'object' || value === null) {
		return false;
	}
	const failure = value as Record<string, unknown>;
	return typeof failure.name === 'string' && typeof failure.message === 'string';
}

/** Converts anything thrown in a worker into a `WorkerFailure`, keeping typed-error fields. */
export function errorToFailure(error: unknown): WorkerFailure {
	if (!(error instanceof Error)) {
		return { name: 'Error', message: String(error) };
	}
	const typed = error as Error & { kind?: unknown; time?: unknown; issues?: unknown };
	return {
		name: error.name,
		message: error.message,
		stack: error.stack,
		kind: typeof typed.kind === 'string' ? typed.kind : undefined,
		time: typeof typed.time === 'number' ? typed.time : undefined,
		issues: Array.isArray(typed.issues) ? (typed.issues as SpecIssue[]) : undefined,
	};
}

/** Failure kinds the pool itself assigns, beside the core's `SimulationError` kinds. */
export type PoolFailureKind = 'crashed' | 'timeout' | 'cancelled' | 'tooLarge' | 'disposed';

/** A task that failed in or around a worker, rebuilt on the host with the worker's fields. */
export class TaskError extends Error {
	/** `SpecError`, `SimulationError`, `Error`, or `PoolError` for failures of the pool itself. */
	readonly errorName: string;
	readonly kind: string | undefined;
	readonly time: number | undefined;
	readonly issues: readonly SpecIssue[];
	/** Stack of the original error inside the worker, for the log only. */
	readonly workerStack: string | undefined;

	constructor(failure: WorkerFailure) {
		super(failure.message);
		this.name = 'TaskError';
		this.errorName = failure.name;
		this.kind = failure.kind;
		this.time = failure.time;
		this.issues = failure.issues ?? [];
		this.workerStack = failure.stack;
	}
}

/** Builds the error of a failure the pool detects (crash, timeout, cancellation, size). */
export function poolError(kind: PoolFailureKind, message: string): TaskError {
	return new TaskError({ name: 'PoolError', kind, message });
}
