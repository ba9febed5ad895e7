import { SimulationError } from '../errors';
import type { SymmetricEigen } from '../linalg';
import { distance2, gramMatrix, multiply, multiplyTransposed, norm2, productWithTranspose } from '../linalg';
import { forwardProducts, transposedProducts } from './deviationProducts';
import type { TransposedProducts } from './deviationProducts';
import type { LinearFlow } from './linearFlow';
import type { LayerFactors } from './mlpKernelDrift';
import { TangentCache, withinRelativeDistance } from './tangentCache';
import type { PreparedProblem } from './problem';

/**
 * The kernel an exponential integrator treats exactly: `K_ref = J_ref J_ref^T` with its
 * eigendecomposition, taken at some point of the trajectory.
 */
export interface ReferenceKernel {
	/** Sum-loss time at which J_ref was taken. */
	readonly time: number;
	/**
	 * J_ref - J0, row-major n x p, or null when the reference is K0 itself or when `layerFactors`
	 * replaces it.
	 */
	readonly jacobianOffset: Float64Array | null;
	/**
	 * An MLP's layer factors at the reference point on the matrix-free path, from which
	 * `DeviationSystem.referenceDistance` computes `||J_t - J_ref||_F`; null otherwise.
	 */
	readonly layerFactors: LayerFactors | null;
	/** J_ref, row-major n x p; null on the matrix-free path, which never multiplies by it. */
	readonly jacobian: Float64Array | null;
	readonly eigen: SymmetricEigen;
	/**
	 * The part of the linear flow's forcing that K_ref accounts for, which the exponential method
	 * integrates exactly. It is null when the reference is K0, because that part is then zero.
	 */
	readonly forcing: ReferenceForcing | null;
}

/**
 * `F(t) = -(K_ref - K0) rbar(t)` in K_ref's eigenbasis: `F_k(t) = -sum_l M_kl exp(-l_l t)` with
 * `M = Q_ref^T (K_ref - K0) Q0 diag(c)`, where `rbar(t) = Q0 exp(-l t) c`.
 */
export interface ReferenceForcing {
	/** M, row-major n x n. */
	readonly matrix: Float64Array;
	/** K0's eigenvalues l, the decay rates of rbar's modes. */
	readonly rates: Float64Array;
}

/**
 * The flow written as its deviation from the linearized flow, so that E(t) keeps its relative
 * accuracy when it is small (E shrinks like 1/alpha). With `u = alpha (w - w0)`,
 * `e = r - rbar` (so E = ||e||) and `d = u - ubar`, gradient flow
 * `dw/dt = (1/alpha) J(w)^T r`, `dr/dt = -K_t r` becomes, exactly,
 *
 * ```tex
 * \dot e = -K_t e - (K_t - K_0) \bar r(t), \qquad
 * \dot d = J_0^\top e + (J_t - J_0)^\top (\bar r(t) + e), \qquad
 * J_t = Dh\big(w_0 + (\bar u(t) + d) / \alpha\big)
 * ```
 *
 * The state vector is `y = [e; d]` (length n + p). With `D = J_t - J0` every kernel difference is
 * expanded without cancellation, `(K_t - K0) v = J0 (D^T v) + D (J_t^T v)`, and `K_t v` is
 * `J_t (J_t^T v)`: each evaluation costs one Jacobian and a few n p products, never n^2 p.
 */
export class DeviationSystem {
	readonly n: number;
	readonly p: number;
	readonly alpha: number;
	/** ||r0||, the scale of the residual. */
	readonly initialResidualNorm: number;
	/** Jacobian evaluations so far. */
	jacobianEvaluations = 0;
	/** Absolute error allowed in E regardless of its size (0: relative accuracy only). */
	errorFloor = 0;

