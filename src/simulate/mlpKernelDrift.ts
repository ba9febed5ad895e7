import { gramMatrix, productWithTranspose } from '../linalg';
import { getActivation } from '../model/activations';
import { MlpTangentProducts } from '../model/mlpTangent';
import { createArchitecture } from '../model/mlpWeights';
import type { MlpArchitecture } from '../model/mlpWeights';
import type { MlpModelSpec, ResolvedData } from '../spec/types';

/**
 * The factors of one parameter block (one layer l of one network copy) at one parameter vector,
 * or their change between two. Row r of the Jacobian has the block `g_r (s_l h_r)^T` for W_l and
 * `g_r` for b_l.
 */
interface BlockFactors {
	/** g_l of each Jacobian row, row-major n x fan_out. */
	readonly gradients: Float64Array;
	/** s_l h_l of each Jacobian row, row-major n x fan_in. */
	readonly inputs: Float64Array;
}

/** The factors of every parameter block at one parameter vector (see `MlpKernelDrift.factorsAt`). */
export type LayerFactors = readonly BlockFactors[];

/** Shape of one parameter block. */
interface BlockShape {
	readonly fanIn: number;
	readonly fanOut: number;
	readonly bias: boolean;
}

/** The n x n matrices the kernel drift of `MlpKernelDrift.driftMatrices` returns. */
export interface DriftMatrices {
	/** K_t - K0, row-major n x n, exactly symmetric. */
	readonly drift: Float64Array;
	/** D D^T for D = J_t - J0, row-major n x n, exactly symmetric. */
	readonly offsetGram: Float64Array;
}

/**
 * Computes the tangent-kernel drift `K_t - K0` of a multilayer perceptron from its layer factors
 * instead of its n x p Jacobian. Row r of the Jacobian has, for each layer l, the block
 * `g_l (s_l h_l)^T` (see `MlpKernel`). With `G_l` the n x fan_out matrix of the g_l and `H_l` the
 * n x fan_in matrix of the s_l h_l,
 *
 * ```tex
 * K = \sum_l (G_l G_l^\top) \circ (H_l H_l^\top + \beta_l), \qquad
 * K_t - K_0 = \sum_l dA_l \circ B_l + A_{0,l} \circ dB_l,
 * ```
 *
 * where `A = G G^T`, `B = H H^T + beta` (beta = 1 for a layer with biases, else 0),
 * `dA = G0 dG^T + dG G0^T + dG dG^T` for `dG = G_t - G_0`, and dB is formed the same way from H.
 * No term subtracts two kernels, so the drift keeps the relative accuracy of dG and dH, which are
 * differences of two passes like `J_t - J_0` is a difference of two Jacobians. `D D^T` comes from
 * the same products (see `offsetGramBlock`).
 *
 * Cost: a forward pass and a backward pass per output over all inputs, and 1.5 n^2
 * (fan_out + fan_in) multiply-adds per layer, where a side whose factors did not move (the first layer's inputs) costs nothing. For
 * one hidden layer of width m that is 3 n^2 m, against 1.5 n^2 p = 1.5 n^2 m (d + 1) from the
 * Jacobians.
 */
export class MlpKernelDrift {
	private readonly architecture: MlpArchitecture;
	/** Batched forward and backward passes over all inputs, for `computeFactors`. */
	private readonly tangent: MlpTangentProducts;
	private readonly inputs: Float64Array;
	private readonly outputsPerInput: number;
	private readonly copies: number;
	private readonly copyFactor: number;
	private readonly n: number;
	private readonly initialParameters: Float64Array;
	private readonly shapes: BlockShape[];
	private readonly initial: BlockFactors[];
	/** A0 = G0 G0^T of each block. */
	private readonly initialGradientGrams: Float64Array[];
	/** B0 = H0 H0^T + beta of each block. */
	private readonly initialInputGrams: Float64Array[];
	private readonly weights: Float64Array;
	/** Factor changes of the last `driftMatrices` call, reused by the next one. */
	private scratchChanges: BlockFactors[] | undefined;
	/** See `productBuffers`. */
	private scratchProducts: [ChangeProducts, ChangeProducts] | undefined;

