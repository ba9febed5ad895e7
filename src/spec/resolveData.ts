/**
 * Resolves the `data` section into inputs and flattened targets: explicit `x`/`y`, a seeded
 * teacher or a data file, and checks that the data's shape matches the model (`x` rows of length
 * d = widths[0], `y` with n x outputs entries).
 */

import type { JsonPath, SpecIssue } from '../errors';
import { DEFAULT_SEED, DEFAULT_TEACHER_WIDTH } from './defaults';
import { loadFileData } from './dataFile';
import { errorIssue, warningIssue } from './issues';
import type { SpecLoadOptions } from './options';
import type { PartialModel } from './resolveModel';
import { describeTeacher, generateTeacherData } from './teacher';
import type { TeacherSettings } from './teacher';
import type { RawDataSpec, RawTeacherSpec, ResolvedData } from './types';

/**
 * Memory check for n inputs of dimension d, run before allocating them. Returns an issue when the
 * data or the model would be too large. `subject` names the array in the message.
 */
export type SizeCheck = (
	inputs: number,
	dimension: number,
	path: JsonPath,
	subject?: string,
) => SpecIssue | undefined;

type DataResult = { readonly value: ResolvedData | undefined; readonly issues: SpecIssue[] };

const DATA: JsonPath = ['data'];
const FILE_KEYS = ['target', 'features', 'standardize', 'limit', 'missing'] as const;

/**
 * Resolves the data of a spec whose `data` and `model` sections passed the schema check.
 *
 * @param raw - the `data` section
 * @param model - the resolved model, for the input dimension and the output count
 * @param options - file reading options
 * @param checkSize - memory check run before a teacher allocates its data
 */
export function resolveData(
	raw: RawDataSpec,
	model: PartialModel,
	options: SpecLoadOptions,
	checkSize: SizeCheck,
): DataResult {
	const sources = [
		raw.x !== undefined || raw.y !== undefined ? 'x/y' : undefined,
		raw.teacher !== undefined ? 'teacher' : undefined,
		raw.file !== undefined ? 'file' : undefined,
	].filter((source): source is string => source !== undefined);
	if (sources.length !== 1) {
		const found = sources.length === 0 ? 'none of them' : sources.join(' and ');
		const message = `data must have exactly one source: y (with x), teacher or file, got ${found}. Keep one of them.`;
		return failure(errorIssue(DATA, 'dataSource', message));
	}

	const issues = unusedFileKeyWarnings(raw);
	const result = raw.file !== undefined
		? resolveFileSource(raw, model, options)
		: raw.teacher !== undefined
			? resolveTeacherSource(raw.teacher, model, checkSize)
			: resolveExplicitSource(raw, model);
	return { value: result.value, issues: [...issues, ...result.issues] };
}

/** Number of outputs per input: `widths[last]` of an MLP, 1 otherwise. */
export function outputsOf(model: PartialModel): number {
	return model.type === 'mlp' ? model.widths[model.widths.length - 1] : 1;
}

function unusedFileKeyWarnings(raw: RawDataSpec): SpecIssue[] {
	if (raw.file !== undefined) {
		return [];
	}
	return FILE_KEYS.filter((key) => raw[key] !== undefined).map((key) =>
		warningIssue([...DATA, key], 'unusedKey', `${key} applies only to a data file and is ignored here. Remove it, or add data.file.`),
	);
}

function resolveExplicitSource(raw: RawDataSpec, model: PartialModel): DataResult {
	const targets = flattenTargets(raw.y, outputsOf(model));
	if (!Array.isArray(targets)) {
		return failure(targets);
	}
	if (model.type === 'quadratic') {
		return resolveQuadraticData(raw, targets);
	}
	if (raw.x === undefined) {
		const message = `x is missing: the ${model.type} model needs training inputs, one row of numbers per input. Add data.x, or use data.teacher.`;
		return failure(errorIssue([...DATA, 'x'], 'required', message));
	}

	const x = raw.x;
	const outputs = outputsOf(model);
	const shapeIssue = checkInputs(x, model) ?? checkTargetCount(targets, x.length, outputs);
	if (shapeIssue !== undefined) {
		return failure(shapeIssue);
	}
	const value: ResolvedData = {
		x: x.map((row) => [...row]),
		y: targets,
		inputCount: x.length,
		outputCount: outputs,
		source: { kind: 'explicit' },
	};
	return { value, issues: [] };
}