	private readonly problem: PreparedProblem;
	private readonly flow: LinearFlow;
	private readonly delta: Float64Array;
	private readonly weights: Float64Array;
	private readonly s1: Float64Array;
	private readonly s2: Float64Array;
	private readonly s3: Float64Array;
	private readonly s4: Float64Array;
	private readonly sumP: Float64Array;
	private readonly tempN: Float64Array;
	/** J0^T e, J0^T rbar and D^T r from the fused pass. */
	private readonly fused: TransposedProducts;
	private changeStorage: Float64Array | undefined;
	/**
	 * rbar and ubar at the last two loaded times, the last one first. They depend on t only, and the
	 * stages of a doubled exponential step alternate between two times.
	 */
	private readonly flowSlots: FlowSlot[];
	/** The current Jacobian offset and, with reuse on, the one before it (stored path). */
	private readonly cache: JacobianCache;
	/** Matrix-free products at the current point and, with reuse on, the one before (or none). */
	private readonly tangents: TangentCache | undefined;
	private readonly tempN2: Float64Array;
	/** Number of `load` calls, and the call at which `lazyOffset` was last formed. */
	private loads = 0;
	private lazyOffsetLoad = -1;
	private lazyOffset: Float64Array | undefined;
	/**
	 * An MLP's layer factors at the point of the `load` call numbered `load`. `kept` is true when a
	 * reference kernel holds them, so the next point needs new arrays.
	 */
	private layerFactors: { readonly load: number; readonly factors: LayerFactors; kept: boolean } | undefined;

	/**
	 * @param reuseTolerance - relative displacement change below which `load` reuses a kept
	 * Jacobian offset (or forward pass) instead of evaluating one. The default 0 turns reuse off.
	 * @param matrixFree - use the model's matrix-free products (`tangentProducts`) instead of the
	 * stored offset D; ignored when the model has none. See `DeviationSystem.remainder`.
	 */
	constructor(
		problem: PreparedProblem,
		flow: LinearFlow,
		alpha: number,
		reuseTolerance = 0,
		matrixFree = false,
	) {
		this.problem = problem;
		this.flow = flow;
		this.alpha = alpha;
		this.initialResidualNorm = Math.sqrt(flow.coefficients.reduce((sum, c) => sum + c * c, 0));
		const n = (this.n = problem.outputCount);
		const p = (this.p = problem.parameterCount);
		this.flowSlots = [0, 1].map(() => ({
			time: Number.NaN,
			residual: new Float64Array(n),
			displacement: new Float64Array(p),
			rate: new Float64Array(p),
			kernelTimesResidual: new Float64Array(n),
		}));
		this.delta = new Float64Array(p);
		this.weights = new Float64Array(p);
		this.s1 = new Float64Array(p);
		this.s2 = new Float64Array(p);
		this.s3 = new Float64Array(p);
		this.s4 = new Float64Array(p);
		this.sumP = new Float64Array(p);
		this.tempN = new Float64Array(n);
		const factory = problem.model.tangentProducts?.bind(problem.model);
		this.tangents = matrixFree && factory ? new TangentCache(factory, p, reuseTolerance) : undefined;
		this.cache = new JacobianCache(n, this.tangents ? 0 : p, reuseTolerance);
		this.tempN2 = new Float64Array(n);
		this.fused = {
			initialTimesDeviation: new Float64Array(p),
			initialTimesLinear: new Float64Array(p),
			offsetTimesResidual: new Float64Array(p),
		};
	}

	/**
	 * Computes rbar(t), ubar(t) and D = J_t - J0 for the state y, using the model's
	 * `jacobianDifference` when it has one (no cancellation) and `J(w) - J0` otherwise. When reuse
	 * is on, a kept offset D(u') replaces the evaluation if the displacement `u = ubar + d` is
	 * within the reuse tolerance of u' (see `JacobianCache`).
	 */
	load(t: number, y: Float64Array): void {
		const { n, p } = this;
		this.loadFlow(t);
		for (let k = 0; k < p; k++) {
			this.delta[k] = (this.linearDisplacement[k] + y[n + k]) / this.alpha;
		}
		this.loads++;
		if (this.tangents !== undefined) {
			if (this.tangents.load(this.problem.model.initialParameters, this.delta)) {
				this.jacobianEvaluations++;
			}
			return;
		}
		if (this.cache.restore(this.delta)) {
			return;
		}
		this.evaluateOffset(this.cache.claim(this.delta));
		this.jacobianEvaluations++;
	}

