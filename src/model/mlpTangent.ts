/**
 * Products with the MLP's Jacobian `J(w)` without forming it: `J(w)^T v` by the backward pass
 * (reverse mode) and `J(w) u` by the tangent forward pass (forward mode), batched over the inputs.
 *
 * With the notation of `mlpKernel.ts` (`a_l = s_l h_l`, `z_l = W_l a_l + b_l`, `f = z_{L-1}`),
 * for one input:
 *
 * ```tex
 * J^\top v:\quad g_{L-1} = v, \quad \nabla_{W_l} \mathrel{+}= g_l a_l^\top, \quad
 * \nabla_{b_l} \mathrel{+}= g_l, \quad g_{l-1} = \sigma'(z_{l-1}) \odot s_l W_l^\top g_l
 * ```
 *
 * ```tex
 * J u:\quad \dot a_0 = 0, \quad \dot z_l = \dot W_l a_l + W_l \dot a_l + \dot b_l, \quad
 * \dot a_{l+1} = s_{l+1} \sigma'(z_l) \odot \dot z_l, \quad (J u) = \dot z_{L-1}
 * ```
 *
 * where `(\dot W, \dot b)` is u in the parameter layout. Each product costs about n p
 * multiply-adds, like a product with a stored J, but it reads only the weights and the
 * n x (sum of widths) activations, which stay in cache, where a stored J (n p doubles, 2.4 MB for
 * n = 64, p = 4608) streams from memory at every product.
 *
 * The activations are kept feature-major (one row of n values per unit), so every inner loop runs
 * over the n inputs with unit stride. With the first layer's fan-in d = 8, a loop over the fan-in
 * is too short for the compiler to pay off.
 */

import { createSimdKernels } from '../simd/kernels';
import type { SimdKernels } from '../simd/kernels';
import type { ActivationFunction } from './activations';
import type { MlpArchitecture } from './mlpWeights';
import type { TangentProducts } from './types';

/** Layout of the parameter vector: one network, or two copies under antisymmetric centering. */
export interface TangentLayout {
	readonly architecture: MlpArchitecture;
	readonly activation: ActivationFunction;
	/** Inputs, row-major inputCount x d. */
	readonly inputs: Float64Array;
	/** Start of each copy's parameters in w: `[0]`, or `[0, P]` for antisymmetric centering. */
	readonly copyBases: readonly number[];
	/** Factor on each copy's output: 1, or 1/sqrt 2 for antisymmetric centering. */
	readonly copyFactor: number;
}

/** Fan-in, fan-out and the offsets of one layer's W_l and b_l (-1 without biases) in w. */
/** The factors of one parameter block of every Jacobian row (see `layerFactors`). */
interface FactorBlock {
	readonly gradients: Float64Array;
	readonly inputs: Float64Array;
}

interface LayerGeometry {
	readonly fanIn: number;
	readonly fanOut: number;
	readonly weights: number;
	readonly biases: number;
}

/**
 * Offsets, in doubles, of the arrays that `MlpTangentProducts` keeps in the memory of its SIMD
 * kernels: the products' inputs are copied there, so the kernels read them in place.
 */
interface SimdLayout {
	readonly kernels: SimdKernels;
	/** Per copy and layer, the offsets of `scaled` and `slopes`. */
	readonly scaled: number[][];
	readonly slopes: number[][];
	readonly first: number;
	readonly second: number;
	/** w, copied at `setPoint`. */
	readonly parameters: number;
	/** u of `times`, copied at each call. */
	readonly direction: number;
	/** J^T v of `transposeTimes`, copied out at each call. */
	readonly gradient: number;
	readonly parameterCount: number;
}

/**
 * Matrix-free Jacobian products of an MLP at one parameter point, set by `setPoint`. Not safe for
 * concurrent use; `setPoint` overwrites the cached forward pass.
 *
 * Where WebAssembly SIMD is available, the layers' matrix products run in the kernels of
 * `src/simd/kernels.wat` on arrays kept in the kernels' memory. Elsewhere they run in the scalar
 * loops below. The activation and the copies between layers run in JavaScript either way.
 */