function resolveQuadraticData(raw: RawDataSpec, targets: number[]): DataResult {
	if (raw.x !== undefined && !(raw.x.length === 1 && raw.x[0].length === 0)) {
		const message = 'The quadratic model has no inputs, so x must be absent or [[]]. Remove data.x.';
		return failure(errorIssue([...DATA, 'x'], 'shape', message, raw.x));
	}
	if (targets.length !== 1) {
		const message = `The quadratic model fits one target y*, so y must have 1 number, got ${targets.length}. Write data.y as [y*], for example [1].`;
		return failure(errorIssue([...DATA, 'y'], 'shape', message, raw.y));
	}
	const source = { kind: 'explicit' } as const;
	const value: ResolvedData = { x: [[]], y: targets, inputCount: 1, outputCount: 1, source };
	return { value, issues: [] };
}

/** Flattens `y` input-major. Each row of a matrix `y` must have `outputs` numbers. */
function flattenTargets(y: RawDataSpec['y'], outputs: number): number[] | SpecIssue {
	const path = [...DATA, 'y'];
	if (y === undefined) {
		const message =
			'y is missing: give one target per input, or one row per input with one number per ' +
			'output. Add data.y.';
		return errorIssue(path, 'required', message);
	}
	if (y.length === 0) {
		const message = 'y must have at least one target, got an empty array. Add one number per input.';
		return errorIssue(path, 'shape', message, y);
	}
	const isMatrix = Array.isArray(y[0]);
	const flat: number[] = [];
	for (let i = 0; i < y.length; i++) {
		const entry = y[i];
		if (Array.isArray(entry) !== isMatrix) {
			const message = `y mixes numbers and rows: y[0] is ${isMatrix ? 'a row' : 'a number'} but y[${i}] is not. Use numbers only, or one row per input.`;
			return errorIssue([...path, i], 'shape', message, entry);
		}
		if (Array.isArray(entry)) {
			if (entry.length !== outputs) {
				const message = `y[${i}] must have one number per output (${outputs}), got ${entry.length}. Make every row of y as long as the model's output count.`;
				return errorIssue([...path, i], 'shape', message, entry);
			}
			flat.push(...entry);
		} else {
			flat.push(entry as number);
		}
	}
	return flat;
}

function checkInputs(x: RawDataSpec['x'] & object, model: PartialModel): SpecIssue | undefined {
	const path = [...DATA, 'x'];
	if (x.length === 0) {
		const message = 'x must have at least one input row, got an empty array. Add training inputs.';
		return errorIssue(path, 'shape', message, x);
	}
	const d = x[0].length;
	for (let i = 1; i < x.length; i++) {
		if (x[i].length !== d) {
			const message = `x[${i}] has ${x[i].length} numbers but x[0] has ${d}. Give every input row the same length.`;
			return errorIssue([...path, i], 'shape', message, x[i]);
		}
	}
	const expected = expectedDimension(model);
	if (expected !== undefined && d !== expected.value) {
		const message = `x rows have ${d} numbers but ${expected.source} is ${expected.value}. Make the input dimension agree.`;
		return errorIssue(path, 'shape', message);
	}
	if (d === 0) {
		const message = 'x rows are empty, but the model needs at least one input feature. Add input values.';
		return errorIssue(path, 'shape', message);
	}
	return undefined;
}

function checkTargetCount(
	targets: readonly number[],
	n: number,
	outputs: number,
): SpecIssue | undefined {
	if (targets.length === n * outputs) {
		return undefined;
	}
	const message = `y must have n x outputs = ${n} x ${outputs} = ${n * outputs} numbers (one per input and output), got ${targets.length}. Give one target per row of x.`;
	return errorIssue([...DATA, 'y'], 'shape', message);
}