	/** Computes rbar(t) and ubar(t) only, for `linearResidual` and `linearDisplacement`. */
	loadLinearFlow(t: number): void {
		this.loadFlow(t);
	}

	/** rbar at the last loaded time. */
	get linearResidual(): Float64Array {
		return this.flowSlots[0].residual;
	}

	/** ubar at the last loaded time. */
	get linearDisplacement(): Float64Array {
		return this.flowSlots[0].displacement;
	}

	/** Makes the slot for time t first, computing rbar(t) and ubar(t) unless a slot has them. */
	private loadFlow(t: number): void {
		const slots = this.flowSlots;
		if (slots[0].time === t) {
			return;
		}
		slots.reverse();
		if (slots[0].time === t) {
			return;
		}
		const slot = slots[0];
		this.flow.residual(t, slot.residual);
		if (this.tangents === undefined) {
			this.flow.displacement(t, slot.displacement);
		} else {
			this.flow.displacementWithRate(t, slot.displacement, slot.rate, slot.kernelTimesResidual);
		}
		slot.time = t;
	}

	/**
	 * D = J_t - J0 at the last loaded state. The next `load` may return another buffer. The
	 * matrix-free path forms D here, on demand (n p work, for reports and kernel refreshes).
	 */
	get jacobianOffset(): Float64Array {
		if (this.tangents === undefined) {
			return this.cache.current;
		}
		if (this.lazyOffsetLoad !== this.loads) {
			this.lazyOffset ??= new Float64Array(this.n * this.p);
			this.evaluateOffset(this.lazyOffset);
			this.lazyOffsetLoad = this.loads;
		}
		return this.lazyOffset as Float64Array;
	}

	/** True when the system uses the model's matrix-free products. */
	get matrixFree(): boolean {
		return this.tangents !== undefined;
	}

	/** Writes D = J(w0 + delta) - J0 into `out`. */
	private evaluateOffset(out: Float64Array): void {
		const { n, p } = this;
		const model = this.problem.model;
		if (model.jacobianDifference) {
			model.jacobianDifference(this.delta, out);
			return;
		}
		const w0 = model.initialParameters;
		for (let k = 0; k < p; k++) {
			this.weights[k] = w0[k] + this.delta[k];
		}
		model.jacobian(this.weights, out);
		const j0 = this.problem.initialJacobian;
		for (let index = 0; index < n * p; index++) {
			out[index] -= j0[index];
		}
	}

	/**
	 * Writes the full derivative `[de/dt; dd/dt]` at (t, y) into `out`, for integrators without an
	 * integrating factor. With `a = J0^T e`, `b = J0^T rbar` and `c = D^T r` (one fused pass):
	 * `dd/dt = a + c` and `de/dt = -K_t e - (K_t - K0) rbar = -(J0 (a + c) + D (a + b + c))`.
	 */
	derivative(t: number, y: Float64Array, out: Float64Array): void {
		this.load(t, y);
		if (this.tangents !== undefined) {
			this.matrixFreeDerivative(y, out);
			checkFinite(out, t);
			return;
		}
		const { n, p } = this;
		const { initialTimesDeviation: a, initialTimesLinear: b, offsetTimesResidual: c } = this.fused;
		this.computeFusedProducts(y);
		const x = this.sumP;
		const z = this.s1;
		for (let k = 0; k < p; k++) {
			x[k] = a[k] + c[k];
			z[k] = x[k] + b[k];
			out[n + k] = x[k];
		}
		forwardProducts(this.problem.initialJacobian, this.jacobianOffset, this, x, z, out);
		negateHead(out, n);
		checkFinite(out, t);
	}

