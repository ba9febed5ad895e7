/**
 * The multilayer perceptron model h(w) on the training inputs, with its analytic Jacobian.
 *
 * Network (see `mlpKernel.ts` for the passes and `mlpWeights.ts` for the parameter layout):
 *
 * ```tex
 * z_l = s_l W_l h_l + b_l, \quad h_0 = x, \quad h_{l+1} = \sigma(z_l), \quad f(x; w) = z_{L-1}
 * ```
 *
 * with s_l = 1/sqrt(fan_in) under the `ntk` parametrization (Jacot, Gabriel and Hongler 2018) and
 * s_l = 1 under `standard`. Biases enter unscaled (bias scale 1) in both. For one hidden layer
 * without biases this is f(x) = (1/sqrt m) sum_j a_j σ(<W_j, x> / sqrt d).
 *
 * Outputs are flattened input-major, h[i * outputs + k]. Centering:
 * - `none`: h(w) = f(w).
 * - `initial`: h(w) = f(w) - f(w0), with f(w0) computed once.
 * - `antisymmetric`: two copies of the network, A and B, with parameters w = (w_A, w_B), so the
 *   parameter count doubles. B starts as A with its output layer (weights and bias) negated, and
 *   h(w) = (f(w_A) + f(w_B)) / sqrt 2, which is exactly 0 at w0 (negation is exact in floating
 *   point). The factor 1/sqrt 2
 *   keeps the tangent kernel at w0 equal to that of the single network A. For one hidden layer
 *   under `ntk` it is the network with 2m hidden units (the copies' units) and output weights
 *   (a, -a).
 */

import type { MlpModelSpec, ResolvedData } from '../spec/types';
import { getActivation, type ActivationFunction } from './activations';
import { assertBufferLengths, assertRadius, describeValue, shapeError } from './checks';
import {
	computeMlpLipschitzBounds,
	summarizeMlpNorms,
	type MlpNormSummary,
} from './mlpLipschitz';
import { MlpKernel } from './mlpKernel';
import { MlpTangentProducts } from './mlpTangent';
import { createArchitecture, readInitialWeights, type MlpArchitecture } from './mlpWeights';
import { certifiedNormFromGram, certifiedSpectralNorm, frobeniusNorm } from './operatorNorm';
import type { DifferentiableModel, LipschitzConstants, TangentProducts } from './types';

/**
 * Creates the MLP model on the inputs `data.x` (n x d, d = widths[0]).
 *
 * @throws SpecError for an unknown activation, invalid widths, weights of the wrong shape (path
 * inside `model.init.weights`), inputs whose length is not widths[0] (path `data.x[i]`), or data
 * whose output count differs from the last width
 */
export function createMlpModel(spec: MlpModelSpec, data: ResolvedData): DifferentiableModel {
	const activation = getActivation(spec.activation);
	const architecture = createArchitecture(spec);
	const networkWeights = readInitialWeights(spec, architecture);
	const inputs = readInputs(data, architecture);
	return new MlpModel({ spec, activation, architecture, networkWeights, inputs });
}

/**
 * Largest Gram matrix cost n^2 p / 2, in multiply-adds, for which Lip(h) uses the spectral norm of
 * J(w0). The network with d = 16, m = 2048 and n = 256 needs 1.1e9, which took 1.5 s of CPU.
 */
const SPECTRAL_NORM_BUDGET = 2e9;

const SMOOTH_DESCRIPTION =
	'certified upper bound: layerwise Hessian recursion with weight norms enlarged by rho';

interface MlpModelParts {
	readonly spec: MlpModelSpec;
	readonly activation: ActivationFunction;
	readonly architecture: MlpArchitecture;
	/** Initial parameters of one network (copy A under antisymmetric centering). */
	readonly networkWeights: Float64Array;
	/** Inputs, row-major inputCount x d. */
	readonly inputs: Float64Array;
}

