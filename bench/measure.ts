/**
 * Child process of `bench/run.ts`: simulates one spec with one integrator several times and prints
 * one JSON line with wall times, solver statistics, the E(t) series and memory figures.
 *
 * Running each configuration in its own process makes the peak resident set size (`VmHWM` in
 * /proc/self/status, Linux only) belong to that configuration alone.
 *
 * Usage: node --import tsx bench/measure.ts '<MeasureRequest as JSON>'
 */

import { readFileSync } from 'node:fs';
import { SimulationError, loadSpec, simulateSpec } from '../src/api';
import type { SimulationResult, SolverMethod } from '../src/api';

/** Measurement request, sent by `bench/run.ts` as the only command-line argument. */
export interface MeasureRequest {
	readonly specFile: string;
	readonly method: SolverMethod;
	readonly rtol: number;
	/** Number of timed runs requested; fewer run when the budget is spent. */
	readonly repeats: number;
	/** Wall-clock budget in seconds for all runs; also each run's deadline. */
	readonly budgetSeconds: number;
	/** Integrate to this time instead of the spec's T. */
	readonly endTime?: number;
}

/** Memory figures in MiB; `null` where /proc/self/status is not available. */
export interface MemoryFigures {
	/** Peak resident set size (VmHWM) after loading the spec, before simulating. */
	readonly peakRssBeforeMiB: number | null;
	/** Peak resident set size (VmHWM) after the last run. */
	readonly peakRssAfterMiB: number | null;
	readonly rssBeforeMiB: number;
	readonly rssAfterMiB: number;
	readonly arrayBuffersBeforeMiB: number;
	/** Largest `process.memoryUsage().arrayBuffers` seen in the progress callbacks and after each run. */
	readonly arrayBuffersPeakMiB: number;
}

/** The JSON line the child prints. */
export interface MeasureResponse {
	readonly request: MeasureRequest;
	readonly wallTimesMs: number[];
	/** User plus system CPU time of this process per run; less disturbed by other load than wall time. */
	readonly cpuTimesMs: number[];
	readonly steps?: number;
	readonly rejectedSteps?: number;
	readonly jacobianEvaluations?: number;
	/** `solver.matrixFree` of the last run: true when it used the model's matrix-free Jacobian products. */
	readonly matrixFree?: boolean;
	readonly complete?: boolean;
	readonly stopReason?: string;
	readonly times?: readonly number[];
	readonly err?: readonly number[];
	readonly normR?: readonly number[];
	readonly failure?: string;
	readonly memory: MemoryFigures;
}

const MEBIBYTE = 1024 * 1024;

/** Reads VmHWM (peak resident set size) of this process in MiB, or null off Linux. */
function readPeakRssMiB(): number | null {
	try {
		const status = readFileSync('/proc/self/status', 'utf8');
		const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
		return match ? Number(match[1]) / 1024 : null;
	} catch {
		return null;
	}
}

function measure(request: MeasureRequest): MeasureResponse {
	const { spec } = loadSpec(JSON.parse(readFileSync(request.specFile, 'utf8')));
	const before = process.memoryUsage();
	const peakRssBeforeMiB = readPeakRssMiB();
	let arrayBuffersPeak = before.arrayBuffers;
	const sampleMemory = (): void => {
		arrayBuffersPeak = Math.max(arrayBuffersPeak, process.memoryUsage().arrayBuffers);
	};

	const started = Date.now();
	const deadlineMs = started + request.budgetSeconds * 1000;
	const wallTimesMs: number[] = [];
	const cpuTimesMs: number[] = [];
	let last: SimulationResult | undefined;
	let failure: string | undefined;
	for (let run = 0; run < request.repeats; run++) {
		const runStarted = performance.now();
		const cpuStarted = process.cpuUsage();
		try {
			last = simulateSpec(spec, {
				method: request.method,
				rtol: request.rtol,
				endTime: request.endTime,
				deadlineMs,
				onProgress: sampleMemory,
			});
		} catch (error) {
			if (!(error instanceof SimulationError)) {
				throw error;
			}
			failure = `${error.kind}: ${error.message}`;
			break;
		}
		const elapsed = performance.now() - runStarted;
		const cpu = process.cpuUsage(cpuStarted);
		sampleMemory();
		wallTimesMs.push(elapsed);
		cpuTimesMs.push((cpu.user + cpu.system) / 1000);
		// Another run must fit in what is left of the budget, or the median would mix in a stopped run.
		if (!last.complete || Date.now() + elapsed > deadlineMs) {
			break;
		}
	}

	const after = process.memoryUsage();
	const memory: MemoryFigures = {
		peakRssBeforeMiB,
		peakRssAfterMiB: readPeakRssMiB(),
		rssBeforeMiB: before.rss / MEBIBYTE,
		rssAfterMiB: after.rss / MEBIBYTE,
		arrayBuffersBeforeMiB: before.arrayBuffers / MEBIBYTE,
		arrayBuffersPeakMiB: arrayBuffersPeak / MEBIBYTE,
	};
	if (last === undefined) {
		return { request, wallTimesMs, cpuTimesMs, failure, memory };
	}
	return {
		request,
		wallTimesMs,
		cpuTimesMs,
		steps: last.solver.steps,
		rejectedSteps: last.solver.rejectedSteps,
		jacobianEvaluations: last.solver.jacobianEvaluations,
		matrixFree: last.solver.matrixFree,
		complete: last.complete,
		stopReason: last.stopReason,
		times: last.times,
		err: last.err,
		normR: last.normR,
		failure,
		memory,
	};
}

const request = JSON.parse(process.argv[2] ?? '{}') as MeasureRequest;
process.stdout.write(JSON.stringify(measure(request)) + '\n');
