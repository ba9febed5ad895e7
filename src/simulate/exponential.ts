import type { SymmetricEigen } from '../linalg';
import type { DeviationSystem, ReferenceForcing, ReferenceKernel } from './deviation';
import { deviationErrorNorm } from './dopri5';
import { decomposeKernel } from './kernelEigen';
import type { Stepper } from './stepper';
import { nextPhi, phiFunctions } from './phi';
import type { PhiValues } from './phi';

/**
 * A reference kernel is replaced by the current kernel when `h * ||K_t - K_ref||` (bounded above,
 * see `ExponentialRungeKuttaStepper.afterStep`) exceeds this value. The remainder's part
 * `-(K_t - K_ref) e` is treated explicitly, and explicit fourth-order stages are stable for
 * `h |lambda| <~ 2.8` on the negative real axis, so 0.5 keeps it well inside that region.
 */
const REFRESH_THRESHOLD = 0.5;

/**
 * The reference kernel is also replaced when the weights have moved by more than this fraction of
 * `||w - w0||` since it was taken, and the last step moved them by at most `SETTLED_STEP` of it.
 * The remainder then contains only `-(K_t - K_ref) r`, which the refresh makes small, while
 * `-(K_ref - K0) rbar(t)` is integrated exactly (see `ExponentialRungeKuttaStepper`). Measured on
 * the benchmark's medium network at rtol 1e-8: 215 steps to T = 1700 without these refreshes, 153
 * with them, and 160 to 2T. The second condition skips refreshes while each step still moves the
 * weights by much of their distance, because the new reference would be stale after one step. At
 * rtol 1e-4 it cut the refreshes from 13 to 4 in 22 steps.
 *
 * Only these refreshes build the exactly integrated forcing (`M`, 2 n^3 multiply-adds). A refresh
 * for stability (`REFRESH_THRESHOLD`) leaves the whole forcing in the remainder, as the reference
 * K0 does. Far from the lazy regime the kernel moves so fast that nearly every step refreshes for
 * stability: on a [2, 8, 1] tanh network with n = 200 samples at alpha 1, building M there took
 * 37 % of the run and doubled its time (9.5 s to 19.3 s). It now takes 9.8 s.
 */
const FORCING_REFRESH = 0.2;
/** See `FORCING_REFRESH`. */
const SETTLED_STEP = 0.1;

/** Stage nodes c_i of the method: 0, 1/2, 1/2, 1, 1/2. */
const NODES = [0, 0.5, 0.5, 1, 0.5];
/** Number of stages. */
const STAGES = 5;
/** Number of per-eigenvalue coefficients in `ExponentialRungeKuttaStepper.coefficients`. */
const COEFFICIENTS = 14;

/**
 * The explicit exponential Runge-Kutta method of stiff order 4 with five stages of Hochbruck and
 * Ostermann ("Explicit exponential Runge-Kutta methods for semilinear parabolic problems", SIAM J.
 * Numer. Anal. 43, 2005; reviewed in "Exponential integrators", Acta Numerica 19, 2010), applied to
 * `y' = A y + g(t, y)` with `A = diag(-K_ref, 0)` on `y = [e; d]`:
 *
 * ```tex
 * e' = -K_{ref} e + F(t) + N(t, e, d), \qquad d' = g(t, e, d),
 * ```
 *
 * ```tex
 * F(t) = -(K_{ref} - K_0) \bar r(t), \qquad
 * N = -(K_t - K_{ref}) e - (K_t - K_{ref}) \bar r(t) = -(K_t - K_{ref}) r .
 * ```
 *
 * F is known in closed form between kernel refreshes: with `rbar(t) = Q0 exp(-l t) c` (the linear
 * flow's modes), its coordinates in K_ref's eigenbasis are `F_k(t) = -sum_l M_kl exp(-l_l t)`,
 * `M = Q_ref^T (K_ref - K0) Q0 diag(c)`. Its part of the variation-of-constants formula is
 * integrated exactly (`addForcingIntegral`), and only N goes through the Runge-Kutta stages. The
 * splitting is exact, because the equation is linear in F. So after a refresh the stages see
 * `-(K_t - K_ref) r`, which is small while the kernel moves little from K_ref, instead of the
 * whole drift `-(K_t - K0) rbar(t)`, whose slow modes otherwise limit the steps once the fast
 * ones have decayed. When the reference is K0, F = 0 and N is the whole remainder.
 *
 * With `z = -h K_ref`, `phi_{j,i} = phi_j(c_i z)` and `c = (0, 1/2, 1/2, 1, 1/2)`, the stages are
 * `U_i = exp(c_i z) y_n + h sum_j a_ij(z) G_j` and the step
 * `y_{n+1} = exp(z) y_n + h sum_i b_i(z) G_i`, with `G_i` the remainder at stage i and
 *
 * ```tex
 * a_{21} = \tfrac12 \varphi_{1,2}, \ a_{31} = \tfrac12 \varphi_{1,3} - \varphi_{2,3}, \ a_{32} = \varphi_{2,3},
 * a_{41} = \varphi_{1,4} - 2 \varphi_{2,4}, \ a_{42} = a_{43} = \varphi_{2,4},
 * ```
 *
 * ```tex
 * a_{52} = a_{53} = \tfrac12 \varphi_{2,5} - \varphi_{3,4} + \tfrac14 \varphi_{2,4} - \tfrac12 \varphi_{3,5},
 * a_{54} = \tfrac14 \varphi_{2,5} - a_{52}, \ a_{51} = \tfrac12 \varphi_{1,5} - 2 a_{52} - a_{54},
 * ```
 *
 * ```tex
 * b_1 = \varphi_1 - 3 \varphi_2 + 4 \varphi_3, \ b_2 = b_3 = 0, \ b_4 = -\varphi_2 + 4 \varphi_3,
 * b_5 = 4 \varphi_2 - 8 \varphi_3 .
 * ```
 *
 * Every coefficient acts in K_ref's eigenbasis as a scalar function of `-h lambda_k`, so a stage
 * costs one `Q^T` and one `Q` product (O(n^2)) besides the remainder's evaluation. On the d block
 * (A = 0) the coefficients reduce to the classical fourth-order method with weights
 * (1/6, 0, 0, 1/6, 2/3).
 *
 * Why this and not an integrating factor (Lawson 1967): the remainder contains the slowly varying
 * forcing `-(K_t - K_ref) rbar(t)`, which has components in K_ref's fast eigendirections. The phi
 * weights integrate a constant remainder exactly, so the fast components follow their
 * quasi-static value `N_k / lambda_k` at any step size. An integrating-factor method does not and
 * needs `h lambda_max` near 1 there.
 *
 * Error estimate: the same step with stage 3 in place of stage 5 (both at c = 1/2) is a second
 * solution, so `h b_5(z) (G_5 - G_3)` is returned as the local error estimate (exponent 1/4).
 *
 * NOTE: both solutions use the quadrature nodes 0, 1/2 and 1 with the same weights, so this
 * estimate misses the quadrature error of a remainder that varies quickly in time, such as the
 * early transient of rbar. `simulateSpec` therefore wraps this stepper in `HalfStepPair`.
 *
 * The step size is limited by how fast the remainder changes (the kernel's drift and the slow
 * modes of rbar), not by lambda_max.
 */
