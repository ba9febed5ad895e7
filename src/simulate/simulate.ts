import {
	analysisThreshold,
	analyzeProblem,
	modelLipschitzFunction,
	toSpecTime,
} from '../analysis/analyze';
import { boundSeries } from '../analysis/bounds';
import { isConverseModel } from '../analysis/converse';
import { norm2 } from '../linalg';
import type { Horizon, SimulationProgress, SimulationResult } from '../results';
import type { SolverMethod } from '../spec/types';
import { DeviationSystem } from './deviation';
import { DormandPrinceStepper } from './dopri5';
import { HalfStepPair } from './doubling';
import { ExponentialRungeKuttaStepper, initialReferenceKernel } from './exponential';
import { integrate } from './integrate';
import type { IntegrationOutcome } from './integrate';
import { LinearFlow } from './linearFlow';
import { initialResidual, prepareProblem } from './problem';
import type { PreparedProblem } from './problem';
import { reportAt } from './reports';
import type { ReportPoint } from './reports';
import type { Stepper } from './stepper';

/**
 * Relative tolerance at which every reference case matches its expected values to 1e-7 (see
 * test/unit/cases.test.ts).
 */
export const TIGHTEST_RTOL = 1e-12;

/** Minimum interval between two progress reports. */
const PROGRESS_INTERVAL_MS = 100;

export interface SimulateOptions {
	/** Integrator; defaults to the spec's `solver.method`. */
	readonly method?: SolverMethod;
	/**
	 * False forces the stored-Jacobian products; by default the model's matrix-free products are
	 * used where alpha is small enough for their rounding (see `MATRIX_FREE_ROUNDING`).
	 */
	readonly matrixFree?: boolean;
	/** Relative tolerance on E(t) and ||w - w0||; defaults to the spec's `solver.rtol`. */
	readonly rtol?: number;
	/** Called with the points so far, at most every 100 ms. */
	readonly onProgress?: (progress: SimulationProgress) => void;
	/** Polled every step; true stops the run and returns what was computed (`complete: false`). */
	readonly shouldStop?: () => boolean;
	/** Wall-clock deadline as a `Date.now()` timestamp in milliseconds; same effect as `shouldStop`. */
	readonly deadlineMs?: number;
	/** Integrate to this time (spec unit) instead of T; report times past it are dropped. */
	readonly endTime?: number;
	/** alpha in place of `spec.training.alpha`. */
	readonly alpha?: number;
	/** Stop at the first time E exceeds the threshold (the sweep's search). */
	readonly stopAtCrossing?: boolean;
	/**
	 * Fraction f of the threshold below which E needs no relative accuracy: the error allowed in E
	 * is at least `f * rtol * threshold`. A caller that keeps only the crossing of the threshold
	 * and the peak of E (the sweep) passes a small f. The default 0 keeps E's relative accuracy at
	 * every size.
	 */
	readonly thresholdFloor?: number;
	/** A prepared problem to reuse (same spec). */
	readonly problem?: PreparedProblem;
	/** Step cap; defaults to the spec's `solver.maxSteps`. */
	readonly maxSteps?: number;
}

/**
 * Simulates gradient flow and its linearization for a spec and compares them: E(t), ||r||,
 * ||rbar||, ||w - w0||, ||wbar - w0||, ||K_t - K0|| at the report times, the bounds, the predicted
 * horizons and the empirical horizon (first time E exceeds the threshold).
 *
 * The deviation `(e, d) = (r - rbar, u - ubar)` is integrated (see `DeviationSystem`) with the
 * exponential integrator (`ExponentialRungeKuttaStepper`, default) or plain Dormand-Prince 5(4). A mean loss is
 * simulated as the sum-loss flow at time t / n and reported in the spec's unit.
 *
 * @param spec - resolved spec
 * @param options - method, rtol, progress, cancellation, deadline, end time, alpha override
 * @returns the result; `complete: false` with `stopReason` when stopped early
 * @throws SimulationError `nonFinite`, `diverged`, `stepLimit` or `toleranceNotMet`, naming the time
 * @throws SimulationError `timeBudget` when `deadlineMs` passes while the problem is prepared (J0,
 * K0 and its eigendecomposition), because no result exists yet. Past that point a deadline stops
 * the run with a partial result.
 * @throws SpecError from the model when the spec's model section is invalid
 */