export class MlpTangentProducts implements TangentProducts {
	private readonly layout: TangentLayout;
	/** n_x, the number of inputs. */
	private readonly count: number;
	private readonly outputs: number;
	/** Per copy and layer: a_l, row-major widths[l] x n_x (unit-major). */
	private readonly scaled: Float64Array[][];
	/** Per copy and layer l >= 1: s_l sigma'(z_{l-1}), row-major widths[l] x n_x (index 0 unused). */
	private readonly slopes: Float64Array[][];
	/** Two buffers of maxWidth x n_x for the backward and tangent passes. */
	private first: Float64Array;
	private second: Float64Array;
	private parameters: Float64Array;
	/** Per copy and layer: fan-in, fan-out and the offsets of W_l and b_l (-1 without) in w. */
	private readonly geometry: LayerGeometry[][];
	private readonly simd: SimdLayout | null;

	constructor(layout: TangentLayout) {
		const { widths } = layout.architecture;
		this.layout = layout;
		this.count = layout.inputs.length / widths[0];
		this.outputs = widths[widths.length - 1];
		const n = this.count;
		const layers = widths.slice(0, -1);
		const maxWidth = Math.max(...widths);
		const kernels = createSimdKernels();
		const placed = kernels === null ? null : placeArrays(kernels, layout, n);
		if (placed === null) {
			this.simd = null;
			this.scaled = layout.copyBases.map(() => layers.map((width) => new Float64Array(width * n)));
			this.slopes = layout.copyBases.map(() => layers.map((width) => new Float64Array(width * n)));
			this.first = new Float64Array(maxWidth * n);
			this.second = new Float64Array(maxWidth * n);
		} else {
			const { simd, heap } = placed;
			// The memory does not grow after this, so views taken now stay valid.
			const view = (offset: number, length: number) => heap.subarray(offset, offset + length);
			this.simd = simd;
			this.scaled = simd.scaled.map((offsets) => offsets.map((offset, l) => view(offset, layers[l] * n)));
			this.slopes = simd.slopes.map((offsets) => offsets.map((offset, l) => view(offset, layers[l] * n)));
			this.first = view(simd.first, maxWidth * n);
			this.second = view(simd.second, maxWidth * n);
		}
		this.parameters = new Float64Array(0);
		// a_0 = s_0 x does not depend on w, so it is written once.
		const d = widths[0];
		for (const scaled of this.scaled) {
			for (let i = 0; i < n; i++) {
				for (let c = 0; c < d; c++) {
					scaled[0][c * n + i] = layout.architecture.scales[0] * layout.inputs[i * d + c];
				}
			}
		}
		const { weightOffsets, biasOffsets } = layout.architecture;
		this.geometry = layout.copyBases.map((base) =>
			layers.map((fanIn, l) => ({
				fanIn,
				fanOut: widths[l + 1],
				weights: base + weightOffsets[l],
				biases: biasOffsets[l] < 0 ? -1 : base + biasOffsets[l],
			})),
		);
	}

	/** Runs the forward pass of every input at w and keeps what both products need. */
	setPoint(w: Float64Array): void {
		this.parameters = w;
		if (this.simd !== null) {
			const { kernels, parameters, parameterCount } = this.simd;
			kernels.heap.set(w.subarray(0, parameterCount), parameters);
		}
		const { copyBases, architecture } = this.layout;
		for (let copy = 0; copy < copyBases.length; copy++) {
			for (let l = 0; l + 1 < architecture.layerCount; l++) {
				this.forwardLayer(copy, l);
			}
		}
	}

	/** out (length p) = J(w)^T v, v of length n = inputCount * outputs. */
	transposeTimes(v: Float64Array, out: Float64Array): void {
		if (this.simd !== null) {
			this.transposeTimesSimd(this.simd, v, out);
			return;
		}
		out.fill(0);
		const { copyBases, copyFactor, architecture } = this.layout;
		const n = this.count;
		const outputs = this.outputs;
		for (let copy = 0; copy < copyBases.length; copy++) {
			let g = this.first;
			let next = this.second;
			for (let k = 0; k < outputs; k++) {
				for (let i = 0; i < n; i++) {
					g[k * n + i] = copyFactor * v[i * outputs + k];
				}
			}
			for (let l = architecture.layerCount - 1; l >= 0; l--) {
				this.accumulateLayerGradient(copy, l, g, out);
				if (l > 0) {
					this.propagate(copy, l, g, next);
					[g, next] = [next, g];
				}
			}
		}
	}