/** `DifferentiableModel` of an MLP; see the module comment for the centering and the layout. */
class MlpModel implements DifferentiableModel {
	readonly parameterCount: number;
	readonly outputCount: number;
	readonly initialParameters: Float64Array;
	readonly smooth: boolean;
	private readonly parts: MlpModelParts;
	private readonly inputCount: number;
	private readonly outputsPerInput: number;
	private readonly antisymmetric: boolean;
	private readonly kernel: MlpKernel;
	/** f(w0), subtracted under `initial` centering; zeros otherwise. */
	private readonly offset: Float64Array;
	private certifiedInitialJacobianNorm: number | undefined;
	private normSummary: MlpNormSummary | undefined;

	constructor(parts: MlpModelParts) {
		const { architecture, spec } = parts;
		const widths = architecture.widths;
		this.parts = parts;
		this.smooth = parts.activation.smooth;
		this.antisymmetric = spec.centering === 'antisymmetric';
		this.outputsPerInput = widths[widths.length - 1];
		this.inputCount = parts.inputs.length / widths[0];
		this.outputCount = this.inputCount * this.outputsPerInput;
		this.kernel = new MlpKernel(architecture, parts.activation);
		this.initialParameters = this.antisymmetric
			? mirrorNetwork(parts.networkWeights, architecture)
			: Float64Array.from(parts.networkWeights);
		this.parameterCount = this.initialParameters.length;
		this.offset = new Float64Array(this.outputCount);
		if (spec.centering === 'initial') {
			const initialOutputs = new Float64Array(this.outputCount);
			this.evaluate(this.initialParameters, initialOutputs);
			this.offset.set(initialOutputs);
		}
	}

	evaluate(w: Float64Array, out: Float64Array): void {
		assertBufferLengths('evaluate', w, this.parameterCount, out, this.outputCount);
		const { kernel, outputsPerInput } = this;
		const d = this.parts.architecture.widths[0];
		const copyB = this.parts.architecture.parameterCount;
		for (let i = 0; i < this.inputCount; i++) {
			kernel.forward(w, 0, this.parts.inputs, i * d);
			for (let k = 0; k < outputsPerInput; k++) {
				out[i * outputsPerInput + k] = kernel.output[k];
			}
			if (this.antisymmetric) {
				kernel.forward(w, copyB, this.parts.inputs, i * d);
				for (let k = 0; k < outputsPerInput; k++) {
					const index = i * outputsPerInput + k;
					out[index] = (out[index] + kernel.output[k]) * Math.SQRT1_2;
				}
			}
		}
		for (let index = 0; index < this.outputCount; index++) {
			out[index] -= this.offset[index];
		}
	}

	jacobian(w: Float64Array, out: Float64Array): void {
		const size = this.outputCount * this.parameterCount;
		assertBufferLengths('jacobian', w, this.parameterCount, out, size);
		const { kernel, outputsPerInput, parameterCount } = this;
		const d = this.parts.architecture.widths[0];
		const copyB = this.parts.architecture.parameterCount;
		const factor = this.antisymmetric ? Math.SQRT1_2 : 1;
		for (let i = 0; i < this.inputCount; i++) {
			kernel.forward(w, 0, this.parts.inputs, i * d);
			for (let k = 0; k < outputsPerInput; k++) {
				kernel.backward(w, 0, k, factor, out, (i * outputsPerInput + k) * parameterCount);
			}
			if (this.antisymmetric) {
				kernel.forward(w, copyB, this.parts.inputs, i * d);
				for (let k = 0; k < outputsPerInput; k++) {
					const rowOffset = (i * outputsPerInput + k) * parameterCount + copyB;
					kernel.backward(w, copyB, k, factor, out, rowOffset);
				}
			}
		}
	}

	tangentProducts(): TangentProducts {
		const { architecture, activation, inputs } = this.parts;
		return new MlpTangentProducts({
			architecture,
			activation,
			inputs,
			copyBases: this.antisymmetric ? [0, architecture.parameterCount] : [0],
			copyFactor: this.antisymmetric ? Math.SQRT1_2 : 1,
		});
	}

