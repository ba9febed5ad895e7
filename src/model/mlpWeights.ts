/**
 * Architecture and initial weights of a multilayer perceptron (MLP).
 *
 * Parameter vector layout (one network): layer by layer, l = 0 .. L-1, each layer's weight matrix
 * W_l (fan_out x fan_in, row-major) followed by its bias vector b_l (fan_out entries, only when
 * `bias` is true). The output layer is the last one.
 *
 * Explicit weights (`init.weights`) come in two layouts:
 * - one hidden layer: `{ W, a, bW?, ba? }` with W of shape m x d, `a` the output weights (a list of
 *   m numbers when there is one output, else outputs x m), `bW` (m entries) and `ba` (outputs
 *   entries) the biases. The parameter vector is then (W row-major, bW, a, ba).
 * - any depth: `{ layers: [{ W, b? }, ...] }` with one entry per layer and W of shape
 *   fan_out x fan_in.
 * Omitted biases are zero. Giving a bias when `bias` is false is an error.
 *
 * Seeded weights (`init.seed`) are drawn from `createRandomStream(seed).normal()`, layer by layer,
 * each W row-major, in the order of the parameter vector. Under the `ntk` parametrization the
 * draws are used as they are (N(0, 1)); under `standard` they are multiplied by 1/sqrt(fan_in)
 * (N(0, 1/fan_in)). Biases start at zero and consume no draws.
 */

import type { JsonPath } from '../errors';
import { createRandomStream } from '../random';
import type { MlpModelSpec } from '../spec/types';
import { describeValue, shapeError } from './checks';

/** Shapes, scales and parameter offsets of one MLP. */
export interface MlpArchitecture {
	/** `[d, m_1, ..., m_k, outputs]`. */
	readonly widths: readonly number[];
	/** L = k + 1, the number of weight layers. */
	readonly layerCount: number;
	readonly bias: boolean;
	/** s_l, the factor in front of W_l: 1/sqrt(fan_in) under `ntk`, 1 under `standard`. */
	readonly scales: Float64Array;
	/** Offset of W_l in the parameter vector. */
	readonly weightOffsets: readonly number[];
	/** Offset of b_l in the parameter vector, or -1 without biases. */
	readonly biasOffsets: readonly number[];
	/** Number of parameters of one network. */
	readonly parameterCount: number;
}

const WEIGHTS_PATH: JsonPath = ['model', 'init', 'weights'];

/**
 * Checks the widths and computes the layer offsets.
 *
 * @throws SpecError at `model.widths` when there are fewer than three widths or a width is not a
 * positive integer
 */
export function createArchitecture(spec: MlpModelSpec): MlpArchitecture {
	const widths = checkWidths(spec.widths);
	const layerCount = widths.length - 1;
	const scales = new Float64Array(layerCount);
	const weightOffsets: number[] = [];
	const biasOffsets: number[] = [];
	let offset = 0;
	for (let l = 0; l < layerCount; l++) {
		scales[l] = spec.parametrization === 'ntk' ? 1 / Math.sqrt(widths[l]) : 1;
		weightOffsets.push(offset);
		offset += widths[l + 1] * widths[l];
		biasOffsets.push(spec.bias ? offset : -1);
		offset += spec.bias ? widths[l + 1] : 0;
	}
	return {
		widths,
		layerCount,
		bias: spec.bias,
		scales,
		weightOffsets,
		biasOffsets,
		parameterCount: offset,
	};
}

/**
 * Builds the initial parameter vector of one network from `init.seed` or `init.weights`, in the
 * layout described at the top of this module.
 *
 * @throws SpecError whose path points into `model.init` at the offending value, with the expected
 * and the actual shape
 */