export function simulateSpec(
	spec: PreparedProblem['spec'],
	options: SimulateOptions = {},
): SimulationResult {
	const started = Date.now();
	const problem = options.problem ?? prepareProblem(spec, { deadlineMs: options.deadlineMs });
	const run = new SimulationRun(problem, options);
	const outcome = run.integrate();
	return run.result(outcome, Date.now() - started);
}

/**
 * The exponential method reuses a Jacobian offset when the displacement moved by less than this
 * multiple of rtol, relative (see `DeviationSystem`), so its stages that share a node time mostly
 * cost one Jacobian between them. On the benchmark's medium network (n = 64, p = 4608,
 * alpha = 100, T = 1700, rtol 1e-8) this cut the Jacobians from 3205 to 1401 and moved E at the
 * report times by at most 1.9e-8 relative to an rtol 1e-11 run; without reuse it moved by 4.9e-9.
 */
const JACOBIAN_REUSE_FACTOR = 10;

/**
 * The matrix-free products (see `DeviationSystem`) compute the kernel difference as
 * `K_t r - K0 r`, whose relative rounding error grows like `alpha * 2^-52` times a modest factor.
 * The stored path expands it without cancellation. The matrix-free path is taken when
 * `alpha * MATRIX_FREE_ROUNDING <= rtol`, which keeps that error at least a hundredfold below the
 * tolerance for a factor up to 45.
 *
 * NOTE: the rule assumes E of order ||r0|| / alpha. With antisymmetric centering E falls like
 * 1 / alpha^2, so at alpha 1e6 and rtol 1e-6 the matrix-free run leaves E wrong by 100 % or more.
 */
const MATRIX_FREE_ROUNDING = 1e-12;

/**
 * Largest relative width to which the peak of E is bracketed in time. Below it the width is
 * `sqrt(rtol) / 4`: E is flat at its peak, `E(t*(1 + w)) = E(t*) (1 - c w^2 / 2)` with c =
 * `t*^2 |E''| / E` of order 1 to 10 on these curves, so that width moves the peak value by at most
 * about rtol. At rtol 1e-8 the golden-section search then takes about 19 probes instead of 26.
 */
const PEAK_RESOLUTION_LIMIT = 1e-3;

/** One simulation: the system, the stepper, the collected report points and the step trace. */
class SimulationRun {
	private readonly problem: PreparedProblem;
	private readonly options: SimulateOptions;
	private readonly alpha: number;
	private readonly method: SolverMethod;
	private readonly rtol: number;
	private readonly system: DeviationSystem;
	private readonly flow: LinearFlow;
	private readonly stepper: Stepper;
	/** Single-step method of the crossing and peak searches (the exponential method undoubled). */
	private readonly probeStepper: Stepper | undefined;
	private readonly residualNorm: number;
	private readonly reportTimes: number[];
	private readonly endTime: number;
	private readonly points: ReportPoint[] = [];
	private readonly trace: { times: number[]; err: number[]; normR: number[]; normRbar: number[] };
	private lastProgress = 0;
	private readonly stepResidual: Float64Array;
	private readonly stepResidualSum: Float64Array;

	constructor(problem: PreparedProblem, options: SimulateOptions) {
		this.problem = problem;
		this.options = options;
		const spec = problem.spec;
		this.alpha = options.alpha ?? spec.training.alpha;
		this.method = options.method ?? spec.solver.method;
		this.rtol = options.rtol ?? spec.solver.rtol;
		const r0 = initialResidual(problem, this.alpha);
		this.residualNorm = norm2(r0);
		this.flow = new LinearFlow(problem, r0);
		const reuse = this.method === 'exponential' ? JACOBIAN_REUSE_FACTOR * this.rtol : 0;
		const matrixFree = this.alpha * MATRIX_FREE_ROUNDING <= this.rtol && options.matrixFree !== false;
		this.system = new DeviationSystem(problem, this.flow, this.alpha, reuse, matrixFree);
		[this.stepper, this.probeStepper] = this.createSteppers();
		const scale = problem.timeScale;
		this.endTime = (options.endTime ?? spec.training.T) * scale;
		this.reportTimes = spec.analysis.times.map((t) => t * scale).filter((t) => t <= this.endTime);
		this.trace = { times: [], err: [], normR: [], normRbar: [] };
		this.stepResidual = new Float64Array(problem.outputCount);
		this.stepResidualSum = new Float64Array(problem.outputCount);
	}