export class ExponentialRungeKuttaStepper implements Stepper {
	readonly method = 'exponential' as const;
	readonly errorOrder = 4;
	kernelRefreshes = 0;
	private readonly system: DeviationSystem;
	private readonly rtol: number;
	private reference: ReferenceKernel;
	private referenceNormJ: number;
	private readonly eigenStages: Float64Array[];
	private readonly weightStages: Float64Array[];
	private readonly startCoordinates: Float64Array;
	private readonly stageCoordinates: Float64Array;
	private readonly stageState: Float64Array;
	private readonly remainder: Float64Array;
	private readonly error: Float64Array;
	/** Per eigenvalue: exp(z/2), exp(z), a_ij (i = 2..5), b_1, b_4, b_5 for the current h. */
	private readonly coefficients: Float64Array;
	private coefficientStep = Number.NaN;
	private firstStageValid = false;
	/** End time and solution buffer of the last attempt; the buffer must be intact at `accept`. */
	private lastEnd: { readonly time: number; readonly state: Float64Array } | undefined;
	/** True when `evaluateEnd` has put the remainder at `lastEnd` into the next first stage. */
	private endEvaluated = false;
	/** The remainder at the accepted step's end, which becomes the next first stage. */
	private nextFirstEigen: Float64Array;
	private nextFirstWeights: Float64Array;
	private readonly half: PhiValues = { phi0: 0, phi1: 0, phi2: 0, phi3: 0 };
	private readonly full: PhiValues = { phi0: 0, phi1: 0, phi2: 0, phi3: 0 };
	/**
	 * `||J_s - J_ref||_F` measured at the point w_s whose `w_s - w0` is kept, for `distanceBound`.
	 * The initial reference is K0, taken at w0, so the distance starts at 0.
	 */
	private readonly measured: { distance: number; readonly displacement: Float64Array };
	/** Radius around w0 on which `lipschitz` bounds Lip(Dh); -1 before the first bound. */
	private lipschitzRadius = -1;
	private lipschitz = Infinity;
	/** `w - w0` where the reference kernel was taken, and at the last accepted step's end. */
	private readonly referenceDisplacement: Float64Array;
	private readonly previousDisplacement: Float64Array;

	constructor(system: DeviationSystem, rtol: number, initialReference: ReferenceKernel) {
		this.system = system;
		this.rtol = rtol;
		this.reference = initialReference;
		this.referenceNormJ = largestSingularValue(initialReference);
		const { n, p } = system;
		this.eigenStages = Array.from({ length: STAGES }, () => new Float64Array(n));
		this.weightStages = Array.from({ length: STAGES }, () => new Float64Array(p));
		this.startCoordinates = new Float64Array(n);
		this.stageCoordinates = new Float64Array(n);
		this.stageState = new Float64Array(n + p);
		this.remainder = new Float64Array(n + p);
		this.error = new Float64Array(n + p);
		this.coefficients = new Float64Array(n * COEFFICIENTS);
		this.nextFirstEigen = new Float64Array(n);
		this.nextFirstWeights = new Float64Array(p);
		this.measured = { distance: 0, displacement: new Float64Array(p) };
		this.referenceDisplacement = new Float64Array(p);
		this.previousDisplacement = new Float64Array(p);
	}

