/**
 * The `ntkHorizon.*` settings as one typed object. The reader is split from the pure defaults so
 * unit tests can check the worker count rule without an editor.
 */

import * as vscode from 'vscode';

import { resolveWorkerCount, type NtkHorizonSettings } from './settingsRules';

export { BUDGET_GRACE_MS } from './settingsRules';
export type { NtkHorizonSettings } from './settingsRules';

/** Section name of every setting in package.json's `contributes.configuration`. */
export const SETTINGS_SECTION = 'ntkHorizon';

/** Reads the current settings, replacing out-of-range values by their defaults. */
export function readSettings(scope?: vscode.ConfigurationScope): NtkHorizonSettings {
	const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
	return normalizeSettings({
		defaultEpsilon: config.get<number>('defaultEpsilon'),
		solverMethod: config.get<string>('solver.method'),
		solverRtol: config.get<number>('solver.rtol'),
		workers: config.get<number>('workers'),
		budgetTimeSeconds: config.get<number>('budget.timeSeconds'),
		budgetMemoryMB: config.get<number>('budget.memoryMB'),
		hoverEnabled: config.get<boolean>('hover.enabled'),
	});
}

/** Raw values as the configuration returns them, before checking. */
interface RawSettings {
	readonly defaultEpsilon: unknown;
	readonly solverMethod: unknown;
	readonly solverRtol: unknown;
	readonly workers: unknown;
	readonly budgetTimeSeconds: unknown;
	readonly budgetMemoryMB: unknown;
	readonly hoverEnabled: unknown;
}

function normalizeSettings(raw: RawSettings): NtkHorizonSettings {
	return {
		defaultEpsilon: positiveOr(raw.defaultEpsilon, 0.05),
		solverMethod: raw.solverMethod === 'dopri5' ? 'dopri5' : 'exponential',
		solverRtol: positiveOr(raw.solverRtol, 1e-8),
		workers: resolveWorkerCount(raw.workers),
		budgetTimeSeconds: positiveOr(raw.budgetTimeSeconds, 60),
		budgetMemoryMB: positiveOr(raw.budgetMemoryMB, 512),
		hoverEnabled: raw.hoverEnabled !== false,
	};
}

function positiveOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