	/**
	 * Writes `[N; dd/dt]` at (t, y) into `out`, where `de/dt = -K_ref e + N` splits off the
	 * reference kernel:
	 * `N = -(K_t - K_ref) e - (K_t - K0) rbar`. With K_ref = K0 this is `-(K_t - K0) r`.
	 */
	remainder(t: number, y: Float64Array, reference: ReferenceKernel, out: Float64Array): void {
		this.load(t, y);
		if (this.tangents !== undefined) {
			this.matrixFreeDerivative(y, out);
			addKernelProduct(reference.eigen, y, this.tempN, this.tempN2, out);
		} else if (reference.jacobianOffset === null) {
			this.remainderAtInitialKernel(y, out);
		} else {
			this.computeProducts(y);
			const { n, p } = this;
			for (let k = 0; k < p; k++) {
				out[n + k] = this.s1[k] + this.s2[k] + this.s4[k];
			}
			this.remainderAtReference(y, reference, out);
		}
		checkFinite(out, t);
	}

	/**
	 * Writes `[de/dt; dd/dt]` with the model's matrix-free products at the loaded point:
	 *
	 * ```tex
	 * \dot e = -\big(J_t (J_t^\top r) - K_0 \bar r(t)\big), \qquad
	 * \dot d = J_t^\top r - J_0^\top \bar r(t), \qquad r = \bar r + e
	 * ```
	 *
	 * `K0 rbar(t)` and `J0^T rbar(t)` come from the closed-form flow. Both differences cancel
	 * digits: their terms are of the size of K_t r and J_t^T r, the differences about 1/alpha of
	 * that, so their relative rounding error is about `alpha * 2^-52` times a modest factor.
	 * `simulateSpec` takes this path only where that stays far below rtol.
	 */
	private matrixFreeDerivative(y: Float64Array, out: Float64Array): void {
		const { n, p } = this;
		const tangent = (this.tangents as TangentCache).current;
		const slot = this.flowSlots[0];
		const residual = this.tempN;
		for (let i = 0; i < n; i++) {
			residual[i] = slot.residual[i] + y[i];
		}
		const gradient = this.sumP;
		tangent.transposeTimes(residual, gradient);
		tangent.times(gradient, this.tempN2);
		for (let i = 0; i < n; i++) {
			out[i] = slot.kernelTimesResidual[i] - this.tempN2[i];
		}
		for (let k = 0; k < p; k++) {
			out[n + k] = gradient[k] - slot.rate[k];
		}
	}

	/** Computes a = J0^T e, b = J0^T rbar and c = D^T r in one pass, into `this.fused`. */
	private computeFusedProducts(y: Float64Array): void {
		const j0 = this.problem.initialJacobian;
		transposedProducts(j0, this.jacobianOffset, this, y, this.linearResidual, this.fused);
	}

	/** Computes the products s1 = J0^T e, s2 = D^T e, s3 = J0^T rbar, s4 = D^T rbar. */
	private computeProducts(y: Float64Array): void {
		const { n, p } = this;
		const e = y.subarray(0, n);
		const j0 = this.problem.initialJacobian;
		multiplyTransposed(j0, n, p, e, this.s1);
		multiplyTransposed(this.jacobianOffset, n, p, e, this.s2);
		multiplyTransposed(j0, n, p, this.linearResidual, this.s3);
		multiplyTransposed(this.jacobianOffset, n, p, this.linearResidual, this.s4);
	}

	/**
	 * Writes `N = -(K_t - K0) r = -(J0 c + D (a + b + c))` and `dd/dt = a + c`, with
	 * `a = J0^T e`, `b = J0^T rbar`, `c = D^T r` from one fused pass, so `a + b + c = J_t^T r`.
	 */
	private remainderAtInitialKernel(y: Float64Array, out: Float64Array): void {
		const { n, p } = this;
		const { initialTimesDeviation: a, initialTimesLinear: b, offsetTimesResidual: c } = this.fused;
		this.computeFusedProducts(y);
		const x = this.sumP;
		for (let k = 0; k < p; k++) {
			out[n + k] = a[k] + c[k];
			x[k] = a[k] + b[k] + c[k];
		}
		forwardProducts(this.problem.initialJacobian, this.jacobianOffset, this, c, x, out);
		negateHead(out, n);
	}