	attempt(t: number, y: Float64Array, h: number, out: Float64Array): number {
		if (!this.firstStageValid) {
			this.evaluateStage(0, t, y);
			this.firstStageValid = true;
		}
		this.prepareCoefficients(h);
		toEigenbasis(this.reference, y, this.startCoordinates);
		for (let i = 1; i < STAGES; i++) {
			this.combineStage(i, t, h, y, this.stageState);
			this.evaluateStage(i, t + NODES[i] * h, this.stageState);
		}
		this.combineSolution(t, h, y, out);
		this.estimateError(h);
		this.lastEnd = { time: t + h, state: out };
		this.endEvaluated = false;
		return deviationErrorNorm(this.system, this.rtol, y, out, this.error);
	}

	/**
	 * Evaluates the remainder at the last attempt's end and copies it into `target`. `accept` then
	 * uses it as the next first stage instead of evaluating it again.
	 */
	evaluateEnd(target: StageValue): void {
		const end = this.lastEnd;
		if (end === undefined) {
			throw new RangeError('ExponentialRungeKuttaStepper.evaluateEnd: no attempt to evaluate');
		}
		if (!this.endEvaluated) {
			this.evaluateRemainder(end.time, end.state, this.nextFirstEigen, this.nextFirstWeights);
			this.endEvaluated = true;
		}
		target.eigen.set(this.nextFirstEigen);
		target.weights.set(this.nextFirstWeights);
	}

	/**
	 * Replaces the cached first stage by `stage`, the remainder at the start of the next attempt,
	 * so that attempt evaluates four stages instead of five.
	 */
	setFirstStage(stage: StageValue): void {
		this.eigenStages[0].set(stage.eigen);
		this.weightStages[0].set(stage.weights);
		this.firstStageValid = true;
	}

	/**
	 * Makes (time, state) the attempt that `accept` completes again, with its end remainder
	 * `stage` already evaluated, after another attempt from the same start has run in between.
	 */
	restoreEnd(time: number, state: Float64Array, stage: StageValue): void {
		this.lastEnd = { time, state };
		this.nextFirstEigen.set(stage.eigen);
		this.nextFirstWeights.set(stage.weights);
		this.endEvaluated = true;
	}

	/** The reference kernel the stages of the last attempt are expressed in. */
	get currentReference(): ReferenceKernel {
		return this.reference;
	}

	/** The local error estimate of the last attempt, `h b_5 (G_5 - G_3)` (length n + p). */
	get lastError(): Float64Array {
		return this.error;
	}

	/**
	 * Copies stage `index` (0-based) of the last attempt: the remainder's e part in K_ref's
	 * eigenbasis into `eigen` (length n) and its d part into `weights` (length p).
	 */
	copyStage(index: number, eigen: Float64Array, weights: Float64Array): void {
		eigen.set(this.eigenStages[index]);
		weights.set(this.weightStages[index]);
	}

	/**
	 * Writes the step of size h from y whose remainder is given at t, t + h/2 and t + h by the
	 * stages `start`, `middle` and `end`, with the method's weights:
	 * `y_{n+1} = exp(z) y_n + h (b_1 G_start + b_4 G_end + b_5 G_middle)`. Given remainders taken
	 * along an accurate solution, this is the method's quadrature over the whole step.
	 */
	quadratureStep(t: number, h: number, y: Float64Array, stages: QuadratureStages, out: Float64Array): void {
		const { n, p } = this.system;
		this.prepareCoefficients(h);
		toEigenbasis(this.reference, y, this.stageCoordinates);
		const c = this.coefficients;
		const coordinates = this.stageCoordinates;
		const { start, middle, end } = stages;
		for (let k = 0; k < n; k++) {
			const row = k * COEFFICIENTS;
			const forcing =
				c[row + 10] * start.eigen[k] + c[row + 11] * end.eigen[k] + c[row + 12] * middle.eigen[k];
			coordinates[k] = c[row + 1] * coordinates[k] + h * forcing;
		}
		addForcingIntegral(this.reference, t, h, coordinates);
		fromEigenbasis(this.reference, coordinates, out);
		addSimpsonWeights(h, y, { start: start.weights, end: end.weights, middle: middle.weights }, out, n, p);
	}

	/**
	 * Evaluates the remainder at the accepted step's end, which becomes the next first stage. It is
	 * deferred to here because a rejected attempt and the probes of the crossing and peak searches
	 * never use it.
	 */
	accept(): void {
		const end = this.lastEnd;
		if (end === undefined) {
			throw new RangeError('ExponentialRungeKuttaStepper.accept: no attempt to accept');
		}
		if (!this.endEvaluated) {
			this.evaluateRemainder(end.time, end.state, this.nextFirstEigen, this.nextFirstWeights);
		}
		this.endEvaluated = false;
		this.lastEnd = undefined;
		[this.eigenStages[0], this.nextFirstEigen] = [this.nextFirstEigen, this.eigenStages[0]];
		[this.weightStages[0], this.nextFirstWeights] = [this.nextFirstWeights, this.weightStages[0]];
		this.firstStageValid = true;
	}

	invalidate(): void {
		this.firstStageValid = false;
	}

