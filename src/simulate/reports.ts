import { gramMatrix, norm2, productWithTranspose, spectralNormFromEigenvalues } from '../linalg';
import type { DeviationSystem } from './deviation';
import { decomposeKernel } from './kernelEigen';
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
 * Computes the reported quantities at (t, y). The kernel drift is formed explicitly,
 *
 * ```tex
 * K_t - K_0 = D J_0^\top + J_0 D^\top + D D^\top, \qquad D = J_t - J_0,
 * ```
 *
 * which has no cancellation, and its spectral norm comes from an eigendecomposition (O(n^2 p + n^3),
 * done only at report times). `||D||_2` comes from the same `D D^T`.
 */
export function reportAt(
	problem: PreparedProblem,
	system: DeviationSystem,
	t: number,
	state: Float64Array,
): ReportPoint {
	system.load(t, state);
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
	const { drift, offsetNorm } = kernelDrift(problem.initialJacobian, system.jacobianOffset, n, p, t);
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

/**
 * Computes `||K_t - K0||_2` and `||D||_2` for `D = J_t - J0`.
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
	const driftEigen = decomposeKernel(drift, n, { matrixName: 'the kernel drift K_t - K0', time });
	const driftNorm = spectralNormFromEigenvalues(driftEigen.values);
	const offsetValues = decomposeKernel(offsetGram, n, {
		matrixName: 'the Gram matrix of J_t - J0',
		time,
		options: { nonNegative: true },
	}).values;
	return { drift: driftNorm, offsetNorm: Math.sqrt(n > 0 ? offsetValues[n - 1] : 0) };
}