export function readInitialWeights(
	spec: MlpModelSpec,
	architecture: MlpArchitecture,
): Float64Array {
	const init: unknown = spec.init;
	const hasWeights = isRecord(init) && init.weights !== undefined;
	const hasSeed = isRecord(init) && init.seed !== undefined;
	if (hasWeights && hasSeed) {
		const message = 'init has both "seed" and "weights"; keep one of them.';
		throw shapeError(['model', 'init'], 'shape', message);
	}
	if (hasWeights) {
		return readExplicitWeights(init.weights, architecture);
	}
	if (hasSeed) {
		return drawWeights(init.seed, spec, architecture);
	}
	const message = 'init must be { "seed": <integer> } or { "weights": {...} }.';
	throw shapeError(['model', 'init'], 'type', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkWidths(widths: unknown): number[] {
	if (!Array.isArray(widths) || widths.length < 3) {
		throw shapeError(
			['model', 'widths'],
			'shape',
			`widths must list [d, m_1, ..., m_k, outputs] with at least one hidden layer, got ${describeValue(widths)}.`,
			widths,
		);
	}
	widths.forEach((width: unknown, index) => {
		if (typeof width !== 'number' || !Number.isSafeInteger(width) || width < 1) {
			throw shapeError(
				['model', 'widths', index],
				'range',
				`widths[${index}] must be a positive integer, got ${describeValue(width)}.`,
				width,
			);
		}
	});
	return widths as number[];
}

function drawWeights(
	seed: unknown,
	spec: MlpModelSpec,
	architecture: MlpArchitecture,
): Float64Array {
	if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
		const message = `seed must be an integer, got ${describeValue(seed)}.`;
		throw shapeError(['model', 'init', 'seed'], 'type', message, seed);
	}
	const random = createRandomStream(seed);
	const weights = new Float64Array(architecture.parameterCount);
	const { widths } = architecture;
	for (let l = 0; l < architecture.layerCount; l++) {
		const scale = spec.parametrization === 'ntk' ? 1 : 1 / Math.sqrt(widths[l]);
		const start = architecture.weightOffsets[l];
		const end = start + widths[l + 1] * widths[l];
		for (let index = start; index < end; index++) {
			weights[index] = scale * random.normal();
		}
	}
	return weights;
}

function readExplicitWeights(value: unknown, architecture: MlpArchitecture): Float64Array {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		const message = `weights must be an object, got ${describeValue(value)}.`;
		throw shapeError(WEIGHTS_PATH, 'type', message, value);
	}
	const weights = new Float64Array(architecture.parameterCount);
	const record = value as Record<string, unknown>;
	if ('layers' in record) {
		checkKeys(record, ['layers'], WEIGHTS_PATH);
		readLayerList(record.layers, architecture, weights);
	} else {
		readTwoLayerWeights(record, architecture, weights);
	}
	return weights;
}

function readLayerList(layers: unknown, architecture: MlpArchitecture, target: Float64Array): void {
	const path = [...WEIGHTS_PATH, 'layers'];
	if (!Array.isArray(layers) || layers.length !== architecture.layerCount) {
		const widths = architecture.widths.join(', ');
		const expected = `${architecture.layerCount} layers ({ "W": ..., "b": ... } each)`;
		const message = `layers must list ${expected} for widths [${widths}], got ${describeValue(layers)}.`;
		throw shapeError(path, 'shape', message);
	}
	const { widths } = architecture;
	layers.forEach((layer: unknown, l) => {
		const layerPath = [...path, l];
		if (layer === null || typeof layer !== 'object' || Array.isArray(layer)) {
			const message = `layers[${l}] must be an object { "W": ..., "b": ... }, got ${describeValue(layer)}.`;
			throw shapeError(layerPath, 'type', message);
		}
		const record = layer as Record<string, unknown>;
		checkKeys(record, ['W', 'b'], layerPath);
		const rowMeaning = `one row per unit of widths[${l + 1}]`;
		const matrix = { rows: widths[l + 1], cols: widths[l], name: `layers[${l}].W`, rowMeaning };
		readMatrix(record.W, matrix, [...layerPath, 'W'], target, architecture.weightOffsets[l]);
		readBias(record.b, architecture, l, [...layerPath, 'b'], target);
	});
}

