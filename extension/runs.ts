/**
 * Simulations and sweeps started from commands: sends them to the worker pool, streams progress
 * to the Charts view, keeps the latest result of each spec, and cancels on request.
 */

import * as vscode from 'vscode';

import type {
	Horizon,
	HorizonAnalysis,
	SimulationProgress,
	SimulationResult,
	SweepResult,
} from '../src/results';
import { parameterCount } from '../src/spec/size';
import { formatHorizon } from './format';
import type { Log } from './log';
import { BUDGET_GRACE_MS, readSettings, type NtkHorizonSettings } from './settings';
import { logSpace, mergeSweeps, type AlphaRange } from './sweepMath';
import type { WorkerPool } from './workerPool';
import { poolError, TaskError, type InspectedSpec } from './workerProtocol';

/** The Charts view methods the runs use; `ChartsViewProvider` implements them. */
export interface ChartsView {
	showAnalysis(key: string, label: string, analysis: HorizonAnalysis): void;
	showProgress(key: string, progress: SimulationProgress): void;
	showResult(key: string, result: SimulationResult): void;
	showSweep(key: string, sweep: SweepResult): void;
	focusSpec(key: string): void;
	/** Sets or clears (null) the status line of a spec, for example a failure message. */
	showStatus(
		key: string,
		status: { kind: 'running' | 'error' | 'info'; text: string } | null,
	): void;
}

/** A valid spec of an open document, as the commands address it. */
export interface SpecTarget {
	readonly uri: vscode.Uri;
	readonly spec: InspectedSpec & {
		readonly spec: NonNullable<InspectedSpec['spec']>;
		readonly hash: string;
	};
	/** `<document uri>#<spec index>`, the key of results and of the Charts view. */
	readonly key: string;
}

interface StoredRun<T> {
	readonly hash: string;
	readonly value: T;
}

/** Starts, tracks and cancels runs; see the module comment. */
export class RunController implements vscode.Disposable {
	private readonly results = new Map<string, StoredRun<SimulationResult>>();
	private readonly sweeps = new Map<string, StoredRun<SweepResult>>();
	private readonly active = new Map<AbortController, { key: string; percent?: number }>();
	private readonly changeEmitter = new vscode.EventEmitter<string>();

	/** Fires with a spec key when a run starts, progresses or ends. */
	readonly onDidChange = this.changeEmitter.event;

	constructor(
		private readonly pool: WorkerPool,
		private readonly charts: () => ChartsView | undefined,
		private readonly log: Log,
	) {}

	/** Key of a spec: `<document uri>#<spec index>`. */
	static keyOf(uri: vscode.Uri | string, index: number): string {
		return `${uri.toString()}#${index}`;
	}

	/** Runs the simulation of a spec; resolves with a partial result when it was stopped early. */
	async simulate(
		target: SpecTarget,
		signal?: AbortSignal,
		onPercent?: (percent: number) => void,
	): Promise<SimulationResult> {
		const settings = readSettings(target.uri);
		this.checkMemory(target, settings);
		const { spec } = target.spec;
		const budgetMs = settings.budgetTimeSeconds * 1000;
		const controller = this.track(target.key, signal);
		const started = Date.now();
		try {
			const result = await this.pool.run(
				{ kind: 'simulate', spec, ...this.solverOptions(target.spec, settings), budgetMs },
				{
					lane: 'run',
					signal: controller.signal,
					timeoutMs: budgetMs + BUDGET_GRACE_MS,
					onProgress: (progress) => {
						this.setPercent(controller, progress.fraction * 100);
						onPercent?.(progress.fraction * 100);
						this.charts()?.showProgress(target.key, progress);
					},
				},
			);
			this.results.set(target.key, { hash: target.spec.hash, value: result });
			this.logRun('Simulation', target, Date.now() - started, simulationOutcome(result));
			this.charts()?.showResult(target.key, result);
			return result;
		} catch (error) {
			this.logRun(
				'Simulation',
				target,
				Date.now() - started,
				`failed (${failureKind(error)})`,
			);
			this.showFailure(target.key, 'Simulation', error);
			throw error;
		} finally {
			this.untrack(target.key, controller);
		}
	}

