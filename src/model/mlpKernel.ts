/**
 * Forward and backward pass of one MLP on one input, on preallocated `Float64Array` buffers.
 *
 * Notation (layers l = 0 .. L-1, h_0 = x, s_l the scale of layer l):
 *
 * ```tex
 * z_l = s_l W_l h_l + b_l, \qquad h_{l+1} = \sigma(z_l) \ (l < L-1), \qquad f = z_{L-1}
 * ```
 *
 * The backward pass for output k is the chain rule with g_{L-1} = e_k:
 *
 * ```tex
 * \frac{\partial f_k}{\partial W_l} = g_l (s_l h_l)^\top, \quad
 * \frac{\partial f_k}{\partial b_l} = g_l, \quad
 * g_{l-1} = \sigma'(z_{l-1}) \odot s_l W_l^\top g_l
 * ```
 */

import type { ActivationFunction } from './activations';
import type { MlpArchitecture } from './mlpWeights';

/** Reusable buffers and the two passes of one network. Not safe for concurrent use. */
export class MlpKernel {
	/** f(x), the network outputs after the last `forward`. */
	readonly output: Float64Array;
	private readonly architecture: MlpArchitecture;
	private readonly activation: ActivationFunction;
	/** s_l h_l for each layer l, so that z_l = W_l (s_l h_l) + b_l. */
	private readonly scaledInputs: Float64Array[];
	/** σ'(z_{l-1}) for each layer l >= 1 (index 0 is unused). */
	private readonly slopes: Float64Array[];
	private readonly preactivation: Float64Array;
	private readonly activated: Float64Array;
	private gradient: Float64Array;
	private nextGradient: Float64Array;

	constructor(architecture: MlpArchitecture, activation: ActivationFunction) {
		const { widths } = architecture;
		const maxWidth = Math.max(...widths);
		this.architecture = architecture;
		this.activation = activation;
		this.output = new Float64Array(widths[widths.length - 1]);
		this.scaledInputs = widths.slice(0, -1).map((width) => new Float64Array(width));
		this.slopes = widths.slice(0, -1).map((width) => new Float64Array(width));
		this.preactivation = new Float64Array(maxWidth);
		this.activated = new Float64Array(maxWidth);
		this.gradient = new Float64Array(maxWidth);
		this.nextGradient = new Float64Array(maxWidth);
	}

	/**
	 * Runs the forward pass on the input `inputs[inputOffset .. inputOffset + d)` with the network
	 * whose parameters start at `parameters[base]`, storing what the backward pass needs.
	 */
	forward(
		parameters: Float64Array,
		base: number,
		inputs: Float64Array,
		inputOffset: number,
	): void {
		const { widths, scales, layerCount } = this.architecture;
		const first = this.scaledInputs[0];
		for (let c = 0; c < widths[0]; c++) {
			first[c] = scales[0] * inputs[inputOffset + c];
		}
		for (let l = 0; l < layerCount; l++) {
			const isOutput = l === layerCount - 1;
			const z = isOutput ? this.output : this.preactivation;
			this.affine(parameters, base, l, z);
			if (!isOutput) {
				const width = widths[l + 1];
				this.activation.apply(z, this.activated, this.slopes[l + 1], width);
				const next = this.scaledInputs[l + 1];
				const scale = scales[l + 1];
				for (let c = 0; c < width; c++) {
					next[c] = scale * this.activated[c];
				}
			}
		}
	}

	/**
	 * Writes `factor * d f_k / d w` for the network of the last `forward` into
	 * `row[rowOffset .. rowOffset + parameterCount)`, every entry of that range.
	 */
	backward(
		parameters: Float64Array,
		base: number,
		k: number,
		factor: number,
		row: Float64Array,
		rowOffset: number,
	): void {
		const { widths, layerCount } = this.architecture;
		this.gradient.fill(0, 0, widths[layerCount]);
		this.gradient[k] = factor;
		for (let l = layerCount - 1; l >= 0; l--) {
			this.writeLayerGradient(l, row, rowOffset);
			if (l > 0) {
				this.propagate(parameters, base, l);
				const swap = this.gradient;
				this.gradient = this.nextGradient;
				this.nextGradient = swap;
			}
		}
	}