	/**
	 * N = -(J_ref (Delta^T e) + Delta (J_t^T e)) - (J0 (D^T rbar) + D (J_t^T rbar)) with
	 * Delta = D - D_ref = J_t - J_ref.
	 */
	private remainderAtReference(y: Float64Array, reference: ReferenceKernel, out: Float64Array): void {
		const { n, p } = this;
		const change = this.referenceChange(reference);
		const e = y.subarray(0, n);
		const x = this.sumP;
		multiplyTransposed(change, n, p, e, x);
		multiply(reference.jacobian as Float64Array, n, p, x, out);
		for (let k = 0; k < p; k++) {
			x[k] = this.s1[k] + this.s2[k];
		}
		addProduct(change, n, p, x, this.tempN, out);
		multiply(this.problem.initialJacobian, n, p, this.s4, this.tempN);
		for (let i = 0; i < n; i++) {
			out[i] += this.tempN[i];
		}
		for (let k = 0; k < p; k++) {
			x[k] = this.s3[k] + this.s4[k];
		}
		addProduct(this.jacobianOffset, n, p, x, this.tempN, out);
		negateHead(out, n);
	}

	/** Returns Delta = D - D_ref in a buffer owned by the system. */
	private referenceChange(reference: ReferenceKernel): Float64Array {
		const size = this.n * this.p;
		const buffer = this.changeBuffer();
		const offset = reference.jacobianOffset as Float64Array;
		for (let index = 0; index < size; index++) {
			buffer[index] = this.jacobianOffset[index] - offset[index];
		}
		return buffer;
	}

	private changeBuffer(): Float64Array {
		if (this.changeStorage === undefined) {
			this.changeStorage = new Float64Array(this.n * this.p);
		}
		return this.changeStorage;
	}

	/** Returns a fresh copy of J0. */
	initialJacobianCopy(): Float64Array {
		return Float64Array.from(this.problem.initialJacobian);
	}

	/** Returns the certified Lip(Dh) on the ball of radius `radius` around w0 (Infinity if none). */
	jacobianLipschitz(radius: number): number {
		return this.problem.model.lipschitz(radius).jacobianLipschitzBound;
	}

	/** Copies `w - w0` of the last loaded state into `out` (length p). */
	copyWeightDisplacement(out: Float64Array): void {
		out.set(this.delta);
	}

	/** Returns `||w - w0||` for the last loaded state. */
	weightDisplacementNorm(): number {
		return norm2(this.delta);
	}

	/** Returns `||w - w'||` for the last loaded state w and `saved = w' - w0`. */
	weightDistance(saved: Float64Array): number {
		return distance2(this.delta, saved);
	}

	/**
	 * Returns the Frobenius norm of J_t - J_ref for the last loaded state: `||D - D_ref||_F`, from
	 * an MLP's layer factors on the matrix-free path.
	 */
	referenceDistance(reference: ReferenceKernel): number {
		const factors = this.problem.mlpKernelDrift;
		if (this.tangents !== undefined && factors !== undefined) {
			// From the layer factors, without forming J_t - J0 (n p) or keeping J_ref - J0.
			const referenceFactors = reference.layerFactors ?? factors.initialFactors;
			return factors.factorDistance(this.currentLayerFactors() as LayerFactors, referenceFactors);
		}
		const offset = this.jacobianOffset;
		const referenceOffset = reference.jacobianOffset;
		if (referenceOffset === null) {
			return norm2(offset);
		}
		// Summed in place: a buffer for D - D_ref would be one more n x p array.
		return distance2(offset, referenceOffset);
	}