	/**
	 * Replaces the reference kernel by K_t at the step's end when the weights have moved far from
	 * where it was taken (see `FORCING_REFRESH`), or when the remainder's stiffness would limit the
	 * next step:
	 *
	 * ```tex
	 * \|K_t - K_{ref}\|_2 \le \|\Delta\| (2 \|J_{ref}\|_2 + \|\Delta\|), \quad
	 * \Delta = J_t - J_{ref}, \qquad \text{refresh when } h_{next} \cdot \text{bound} > 0.5,
	 * ```
	 *
	 * with `||Delta||` bounded by `distanceBound` and measured (Frobenius norm) only when that bound
	 * is too large. A refresh costs the drift `K_t - K0`, one eigendecomposition and, when the
	 * weights moved far, the 2 n^3 of `M` for the forcing. The drift takes 3 n^2 m multiply-adds from an MLP's layer factors (one
	 * hidden layer) and two n x n x p products otherwise.
	 */
	afterStep(t: number, _y: Float64Array, nextStep: number): void {
		const total = this.system.weightDisplacementNorm();
		const lastMove = this.system.weightDistance(this.previousDisplacement);
		this.system.copyWeightDisplacement(this.previousDisplacement);
		const sinceReference = this.system.weightDistance(this.referenceDisplacement);
		if (sinceReference > FORCING_REFRESH * total && lastMove <= SETTLED_STEP * total) {
			this.refresh(t, true);
			return;
		}
		if (nextStep * this.driftBound(this.distanceBound()) <= REFRESH_THRESHOLD) {
			return;
		}
		const distance = this.system.referenceDistance(this.reference);
		this.measured.distance = distance;
		this.system.copyWeightDisplacement(this.measured.displacement);
		if (nextStep * this.driftBound(distance) <= REFRESH_THRESHOLD) {
			return;
		}
		// A refresh for stability keeps the forcing in the remainder: see `FORCING_REFRESH`.
		this.refresh(t, false);
	}

	/**
	 * Replaces the reference kernel by K_t at the last loaded state, the accepted step's end, with
	 * the exactly integrated forcing when `withForcing` is true.
	 */
	private refresh(t: number, withForcing: boolean): void {
		this.reference = this.currentKernel(t, withForcing);
		this.system.copyWeightDisplacement(this.referenceDisplacement);
		this.measured.distance = 0;
		this.system.copyWeightDisplacement(this.measured.displacement);
		this.referenceNormJ = largestSingularValue(this.reference);
		this.coefficientStep = Number.NaN;
		this.kernelRefreshes++;
		this.firstStageValid = false;
	}

	/** Bound on `||K_t - K_ref||` from a bound on `||J_t - J_ref||`. */
	private driftBound(distance: number): number {
		return distance * (2 * this.referenceNormJ + distance);
	}

	/**
	 * Bounds `||J_t - J_ref||` without forming J_t: the distance measured at an earlier point w_s
	 * plus `Lip(Dh) ||w_t - w_s||`, by the triangle inequality. Lip(Dh) is the model's certified
	 * constant on a ball around w0 that contains both points, and the ball's radius doubles when
	 * w_t leaves it. Measuring the distance costs a pass per input (or n p without layer factors),
	 * and on lazy runs the bound spares it on most steps.
	 */
	private distanceBound(): number {
		const radius = this.system.weightDisplacementNorm();
		if (radius > this.lipschitzRadius) {
			this.lipschitzRadius = 2 * radius;
			this.lipschitz = this.system.jacobianLipschitz(this.lipschitzRadius);
		}
		const moved = this.system.weightDistance(this.measured.displacement);
		return moved === 0 ? this.measured.distance : this.measured.distance + this.lipschitz * moved;
	}

	private currentKernel(t: number, withForcing: boolean): ReferenceKernel {
		const { n, p } = this.system;
		const layerFactors = this.system.currentLayerFactors(true);
		// With the layer factors, the refresh test needs no copy of J_ref - J0.
		const offset = layerFactors === null ? Float64Array.from(this.system.jacobianOffset) : null;
		const { kernel, drift } = this.system.currentKernel();
		// The matrix-free path needs only K_t's eigendecomposition, not J_t.
		let jacobian: Float64Array | null = null;
		if (!this.system.matrixFree) {
			jacobian = this.system.initialJacobianCopy();
			const stored = offset as Float64Array;
			for (let index = 0; index < n * p; index++) {
				jacobian[index] += stored[index];
			}
		}
		const eigen = decomposeKernel(kernel, n, {
			matrixName: 'the tangent kernel K_t',
			time: t,
			options: { nonNegative: true },
		});
		const forcing = withForcing ? referenceForcing(eigen, drift, this.system.linearModes) : null;
		return { time: t, jacobianOffset: offset, layerFactors, jacobian, eigen, forcing };
	}

	/** Evaluates [N; dd/dt] at a stage and stores N in K_ref's eigenbasis. */
	private evaluateStage(index: number, t: number, state: Float64Array): void {
		this.evaluateRemainder(t, state, this.eigenStages[index], this.weightStages[index]);
	}