	/**
	 * Computes certified Lipschitz constants on the ball of radius ρ around w0; the derivation is
	 * documented on `computeMlpLipschitzBounds`. Lip(h) is the smaller of two certified bounds:
	 * ||J(w0)|| + Lip(Dh) ρ and the first-order bound sqrt(sum over rows of sup ||∇h_i||^2),
	 * which stays finite for ReLU. ||J(w0)|| is computed once: the spectral norm with a rounding
	 * margin when the Gram matrix costs at most 2e9 multiply-adds (n^2 p / 2), else the Frobenius
	 * norm.
	 */
	lipschitz(radius: number): LipschitzConstants {
		assertRadius(radius);
		this.normSummary ??= summarizeMlpNorms(
			this.parts.architecture,
			this.parts.networkWeights,
			this.parts.inputs,
		);
		const bounds = computeMlpLipschitzBounds({
			architecture: this.parts.architecture,
			activation: this.parts.activation,
			summary: this.normSummary,
			radius,
			copyFactor: this.antisymmetric ? Math.SQRT1_2 : 1,
		});
		const growth = radius === 0 ? 0 : bounds.jacobianLipschitzBound * radius;
		const fromInitial = this.initialJacobianNorm() + growth;
		const modelLipschitzBound = Math.min(fromInitial, bounds.gradientNormBound);
		return {
			jacobianLipschitzBound: bounds.jacobianLipschitzBound,
			jacobianLipschitzExact: false,
			modelLipschitzBound,
			description: this.smooth ? SMOOTH_DESCRIPTION : this.describeNonSmooth(),
		};
	}

	private describeNonSmooth(): string {
		const name = this.parts.activation.name;
		return `not Lipschitz: the derivative of ${name} jumps, so Lip(Dh) is infinite`;
	}

	adoptInitialKernel(largestEigenvalue: number, trace: number): void {
		this.certifiedInitialJacobianNorm ??= certifiedNormFromGram(
			largestEigenvalue,
			trace,
			this.outputCount,
			this.parameterCount,
		);
	}

	private initialJacobianNorm(): number {
		if (this.certifiedInitialJacobianNorm === undefined) {
			const n = this.outputCount;
			const p = this.parameterCount;
			const jacobian = new Float64Array(n * p);
			this.jacobian(this.initialParameters, jacobian);
			// NOTE: above the budget the Frobenius norm can exceed ||J(w0)||_2 by up to sqrt(n),
			// which loosens Lip(h) and the older bound that uses it.
			const useSpectral = (n * n * p) / 2 <= SPECTRAL_NORM_BUDGET;
			this.certifiedInitialJacobianNorm = useSpectral
				? certifiedSpectralNorm(jacobian, n, p)
				: frobeniusNorm(jacobian);
		}
		return this.certifiedInitialJacobianNorm;
	}
}

/** Builds (w_A, w_B) with w_B = w_A except for the output layer's weights and bias, negated. */
function mirrorNetwork(weights: Float64Array, architecture: MlpArchitecture): Float64Array {
	const count = architecture.parameterCount;
	const result = new Float64Array(2 * count);
	result.set(weights, 0);
	result.set(weights, count);
	const outputStart = count + architecture.weightOffsets[architecture.layerCount - 1];
	for (let index = outputStart; index < 2 * count; index++) {
		result[index] = -result[index];
	}
	return result;
}

function readInputs(data: ResolvedData, architecture: MlpArchitecture): Float64Array {
	const { widths } = architecture;
	const d = widths[0];
	const outputs = widths[widths.length - 1];
	if (data.outputCount !== outputs) {
		throw shapeError(
			['model', 'widths', widths.length - 1],
			'shape',
			`the last width (${outputs} outputs) must equal the number of targets per input in the data, ${data.outputCount}.`,
		);
	}
	if (data.x.length === 0) {
		throw shapeError(['data', 'x'], 'shape', 'the MLP needs at least one input row in x.');
	}
	const inputs = new Float64Array(data.x.length * d);
	data.x.forEach((row, i) => {
		if (row.length !== d) {
			const message = `input ${i} has ${row.length} features, expected d = widths[0] = ${d}.`;
			throw shapeError(['data', 'x', i], 'shape', message);
		}
		row.forEach((value, j) => {
			if (typeof value !== 'number' || !Number.isFinite(value)) {
				const message = `x[${i}][${j}] must be a finite number, got ${describeValue(value)}.`;
				throw shapeError(['data', 'x', i, j], 'type', message, value);
			}
			inputs[i * d + j] = value;
		});
	});
	return inputs;
}