	/**
	 * Returns K_t and the drift `K_t - K0` for the last loaded state without forming J_t. The drift
	 * comes from an MLP's layer factors (`MlpKernelDrift`, 3 n^2 m multiply-adds for one hidden
	 * layer) or else as `D J0^T + J0 D^T + D D^T` (two n x n x p products), so it has no
	 * cancellation, and `K_t = K0 + drift`.
	 */
	currentKernel(): { readonly kernel: Float64Array; readonly drift: Float64Array } {
		const { n, p } = this;
		const factors = this.problem.mlpKernelDrift;
		let drift: Float64Array;
		const layerFactors = this.currentLayerFactors();
		if (layerFactors !== null && factors !== undefined) {
			drift = factors.driftMatricesFrom(layerFactors).drift;
		} else if (factors !== undefined) {
			// As in the reports: from the stored offset on the stored path.
			drift = factors.driftMatrices(this.delta, this.jacobianOffset).drift;
		} else {
			const offset = this.jacobianOffset;
			const cross = productWithTranspose(offset, this.problem.initialJacobian, n, p);
			drift = gramMatrix(offset, n, p);
			for (let i = 0; i < n; i++) {
				for (let j = 0; j < n; j++) {
					drift[i * n + j] += cross[i * n + j] + cross[j * n + i];
				}
			}
		}
		const initial = this.problem.initialKernel;
		const kernel = new Float64Array(n * n);
		for (let index = 0; index < n * n; index++) {
			kernel[index] = initial[index] + drift[index];
		}
		return { kernel, drift };
	}

	/**
	 * Returns an MLP's layer factors at the last loaded state on the matrix-free path, where they
	 * replace J_t - J0 in a reference kernel, and null otherwise. The arrays stay valid until the
	 * next point's factors are computed, unless `keep` is true (for a reference kernel).
	 */
	currentLayerFactors(keep = false): LayerFactors | null {
		const factors = this.problem.mlpKernelDrift;
		if (this.tangents === undefined || factors === undefined) {
			return null;
		}
		// The refresh test and the refresh that may follow it read the same point.
		if (this.layerFactors?.load !== this.loads) {
			// The last factors' arrays are reused unless a reference kernel kept them.
			const spare = this.layerFactors?.kept === false ? this.layerFactors.factors : undefined;
			this.layerFactors = { load: this.loads, factors: factors.factorsAt(this.delta, spare), kept: false };
		}
		this.layerFactors.kept ||= keep;
		return this.layerFactors.factors;
	}

	/**
	 * The linear flow's modes: `rbar(t) = Q0 exp(-l t) c` with K0's eigenvalues l, its
	 * eigenvectors Q0 and `c = Q0^T r0`.
	 */
	get linearModes(): { readonly eigen: SymmetricEigen; readonly coefficients: Float64Array } {
		return { eigen: this.problem.initialKernelEigen, coefficients: this.flow.coefficients };
	}
}

/** rbar(t) and ubar(t) at one time, with J0^T rbar(t) and K0 rbar(t) on the matrix-free path. */
interface FlowSlot {
	time: number;
	readonly residual: Float64Array;
	readonly displacement: Float64Array;
	readonly rate: Float64Array;
	readonly kernelTimesResidual: Float64Array;
}

/**
 * out[0..n) += K e with `K = Q diag(l) Q^T` from an eigendecomposition, e = y[0..n), in two
 * n x n products through the eigenbasis.
 */
function addKernelProduct(
	eigen: SymmetricEigen,
	y: Float64Array,
	coordinates: Float64Array,
	temp: Float64Array,
	out: Float64Array,
): void {
	const n = eigen.size;
	const q = eigen.vectors;
	coordinates.fill(0, 0, n);
	for (let i = 0; i < n; i++) {
		const yi = y[i];
		const row = i * n;
		for (let k = 0; k < n; k++) {
			coordinates[k] += q[row + k] * yi;
		}
	}
	for (let k = 0; k < n; k++) {
		coordinates[k] *= eigen.values[k];
	}
	for (let i = 0; i < n; i++) {
		let sum = 0;
		const row = i * n;
		for (let k = 0; k < n; k++) {
			sum += q[row + k] * coordinates[k];
		}
		temp[i] = sum;
	}
	for (let i = 0; i < n; i++) {
		out[i] += temp[i];
	}
}