	/**
	 * @param spec - the MLP section of the spec the model was built from
	 * @param data - the spec's data, already validated by the model
	 * @param initialParameters - w0 of the model, both copies under antisymmetric centering
	 */
	/**
	 * Returns the number of parameter blocks (layers times network copies) of the spec's MLP. An
	 * object keeps two n x n Gram matrices per block.
	 */
	static blockCount(spec: MlpModelSpec): number {
		return copyCount(spec) * (spec.widths.length - 1);
	}

	constructor(spec: MlpModelSpec, data: ResolvedData, initialParameters: Float64Array) {
		const architecture = createArchitecture(spec);
		const widths = architecture.widths;

		this.architecture = architecture;
		this.inputs = Float64Array.from(data.x.flat());
		this.outputsPerInput = widths[widths.length - 1];
		this.copies = copyCount(spec);
		this.copyFactor = this.copies === 2 ? Math.SQRT1_2 : 1;
		this.tangent = new MlpTangentProducts({
			architecture,
			activation: getActivation(spec.activation),
			inputs: this.inputs,
			copyBases: this.copies === 2 ? [0, architecture.parameterCount] : [0],
			copyFactor: this.copyFactor,
		});
		this.n = data.x.length * this.outputsPerInput;
		this.initialParameters = initialParameters;
		this.weights = new Float64Array(initialParameters.length);

		this.shapes = [];
		for (let copy = 0; copy < this.copies; copy++) {
			for (let l = 0; l < architecture.layerCount; l++) {
				const shape = { fanIn: widths[l], fanOut: widths[l + 1], bias: architecture.bias };
				this.shapes.push(shape);
			}
		}
		this.initial = this.allocateFactors();

		this.computeFactors(initialParameters, this.initial);
		this.initialGradientGrams = this.initial.map((block, b) =>
			gramMatrix(block.gradients, this.n, this.shapes[b].fanOut),
		);
		this.initialInputGrams = this.initial.map((block, b) => {
			const gram = gramMatrix(block.inputs, this.n, this.shapes[b].fanIn);
			if (this.shapes[b].bias) {
				for (let index = 0; index < gram.length; index++) {
					gram[index] += 1;
				}
			}
			return gram;
		});
	}

	/**
	 * Computes `K_t - K0` and `D D^T` at `w = w0 + delta`, with `D = J(w) - J(w0)`.
	 *
	 * A network with one hidden layer reads the factor changes from `offset` when it is given
	 * (one pass over D in place of a forward and backward pass per input). Its first layer's block
	 * of row r is `dG_r H0_r^T` and its output layer's block is the copy factor times `dH_r`. The
	 * result then belongs to the point of `offset`, not to `delta`.
	 *
	 * @param delta - w - w0, length p
	 * @param offset - D = J(w) - J(w0), row-major n x p, optional
	 * @returns both n x n matrices, new arrays
	 */
	driftMatrices(delta: Float64Array, offset?: Float64Array): DriftMatrices {
		const changes =
			offset !== undefined && this.architecture.layerCount === 2
				? this.changesFromOffset(offset)
				: this.changesAt(delta);
		return this.matricesFromChanges(changes);
	}

	/**
	 * Returns the factor changes at w0 + delta, the factors at w minus those at w0, in buffers that
	 * the next call overwrites. The reports call this at every report time, so it allocates nothing.
	 */
	private changesAt(delta: Float64Array): BlockFactors[] {
		const w = this.weights;
		const w0 = this.initialParameters;
		for (let k = 0; k < w.length; k++) {
			w[k] = w0[k] + delta[k];
		}
		this.scratchChanges ??= this.allocateFactors();
		const changes = this.scratchChanges;
		this.computeFactors(w, changes, this.initial);
		return changes;
	}

	/** Computes `K_t - K0` and `D D^T` from the layer factors at w_t (see `factorsAt`). */
	driftMatricesFrom(factors: LayerFactors): DriftMatrices {
		return this.matricesFromChanges(this.changesFrom(factors));
	}

	private matricesFromChanges(changes: readonly BlockFactors[]): DriftMatrices {
		const n = this.n;
		const result = { drift: new Float64Array(n * n), offsetGram: new Float64Array(n * n) };
		for (let b = 0; b < this.shapes.length; b++) {
			this.addBlock(b, changes[b], result);
		}
		return result;
	}