	private evaluateRemainder(t: number, state: Float64Array, eigen: Float64Array, weights: Float64Array): void {
		this.system.remainder(t, state, this.reference, this.remainder);
		toEigenbasis(this.reference, this.remainder, eigen);
		removeForcing(this.reference, t, eigen);
		weights.set(this.remainder.subarray(this.system.n));
	}

	/** Fills the per-eigenvalue coefficient table for step size h (reused while h is unchanged). */
	private prepareCoefficients(h: number): void {
		if (h === this.coefficientStep) {
			return;
		}
		const values = this.reference.eigen.values;
		const half = this.half;
		const full = this.full;
		for (let k = 0; k < values.length; k++) {
			phiFunctions(-0.5 * h * values[k], half);
			phiFunctions(-h * values[k], full);
			const a52 = 0.5 * half.phi2 - full.phi3 + 0.25 * full.phi2 - 0.5 * half.phi3;
			const a54 = 0.25 * half.phi2 - a52;
			const row = this.coefficients.subarray(k * COEFFICIENTS, (k + 1) * COEFFICIENTS);
			row[0] = half.phi0;
			row[1] = full.phi0;
			row[2] = 0.5 * half.phi1;
			row[3] = 0.5 * half.phi1 - half.phi2;
			row[4] = half.phi2;
			row[5] = full.phi1 - 2 * full.phi2;
			row[6] = full.phi2;
			row[7] = 0.5 * half.phi1 - 2 * a52 - a54;
			row[8] = a52;
			row[9] = a54;
			row[10] = full.phi1 - 3 * full.phi2 + 4 * full.phi3;
			row[11] = -full.phi2 + 4 * full.phi3;
			row[12] = 4 * full.phi2 - 8 * full.phi3;
			row[13] = 0;
		}
		this.coefficientStep = h;
	}

	/** Builds stage i's state: e from the exponential coefficients, d from the classical ones. */
	private combineStage(i: number, t: number, h: number, y: Float64Array, target: Float64Array): void {
		const { n, p } = this.system;
		const g = this.eigenStages;
		const coordinates = this.stageCoordinates;
		for (let k = 0; k < n; k++) {
			const row = k * COEFFICIENTS;
			const c = this.coefficients;
			const start = this.startCoordinates[k];
			let value: number;
			if (i === 1) {
				value = c[row] * start + h * c[row + 2] * g[0][k];
			} else if (i === 2) {
				value = c[row] * start + h * (c[row + 3] * g[0][k] + c[row + 4] * g[1][k]);
			} else if (i === 3) {
				value = c[row + 1] * start + h * (c[row + 5] * g[0][k] + c[row + 6] * (g[1][k] + g[2][k]));
			} else {
				const middle = c[row + 8] * (g[1][k] + g[2][k]);
				value = c[row] * start + h * (c[row + 7] * g[0][k] + middle + c[row + 9] * g[3][k]);
			}
			coordinates[k] = value;
		}
		addForcingIntegral(this.reference, t, NODES[i] * h, coordinates);
		fromEigenbasis(this.reference, coordinates, target);
		combineWeights(i, h, y, this.weightStages, target, n, p);
	}

	/** Writes the step's solution y_{n+1} into `out`. */
	private combineSolution(t: number, h: number, y: Float64Array, out: Float64Array): void {
		const { n, p } = this.system;
		const g = this.eigenStages;
		const c = this.coefficients;
		const coordinates = this.stageCoordinates;
		for (let k = 0; k < n; k++) {
			const row = k * COEFFICIENTS;
			const forcing = c[row + 10] * g[0][k] + c[row + 11] * g[3][k] + c[row + 12] * g[4][k];
			coordinates[k] = c[row + 1] * this.startCoordinates[k] + h * forcing;
		}
		addForcingIntegral(this.reference, t, h, coordinates);
		fromEigenbasis(this.reference, coordinates, out);
		const [first, , , last, middle] = this.weightStages;
		addSimpsonWeights(h, y, { start: first, end: last, middle }, out, n, p);
	}

	/** Error estimate `h b_5 (G_5 - G_3)`: the step with stage 3 in place of stage 5. */
	private estimateError(h: number): void {
		const { n, p } = this.system;
		const g = this.eigenStages;
		const c = this.coefficients;
		const coordinates = this.stageCoordinates;
		for (let k = 0; k < n; k++) {
			coordinates[k] = h * c[k * COEFFICIENTS + 12] * (g[4][k] - g[2][k]);
		}
		fromEigenbasis(this.reference, coordinates, this.error);
		const [, , w2, , w4] = this.weightStages;
		const error = this.error;
		const scale = (2 * h) / 3;
		for (let k = 0; k < p; k++) {
			error[n + k] = scale * (w4[k] - w2[k]);
		}
	}
}

/** A remainder in K_ref's eigenbasis (e part) and its d part. */
export interface StageValue {
	readonly eigen: Float64Array;
	readonly weights: Float64Array;
}

/** Remainders at the start, middle and end of a step, for `quadratureStep`. */
export interface QuadratureStages {
	readonly start: StageValue;
	readonly middle: StageValue;
	readonly end: StageValue;
}

/**
 * A half step kept for dense output: its start (t, y), size h and the reference kernel of its
 * remainders. `values` are the remainders at the times `t + s_i h`, with `nodes` the s_i in units
 * of h, taken from both half steps of one step.
 */
