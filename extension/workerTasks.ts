/**
 * The work behind each worker task, callable without a thread so unit tests can run it directly.
 * Analyses are cached by spec hash inside the worker, because hovers and diagnostics ask for the
 * same spec repeatedly while the user types elsewhere in the file.
 */

import { analyzeSpec, simulateSpec, sweepAlpha } from '../src/api';
import type { HorizonAnalysis, SimulationProgress } from '../src/results';
import type { ResolvedSpec } from '../src/spec/types';
import { hashSpec, inspectDocument } from './inspect';
import type { TaskResults, WorkerTask } from './workerProtocol';

/** Hooks a task gets from the worker loop. */
export interface TaskContext {
	readonly shouldStop: () => boolean;
	readonly onProgress: (progress: SimulationProgress) => void;
}

/** Analyses kept per worker; a spec's analysis is a few kilobytes. */
const ANALYSIS_CACHE_SIZE = 64;

const analysisCache = new Map<string, HorizonAnalysis>();

/** Runs one task and returns its result; throws the core's typed errors unchanged. */
export async function runTask(
	task: WorkerTask,
	context: TaskContext,
): Promise<TaskResults[WorkerTask['kind']]> {
	switch (task.kind) {
		case 'inspect':
			return inspectDocument(task);
		case 'analyze':
			return analyzeCached(task.spec);
		case 'simulate':
			return simulateSpec(task.spec, {
				method: task.method,
				rtol: task.rtol,
				onProgress: context.onProgress,
				shouldStop: context.shouldStop,
				deadlineMs: Date.now() + task.budgetMs,
			});
		case 'sweep':
			return sweepAlpha(task.spec, task.alphas, {
				method: task.method,
				rtol: task.rtol,
				shouldStop: context.shouldStop,
				deadlineMs: Date.now() + task.budgetMs,
			});
	}
}

/** Analyzes a spec, reusing the result for an identical spec. */
export function analyzeCached(spec: ResolvedSpec): HorizonAnalysis {
	const key = hashSpec(spec);
	const cached = analysisCache.get(key);
	if (cached) {
		return cached;
	}
	const analysis = analyzeSpec(spec);
	analysisCache.set(key, analysis);
	if (analysisCache.size > ANALYSIS_CACHE_SIZE) {
		const oldest = analysisCache.keys().next().value as string;
		analysisCache.delete(oldest);
	}
	return analysis;
}