	/**
	 * Sweeps alpha over `range`, one worker task per alpha spread over the pool. A cancelled sweep
	 * resolves with the points finished before the cancellation.
	 */
	async sweep(
		target: SpecTarget,
		range: AlphaRange,
		signal?: AbortSignal,
		onPercent?: (percent: number) => void,
	): Promise<SweepResult> {
		const settings = readSettings(target.uri);
		this.checkMemory(target, settings);
		const alphas = logSpace(range);
		const controller = this.track(target.key, signal);
		const started = Date.now();
		try {
			const parts = await this.sweepParts(target, alphas, settings, controller, onPercent);
			const sweep = mergeSweeps(target.spec.spec, parts);
			this.sweeps.set(target.key, { hash: target.spec.hash, value: sweep });
			const slope = sweep.empiricalSlope === null ? 'none' : sweep.empiricalSlope.toFixed(3);
			const state = controller.signal.aborted ? 'cancelled, ' : '';
			this.logRun(
				'Sweep',
				target,
				Date.now() - started,
				`${state}${sweep.points.length} of ${alphas.length} alphas, empirical slope ${slope}`,
			);
			this.charts()?.showSweep(target.key, sweep);
			return sweep;
		} catch (error) {
			this.logRun('Sweep', target, Date.now() - started, `failed (${failureKind(error)})`);
			this.showFailure(target.key, 'Sweep', error);
			throw error;
		} finally {
			this.untrack(target.key, controller);
		}
	}

	/**
	 * Runs one worker task per alpha and returns the finished parts. The first failure other than
	 * a cancellation stops the other alphas and is thrown.
	 */
	private async sweepParts(
		target: SpecTarget,
		alphas: readonly number[],
		settings: NtkHorizonSettings,
		controller: AbortController,
		onPercent: ((percent: number) => void) | undefined,
	): Promise<SweepResult[]> {
		const { spec } = target.spec;
		const budgetMs = settings.budgetTimeSeconds * 1000;
		let done = 0;
		let failure: unknown;
		const runAlpha = async (alpha: number): Promise<SweepResult> => {
			try {
				const part = await this.pool.run(
					{
						kind: 'sweep',
						spec,
						alphas: [alpha],
						...this.solverOptions(target.spec, settings),
						budgetMs,
					},
					{
						lane: 'run',
						signal: controller.signal,
						timeoutMs: budgetMs + BUDGET_GRACE_MS,
					},
				);
				done += 1;
				this.setPercent(controller, (100 * done) / alphas.length);
				onPercent?.((100 * done) / alphas.length);
				if (part.points.length === 0 && !controller.signal.aborted) {
					this.log.warn(
						`Sweep of ${spec.name}: alpha = ${alpha} stopped before its horizon search finished (time budget).`,
					);
				}
				return part;
			} catch (error) {
				if (!isCancellation(error) && failure === undefined) {
					failure = error;
					controller.abort();
				}
				throw error;
			}
		};
		const outcomes = await Promise.allSettled(alphas.map(runAlpha));
		if (failure !== undefined) {
			throw failure;
		}
		return outcomes.flatMap((outcome) =>
			outcome.status === 'fulfilled' ? [outcome.value] : [],
		);
	}

	/** Asks every running simulation and sweep to stop. */
	cancelAll(): number {
		const count = this.active.size;
		for (const controller of this.active.keys()) {
			controller.abort();
		}
		return count;
	}

	/** Returns the progress of a run of the spec, or undefined when none is running. */
	runState(key: string): { percent?: number } | undefined {
		return [...this.active.values()].find((run) => run.key === key);
	}

	/** Returns the latest simulation of a spec, whatever its content was then. */
	lastResult(key: string): SimulationResult | undefined {
		return this.results.get(key)?.value;
	}

