/**
 * The measurements of the benchmark: simulations in child processes, the SciPy baseline, the alpha
 * sweep, the hover analysis and the converse model against its closed form.
 */

import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeSpec, loadSpec, simulateSpec, sweepAlpha, SimulationError } from '../src/api';
import type { ResolvedSpec, SolverMethod, SweepPoint, SweepResult } from '../src/api';
import { converseDeviation, converseSpec } from './converse';
import type { MeasureRequest, MeasureResponse } from './measure';
import type { SweepWorkerReply, SweepWorkerTask } from './sweepWorker';

const BENCH_DIRECTORY = __dirname;
const REPOSITORY_ROOT = resolve(__dirname, '..');
/**
 * Extra seconds a child may take beyond twice its budget before it is killed. They cover start-up,
 * loading the spec and the step in progress at the deadline. The core checks its deadline only
 * between steps, and one step of the large problem took over a minute on the loaded machine.
 */
const CHILD_GRACE_SECONDS = 120;

/** Returns the median; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
	if (values.length === 0) {
		return NaN;
	}
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Returns `max_i |values_i - reference_i| / |reference_i|` over the indices both series have, or
 * NaN when they share none.
 */
export function maxRelativeError(values: readonly number[], reference: readonly number[]): number {
	const count = Math.min(values.length, reference.length);
	let worst = count > 0 ? 0 : NaN;
	for (let i = 0; i < count; i++) {
		worst = Math.max(worst, Math.abs(values[i] - reference[i]) / Math.abs(reference[i]));
	}
	return worst;
}

/**
 * Formats an error of the core for the results: the failure kind and message of a
 * `SimulationError`, otherwise the error's name and message, so one failed measurement does not
 * end the whole benchmark.
 */
