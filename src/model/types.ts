/**
 * The numerical model interface the integrators use. Parameter vectors are flat `Float64Array`s of
 * length p; outputs are flattened input-major (n = inputs * outputs); Jacobians are row-major n x p.
 */

/** Lipschitz constants of `h` and `Dh` on the ball of radius ρ around w0 (operator norms). */
export interface LipschitzConstants {
	/** Certified upper bound on Lip(Dh), or `Infinity` when Dh is not Lipschitz (ReLU). */
	readonly jacobianLipschitzBound: number;
	/** True when `jacobianLipschitzBound` is the exact constant (the quadratic, the linear model). */
	readonly jacobianLipschitzExact: boolean;
	/** Certified upper bound on Lip(h) on the same ball. */
	readonly modelLipschitzBound: number;
	/** Origin of the bound, for reports, for example "exact: |b|". */
	readonly description: string;
}

export interface DifferentiableModel {
	/** p, the number of parameters. */
	readonly parameterCount: number;
	/** n, the number of scalar outputs (inputs times outputs per input). */
	readonly outputCount: number;
	/** w0, the initial parameters. Callers must not modify it. */
	readonly initialParameters: Float64Array;
	/** False when the activation's derivative is not Lipschitz (ReLU): no theorem applies. */
	readonly smooth: boolean;
	/** Writes h(w), centered as the spec's `centering` sets, into `out` (length n). */
	evaluate(w: Float64Array, out: Float64Array): void;
	/** Writes J(w) = Dh(w), row-major n x p, into `out`. */
	jacobian(w: Float64Array, out: Float64Array): void;
	/**
	 * Writes J(w0 + delta) - J(w0) into `out` without the cancellation of subtracting two Jacobians,
	 * where the model can (the quadratic: `b * delta`). Optional.
	 */
	jacobianDifference?(delta: Float64Array, out: Float64Array): void;
	/** Certified Lipschitz constants on the ball of radius `radius` around w0. */
	lipschitz(radius: number): LipschitzConstants;
	/**
	 * Returns a new object for products with J(w) that never forms J, where the model has one (the
	 * MLP). Optional; each call returns independent buffers.
	 */
	tangentProducts?(): TangentProducts;
	/**
	 * Takes the initial kernel `K0 = J0 J0^T` from the caller, who has formed and decomposed it,
	 * so the model need not form J0 and its Gram matrix again for `||J0||_2`. Optional.
	 *
	 * @param largestEigenvalue - lambda_max(K0)
	 * @param trace - trace(K0) = ||J0||_F^2
	 */
	adoptInitialKernel?(largestEigenvalue: number, trace: number): void;
}

/** Products with the Jacobian J(w) = Dh(w) at one point, without forming the n x p matrix. */
export interface TangentProducts {
	/** Sets the point w of the products; the object keeps a reference to w until the next call. */
	setPoint(w: Float64Array): void;
	/** Writes J(w)^T v (length p) into `out`; v has length n. */
	transposeTimes(v: Float64Array, out: Float64Array): void;
	/** Writes J(w) u (length n) into `out`; u has length p. */
	times(u: Float64Array, out: Float64Array): void;
}