	integrate(): IntegrationOutcome {
		const n = this.problem.outputCount;
		// The threshold is all the steps need. `result` solves the horizons with the secant slope.
		const threshold = analysisThreshold(this.problem, this.alpha);
		this.system.errorFloor = (this.options.thresholdFloor ?? 0) * this.rtol * threshold;
		return integrate({
			stepper: this.stepper,
			probeStepper: this.probeStepper,
			residualSize: n,
			initialState: new Float64Array(n + this.problem.parameterCount),
			reportTimes: this.reportTimes,
			endTime: this.endTime,
			initialStep: this.initialStep(),
			maxSteps: this.options.maxSteps ?? this.problem.spec.solver.maxSteps,
			threshold,
			stopAtCrossing: this.options.stopAtCrossing ?? false,
			divergenceLimit: 2 * this.residualNorm * (1 + 1e-6) + 1e-300,
			deadline: this.options.deadlineMs,
			shouldStop: this.options.shouldStop,
			onReport: (_index, t, state) => this.points.push(reportAt(this.problem, this.system, t, state)),
			onStep: (t, error, steps, state) => this.recordStep(t, error, steps, state),
			errorBoundAfter: (t, state) => this.errorBoundAfter(t, state),
			peakResolution: Math.min(PEAK_RESOLUTION_LIMIT, Math.sqrt(this.rtol) / 4),
		});
	}

	result(outcome: IntegrationOutcome, wallTimeMs: number): SimulationResult {
		const problem = this.problem;
		const spec = problem.spec;
		const scale = problem.timeScale;
		const count = this.points.length;
		const estimate = this.points.reduce((best, point) => Math.max(best, point.secantSlope), 0);
		const analysis = analyzeProblem(problem, {
			alpha: this.alpha,
			jacobianLipschitzEstimate: estimate > 0 ? estimate : undefined,
		});
		const times = this.reportTimes.slice(0, count);
		const lipschitzAt = modelLipschitzFunction(problem.model);
		const exact = lipschitzAt(0);
		const bounds = boundSeries({
			alpha: this.alpha,
			initialLoss: analysis.initialLoss,
			lipschitzAt,
			times,
			converse: isConverseModel(problem, spec.training.T * scale),
			trainingTime: spec.training.T * scale,
		});
		return {
			times: times.map((t) => t / scale),
			err: this.points.map((point) => point.error),
			normR: this.points.map((point) => point.residualNorm),
			normRbar: this.points.map((point) => point.linearResidualNorm),
			normDw: this.points.map((point) => point.weightDistance),
			normDwbar: this.points.map((point) => point.linearWeightDistance),
			normKdrift: this.points.map((point) => point.kernelDrift),
			R0: analysis.initialLoss,
			lambdaMaxK0: analysis.lambdaMaxK0,
			lambdaMinK0: analysis.lambdaMinK0,
			normJ0: analysis.normJ0,
			...(exact.jacobianLipschitzExact ? { LipDh: exact.jacobianLipschitzBound } : {}),
			bounds,
			horizons: { ...analysis.horizons, empirical: this.empiricalHorizon(outcome) },
			analysis,
			solver: {
				method: this.method,
				rtol: this.rtol,
				steps: outcome.steps,
				rejectedSteps: outcome.rejectedSteps,
				jacobianEvaluations: this.system.jacobianEvaluations,
				modelEvaluations: 1,
				kernelRefreshes: this.stepper.kernelRefreshes,
				matrixFree: this.system.matrixFree,
				wallTimeMs,
			},
			complete: outcome.complete || outcome.stopReason === 'crossing',
			...(outcome.stopReason && outcome.stopReason !== 'crossing' ? { stopReason: stopText(outcome) } : {}),
			spec,
		};
	}