	/**
	 * Runs the backward pass of `backward` for output k but, instead of writing the Jacobian
	 * row, calls `visit(l, g_l, s_l h_l)` for each layer l from the last to the first. The row's
	 * block of W_l is `g_l (s_l h_l)^T` and its block of b_l is `g_l`. Both arrays are reused by
	 * the next call, so `visit` copies what it keeps. Only their first `widths[l + 1]` and
	 * `widths[l]` entries belong to layer l.
	 */
	backwardLayers(
		parameters: Float64Array,
		base: number,
		k: number,
		factor: number,
		visit: (layer: number, gradient: Float64Array, scaledInput: Float64Array) => void,
	): void {
		const { widths, layerCount } = this.architecture;
		this.gradient.fill(0, 0, widths[layerCount]);
		this.gradient[k] = factor;
		for (let l = layerCount - 1; l >= 0; l--) {
			visit(l, this.gradient, this.scaledInputs[l]);
			if (l > 0) {
				this.propagate(parameters, base, l);
				const swap = this.gradient;
				this.gradient = this.nextGradient;
				this.nextGradient = swap;
			}
		}
	}

	/** z = W_l (s_l h_l) + b_l. */
	private affine(parameters: Float64Array, base: number, l: number, z: Float64Array): void {
		const { widths, weightOffsets, biasOffsets } = this.architecture;
		const fanIn = widths[l];
		const fanOut = widths[l + 1];
		const input = this.scaledInputs[l];
		const weights = base + weightOffsets[l];
		const biases = biasOffsets[l] < 0 ? -1 : base + biasOffsets[l];
		for (let r = 0; r < fanOut; r++) {
			const rowStart = weights + r * fanIn;
			// Four partial sums, so the additions do not wait on one another.
			let s0 = 0;
			let s1 = 0;
			let s2 = 0;
			let s3 = 0;
			let c = 0;
			for (; c + 4 <= fanIn; c += 4) {
				s0 += parameters[rowStart + c] * input[c];
				s1 += parameters[rowStart + c + 1] * input[c + 1];
				s2 += parameters[rowStart + c + 2] * input[c + 2];
				s3 += parameters[rowStart + c + 3] * input[c + 3];
			}
			for (; c < fanIn; c++) {
				s0 += parameters[rowStart + c] * input[c];
			}
			const sum = s0 + s1 + (s2 + s3);
			z[r] = biases < 0 ? sum : sum + parameters[biases + r];
		}
	}

	/** Writes d f / d W_l = g_l (s_l h_l)^T and d f / d b_l = g_l into the Jacobian row. */
	private writeLayerGradient(l: number, row: Float64Array, rowOffset: number): void {
		const { widths, weightOffsets, biasOffsets } = this.architecture;
		const fanIn = widths[l];
		const fanOut = widths[l + 1];
		const input = this.scaledInputs[l];
		const gradient = this.gradient;
		const weights = rowOffset + weightOffsets[l];
		for (let r = 0; r < fanOut; r++) {
			const g = gradient[r];
			const rowStart = weights + r * fanIn;
			for (let c = 0; c < fanIn; c++) {
				row[rowStart + c] = g * input[c];
			}
		}
		if (biasOffsets[l] >= 0) {
			const biases = rowOffset + biasOffsets[l];
			for (let r = 0; r < fanOut; r++) {
				row[biases + r] = gradient[r];
			}
		}
	}

	/** g_{l-1} = σ'(z_{l-1}) ⊙ s_l W_l^T g_l, into `nextGradient`. */
	private propagate(parameters: Float64Array, base: number, l: number): void {
		const { widths, weightOffsets, scales } = this.architecture;
		const fanIn = widths[l];
		const fanOut = widths[l + 1];
		const next = this.nextGradient;
		const weights = base + weightOffsets[l];
		next.fill(0, 0, fanIn);
		for (let r = 0; r < fanOut; r++) {
			const g = this.gradient[r];
			if (g === 0) {
				continue;
			}
			const rowStart = weights + r * fanIn;
			for (let c = 0; c < fanIn; c++) {
				next[c] += parameters[rowStart + c] * g;
			}
		}
		const slopes = this.slopes[l];
		const scale = scales[l];
		for (let c = 0; c < fanIn; c++) {
			next[c] *= scale * slopes[c];
		}
	}
}