export interface DenseSegment {
	t: number;
	h: number;
	y: Float64Array;
	reference: ReferenceKernel;
	readonly nodes: readonly number[];
	readonly values: readonly StageValue[];
}

/**
 * Writes the solution at `t + theta h` of a kept half step into `out`: the variation-of-constants
 * formula with the remainder replaced by its interpolant `P(s) = sum_k a_k s^k` of degree
 * `nodes.length - 1` through the remainders at the nodes (s in units of h):
 *
 * ```tex
 * y(t + \theta h) \approx e^{\theta z} y + \theta h \sum_{k} a_k \, k! \, \theta^k
 *   \varphi_{k+1}(\theta z), \qquad z = -h K_{ref}
 * ```
 *
 * from `\int_0^\tau e^{(\tau - s) A} s^k / k! \, ds = \tau^{k+1} \varphi_{k+1}(\tau A)`. With
 * the five nodes of a step (degree 4) the interpolation error is O(h^5), so the dense output is
 * accurate to the step's own order. With `residualOnly` it writes only the e block.
 */
export function denseState(segment: DenseSegment, theta: number, out: Float64Array, residualOnly = false): void {
	const { reference, h, nodes, values } = segment;
	const n = reference.eigen.size;
	const p = segment.y.length - n;
	const degree = nodes.length - 1;
	const weights = interpolationWeights(nodes);

	const coordinates = new Float64Array(n);
	toEigenbasis(reference, segment.y, coordinates);
	const eigenvalues = reference.eigen.values;
	const phi: PhiValues = { phi0: 0, phi1: 0, phi2: 0, phi3: 0 };
	const tau = theta * h;

	// k! theta^k, and the plain weights k! theta^k phi_{k+1}(0) = theta^k / (k + 1) at A = 0.
	const factors: number[] = [];
	const plain: number[] = [];
	for (let k = 0, factor = 1; k <= degree; k++) {
		factors.push(factor);
		plain.push(theta ** k / (k + 1));
		factor *= (k + 1) * theta;
	}
	const coefficients = new Array<number>(degree + 1).fill(0);
	const phis = new Array<number>(degree + 1).fill(0);

	// e block, in K_ref's eigenbasis.
	for (let k = 0; k < n; k++) {
		const x = -tau * eigenvalues[k];
		phiFunctions(x, phi);
		phis[0] = phi.phi1;
		phis[1] = phi.phi2;
		phis[2] = phi.phi3;
		for (let j = 3; j <= degree; j++) {
			phis[j] = nextPhi(x, j, phis[j - 1]);
		}
		polynomialCoefficients(weights, values, k, 'eigen', coefficients);
		let forcing = 0;
		for (let j = 0; j <= degree; j++) {
			forcing += coefficients[j] * factors[j] * phis[j];
		}
		coordinates[k] = phi.phi0 * coordinates[k] + tau * forcing;
	}
	// Dense output requests arbitrary fractions of a step, which would only displace the kept ones.
	addForcingIntegral(reference, segment.t, tau, coordinates, false);
	fromEigenbasis(reference, coordinates, out);
	if (residualOnly) {
		return;
	}

	// d block, where A = 0: sum_j a_j plain_j = sum_i (sum_j plain_j W[j][i]) g_i, the same weights
	// for every entry, so the block is one combination of the node values.
	const nodeWeights = values.map((_, i) => weights.reduce((sum, row, j) => sum + plain[j] * row[i], 0));
	const y = segment.y;
	for (let k = 0; k < p; k++) {
		let forcing = 0;
		for (let i = 0; i < values.length; i++) {
			forcing += nodeWeights[i] * values[i].weights[k];
		}
		out[n + k] = y[n + k] + tau * forcing;
	}
}

/** Cached inverse Vandermonde matrices by node set: row j gives a_j as a combination of values. */
const INTERPOLATION_WEIGHTS = new Map<string, number[][]>();

/** Returns W with `a_j = sum_i W[j][i] g_i` for the polynomial through (nodes[i], g_i). */
function interpolationWeights(nodes: readonly number[]): number[][] {
	const key = nodes.join(',');
	const cached = INTERPOLATION_WEIGHTS.get(key);
	if (cached !== undefined) {
		return cached;
	}
	// Gauss-Jordan elimination with partial pivoting on [V | e_column], V_ij = nodes[i]^j. The
	// nodes are distinct and at most 2 apart, so V is well conditioned.
	const size = nodes.length;
	const inverse = Array.from({ length: size }, () => new Array<number>(size).fill(0));
	for (let column = 0; column < size; column++) {
		const matrix = nodes.map((node, row) => {
			const powers = Array.from({ length: size }, (_, power) => node ** power);
			return [...powers, row === column ? 1 : 0];
		});
		for (let pivot = 0; pivot < size; pivot++) {
			let best = pivot;
			for (let row = pivot + 1; row < size; row++) {
				if (Math.abs(matrix[row][pivot]) > Math.abs(matrix[best][pivot])) {
					best = row;
				}
			}
			[matrix[pivot], matrix[best]] = [matrix[best], matrix[pivot]];
			for (let row = 0; row < size; row++) {
				if (row !== pivot) {
					const factor = matrix[row][pivot] / matrix[pivot][pivot];
					for (let entry = pivot; entry <= size; entry++) {
						matrix[row][entry] -= factor * matrix[pivot][entry];
					}
				}
			}
		}
		for (let j = 0; j < size; j++) {
			inverse[j][column] = matrix[j][size] / matrix[j][j];
		}
	}
	INTERPOLATION_WEIGHTS.set(key, inverse);
	return inverse;
}