	/**
	 * Returns `K0 = sum_l A_{0,l} o B_{0,l}` (row-major n x n, exactly symmetric), the tangent kernel
	 * at w0 from the grams this object keeps: `n^2 (fan_in + fan_out) / 2` multiply-adds per layer
	 * where `J0 J0^T` costs `n^2 p / 2` after forming the n x p Jacobian. With K0 from here,
	 * `prepareProblem` took 4.4 ms on the benchmark's medium network (7.3 ms with J0 and its Gram)
	 * and 130 ms on the large one (305 ms).
	 */
	initialKernel(): Float64Array {
		const n = this.n;
		const kernel = new Float64Array(n * n);
		for (let b = 0; b < this.shapes.length; b++) {
			const gradients = this.initialGradientGrams[b];
			const inputs = this.initialInputGrams[b];
			for (let index = 0; index < n * n; index++) {
				kernel[index] += gradients[index] * inputs[index];
			}
		}
		return kernel;
	}

	/** The layer factors at w0. */
	get initialFactors(): LayerFactors {
		return this.initial;
	}

	/**
	 * Returns the layer factors at w0 + delta (see `computeFactors`), written into `into` when it
	 * is given (factors this object returned before) and into new arrays otherwise.
	 */
	factorsAt(delta: Float64Array, into?: LayerFactors): LayerFactors {
		const w = this.weights;
		const w0 = this.initialParameters;
		for (let k = 0; k < w.length; k++) {
			w[k] = w0[k] + delta[k];
		}
		const blocks = (into as BlockFactors[] | undefined) ?? this.allocateFactors();
		this.computeFactors(w, blocks);
		return blocks;
	}

	/**
	 * Returns `||J(a) - J(b)||_F` from the layer factors at two points, in O(n (fan_in + fan_out))
	 * per layer instead of forming the n x p Jacobians. Row r's block of layer l is `g h^T` (and
	 * `g` for the biases), and with `dg = g_a - g_b`, `dh = h_a - h_b`
	 *
	 * ```tex
	 * \|g_a h_a^\top - g_b h_b^\top\|_F^2 = \|dg\|^2 \|h_a\|^2 + 2 (dg \cdot g_b)(h_a \cdot dh)
	 *   + \|g_b\|^2 \|dh\|^2,
	 * ```
	 *
	 * from `g_a h_a^T - g_b h_b^T = dg h_a^T + g_b dh^T`. No term subtracts two Jacobian entries.
	 */
	factorDistance(a: LayerFactors, b: LayerFactors): number {
		const n = this.n;
		let sum = 0;
		for (let block = 0; block < this.shapes.length; block++) {
			const { fanIn, fanOut, bias } = this.shapes[block];
			const [first, second] = [a[block], b[block]];
			for (let r = 0; r < n; r++) {
				let changeSquared = 0;
				let changeDotGradient = 0;
				let gradientSquared = 0;
				for (let j = r * fanOut; j < (r + 1) * fanOut; j++) {
					const change = first.gradients[j] - second.gradients[j];
					changeSquared += change * change;
					changeDotGradient += change * second.gradients[j];
					gradientSquared += second.gradients[j] * second.gradients[j];
				}
				let inputSquared = 0;
				let inputDotChange = 0;
				let inputChangeSquared = 0;
				for (let c = r * fanIn; c < (r + 1) * fanIn; c++) {
					const change = first.inputs[c] - second.inputs[c];
					inputSquared += first.inputs[c] * first.inputs[c];
					inputDotChange += first.inputs[c] * change;
					inputChangeSquared += change * change;
				}
				sum +=
					changeSquared * inputSquared +
					2 * changeDotGradient * inputDotChange +
					gradientSquared * inputChangeSquared;
				if (bias) {
					sum += changeSquared;
				}
			}
		}
		return Math.sqrt(Math.max(0, sum));
	}

	/** Returns the changes of the factors from those at w0. */
	private changesFrom(factors: LayerFactors): BlockFactors[] {
		return factors.map((block, b) => ({
			gradients: difference(block.gradients, this.initial[b].gradients),
			inputs: difference(block.inputs, this.initial[b].inputs),
		}));
	}