	/** Returns the latest sweep of a spec. */
	lastSweep(key: string): SweepResult | undefined {
		return this.sweeps.get(key)?.value;
	}

	/** Returns the empirical horizon of the latest simulation if it ran on exactly this spec content. */
	empiricalHorizon(key: string, hash: string): Horizon | undefined {
		const stored = this.results.get(key);
		return stored?.hash === hash ? stored.value.horizons.empirical : undefined;
	}

	dispose(): void {
		this.cancelAll();
		this.changeEmitter.dispose();
	}

	private solverOptions(
		spec: InspectedSpec,
		settings: NtkHorizonSettings,
	): { method: 'exponential' | 'dopri5'; rtol: number } {
		const resolved = spec.spec as NonNullable<InspectedSpec['spec']>;
		return {
			method: spec.solverExplicit.method ? resolved.solver.method : settings.solverMethod,
			rtol: spec.solverExplicit.rtol ? resolved.solver.rtol : settings.solverRtol,
		};
	}

	/** Rejects a spec whose Jacobian or kernel exceeds the memory budget before it is sent to a worker. */
	private checkMemory(target: SpecTarget, settings: NtkHorizonSettings): void {
		const bytes = target.spec.memoryBytes ?? 0;
		const limit = settings.budgetMemoryMB * 1024 * 1024;
		if (bytes > limit) {
			const needed = Math.ceil(bytes / (1024 * 1024));
			throw poolError(
				'tooLarge',
				`The spec ${target.spec.name} needs about ${needed} MiB for its Jacobian or kernel, more than ntkHorizon.budget.memoryMB = ${settings.budgetMemoryMB}. Use fewer inputs or narrower layers, or raise the setting.`,
			);
		}
	}

	private track(key: string, signal: AbortSignal | undefined): AbortController {
		const controller = new AbortController();
		if (signal?.aborted) {
			controller.abort();
		}
		signal?.addEventListener('abort', () => controller.abort(), { once: true });
		this.active.set(controller, { key });
		this.changeEmitter.fire(key);
		return controller;
	}

	private untrack(key: string, controller: AbortController): void {
		this.active.delete(controller);
		this.changeEmitter.fire(key);
	}

	private setPercent(controller: AbortController, percent: number): void {
		const entry = this.active.get(controller);
		if (entry && Math.floor(percent) !== Math.floor(entry.percent ?? -1)) {
			entry.percent = percent;
			this.changeEmitter.fire(entry.key);
		}
	}

	/** Puts a failed run's message in the Charts view's status line; a cancellation is information. */
	private showFailure(key: string, kind: string, error: unknown): void {
		const cancelled = isCancellation(error);
		const message = error instanceof Error ? error.message : String(error);
		const text = cancelled ? `${kind} cancelled.` : `${kind} failed: ${message}`;
		this.charts()?.showStatus(key, { kind: cancelled ? 'info' : 'error', text });
	}

	/** Logs one line per run: spec name, sizes, wall time and outcome. */
	private logRun(kind: string, target: SpecTarget, elapsedMs: number, outcome: string): void {
		const { name, model, data } = target.spec.spec;
		const p = parameterCount(model, data.inputCount);
		this.log.info(
			`${kind} of ${name}: n = ${data.y.length}, p = ${p}, ${elapsedMs} ms, ${outcome}.`,
		);
	}
}

function isCancellation(error: unknown): boolean {
	return error instanceof TaskError && error.kind === 'cancelled';
}

function failureKind(error: unknown): string {
	if (error instanceof TaskError) {
		return error.kind ?? error.errorName;
	}
	return error instanceof Error ? error.name : 'unknown error';
}

function simulationOutcome(result: SimulationResult): string {
	const state = result.complete
		? 'complete'
		: `stopped early (${result.stopReason ?? 'no reason given'})`;
	const steps = `${result.solver.steps} steps (${result.solver.method})`;
	return `${state}, ${steps}, empirical horizon ${formatHorizon(result.horizons.empirical)}`;
}