function describeError(error: unknown): string {
	if (error instanceof SimulationError) {
		return `${error.kind}: ${error.message}`;
	}
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs `bench/measure.ts` in a child Node process and returns its JSON line. */
export function measureSimulation(request: MeasureRequest): MeasureResponse {
	const child = spawnSync(
		process.execPath,
		['--import', 'tsx', join(BENCH_DIRECTORY, 'measure.ts'), JSON.stringify(request)],
		{
			cwd: REPOSITORY_ROOT,
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
			timeout: (2 * request.budgetSeconds + CHILD_GRACE_SECONDS) * 1000,
		},
	);
	const lastLine = (child.stdout ?? '').trim().split('\n').pop() ?? '';
	if (child.status === 0 && lastLine.startsWith('{')) {
		return JSON.parse(lastLine) as MeasureResponse;
	}
	const reason = child.error?.message ?? `exit status ${child.status}, signal ${child.signal}`;
	const stderrTail = (child.stderr ?? '').trim().split('\n').slice(-5).join(' | ');
	return {
		request,
		wallTimesMs: [],
		cpuTimesMs: [],
		failure: `child process failed (${reason}): ${stderrTail}`,
		memory: {
			peakRssBeforeMiB: null,
			peakRssAfterMiB: null,
			rssBeforeMiB: NaN,
			rssAfterMiB: NaN,
			arrayBuffersBeforeMiB: NaN,
			arrayBuffersPeakMiB: NaN,
		},
	};
}

/** One run of `bench/scipy_baseline.py`, as printed by it. */
export interface ScipyRun {
	readonly method: string;
	readonly rtol: number;
	readonly atol: number;
	readonly system: 'direct' | 'deviation';
	readonly status: string;
	readonly wallTimeMs: number;
	/** CPU time of the Python process during the run (`time.process_time`). */
	readonly cpuTimeMs: number;
	readonly nfev: number;
	readonly njev: number;
	readonly steps: number;
	readonly times: number[];
	readonly err: number[];
	readonly normR: number[];
}

/** Output of `bench/scipy_baseline.py`, or the reason it did not run. */
export type ScipyOutcome =
	| { readonly ok: true; readonly lambdaMaxK0: number; readonly lambdaMinK0: number; readonly runs: ScipyRun[] }
	| { readonly ok: false; readonly reason: string };

/**
 * Runs the SciPy baseline on a spec file with one BLAS thread.
 *
 * @param runs - `METHOD:RTOL[:SYSTEM]` entries, for example `DOP853:1e-12:deviation`
 * @param timeCapSeconds - each run stops after this wall time and reports where it stopped
 */
export function runScipyBaseline(specFile: string, runs: readonly string[], timeCapSeconds: number): ScipyOutcome {
	const args = [join(BENCH_DIRECTORY, 'scipy_baseline.py'), specFile, '--time-cap', String(timeCapSeconds)];
	for (const run of runs) {
		args.push('--run', run);
	}
	const child = spawnSync('python3', args, {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
		timeout: (runs.length * timeCapSeconds + CHILD_GRACE_SECONDS) * 1000,
	});
	if (child.status !== 0) {
		const stderrTail = (child.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
		return { ok: false, reason: `python3 failed (status ${child.status}, signal ${child.signal}): ${stderrTail}` };
	}
	const output = JSON.parse(child.stdout) as { lambdaMaxK0: number; lambdaMinK0: number; runs: ScipyRun[] };
	return { ok: true, ...output };
}

/** Wall time and outcome of one alpha sweep. */
export interface SweepMeasurement {
	readonly method: SolverMethod;
	/** `sequential`: one `sweepAlpha` call; `parallel`: the alphas split over worker threads. */
	readonly mode: 'sequential' | 'parallel';
	readonly threads: number;
	readonly wallTimeMs: number;
	/** CPU time of this process (all its threads) during the sweep. */
	readonly cpuTimeMs: number;
	readonly result?: Pick<SweepResult, 'points'> & Partial<SweepResult>;
	readonly failure?: string;
}

/** Times `sweepAlpha` sequentially in this process, after one untimed warm-up sweep. */
export function measureSweep(
	spec: ResolvedSpec,
	alphas: readonly number[],
	method: SolverMethod,
	budgetSeconds: number,
): SweepMeasurement {
	const base = { method, mode: 'sequential', threads: 1 } as const;
	try {
		sweepAlpha(spec, alphas.slice(0, 2), { method, deadlineMs: Date.now() + budgetSeconds * 1000 });
		const started = performance.now();
		const cpuStarted = process.cpuUsage();
		const result = sweepAlpha(spec, alphas, { method, deadlineMs: Date.now() + budgetSeconds * 1000 });
		const cpu = process.cpuUsage(cpuStarted);
		return { ...base, wallTimeMs: performance.now() - started, cpuTimeMs: (cpu.user + cpu.system) / 1000, result };
	} catch (error) {
		return { ...base, wallTimeMs: NaN, cpuTimeMs: NaN, failure: describeError(error) };
	}
}

/** Starts a sweep worker thread with the TypeScript loader and waits until it has loaded the core. */
function startSweepWorker(): Promise<Worker> {
	const script = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(BENCH_DIRECTORY, 'sweepWorker.ts'))});`;
	const worker = new Worker(script, { eval: true });
	return new Promise((resolveWorker, reject) => {
		worker.once('error', reject);
		worker.once('message', (reply: SweepWorkerReply) =>
			reply.kind === 'ready' ? resolveWorker(worker) : reject(new Error(`unexpected first message ${reply.kind}`)),
		);
	});
}

function runOnWorker(worker: Worker, task: SweepWorkerTask): Promise<readonly SweepPoint[]> {
	return new Promise((resolvePoints, reject) => {
		worker.once('error', reject);
		worker.once('message', (reply: SweepWorkerReply) =>
			reply.kind === 'done' ? resolvePoints(reply.points) : reject(new Error(reply.kind === 'failed' ? reply.message : reply.kind)),
		);
		worker.postMessage(task);
	});
}

/**
 * Times the sweep with the alphas dealt round-robin to `threads` worker threads that have already
 * loaded the core, the way a warm pool would run it. Each thread prepares the problem (J0, K0 and
 * its eigendecomposition) itself, and that cost is inside the measured time.
 */
export async function measureParallelSweep(
	rawSpec: unknown,
	alphas: readonly number[],
	method: SolverMethod,
	threads: number,
	budgetSeconds: number,
): Promise<SweepMeasurement> {
	const base = { method, mode: 'parallel', threads } as const;
	const workers = await Promise.all(Array.from({ length: threads }, () => startSweepWorker()));
	try {
		const deadlineMs = Date.now() + budgetSeconds * 1000;
		const started = performance.now();
		const cpuStarted = process.cpuUsage();
		const parts = await Promise.all(
			workers.map((worker, index) =>
				runOnWorker(worker, { rawSpec, alphas: alphas.filter((_, k) => k % threads === index), method, deadlineMs }),
			),
		);
		const cpu = process.cpuUsage(cpuStarted);
		const points = parts.flat().sort((a, b) => a.alpha - b.alpha);
		return { ...base, wallTimeMs: performance.now() - started, cpuTimeMs: (cpu.user + cpu.system) / 1000, result: { points } };
	} catch (error) {
		return { ...base, wallTimeMs: NaN, cpuTimeMs: NaN, failure: error instanceof Error ? error.message : String(error) };
	} finally {
		await Promise.all(workers.map((worker) => worker.terminate()));
	}
}

/** Wall and CPU times of repeated calls, in milliseconds. */
export interface CallTimes {
	readonly wallMs: number[];
	readonly cpuMs: number[];
}

/** Times `analyzeSpec` (one Jacobian, one eigendecomposition, the horizons) after a warm-up call. */
export function measureHover(spec: ResolvedSpec, repeats: number): CallTimes {
	analyzeSpec(spec);
	const times: CallTimes = { wallMs: [], cpuMs: [] };
	for (let i = 0; i < repeats; i++) {
		const started = performance.now();
		const cpuStarted = process.cpuUsage();
		analyzeSpec(spec);
		const cpu = process.cpuUsage(cpuStarted);
		times.wallMs.push(performance.now() - started);
		times.cpuMs.push((cpu.user + cpu.system) / 1000);
	}
	return times;
}

/** E(t) of the core on the converse model against the closed form. */
export interface ConverseMeasurement {
	readonly method: SolverMethod;
	readonly rtol: number;
	readonly alpha: number;
	readonly wallTimeMs: number;
	readonly steps?: number;
	readonly times?: readonly number[];
	readonly err?: readonly number[];
	readonly exact: readonly number[];
	readonly maxRelativeError?: number;
	readonly failure?: string;
}

/** Simulates the converse model (a = 1/sqrt(T), b = 1, y* = 1) and compares E(t) with the closed form. */
export function measureConverse(alpha: number, T: number, method: SolverMethod, rtol: number): ConverseMeasurement {
	const { spec } = loadSpec(converseSpec(alpha, T));
	const model = { a: 1 / Math.sqrt(T), b: 1, target: 1, alpha };
	const exact = spec.analysis.times.map((t) => Math.abs(converseDeviation(model, t)));
	const started = performance.now();
	try {
		const result = simulateSpec(spec, { method, rtol });
		return {
			method,
			rtol,
			alpha,
			wallTimeMs: performance.now() - started,
			steps: result.solver.steps,
			times: result.times,
			err: result.err,
			exact,
			maxRelativeError: maxRelativeError(result.err, exact),
		};
	} catch (error) {
		return { method, rtol, alpha, wallTimeMs: NaN, exact, failure: describeError(error) };
	}
}