	/**
	 * Returns the factor changes of a network with one hidden layer from the rows of D. The first
	 * layer's inputs s_0 x and the output layer's gradients (the copy factor times e_k) are the
	 * same at every w, so only dG of the first layer and dH of the output layer are read. dG comes from
	 * the bias block when there is one, else from the projection `dG_r = B_r H0_r / ||H0_r||^2` of
	 * the weight block B_r, and is 0 for an input x = 0, whose weight block is 0.
	 */
	private changesFromOffset(offset: Float64Array): BlockFactors[] {
		const { architecture, n } = this;
		const p = this.initialParameters.length;
		const changes = this.allocateFactors();
		const outputsPerInput = this.outputsPerInput;
		for (let copy = 0; copy < this.copies; copy++) {
			const base = copy * architecture.parameterCount;
			const first = 2 * copy;
			const { fanIn: d, fanOut: m } = this.shapes[first];
			const inputs = this.initial[first].inputs;
			const gradientChange = changes[first].gradients;
			const inputChange = changes[first + 1].inputs;
			for (let r = 0; r < n; r++) {
				const row = r * p + base;
				const target = { d, m, r, inputs, out: gradientChange };
				readFirstLayerChange(offset, row, architecture, target);
				const outputRow = row + architecture.weightOffsets[1] + (r % outputsPerInput) * m;
				for (let j = 0; j < m; j++) {
					inputChange[r * m + j] = offset[outputRow + j] / this.copyFactor;
				}
			}
		}
		return changes;
	}

	/** Adds block b's terms of `K_t - K0` and `D D^T` to `out`. */
	private addBlock(b: number, change: BlockFactors, out: DriftMatrices): void {
		const n = this.n;
		const { fanIn, fanOut } = this.shapes[b];
		const gradientChange = change.gradients;
		const inputChange = change.inputs;
		const [gradientBuffers, inputBuffers] = this.productBuffers();
		const gradientShape = { n, columns: fanOut };
		const inputShape = { n, columns: fanIn };
		const gradients = changeProducts(gradientChange, this.initial[b].gradients, gradientShape, gradientBuffers);
		const inputs = changeProducts(inputChange, this.initial[b].inputs, inputShape, inputBuffers);
		const initialGradientGram = this.initialGradientGrams[b];
		const initialInputGram = this.initialInputGrams[b];
		// Both matrices are symmetric, so entry (s, r) is set from entry (r, s).
		for (let r = 0; r < n; r++) {
			for (let s = r; s < n; s++) {
				const rs = r * n + s;
				const sr = s * n + r;
				const gradientGramChange =
					gradients.cross[rs] + gradients.cross[sr] + gradients.gram[rs];
				const inputGramChange = inputs.cross[rs] + inputs.cross[sr] + inputs.gram[rs];
				const inputGram = initialInputGram[rs] + inputGramChange;
				const drift =
					gradientGramChange * inputGram + initialGradientGram[rs] * inputGramChange;
				const initialGram = initialGradientGram[rs];
				const offset = offsetGramBlock(gradients, inputs, inputGram, initialGram, rs, sr);
				out.drift[rs] += drift;
				out.offsetGram[rs] += offset;
				if (s !== r) {
					out.drift[sr] += drift;
					out.offsetGram[sr] += offset;
				}
			}
		}
	}

	/**
	 * Returns the four n x n buffers of `changeProducts` for both factor sides. They are allocated
	 * once, because `addBlock` runs at every report time and kernel refresh.
	 */
	private productBuffers(): [ChangeProducts, ChangeProducts] {
		const n = this.n;
		const buffers = (): ChangeProducts => ({ cross: new Float64Array(n * n), gram: new Float64Array(n * n) });
		this.scratchProducts ??= [buffers(), buffers()];
		return this.scratchProducts;
	}

	private allocateFactors(): BlockFactors[] {
		return this.shapes.map((shape) => ({
			gradients: new Float64Array(this.n * shape.fanOut),
			inputs: new Float64Array(this.n * shape.fanIn),
		}));
	}

