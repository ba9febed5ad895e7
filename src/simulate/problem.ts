import { SimulationError } from '../errors';
import { gramMatrix, isAllFinite } from '../linalg';
import type { SymmetricEigen } from '../linalg';
import { createModel } from '../model';
import type { DifferentiableModel } from '../model/types';
import type { MlpModelSpec, ResolvedSpec } from '../spec/types';
import { decomposeKernel } from './kernelEigen';
import { MlpKernelDrift } from './mlpKernelDrift';

/**
 * The alpha-independent part of a simulation: the model, w0, h(w0), the targets, the
 * Jacobian J0 = Dh(w0), the kernel K0 = J0 J0^T and its eigendecomposition. A sweep over alpha or
 * repeated hovers reuse one prepared problem.
 */
export interface PreparedProblem {
	readonly spec: ResolvedSpec;
	readonly model: DifferentiableModel;
	/** n, the number of scalar outputs. */
	readonly outputCount: number;
	/** p, the number of parameters. */
	readonly parameterCount: number;
	/** h(w0) with the spec's centering (zero for centering `initial` or `antisymmetric`). */
	readonly initialOutputs: Float64Array;
	/** y*, flattened input-major. */
	readonly targets: Float64Array;
	/**
	 * J0 = Dh(w0), row-major n x p. For the spec's MLP it is formed on first read: the
	 * matrix-free path never reads it, so a run there keeps no copy of it.
	 */
	readonly initialJacobian: Float64Array;
	/** K0 = J0 J0^T, row-major n x n. */
	readonly initialKernel: Float64Array;
	/** K0 = Q diag(l) Q^T with the eigenvalues clamped at 0 and sorted ascending. */
	readonly initialKernelEigen: SymmetricEigen;
	/** J0^T Q, row-major p x n: column k maps the k-th eigencoordinate of r to the weights. */
	readonly jacobianTimesEigenvectors: Float64Array;
	/** ||J0||_2 = sqrt(lambda_max(K0)). */
	readonly normJ0: number;
	/**
	 * The kernel drift from layer factors when the model is the spec's MLP, built with K0 where it
	 * gives K0 and on first use otherwise. It is undefined for other models and for a model passed
	 * in `PrepareOptions.model`.
	 */
	readonly mlpKernelDrift: MlpKernelDrift | undefined;
	/**
	 * Factor from the spec's time unit to the sum-loss flow's: 1 for the sum loss, 1/n for the mean
	 * loss `1/(2n) ||v - y*||^2`, whose gradient flow is the sum-loss flow at time t / n.
	 */
	readonly timeScale: number;
}

export interface PrepareOptions {
	/** A model to use in place of `createModel(spec)`. */
	readonly model?: DifferentiableModel;
	/**
	 * Wall-clock deadline as a `Date.now()` timestamp in milliseconds, checked between the phases
	 * (model, J0, K0, eigendecomposition) and inside the eigendecomposition. Building the model, J0
	 * and K0 are not interrupted, so the overrun is at most the longest of them.
	 */
	readonly deadlineMs?: number;
}

/**
 * Prepares the alpha-independent part of a simulation: builds the model, evaluates h(w0) and
 * J0 = Dh(w0), and decomposes the tangent kernel
 *
 * ```tex
 * K_0 = J_0 J_0^\top = Q \operatorname{diag}(\lambda) Q^\top
 * ```
 *
 * (Jacot, Gabriel and Hongler 2018 for the kernel). Cost one model evaluation, one Jacobian,
 * n^2 p / 2 for K0 and O(n^3) for the eigendecomposition; J0^T Q (n^2 p) is computed on first use.
 * For the spec's MLP whose layer factors' Gram matrices are smaller than J0 (`factorGramsFit`), K0
 * comes from those factors (`MlpKernelDrift.initialKernel`) and J0 is formed on first read.
 *
 * @param spec - resolved spec
 * @param options - optional model override
 * @returns the prepared problem
 * @throws SpecError from `createModel` when the model section is invalid
 * @throws SimulationError `nonFinite` when h(w0), J0 or K0 has a NaN or infinite entry
 * @throws SimulationError `timeBudget` when `options.deadlineMs` passes between two phases
 */