function polynomialCoefficients(
	weights: number[][],
	values: readonly StageValue[],
	index: number,
	part: 'eigen' | 'weights',
	out: number[],
): void {
	for (let j = 0; j < weights.length; j++) {
		let sum = 0;
		for (let i = 0; i < values.length; i++) {
			sum += weights[j][i] * values[i][part][index];
		}
		out[j] = sum;
	}
}

/**
 * Writes the d block of a step's solution, `d_n + h (G_start / 6 + G_end / 6 + 2 G_middle / 3)`:
 * the method's weights b_1, b_4 and b_5 at A = 0, those of Simpson's rule.
 */
function addSimpsonWeights(
	h: number,
	y: Float64Array,
	stages: { readonly start: Float64Array; readonly end: Float64Array; readonly middle: Float64Array },
	out: Float64Array,
	n: number,
	p: number,
): void {
	const { start, end, middle } = stages;
	for (let k = 0; k < p; k++) {
		out[n + k] = y[n + k] + h * (start[k] / 6 + end[k] / 6 + (2 * middle[k]) / 3);
	}
}

/**
 * Writes the d block of stage i's state, `d_n + h sum_j a_ij G_j`, with the method's coefficients
 * at A = 0: those of the classical fourth-order method with nodes c,
 *
 * ```tex
 * a_{21} = \tfrac12, \ a_{32} = \tfrac12, \ a_{42} = a_{43} = \tfrac12, \
 * a_{51} = \tfrac14, \ a_{52} = a_{53} = \tfrac18,
 * ```
 *
 * and all others 0. One loop per stage: this runs over all p weights four times per attempt.
 */
function combineWeights(
	i: number,
	h: number,
	y: Float64Array,
	g: readonly Float64Array[],
	target: Float64Array,
	n: number,
	p: number,
): void {
	const [g0, g1, g2] = g;
	if (i === 1) {
		for (let k = 0; k < p; k++) {
			target[n + k] = y[n + k] + h * (0.5 * g0[k]);
		}
	} else if (i === 2) {
		for (let k = 0; k < p; k++) {
			target[n + k] = y[n + k] + h * (0.5 * g1[k]);
		}
	} else if (i === 3) {
		for (let k = 0; k < p; k++) {
			target[n + k] = y[n + k] + h * (0.5 * g1[k] + 0.5 * g2[k]);
		}
	} else {
		for (let k = 0; k < p; k++) {
			target[n + k] = y[n + k] + h * (0.25 * g0[k] + 0.125 * g1[k] + 0.125 * g2[k]);
		}
	}
}

/** Builds the reference kernel K0 from the prepared eigendecomposition (no offset). */
export function initialReferenceKernel(
	jacobian: Float64Array | null,
	eigen: ReferenceKernel['eigen'],
): ReferenceKernel {
	return { time: 0, jacobianOffset: null, layerFactors: null, jacobian, eigen, forcing: null };
}

function largestSingularValue(reference: ReferenceKernel): number {
	const values = reference.eigen.values;
	return values.length === 0 ? 0 : Math.sqrt(values[values.length - 1]);
}

/** out[0..n) = Q^T v[0..n), reading Q row by row. */
function toEigenbasis(reference: ReferenceKernel, v: Float64Array, out: Float64Array): void {
	const q = reference.eigen.vectors;
	const n = reference.eigen.size;
	out.fill(0, 0, n);
	for (let i = 0; i < n; i++) {
		const vi = v[i];
		const offset = i * n;
		for (let k = 0; k < n; k++) {
			out[k] += q[offset + k] * vi;
		}
	}
}

/** out[0..n) = Q c. */
function fromEigenbasis(reference: ReferenceKernel, coordinates: Float64Array, out: Float64Array): void {
	const q = reference.eigen.vectors;
	const n = reference.eigen.size;
	for (let i = 0; i < n; i++) {
		let sum = 0;
		const offset = i * n;
		for (let k = 0; k < n; k++) {
			sum += q[offset + k] * coordinates[k];
		}
		out[i] = sum;
	}
}

/**
 * Returns M = Q_ref^T (K_ref - K0) Q0 diag(c) for `ReferenceForcing`, from the drift
 * `K_ref - K0` (formed without cancellation) and the linear flow's modes: 2 n^3 multiply-adds.
 */
function referenceForcing(
	eigen: SymmetricEigen,
	drift: Float64Array,
	modes: { readonly eigen: SymmetricEigen; readonly coefficients: Float64Array },
): ReferenceForcing {
	const n = eigen.size;
	const q = eigen.vectors;
	const q0 = modes.eigen.vectors;
	// drift Q0 diag(c), then Q_ref^T times it.
	const right = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			const value = drift[i * n + j];
			if (value === 0) {
				continue;
			}
			for (let l = 0; l < n; l++) {
				right[i * n + l] += value * q0[j * n + l];
			}
		}
	}
	const matrix = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let k = 0; k < n; k++) {
			const value = q[i * n + k];
			for (let l = 0; l < n; l++) {
				matrix[k * n + l] += value * right[i * n + l];
			}
		}
	}
	for (let k = 0; k < n; k++) {
		for (let l = 0; l < n; l++) {
			matrix[k * n + l] *= modes.coefficients[l];
		}
	}
	return { matrix, rates: modes.eigen.values };
}