	/**
	 * Writes the layer factors at w into `blocks`, less those of `minus` when given, by one
	 * batched forward pass and one batched backward pass per output
	 * (`MlpTangentProducts.layerFactors`). On the benchmark's medium network `factorsAt` took
	 * 0.68 ms this way and 1.02 ms with a forward and backward pass per input.
	 */
	private computeFactors(w: Float64Array, blocks: BlockFactors[], minus?: readonly BlockFactors[]): void {
		this.tangent.setPoint(w);
		this.tangent.layerFactors(blocks, minus);
	}
}

/** Returns the network copies of the spec's MLP: two under antisymmetric centering, else one. */
function copyCount(spec: MlpModelSpec): number {
	return spec.centering === 'antisymmetric' ? 2 : 1;
}

/**
 * Writes row r of the first layer's dG into `out`, read from row `row` of D (the offset of the
 * network copy already added).
 */
function readFirstLayerChange(
	offset: Float64Array,
	row: number,
	architecture: MlpArchitecture,
	block: { d: number; m: number; r: number; inputs: Float64Array; out: Float64Array },
): void {
	const { d, m, r, inputs, out } = block;
	if (architecture.bias) {
		const biases = row + architecture.biasOffsets[0];
		for (let j = 0; j < m; j++) {
			out[r * m + j] = offset[biases + j];
		}
		return;
	}
	let squaredNorm = 0;
	for (let c = 0; c < d; c++) {
		squaredNorm += inputs[r * d + c] * inputs[r * d + c];
	}
	if (squaredNorm === 0) {
		return;
	}
	const weights = row + architecture.weightOffsets[0];
	for (let j = 0; j < m; j++) {
		let projection = 0;
		for (let c = 0; c < d; c++) {
			projection += offset[weights + j * d + c] * inputs[r * d + c];
		}
		out[r * m + j] = projection / squaredNorm;
	}
}

/** `dX X0^T` (full) and `dX dX^T` (symmetric) of one factor side, n x n each. */
interface ChangeProducts {
	readonly cross: Float64Array;
	readonly gram: Float64Array;
}

/**
 * Computes `dX X0^T` and `dX dX^T` into `out`. Both are zero, without the two products, when dX is
 * exactly zero, as for the first layer's inputs s_0 x.
 */
function changeProducts(
	change: Float64Array,
	initial: Float64Array,
	shape: { readonly n: number; readonly columns: number },
	out: ChangeProducts,
): ChangeProducts {
	const { n, columns } = shape;
	if (change.every((value) => value === 0)) {
		out.cross.fill(0);
		out.gram.fill(0);
		return out;
	}
	productWithTranspose(change, initial, n, columns, out.cross);
	gramMatrix(change, n, columns, out.gram);
	return out;
}

/**
 * Returns entry (r, s) of one block's `D D^T`. Row r of the block of D is
 * `dG_r H_r^T + G0_r dH_r^T` (and `dG_r` for the biases), so with the Frobenius product
 *
 * ```tex
 * \langle D_r, D_s \rangle = (dG_r \cdot dG_s)(H_r \cdot H_s + \beta)
 *   + (dG_r \cdot G_{0,s})(H_r \cdot dH_s) + (G_{0,r} \cdot dG_s)(dH_r \cdot H_s)
 *   + (G_{0,r} \cdot G_{0,s})(dH_r \cdot dH_s),
 * ```
 *
 * where `H_r . dH_s = (dH H0^T)_{sr} + (dH dH^T)_{rs}`.
 */
function offsetGramBlock(
	gradients: ChangeProducts,
	inputs: ChangeProducts,
	inputGram: number,
	initialGradientGram: number,
	rs: number,
	sr: number,
): number {
	const changeGram = inputs.gram[rs];
	return (
		gradients.gram[rs] * inputGram +
		gradients.cross[rs] * (inputs.cross[sr] + changeGram) +
		gradients.cross[sr] * (inputs.cross[rs] + changeGram) +
		initialGradientGram * changeGram
	);
}

function difference(current: Float64Array, initial: Float64Array): Float64Array {
	const result = new Float64Array(current.length);
	for (let index = 0; index < current.length; index++) {
		result[index] = current[index] - initial[index];
	}
	return result;
}