	/** out (length n) = J(w) u, u of length p. */
	times(u: Float64Array, out: Float64Array): void {
		if (this.simd !== null) {
			this.timesSimd(this.simd, u, out);
			return;
		}
		out.fill(0);
		const { copyBases, copyFactor, architecture } = this.layout;
		const { layerCount } = architecture;
		const n = this.count;
		const outputs = this.outputs;
		for (let copy = 0; copy < copyBases.length; copy++) {
			let tangent = this.first;
			let next = this.second;
			for (let l = 0; l < layerCount; l++) {
				this.tangentLayer(copy, l, u, l === 0 ? null : tangent, next);
				[tangent, next] = [next, tangent];
			}
			for (let k = 0; k < outputs; k++) {
				for (let i = 0; i < n; i++) {
					out[i * outputs + k] += copyFactor * tangent[k * n + i];
				}
			}
		}
	}

	/**
	 * Writes the factors of every Jacobian row at the point of `setPoint`, per copy and layer in
	 * `blocks` (copy-major): `gradients` row `i * outputs + k` is g_l of output k of input i
	 * (fan-out entries, times the copy factor), and `inputs` row `i * outputs + k` is a_l of input
	 * i (fan-in entries), so that the row's block of J is `g_l a_l^T`. One backward pass per
	 * output over all inputs at once. With `minus`, blocks of the same shapes, each entry is written
	 * less the corresponding entry of `minus`: the factors' change from another point.
	 */
	layerFactors(blocks: readonly FactorBlock[], minus?: readonly FactorBlock[]): void {
		const { copyBases, copyFactor, architecture } = this.layout;
		const { layerCount } = architecture;
		const n = this.count;
		const outputs = this.outputs;
		for (let copy = 0; copy < copyBases.length; copy++) {
			for (let k = 0; k < outputs; k++) {
				let [g, next] = [this.first, this.second];
				let [gOffset, nextOffset] = this.simd === null ? [0, 0] : [this.simd.first, this.simd.second];
				g.fill(0, 0, outputs * n);
				g.fill(copyFactor, k * n, (k + 1) * n);
				for (let l = layerCount - 1; l >= 0; l--) {
					const { fanIn, fanOut } = this.geometry[copy][l];
					const block = blocks[copy * layerCount + l];
					const subtracted = minus?.[copy * layerCount + l];
					const shape = { n, outputs, k };
					transposeInto(g, fanOut, shape, block.gradients, subtracted?.gradients);
					transposeInto(this.scaled[copy][l], fanIn, shape, block.inputs, subtracted?.inputs);
					if (l > 0) {
						if (this.simd === null) {
							this.propagate(copy, l, g, next);
						} else {
							const { weights } = this.geometry[copy][l];
							const slopes = this.simd.slopes[copy][l];
							const coefficients = this.simd.parameters + weights;
							this.simd.kernels.rowCombination(nextOffset, coefficients, 1, fanIn, gOffset, fanIn, fanOut, n, -1, false, slopes);
						}
						[g, next] = [next, g];
						[gOffset, nextOffset] = [nextOffset, gOffset];
					}
				}
			}
		}
	}

	/** `transposeTimes` with the SIMD kernels: the scalar loops' passes, layer by layer. */
	private transposeTimesSimd(simd: SimdLayout, v: Float64Array, out: Float64Array): void {
		const { kernels, parameters, gradient, parameterCount } = simd;
		const heap = kernels.heap;
		heap.fill(0, gradient, gradient + parameterCount);
		const { copyBases, copyFactor, architecture } = this.layout;
		const n = this.count;
		const outputs = this.outputs;
		for (let copy = 0; copy < copyBases.length; copy++) {
			let [g, next] = [this.first, this.second];
			let [gOffset, nextOffset] = [simd.first, simd.second];
			for (let k = 0; k < outputs; k++) {
				for (let i = 0; i < n; i++) {
					g[k * n + i] = copyFactor * v[i * outputs + k];
				}
			}
			for (let l = architecture.layerCount - 1; l >= 0; l--) {
				const { fanIn, fanOut, weights, biases } = this.geometry[copy][l];
				const input = simd.scaled[copy][l];
				// G_l A_l^T, with the longer factor as the kernel's first operand (blocks of four rows).
				if (fanOut >= fanIn) {
					kernels.crossProducts(gOffset, input, gradient + weights, fanOut, fanIn, n, fanIn, 1, false);
				} else {
					kernels.crossProducts(input, gOffset, gradient + weights, fanIn, fanOut, n, 1, fanIn, false);
				}
				if (biases >= 0) {
					addRowSums(g, fanOut, n, heap, gradient + biases);
				}
				if (l > 0) {
					// next = s_l sigma'(z_{l-1}) ⊙ W_l^T g: the transpose of W_l by its strides.
					const slopes = simd.slopes[copy][l];
					kernels.rowCombination(nextOffset, parameters + weights, 1, fanIn, gOffset, fanIn, fanOut, n, -1, false, slopes);
					[g, next] = [next, g];
					[gOffset, nextOffset] = [nextOffset, gOffset];
				}
			}
		}
		out.set(heap.subarray(gradient, gradient + parameterCount));
	}

