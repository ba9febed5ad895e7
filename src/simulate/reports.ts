import { SimulationError } from '../errors';
import {
	gramMatrix,
	isAllFinite,
	norm2,
	productWithTranspose,
	symmetricExtremeEigenvalues,
} from '../linalg';
import type { DeviationSystem } from './deviation';
import type { DriftMatrices } from './mlpKernelDrift';
import type { PreparedProblem } from './problem';

/** The reported quantities at one time; norms are Euclidean, `kernelDrift` is the operator norm. */
export interface ReportPoint {
	/** E = ||e|| = ||r - rbar||. */
	readonly error: number;
	readonly residualNorm: number;
	readonly linearResidualNorm: number;
	/** ||w - w0|| = ||ubar + d|| / alpha. */
	readonly weightDistance: number;
	/** ||wbar - w0|| = ||ubar|| / alpha. */
	readonly linearWeightDistance: number;
	/** ||K_t - K0||_2. */
	readonly kernelDrift: number;
	/** ||J_t - J0||_2 / ||w - w0||, a secant lower bound on Lip(Dh); 0 at w = w0. */
	readonly secantSlope: number;
}

/**
 * Computes the reported quantities at (t, y). The kernel drift has no cancellation in either form:
 * for an MLP it comes from the layer factors (`MlpKernelDrift`, 3 n^2 m multiply-adds for one
 * hidden layer of width m), for other models from
 *
 * ```tex
 * K_t - K_0 = D J_0^\top + J_0 D^\top + D D^\top, \qquad D = J_t - J_0
 * ```
 *
 * (O(n^2 p)). Its spectral norm comes from the extreme eigenvalues (O(n^3) for the
 * tridiagonalization, only at report times), and `||D||_2` from the largest eigenvalue of `D D^T`.
 */
export function reportAt(
	problem: PreparedProblem,
	system: DeviationSystem,
	t: number,
	state: Float64Array,
): ReportPoint {
	// With the layer factors and matrix-free products nothing here needs J_t, whose forward pass
	// `load` would run: the factors come from their own passes at w_t.
	if (problem.mlpKernelDrift !== undefined && system.matrixFree) {
		system.loadLinearFlow(t);
	} else {
		system.load(t, state);
	}
	const { n, p, alpha } = system;
	const rbar = system.linearResidual;
	const ubar = system.linearDisplacement;
	const residual = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		residual[i] = rbar[i] + state[i];
	}
	const displacement = new Float64Array(p);
	for (let k = 0; k < p; k++) {
		displacement[k] = ubar[k] + state[n + k];
	}
	const weightDistance = norm2(displacement) / alpha;
	const { drift, offsetNorm } = reportedDrift(problem, system, displacement, t);
	return {
		error: norm2(state, 0, n),
		residualNorm: norm2(residual),
		linearResidualNorm: norm2(rbar),
		weightDistance,
		linearWeightDistance: norm2(ubar) / alpha,
		kernelDrift: drift,
		secantSlope: weightDistance > 0 ? offsetNorm / weightDistance : 0,
	};
}

/** Computes the drift norms at the loaded state, from the layer factors when the model has them. */
function reportedDrift(
	problem: PreparedProblem,
	system: DeviationSystem,
	displacement: Float64Array,
	t: number,
): { drift: number; offsetNorm: number } {
	const { n, p, alpha } = system;
	const factors = problem.mlpKernelDrift;
	if (factors === undefined) {
		return kernelDrift(problem.initialJacobian, system.jacobianOffset, n, p, t);
	}
	// The same w - w0 as `DeviationSystem.load`, which evaluates J_t there or reuses a J_t within
	// its reuse tolerance.
	const delta = new Float64Array(p);
	for (let k = 0; k < p; k++) {
		delta[k] = displacement[k] / alpha;
	}
	// On the matrix-free path D is not formed, and the passes cost less than forming it.
	const offset = system.matrixFree ? undefined : system.jacobianOffset;
	return driftNorms(factors.driftMatrices(delta, offset), n, t);
}

/**
 * Computes `||K_t - K0||_2` and `||D||_2` for `D = J_t - J0` from the n x p matrices, in
 * 1.5 n^2 p multiply-adds.
 *
 * @param time - sum-loss time of J_t, named in the error
 * @returns the drift's spectral norm and D's largest singular value
 * @throws SimulationError `nonFinite` when an entry of the drift overflowed
 */
export function kernelDrift(
	initialJacobian: Float64Array,
	offset: Float64Array,
	n: number,
	p: number,
	time: number,
): { drift: number; offsetNorm: number } {
	const cross = productWithTranspose(offset, initialJacobian, n, p);
	const offsetGram = gramMatrix(offset, n, p);
	const drift = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			drift[i * n + j] = cross[i * n + j] + cross[j * n + i] + offsetGram[i * n + j];
		}
	}
	return driftNorms({ drift, offsetGram }, n, time);
}

/**
 * Computes `||K_t - K0||_2` and `||D||_2 = sqrt(lambda_max(D D^T))` from the two n x n matrices.
 *
 * @throws SimulationError `nonFinite`, naming the matrix and the time, when an entry is not finite
 */
export function driftNorms(
	matrices: DriftMatrices,
	n: number,
	time: number,
): { drift: number; offsetNorm: number } {
	const drift = extremesAt(matrices.drift, n, 'the kernel drift K_t - K0', time);
	const offset = extremesAt(matrices.offsetGram, n, 'the Gram matrix of J_t - J0', time);
	return {
		drift: Math.max(Math.abs(drift.smallest), Math.abs(drift.largest)),
		offsetNorm: Math.sqrt(Math.max(0, offset.largest)),
	};
}

/** Returns the extreme eigenvalues of a symmetric matrix, all that the two norms need. */
function extremesAt(
	matrix: Float64Array,
	n: number,
	matrixName: string,
	time: number,
): { smallest: number; largest: number } {
	if (!isAllFinite(matrix)) {
		throw new SimulationError(
			'nonFinite',
			`${matrixName} has a NaN or infinite entry at t = ${time}; the model's Jacobian ` +
				'grew too large. Try a larger alpha or a shorter training time.',
			time,
		);
	}
	return symmetricExtremeEigenvalues(matrix, n);
}
