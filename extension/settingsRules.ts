/** Pure rules behind the settings reader, kept free of `vscode` for unit tests. */

import { availableParallelism } from 'node:os';

import type { SolverMethod } from '../src/spec/types';

/** The extension's settings after validation; each field is one `ntkHorizon.*` key. */
export interface NtkHorizonSettings {
	/** `ntkHorizon.defaultEpsilon`: tolerance ε shown in new specs (dimensionless, relative to ||r0||). */
	readonly defaultEpsilon: number;
	/** `ntkHorizon.solver.method`: integrator used when a spec does not name one. */
	readonly solverMethod: SolverMethod;
	/** `ntkHorizon.solver.rtol`: relative tolerance used when a spec does not set one. */
	readonly solverRtol: number;
	/** `ntkHorizon.workers`: number of simulation worker threads, already resolved (>= 1). */
	readonly workers: number;
	/** `ntkHorizon.budget.timeSeconds`: wall-clock limit of one run, in seconds. */
	readonly budgetTimeSeconds: number;
	/** `ntkHorizon.budget.memoryMB`: largest estimated Jacobian plus kernel a run may allocate, in MiB. */
	readonly budgetMemoryMB: number;
	/** `ntkHorizon.hover.enabled`: whether hovers on `alpha`, `T` and `epsilon` are shown. */
	readonly hoverEnabled: boolean;
}

/** Extra time after the time budget before an unresponsive worker is terminated, in milliseconds. */
export const BUDGET_GRACE_MS = 5_000;

/** Maximum automatic worker count, because each worker allocates a full Jacobian. */
export const MAX_AUTOMATIC_WORKERS = 2;

/**
 * Resolves the `workers` setting: a positive integer is used as given, anything else (0, missing,
 * negative, fractional) means automatic, `min(2, cores - 1)` and at least 1.
 */
export function resolveWorkerCount(
	setting: unknown,
	cores: number = availableParallelism(),
): number {
	if (typeof setting === 'number' && Number.isInteger(setting) && setting > 0) {
		return setting;
	}
	return Math.max(1, Math.min(MAX_AUTOMATIC_WORKERS, cores - 1));
}