	/** `times` with the SIMD kernels: the tangent pass layer by layer. */
	private timesSimd(simd: SimdLayout, u: Float64Array, out: Float64Array): void {
		const { kernels, parameters, direction, parameterCount } = simd;
		kernels.heap.set(u.subarray(0, parameterCount), direction);
		out.fill(0);
		const { copyBases, copyFactor, architecture } = this.layout;
		const { layerCount } = architecture;
		const n = this.count;
		const outputs = this.outputs;
		for (let copy = 0; copy < copyBases.length; copy++) {
			let [tangent, next] = [this.first, this.second];
			let [tangentOffset, nextOffset] = [simd.first, simd.second];
			for (let l = 0; l < layerCount; l++) {
				const { fanIn, fanOut, weights, biases } = this.geometry[copy][l];
				const input = simd.scaled[copy][l];
				const slopes = l + 1 < layerCount ? simd.slopes[copy][l + 1] : -1;
				const bias = biases < 0 ? -1 : direction + biases;
				if (l === 0) {
					kernels.rowCombination(nextOffset, direction + weights, fanIn, 1, input, fanOut, fanIn, n, bias, false, slopes);
				} else {
					// dW_l A_l + db_l, then + W_l dA_l, then times s_{l+1} sigma'(z_l).
					kernels.rowCombination(nextOffset, direction + weights, fanIn, 1, input, fanOut, fanIn, n, bias, false, -1);
					const coefficients = parameters + weights;
					kernels.rowCombination(nextOffset, coefficients, fanIn, 1, tangentOffset, fanOut, fanIn, n, -1, true, slopes);
				}
				[tangent, next] = [next, tangent];
				[tangentOffset, nextOffset] = [nextOffset, tangentOffset];
			}
			for (let k = 0; k < outputs; k++) {
				for (let i = 0; i < n; i++) {
					out[i * outputs + k] += copyFactor * tangent[k * n + i];
				}
			}
		}
	}

	/** a_{l+1} and s_{l+1} sigma'(z_l) of every input from a_l. */
	private forwardLayer(copy: number, l: number): void {
		const { activation, architecture } = this.layout;
		const w = this.parameters;
		const n = this.count;
		const { fanIn, fanOut, weights, biases } = this.geometry[copy][l];
		const input = this.scaled[copy][l];
		const output = this.scaled[copy][l + 1];
		const slopes = this.slopes[copy][l + 1];
		const z = this.first;
		if (this.simd !== null) {
			const { kernels, parameters, first } = this.simd;
			const bias = biases < 0 ? -1 : parameters + biases;
			const coefficients = parameters + weights;
			kernels.rowCombination(first, coefficients, fanIn, 1, this.simd.scaled[copy][l], fanOut, fanIn, n, bias, false, -1);
		} else {
			for (let r = 0; r < fanOut; r++) {
				const bias = biases < 0 ? 0 : w[biases + r];
				writeWeightedRows(z, r * n, bias, w, weights + r * fanIn, input, fanIn, n);
			}
		}
		activation.apply(z, output, slopes, fanOut * n, architecture.scales[l + 1]);
	}