function expectedDimension(model: PartialModel): { value: number; source: string } | undefined {
	if (model.type === 'mlp') {
		return { value: model.widths[0], source: 'model.widths[0]' };
	}
	if (model.type === 'linear' && model.w0 !== undefined) {
		return { value: model.w0.length, source: 'the length of model.w0' };
	}
	return undefined;
}

function resolveTeacherSource(
	raw: RawTeacherSpec,
	model: PartialModel,
	checkSize: SizeCheck,
): DataResult {
	const path = [...DATA, 'teacher'];
	if (model.type === 'quadratic') {
		const message =
			'The quadratic model has no inputs, so it cannot use a teacher. Write data as {"y": [y*]}.';
		return failure(errorIssue(path, 'dataSource', message));
	}
	const expected = expectedDimension(model);
	if (expected !== undefined && raw.dimension !== undefined && raw.dimension !== expected.value) {
		const message = `dimension must equal ${expected.source} = ${expected.value}, got ${raw.dimension}. Remove teacher.dimension or make the two agree.`;
		return failure(errorIssue([...path, 'dimension'], 'shape', message, raw.dimension));
	}
	const dimension = raw.dimension ?? expected?.value;
	if (dimension === undefined) {
		const message =
			'dimension is missing: the linear model without w0 needs the input dimension d. ' +
			'Add data.teacher.dimension.';
		return failure(errorIssue([...path, 'dimension'], 'required', message));
	}
	const sizeIssue = checkSize(raw.inputs, dimension, [...path, 'inputs']);
	if (sizeIssue !== undefined) {
		return failure(sizeIssue);
	}
	const teacherWidth = raw.width ?? DEFAULT_TEACHER_WIDTH;
	const teacherWeights = raw.function === 'mlp' ? teacherWidth * (dimension + outputsOf(model)) : 0;
	const weightIssue = checkSize(1, teacherWeights, [...path, 'width'], 'The teacher weights');
	if (weightIssue !== undefined) {
		return failure(weightIssue);
	}

	const settings: TeacherSettings = {
		inputs: raw.inputs,
		dimension,
		outputs: outputsOf(model),
		seed: raw.seed ?? DEFAULT_SEED,
		function: raw.function ?? 'sinProjection',
		width: teacherWidth,
		noise: raw.noise ?? 0,
	};
	const { x, y } = generateTeacherData(settings);
	const description = describeTeacher(settings);
	const source = { kind: 'teacher', seed: settings.seed, description } as const;
	const value: ResolvedData = { x, y, inputCount: raw.inputs, outputCount: settings.outputs, source };
	return { value, issues: [] };
}

function resolveFileSource(
	raw: RawDataSpec,
	model: PartialModel,
	options: SpecLoadOptions,
): DataResult {
	if (model.type === 'quadratic') {
		const message =
			'The quadratic model has no inputs, so it cannot read a data file. Write data as {"y": [y*]}.';
		return failure(errorIssue([...DATA, 'file'], 'dataSource', message));
	}
	if (outputsOf(model) !== 1) {
		const message = `A data file gives one target column, but the model has ${outputsOf(model)} outputs. Set the last entry of model.widths to 1.`;
		return failure(errorIssue(['model', 'widths'], 'shape', message));
	}
	const loaded = loadFileData({ ...raw, file: raw.file as string }, options);
	if (loaded.data === undefined) {
		return { value: undefined, issues: loaded.issues };
	}
	const expected = expectedDimension(model);
	const d = loaded.data.x[0].length;
	if (expected !== undefined && d !== expected.value) {
		const source = loaded.data.source;
		const features = source.kind === 'file' ? source.features.join(', ') : '';
		const message = `The data file gives ${d} features (${features}) but ${expected.source} is ${expected.value}. Make the input dimension agree, or list the features in data.features.`;
		return { value: undefined, issues: [...loaded.issues, errorIssue([...DATA, 'features'], 'shape', message)] };
	}
	return { value: loaded.data, issues: loaded.issues };
}

function failure(issue: SpecIssue): DataResult {
	return { value: undefined, issues: [issue] };
}