/** Largest n p for which `JacobianCache` keeps a second offset (32 MB at most). */
const CACHE_MAX_ENTRIES = 1 << 22;
/** Offsets kept with reuse on: a doubled exponential step revisits its last two distinct times. */
const CACHE_SLOTS = 2;

/**
 * The last Jacobian offsets `D(delta) = J(w0 + delta) - J0` with their `delta = u / alpha`, most
 * recent first; the first is the current offset. An offset is reused for a new delta when
 *
 * ```tex
 * \|\delta - \delta'\|_2 \le \tau \, \|\delta\|_2 .
 * ```
 *
 * Then `\|D(\delta) - D(\delta')\| \le \operatorname{Lip}(Dh) \|\delta - \delta'\|`, a fraction tau
 * of `\operatorname{Lip}(Dh) \|\delta\|`, which bounds `\|D(\delta)\|` itself (Lip(Dh) is the
 * Jacobian's Lipschitz constant). On the two-layer network with n = 64, p = 4608, alpha = 100 at
 * rtol 1e-8, the stages of one exponential step that share a node time differ in u by a relative
 * 1e-8 (median) to 2e-6 (largest). With tau = 0 only an identical delta reuses its offset, and one
 * slot is kept.
 *
 * NOTE: the relative change of D itself is near tau only where `\|D(\delta)\|` is near its bound.
 * Where D is much smaller than `\operatorname{Lip}(Dh) \|\delta\|`, reuse perturbs it by more.
 */
class JacobianCache {
	private readonly tolerance: number;
	private readonly deltas: Float64Array[] = [];
	private readonly offsets: Float64Array[] = [];

	constructor(n: number, p: number, tolerance: number) {
		this.tolerance = tolerance;
		const slots = tolerance > 0 && n * p <= CACHE_MAX_ENTRIES ? CACHE_SLOTS : 1;
		for (let slot = 0; slot < slots; slot++) {
			this.deltas.push(new Float64Array(p).fill(Number.NaN));
			this.offsets.push(new Float64Array(n * p));
		}
	}

	/** The most recently restored or claimed offset. */
	get current(): Float64Array {
		return this.offsets[0];
	}

	/** Makes a kept offset whose delta is close to `delta` current; false when none is. */
	restore(delta: Float64Array): boolean {
		for (let slot = 0; slot < this.deltas.length; slot++) {
			if (this.isClose(this.deltas[slot], delta)) {
				this.promote(slot);
				return true;
			}
		}
		return false;
	}

	/** Makes the least recently used slot current for `delta`; the caller fills its offset. */
	claim(delta: Float64Array): Float64Array {
		const last = this.deltas.length - 1;
		this.deltas[last].set(delta);
		this.promote(last);
		return this.offsets[0];
	}

	private isClose(cachedDelta: Float64Array, delta: Float64Array): boolean {
		return withinRelativeDistance(cachedDelta, delta, this.tolerance);
	}

	/** Moves a slot to the front. */
	private promote(slot: number): void {
		if (slot === 0) {
			return;
		}
		const [delta] = this.deltas.splice(slot, 1);
		const [offset] = this.offsets.splice(slot, 1);
		this.deltas.unshift(delta);
		this.offsets.unshift(offset);
	}
}

/** out[0..n) += A x, using `temp` (length n). */
function addProduct(
	matrix: Float64Array,
	n: number,
	p: number,
	x: Float64Array,
	temp: Float64Array,
	out: Float64Array,
): void {
	multiply(matrix, n, p, x, temp);
	for (let i = 0; i < n; i++) {
		out[i] += temp[i];
	}
}

function negateHead(values: Float64Array, count: number): void {
	for (let i = 0; i < count; i++) {
		values[i] = -values[i];
	}
}

function checkFinite(values: Float64Array, t: number): void {
	for (let i = 0; i < values.length; i++) {
		if (!Number.isFinite(values[i])) {
			throw new SimulationError(
				'nonFinite',
				`the flow's derivative became NaN or infinite at t = ${t}; the model output or its ` +
					'Jacobian overflowed. Try a larger alpha or a shorter training time.',
				t,
			);
		}
	}
}