	/** Adds G_l A_l^T to the weights' part of out and the row sums of G_l to the biases' part. */
	private accumulateLayerGradient(copy: number, l: number, g: Float64Array, out: Float64Array): void {
		const n = this.count;
		const { fanIn, fanOut, weights, biases } = this.geometry[copy][l];
		const input = this.scaled[copy][l];
		for (let r = 0; r < fanOut; r++) {
			const gStart = r * n;
			const rowStart = weights + r * fanIn;
			let c = 0;
			// Eight inputs per sweep over g, then four: on layer 0 of the benchmark's medium network
			// (fan-in 8), one sweep of eight took 122 us against 150 us for two of four.
			for (; c + 8 <= fanIn; c += 8) {
				const base = c * n;
				let s0 = 0;
				let s1 = 0;
				let s2 = 0;
				let s3 = 0;
				let s4 = 0;
				let s5 = 0;
				let s6 = 0;
				let s7 = 0;
				for (let i = 0; i < n; i++) {
					const gi = g[gStart + i];
					const at = base + i;
					s0 += gi * input[at];
					s1 += gi * input[at + n];
					s2 += gi * input[at + 2 * n];
					s3 += gi * input[at + 3 * n];
					s4 += gi * input[at + 4 * n];
					s5 += gi * input[at + 5 * n];
					s6 += gi * input[at + 6 * n];
					s7 += gi * input[at + 7 * n];
				}
				out[rowStart + c] += s0;
				out[rowStart + c + 1] += s1;
				out[rowStart + c + 2] += s2;
				out[rowStart + c + 3] += s3;
				out[rowStart + c + 4] += s4;
				out[rowStart + c + 5] += s5;
				out[rowStart + c + 6] += s6;
				out[rowStart + c + 7] += s7;
			}
			for (; c + 4 <= fanIn; c += 4) {
				const first = c * n;
				const second = first + n;
				const third = second + n;
				const fourth = third + n;
				let sumFirst = 0;
				let sumSecond = 0;
				let sumThird = 0;
				let sumFourth = 0;
				for (let i = 0; i < n; i++) {
					const gi = g[gStart + i];
					sumFirst += gi * input[first + i];
					sumSecond += gi * input[second + i];
					sumThird += gi * input[third + i];
					sumFourth += gi * input[fourth + i];
				}
				out[rowStart + c] += sumFirst;
				out[rowStart + c + 1] += sumSecond;
				out[rowStart + c + 2] += sumThird;
				out[rowStart + c + 3] += sumFourth;
			}
			for (; c + 2 <= fanIn; c += 2) {
				const first = c * n;
				const second = first + n;
				let sumFirst = 0;
				let sumSecond = 0;
				for (let i = 0; i < n; i++) {
					const gi = g[gStart + i];
					sumFirst += gi * input[first + i];
					sumSecond += gi * input[second + i];
				}
				out[rowStart + c] += sumFirst;
				out[rowStart + c + 1] += sumSecond;
			}
			for (; c < fanIn; c++) {
				const from = c * n;
				let sum = 0;
				for (let i = 0; i < n; i++) {
					sum += g[gStart + i] * input[from + i];
				}
				out[rowStart + c] += sum;
			}
		}
		if (biases >= 0) {
			addRowSums(g, fanOut, n, out, biases);
		}
	}

	/** next = s_l sigma'(z_{l-1}) ⊙ W_l^T g, for every input. */
	private propagate(copy: number, l: number, g: Float64Array, next: Float64Array): void {
		const w = this.parameters;
		const n = this.count;
		const { fanIn, fanOut, weights } = this.geometry[copy][l];
		const slopes = this.slopes[copy][l];
		next.fill(0, 0, fanIn * n);
		for (let r = 0; r < fanOut; r++) {
			const gStart = r * n;
			const rowStart = weights + r * fanIn;
			for (let c = 0; c < fanIn; c++) {
				const weight = w[rowStart + c];
				const to = c * n;
				for (let i = 0; i < n; i++) {
					next[to + i] += weight * g[gStart + i];
				}
			}
		}
		for (let index = 0; index < fanIn * n; index++) {
			next[index] *= slopes[index];
		}
	}