export function prepareProblem(spec: ResolvedSpec, options: PrepareOptions = {}): PreparedProblem {
	const checkDeadline = (phase: string): void => assertBeforeDeadline(options.deadlineMs, phase);
	const model = options.model ?? createModel(spec);
	checkDeadline('building the model');
	const n = model.outputCount;
	const p = model.parameterCount;
	const w0 = model.initialParameters;
	const initialOutputs = new Float64Array(n);
	model.evaluate(w0, initialOutputs);
	assertFinite(initialOutputs, 'h(w0)');
	const modelSpec = spec.model;
	const ownMlp = options.model === undefined && modelSpec.type === 'mlp';
	// The spec's MLP gives K0 from its layer factors where their Gram matrices take less memory
	// than J0, and J0 is then formed only if a path reads it.
	let kernelDrift =
		ownMlp && factorGramsFit(modelSpec, n, p) ? new MlpKernelDrift(modelSpec, spec.data, w0) : undefined;
	let initialJacobian: Float64Array | undefined;
	const formJacobian = (): Float64Array => {
		const jacobian = new Float64Array(n * p);
		model.jacobian(w0, jacobian);
		assertFinite(jacobian, 'the Jacobian Dh(w0)');
		return jacobian;
	};
	let initialKernel: Float64Array;
	if (kernelDrift === undefined) {
		initialJacobian = formJacobian();
		checkDeadline('computing the Jacobian J0');
		initialKernel = gramMatrix(initialJacobian, n, p);
	} else {
		initialKernel = kernelDrift.initialKernel();
		assertFinite(initialKernel, 'the tangent kernel K0 = J0 J0^T');
	}
	checkDeadline('computing the kernel K0');
	const initialKernelEigen = decomposeKernel(initialKernel, n, {
		matrixName: 'the tangent kernel K0',
		time: 0,
		options: { nonNegative: true, deadlineMs: options.deadlineMs },
	});
	checkDeadline('decomposing the kernel K0');
	const lambdaMax = n > 0 ? initialKernelEigen.values[n - 1] : 0;
	let trace = 0;
	for (let i = 0; i < n; i++) {
		trace += initialKernel[i * n + i];
	}
	model.adoptInitialKernel?.(lambdaMax, trace);
	let jacobianTimesEigenvectors: Float64Array | undefined;
	return {
		spec,
		model,
		outputCount: n,
		parameterCount: p,
		initialOutputs,
		targets: readTargets(spec, n),
		get initialJacobian(): Float64Array {
			initialJacobian ??= formJacobian();
			return initialJacobian;
		},
		initialKernel,
		initialKernelEigen,
		// Computed on first use: the analysis behind a hover does not need it (n^2 p work).
		get jacobianTimesEigenvectors(): Float64Array {
			jacobianTimesEigenvectors ??= jacobianTimesColumns(this.initialJacobian, initialKernelEigen, p);
			return jacobianTimesEigenvectors;
		},
		normJ0: Math.sqrt(lambdaMax),
		get mlpKernelDrift(): MlpKernelDrift | undefined {
			if (ownMlp && kernelDrift === undefined) {
				kernelDrift = new MlpKernelDrift(modelSpec, spec.data, w0);
			}
			return kernelDrift;
		},
		timeScale: spec.training.loss === 'mean' ? 1 / n : 1,
	};
}

/**
 * Computes the initial residual `r0 = y* - alpha h(w0)`. It depends on alpha only when h(w0) is not
 * zero (centering `none`).
 *
 * @param problem - prepared problem
 * @param alpha - alpha > 0, the output scale
 * @returns r0, length n
 */
export function initialResidual(problem: PreparedProblem, alpha: number): Float64Array {
	const r0 = new Float64Array(problem.outputCount);
	for (let i = 0; i < r0.length; i++) {
		r0[i] = problem.targets[i] - alpha * problem.initialOutputs[i];
	}
	return r0;
}

function assertFinite(values: Float64Array, what: string): void {
	if (!isAllFinite(values)) {
		throw new SimulationError(
			'nonFinite',
			`${what} has a NaN or infinite entry at t = 0; check the model's weights and inputs.`,
			0,
		);
	}
}

function assertBeforeDeadline(deadlineMs: number | undefined, phase: string): void {
	if (deadlineMs === undefined || Date.now() <= deadlineMs) {
		return;
	}
	throw new SimulationError(
		'timeBudget',
		`the time budget ran out while ${phase}, before the integration started; raise the time ` +
			'budget or use fewer training inputs.',
		0,
	);
}

/**
 * Returns true when the two n x n Gram matrices per parameter block that `MlpKernelDrift` keeps
 * (2 L n^2 doubles for L blocks) take no more memory than J0 (n p). That holds for wide networks
 * such as the benchmark's (L = 2, n = 64, p = 4608), but not for deep, narrow ones with many
 * outputs: 40 layers of antisymmetric copies at n = 800 would keep 781 MiB where J0 is 9.5 MiB.
 */
function factorGramsFit(spec: MlpModelSpec, n: number, p: number): boolean {
	return 2 * MlpKernelDrift.blockCount(spec) * n <= p;
}

function readTargets(spec: ResolvedSpec, n: number): Float64Array {
	if (spec.data.y.length !== n) {
		throw new RangeError(
			`prepareProblem: the model has ${n} outputs but data.y has ${spec.data.y.length} entries`,
		);
	}
	return Float64Array.from(spec.data.y);
}

/**
 * Computes J0^T Q (p x n, row-major) as `G[j][:] += J[i][j] Q[i][:]`, so the inner loop runs over
 * contiguous rows of Q and G (n^2 p multiply-adds).
 */
function jacobianTimesColumns(jacobian: Float64Array, eigen: SymmetricEigen, p: number): Float64Array {
	const n = eigen.size;
	const q = eigen.vectors;
	const result = new Float64Array(p * n);
	for (let i = 0; i < n; i++) {
		const jacobianRow = i * p;
		const vectorRow = i * n;
		for (let j = 0; j < p; j++) {
			const factor = jacobian[jacobianRow + j];
			if (factor === 0) {
				continue;
			}
			const target = j * n;
			for (let k = 0; k < n; k++) {
				result[target + k] += factor * q[vectorRow + k];
			}
		}
	}
	return result;
}