	private empiricalHorizon(outcome: IntegrationOutcome): Horizon {
		const scale = this.problem.timeScale;
		if (outcome.crossingTime !== undefined) {
			return { kind: 'finite', time: outcome.crossingTime / scale };
		}
		return toSpecTime(
			{
				kind: 'notReached',
				searchedUntil: outcome.time,
				peakError: outcome.peakError,
				peakTime: outcome.peakTime,
			},
			scale,
		);
	}

	/** Returns the stepper and, for the exponential method, its undoubled core for the searches. */
	private createSteppers(): [Stepper, Stepper | undefined] {
		if (this.method === 'dopri5') {
			return [new DormandPrinceStepper(this.system, this.rtol), undefined];
		}
		// The matrix-free path never multiplies by J_ref, so it need not form J0.
		const jacobian = this.system.matrixFree ? null : this.problem.initialJacobian;
		const reference = initialReferenceKernel(jacobian, this.problem.initialKernelEigen);
		const inner = new ExponentialRungeKuttaStepper(this.system, this.rtol, reference);
		return [new HalfStepPair(inner, this.system, this.rtol), inner];
	}

	/**
	 * First step from the problem's own time scales: 0.01 / lambda_max(K0), because rbar changes on
	 * that scale, and 1e-3 of the first report time (or of the end time without report times).
	 * It does not depend on T otherwise, so a long run resolves the same early transient as a short
	 * one. The controller grows the step by up to 5x per accepted step.
	 */
	private initialStep(): number {
		const values = this.problem.initialKernelEigen.values;
		const lambdaMax = values.length > 0 ? values[values.length - 1] : 0;
		const byKernel = lambdaMax > 0 ? 0.01 / lambdaMax : Infinity;
		const firstStop = this.reportTimes.length > 0 ? this.reportTimes[0] : this.endTime;
		return Math.min(1e-3 * firstStop, byKernel);
	}

	/**
	 * Bounds E after t by `||r(t)|| + ||rbar(t)||`. E = ||r - rbar||, and both norms are
	 * non-increasing because K_t and K0 are positive semi-definite (`d||r||^2/dt = -2 r^T K_t r`).
	 * The margin of 1e-6 covers the integration error of r.
	 */
	private errorBoundAfter(t: number, state: Float64Array): number {
		const n = this.problem.outputCount;
		const rbar = this.flow.residual(t, this.stepResidual);
		const residual = this.stepResidualSum;
		for (let i = 0; i < n; i++) {
			residual[i] = rbar[i] + state[i];
		}
		return (norm2(residual) + norm2(rbar)) * (1 + 1e-6);
	}

	/** Records E, ||r|| and ||rbar|| after a step; rbar is recomputed (O(n^2)) at the step's time. */
	private recordStep(t: number, error: number, steps: number, state: Float64Array): void {
		const n = this.problem.outputCount;
		const rbar = this.flow.residual(t, this.stepResidual);
		const residual = this.stepResidualSum;
		for (let i = 0; i < n; i++) {
			residual[i] = rbar[i] + state[i];
		}
		this.trace.times.push(t / this.problem.timeScale);
		this.trace.err.push(error);
		this.trace.normR.push(norm2(residual));
		this.trace.normRbar.push(norm2(rbar));
		this.reportProgress(t, steps);
	}

	private reportProgress(t: number, steps: number): void {
		const onProgress = this.options.onProgress;
		const now = Date.now();
		if (onProgress === undefined || now - this.lastProgress < PROGRESS_INTERVAL_MS) {
			return;
		}
		this.lastProgress = now;
		onProgress({
			time: t / this.problem.timeScale,
			fraction: this.endTime > 0 ? Math.min(1, t / this.endTime) : 1,
			steps,
			times: [...this.trace.times],
			err: [...this.trace.err],
			normR: [...this.trace.normR],
			normRbar: [...this.trace.normRbar],
		});
	}
}

function stopText(outcome: IntegrationOutcome): string {
	const reason = outcome.stopReason === 'cancelled' ? 'cancelled' : 'time budget exhausted';
	return `${reason} at t = ${outcome.time} after ${outcome.steps} steps`;
}