	/**
	 * out = dW_l A_l + W_l dA_l + db_l for every input, where `tangent` contains dA_l (null for
	 * l = 0, whose input does not depend on w); below the output layer, out is then multiplied by
	 * s_{l+1} sigma'(z_l) to give dA_{l+1}.
	 */
	private tangentLayer(
		copy: number,
		l: number,
		u: Float64Array,
		tangent: Float64Array | null,
		out: Float64Array,
	): void {
		const { layerCount } = this.layout.architecture;
		const w = this.parameters;
		const n = this.count;
		const { fanIn, fanOut, weights, biases } = this.geometry[copy][l];
		const input = this.scaled[copy][l];
		const slopes = l + 1 < layerCount ? this.slopes[copy][l + 1] : null;
		for (let r = 0; r < fanOut; r++) {
			const to = r * n;
			const bias = biases < 0 ? 0 : u[biases + r];
			const rowStart = weights + r * fanIn;
			if (tangent === null) {
				writeWeightedRows(out, to, bias, u, rowStart, input, fanIn, n);
			} else {
				out.fill(bias, to, to + n);
				addWeightedRowPairs(out, to, { u, w, rowStart, input, tangent, fanIn, n });
			}
			if (slopes !== null) {
				for (let i = 0; i < n; i++) {
					out[to + i] *= slopes[to + i];
				}
			}
		}
	}
}

/**
 * Places the arrays of `MlpTangentProducts` in the kernels' memory, one after another, and grows
 * it to hold them; null when it cannot grow that far.
 */
function placeArrays(
	kernels: SimdKernels,
	layout: TangentLayout,
	n: number,
): { readonly simd: SimdLayout; readonly heap: Float64Array } | null {
	const { widths, parameterCount } = layout.architecture;
	const layers = widths.slice(0, -1);
	const maxWidth = Math.max(...widths);
	const totalParameters = layout.copyBases.length * parameterCount;
	let end = 0;
	const place = (length: number): number => {
		const offset = end;
		end += length;
		return offset;
	};
	const simd: SimdLayout = {
		kernels,
		scaled: layout.copyBases.map(() => layers.map((width) => place(width * n))),
		slopes: layout.copyBases.map(() => layers.map((width) => place(width * n))),
		first: place(maxWidth * n),
		second: place(maxWidth * n),
		parameters: place(totalParameters),
		direction: place(totalParameters),
		gradient: place(totalParameters),
		parameterCount: totalParameters,
	};
	const heap = kernels.reserve(end);
	return heap === null ? null : { simd, heap };
}

/** Adds the sum of row r of the row-major `rows x n` matrix to out[at + r], for r < rows. */
function addRowSums(matrix: Float64Array, rows: number, n: number, out: Float64Array, at: number): void {
	for (let r = 0; r < rows; r++) {
		let sum = 0;
		for (let i = 0; i < n; i++) {
			sum += matrix[r * n + i];
		}
		out[at + r] += sum;
	}
}

/**
 * Writes the columns of a feature-major `width x n` matrix as rows `i * outputs + k` (i < n) of the
 * row-major `out`, whose rows have `width` entries, less the same entries of `minus` when given.
 * Four columns per sweep: each cache line of `matrix` then serves four rows of `out` at once. On
 * a 512 x 64 matrix that took 36 us with the subtraction, where a column at a time and a separate
 * subtraction took 87 us.
 */
function transposeInto(
	matrix: Float64Array,
	width: number,
	shape: { readonly n: number; readonly outputs: number; readonly k: number },
	out: Float64Array,
	minus?: Float64Array,
): void {
	const { n, outputs, k } = shape;
	let i = 0;
	for (; i + 4 <= n; i += 4) {
		const r0 = (i * outputs + k) * width;
		const r1 = ((i + 1) * outputs + k) * width;
		const r2 = ((i + 2) * outputs + k) * width;
		const r3 = ((i + 3) * outputs + k) * width;
		if (minus === undefined) {
			for (let c = 0; c < width; c++) {
				const at = c * n + i;
				out[r0 + c] = matrix[at];
				out[r1 + c] = matrix[at + 1];
				out[r2 + c] = matrix[at + 2];
				out[r3 + c] = matrix[at + 3];
			}
			continue;
		}
		for (let c = 0; c < width; c++) {
			const at = c * n + i;
			out[r0 + c] = matrix[at] - minus[r0 + c];
			out[r1 + c] = matrix[at + 1] - minus[r1 + c];
			out[r2 + c] = matrix[at + 2] - minus[r2 + c];
			out[r3 + c] = matrix[at + 3] - minus[r3 + c];
		}
	}
	for (; i < n; i++) {
		const row = (i * outputs + k) * width;
		for (let c = 0; c < width; c++) {
			out[row + c] = matrix[c * n + i] - (minus === undefined ? 0 : minus[row + c]);
		}
	}
}