/** Decay factors exp(-l t) of rbar's modes; reused by consecutive calls at the same time. */
const decayScratch = { time: Number.NaN, rates: null as Float64Array | null, values: new Float64Array(0) };

function decayAt(forcing: ReferenceForcing, t: number): Float64Array {
	const rates = forcing.rates;
	if (decayScratch.time !== t || decayScratch.rates !== rates) {
		if (decayScratch.values.length !== rates.length) {
			decayScratch.values = new Float64Array(rates.length);
		}
		for (let l = 0; l < rates.length; l++) {
			decayScratch.values[l] = Math.exp(-rates[l] * t);
		}
		decayScratch.time = t;
		decayScratch.rates = rates;
	}
	return decayScratch.values;
}

/**
 * Adds to `coordinates` (in K_ref's eigenbasis) the exact contribution of the forcing F from t to
 * t + tau:
 *
 * ```tex
 * \int_0^\tau e^{-(\tau - s) \lambda_k} F_k(t + s) \, ds
 *   = -\sum_l M_{kl} e^{-l_l t} \, W_{kl}(\tau), \qquad
 * W_{kl}(\tau) = \tau e^{-\tau \min(\lambda_k, l_l)} \varphi_1(-\tau |\lambda_k - l_l|),
 * ```
 *
 * with `phi_1(x) = (e^x - 1) / x`: W is the divided difference of `exp(-tau x)` at lambda_k and
 * l_l, accurate when the two rates are close. W depends on tau but not on t, and the stages of
 * one step size use only a few values of tau. So with `reuse` the n^2 weights of the last
 * `WEIGHT_CACHE_SIZE` values are kept: each weight costs two exponentials, and the sum only two
 * products per weight.
 */
export function addForcingIntegral(
	reference: ReferenceKernel,
	t: number,
	tau: number,
	coordinates: Float64Array,
	reuse = true,
): void {
	const forcing = reference.forcing;
	if (forcing === null || tau === 0) {
		return;
	}
	const n = reference.eigen.size;
	const decay = decayAt(forcing, t);
	const matrix = forcing.matrix;
	const weights = reuse ? cachedWeights(reference, forcing, tau) : integralWeights(reference, forcing, tau);
	for (let k = 0; k < n; k++) {
		let sum = 0;
		const row = k * n;
		for (let l = 0; l < n; l++) {
			sum += matrix[row + l] * decay[l] * weights[row + l];
		}
		coordinates[k] -= sum;
	}
}

/** Number of step fractions tau whose weights `addForcingIntegral` keeps per forcing. */
const WEIGHT_CACHE_SIZE = 4;

/** The weights W(tau) kept per forcing, the oldest replaced first. */
const weightCache = new WeakMap<ReferenceForcing, { taus: number[]; weights: Float64Array[]; next: number }>();

function cachedWeights(reference: ReferenceKernel, forcing: ReferenceForcing, tau: number): Float64Array {
	let entry = weightCache.get(forcing);
	if (entry === undefined) {
		entry = { taus: [], weights: [], next: 0 };
		weightCache.set(forcing, entry);
	}
	const index = entry.taus.indexOf(tau);
	if (index >= 0) {
		return entry.weights[index];
	}
	const weights = integralWeights(reference, forcing, tau);
	entry.taus[entry.next] = tau;
	entry.weights[entry.next] = weights;
	entry.next = (entry.next + 1) % WEIGHT_CACHE_SIZE;
	return weights;
}

/** Computes W(tau) of `addForcingIntegral`, row-major n x n. */
function integralWeights(reference: ReferenceKernel, forcing: ReferenceForcing, tau: number): Float64Array {
	const n = reference.eigen.size;
	const values = reference.eigen.values;
	const rates = forcing.rates;
	const weights = new Float64Array(n * n);
	for (let k = 0; k < n; k++) {
		const a = values[k];
		for (let l = 0; l < n; l++) {
			const b = rates[l];
			const x = tau * Math.abs(a - b);
			const phi1 = x === 0 ? 1 : -Math.expm1(-x) / x;
			weights[k * n + l] = tau * Math.exp(-tau * Math.min(a, b)) * phi1;
		}
	}
	return weights;
}

/** Subtracts F(t) from a remainder in K_ref's eigenbasis: the part `addForcingIntegral` integrates. */
export function removeForcing(reference: ReferenceKernel, t: number, eigen: Float64Array): void {
	const forcing = reference.forcing;
	if (forcing === null) {
		return;
	}
	const n = reference.eigen.size;
	const decay = decayAt(forcing, t);
	const matrix = forcing.matrix;
	for (let k = 0; k < n; k++) {
		let sum = 0;
		for (let l = 0; l < n; l++) {
			sum += matrix[k * n + l] * decay[l];
		}
		eigen[k] += sum;
	}
}