function readTwoLayerWeights(
	record: Record<string, unknown>,
	architecture: MlpArchitecture,
	target: Float64Array,
): void {
	const { widths } = architecture;
	if (architecture.layerCount !== 2) {
		const hidden = architecture.layerCount - 1;
		const message = `the { "W", "a" } layout describes one hidden layer, but widths [${widths.join(', ')}] has ${hidden}; use { "layers": [...] }.`;
		throw shapeError(WEIGHTS_PATH, 'shape', message);
	}
	checkKeys(record, ['W', 'a', 'bW', 'ba'], WEIGHTS_PATH);
	const [d, m, outputs] = widths;
	const hiddenShape = { rows: m, cols: d, name: 'W', rowMeaning: 'one row per hidden unit' };
	const hiddenOffset = architecture.weightOffsets[0];
	readMatrix(record.W, hiddenShape, [...WEIGHTS_PATH, 'W'], target, hiddenOffset);
	readBias(record.bW, architecture, 0, [...WEIGHTS_PATH, 'bW'], target);
	const outputPath = [...WEIGHTS_PATH, 'a'];
	const outputOffset = architecture.weightOffsets[1];
	if (outputs === 1 && Array.isArray(record.a) && !Array.isArray(record.a[0])) {
		readVector(record.a, { length: m, name: 'a' }, outputPath, target, outputOffset);
	} else {
		const outputShape = { rows: outputs, cols: m, name: 'a', rowMeaning: 'one row per output' };
		readMatrix(record.a, outputShape, outputPath, target, outputOffset);
	}
	readBias(record.ba, architecture, 1, [...WEIGHTS_PATH, 'ba'], target);
}

function readBias(
	value: unknown,
	architecture: MlpArchitecture,
	layer: number,
	path: JsonPath,
	target: Float64Array,
): void {
	if (value === undefined) {
		return;
	}
	const name = String(path[path.length - 1]);
	if (!architecture.bias) {
		const message = `${name} is a bias, but the model has bias: false; set "bias": true or remove ${name}.`;
		throw shapeError(path, 'shape', message);
	}
	const length = architecture.widths[layer + 1];
	readVector(value, { length, name }, path, target, architecture.biasOffsets[layer]);
}

function readMatrix(
	value: unknown,
	shape: { rows: number; cols: number; name: string; rowMeaning: string },
	path: JsonPath,
	target: Float64Array,
	offset: number,
): void {
	const expected = `${shape.rows} x ${shape.cols}`;
	if (!Array.isArray(value) || value.length !== shape.rows) {
		const fix = `Write ${shape.name} as ${shape.rows} rows of ${shape.cols} numbers, ${shape.rowMeaning}.`;
		const message = `${shape.name} must be a ${expected} array of rows, got ${describeValue(value)}. ${fix}`;
		throw shapeError(path, 'shape', message);
	}
	value.forEach((row: unknown, r) => {
		const rowName = `${shape.name} row ${r}`;
		if (!Array.isArray(row) || row.length !== shape.cols) {
			throw shapeError(
				[...path, r],
				'shape',
				`${rowName} must have ${shape.cols} numbers (${shape.name} is ${expected}), got ${describeValue(row)}.`,
			);
		}
		const rowShape = { length: shape.cols, name: rowName };
		readVector(row, rowShape, [...path, r], target, offset + r * shape.cols);
	});
}

function readVector(
	value: unknown,
	shape: { length: number; name: string },
	path: JsonPath,
	target: Float64Array,
	offset: number,
): void {
	if (!Array.isArray(value) || value.length !== shape.length) {
		const message = `${shape.name} must be a list of ${shape.length} numbers, got ${describeValue(value)}.`;
		throw shapeError(path, 'shape', message);
	}
	value.forEach((entry: unknown, index) => {
		if (typeof entry !== 'number' || !Number.isFinite(entry)) {
			throw shapeError(
				[...path, index],
				'type',
				`${shape.name}[${index}] must be a finite number, got ${describeValue(entry)}.`,
				entry,
			);
		}
		target[offset + index] = entry;
	});
}

function checkKeys(
	record: Record<string, unknown>,
	allowed: readonly string[],
	path: JsonPath,
): void {
	for (const key of Object.keys(record)) {
		if (!allowed.includes(key)) {
			throw shapeError(
				[...path, key],
				'unknownKey',
				`unknown key ${JSON.stringify(key)} in weights; expected one of ${allowed.join(', ')}.`,
			);
		}
	}
}