/**
 * Writes out[to .. to + n) = bias + sum_c coefficients[start + c] * rows[c n .. c n + n), for
 * c < count. The first sweep over out takes eight rows and writes without reading out: on layer 0
 * of the benchmark's medium network (fan-in 8, n = 64) that took 94 us per layer against 186 us
 * for sweeps of four rows added to a filled out.
 */
function writeWeightedRows(
	out: Float64Array,
	to: number,
	bias: number,
	coefficients: Float64Array,
	start: number,
	rows: Float64Array,
	count: number,
	n: number,
): void {
	let c = 0;
	if (count >= 8) {
		const [a0, a1, a2, a3] = [coefficients[start], coefficients[start + 1], coefficients[start + 2], coefficients[start + 3]];
		const [a4, a5, a6, a7] = [coefficients[start + 4], coefficients[start + 5], coefficients[start + 6], coefficients[start + 7]];
		for (let i = 0; i < n; i++) {
			const low = a0 * rows[i] + a1 * rows[n + i] + (a2 * rows[2 * n + i] + a3 * rows[3 * n + i]);
			const high = a4 * rows[4 * n + i] + a5 * rows[5 * n + i] + (a6 * rows[6 * n + i] + a7 * rows[7 * n + i]);
			out[to + i] = bias + (low + high);
		}
		c = 8;
	} else {
		out.fill(bias, to, to + n);
	}
	addWeightedRows(out, to, coefficients, start, rows, c, count, n);
}

/** out[to .. to + n) += sum_c coefficients[start + c] * rows[c n .. c n + n), for from <= c < count. */
function addWeightedRows(
	out: Float64Array,
	to: number,
	coefficients: Float64Array,
	start: number,
	rows: Float64Array,
	from: number,
	count: number,
	n: number,
): void {
	let c = from;
	// Four rows per sweep: out is read and written once per four rows.
	for (; c + 4 <= count; c += 4) {
		const a = coefficients[start + c];
		const b = coefficients[start + c + 1];
		const e = coefficients[start + c + 2];
		const f = coefficients[start + c + 3];
		const first = c * n;
		const second = first + n;
		const third = second + n;
		const fourth = third + n;
		for (let i = 0; i < n; i++) {
			out[to + i] += a * rows[first + i] + b * rows[second + i] + (e * rows[third + i] + f * rows[fourth + i]);
		}
	}
	for (; c + 2 <= count; c += 2) {
		const a = coefficients[start + c];
		const b = coefficients[start + c + 1];
		const first = c * n;
		const second = first + n;
		for (let i = 0; i < n; i++) {
			out[to + i] += a * rows[first + i] + b * rows[second + i];
		}
	}
	for (; c < count; c++) {
		const a = coefficients[start + c];
		const first = c * n;
		for (let i = 0; i < n; i++) {
			out[to + i] += a * rows[first + i];
		}
	}
}

interface RowPairs {
	readonly u: Float64Array;
	readonly w: Float64Array;
	readonly rowStart: number;
	readonly input: Float64Array;
	readonly tangent: Float64Array;
	readonly fanIn: number;
	readonly n: number;
}

/** out[to .. to + n) += sum_c (u_c a_c + w_c da_c) over the fan-in c of one unit. */
function addWeightedRowPairs(out: Float64Array, to: number, pairs: RowPairs): void {
	const { u, w, rowStart, input, tangent, fanIn, n } = pairs;
	let c = 0;
	// Two fan-in entries per sweep: out is read and written once per two.
	for (; c + 2 <= fanIn; c += 2) {
		const change = u[rowStart + c];
		const weight = w[rowStart + c];
		const nextChange = u[rowStart + c + 1];
		const nextWeight = w[rowStart + c + 1];
		const from = c * n;
		const next = from + n;
		for (let i = 0; i < n; i++) {
			out[to + i] +=
				change * input[from + i] + weight * tangent[from + i] + (nextChange * input[next + i] + nextWeight * tangent[next + i]);
		}
	}
	for (; c < fanIn; c++) {
		const change = u[rowStart + c];
		const weight = w[rowStart + c];
		const from = c * n;
		for (let i = 0; i < n; i++) {
			out[to + i] += change * input[from + i] + weight * tangent[from + i];
		}
	}
}
