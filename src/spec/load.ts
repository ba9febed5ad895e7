/**
 * Validation and loading of experiment specs. `validateSpec` lists every problem without
 * throwing; `loadSpec` returns the resolved spec or throws a `SpecError` carrying the issues.
 * The checks run in three stages: JSON text (syntax, duplicate keys, numbers that overflow),
 * the JSON Schema in `schemas/ntk-spec.schema.json`, then semantic checks and data loading.
 */

import { SpecError } from '../errors';
import type { JsonPath, SpecIssue } from '../errors';
import { DEFAULT_MAX_JACOBIAN_BYTES, MAX_NESTING_DEPTH } from './defaults';
import { errorIssue, hasErrors } from './issues';
import { parseSpecText } from './jsonText';
import type { SpecLoadOptions } from './options';
import { outputsOf, resolveData } from './resolveData';
import type { SizeCheck } from './resolveData';
import { resolveModel } from './resolveModel';
import type { PartialModel } from './resolveModel';
import { resolveAnalysis, resolveSolver, resolveSweep, resolveTraining } from './resolveSettings';
import { checkSchema } from './schemaCheck';
import { checkMemory, formatBytes, parameterCount } from './size';
import type { ModelSpec, RawSpec, ResolvedData, ResolvedSpec } from './types';

export type { SpecLoadOptions } from './options';

/** Cap on the values of a parsed spec, repeats counted, so shared references cannot explode. */
const MAX_VISITED_VALUES = 10_000_000;

/** A loaded spec and the warnings found while loading it. */
export interface LoadedSpec {
	readonly spec: ResolvedSpec;
	readonly warnings: SpecIssue[];
}

/**
 * Lists every problem of a spec. Never throws, whatever the input (null, arrays, NaN, deep
 * nesting, objects with throwing getters).
 *
 * @param input - spec text (JSON with comments) or an already parsed value, for example an object
 * literal read from a TypeScript file
 * @param options - data file reading, size limit and default name
 * @returns errors and warnings, each with a JSON path; empty for a clean spec
 */
export function validateSpec(input: unknown, options: SpecLoadOptions = {}): SpecIssue[] {
	return analyzeSpec(input, options).issues;
}

/**
 * Loads a spec: parses it, validates it, loads its data and applies every default.
 *
 * @param input - spec text or an already parsed value
 * @param options - data file reading, size limit and default name
 * @returns the resolved spec and the warnings
 * @throws SpecError when any issue is an error; `error.issues` lists all issues
 */
export function loadSpec(input: unknown, options: SpecLoadOptions = {}): LoadedSpec {
	const { issues, spec } = analyzeSpec(input, options);
	if (spec === undefined || hasErrors(issues)) {
		throw new SpecError(issues);
	}
	return { spec, warnings: issues };
}

interface Analysis {
	readonly issues: SpecIssue[];
	readonly spec?: ResolvedSpec;
}

function analyzeSpec(input: unknown, options: SpecLoadOptions): Analysis {
	try {
		return analyzeUnsafe(input, options);
	} catch (error) {
		// A safety net: every known problem is an issue, so reaching this is a bug in the checks.
		const reason = error instanceof Error ? error.message : String(error);
		const message = `The spec could not be checked (${reason}). Simplify the spec and report the input that caused this.`;
		return { issues: [errorIssue([], 'internal', message)] };
	}
}

function analyzeUnsafe(input: unknown, options: SpecLoadOptions): Analysis {
	let value: unknown = input;
	const issues: SpecIssue[] = [];
	if (typeof input === 'string') {
		const parsed = parseSpecText(input);
		issues.push(...parsed.issues);
		if (parsed.value === undefined) {
			return { issues };
		}
		value = parsed.value;
	} else {
		const depthIssue = checkDepth(input);
		if (depthIssue !== undefined) {
			return { issues: [depthIssue] };
		}
	}

	const schemaIssues = checkSchema(value);
	issues.push(...schemaIssues);
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { issues };
	}

	const resolved = resolveSections(value as RawSpec, failedSections(schemaIssues), options);
	issues.push(...resolved.issues);
	return { issues, spec: hasErrors(issues) ? undefined : resolved.spec };
}

function resolveSections(
	raw: RawSpec,
	failed: ReadonlySet<string>,
	options: SpecLoadOptions,
): Analysis {
	const issues: SpecIssue[] = [];
	const model = failed.has('model') ? undefined : collect(resolveModel(raw.model), issues);
	const canLoadData = model !== undefined && !failed.has('data');
	const data = canLoadData ? resolveSpecData(raw, model, options, issues) : undefined;
	const training = failed.has('training') ? undefined : resolveTraining(raw.training);
	const analysis = failed.has('analysis')
		? undefined
		: collect(resolveAnalysis(raw.analysis, training?.T), issues);
	const solver = failed.has('solver') ? undefined : resolveSolver(raw.solver);
	const sweep = failed.has('sweep') ? undefined : collect(resolveSweep(raw.sweep), issues);

	const sweepMissing = raw.sweep !== undefined && sweep === undefined;
	if (!model || !data || !training || !analysis || !solver || sweepMissing) {
		return { issues };
	}
	const spec: ResolvedSpec = {
		name: raw.name ?? options.defaultName ?? 'untitled',
		model: finishModel(model, data),
		data,
		training,
		analysis,
		solver,
		...(sweep === undefined ? {} : { sweep }),
	};
	return { issues, spec };
}

function resolveSpecData(
	raw: RawSpec,
	model: PartialModel,
	options: SpecLoadOptions,
	issues: SpecIssue[],
): ResolvedData | undefined {
	const limit = options.maxJacobianBytes ?? DEFAULT_MAX_JACOBIAN_BYTES;
	const sizePath: JsonPath = model.type === 'mlp' ? ['model', 'widths'] : ['data'];
	const checkModelMemory = (inputs: number, dimension: number) =>
		checkMemory(inputs * outputsOf(model), parameterCount(model, dimension), limit, sizePath);
	const checkSize: SizeCheck = (inputs, dimension, path, subject = 'The inputs') =>
		checkDataMemory({ rows: inputs, columns: dimension, limit, path, subject }) ??
		checkModelMemory(inputs, dimension);

	const data = collect(resolveData(raw.data, model, options, checkSize), issues);
	if (data === undefined) {
		return undefined;
	}
	const sizeIssue =
		checkLinearStart(model, data) ??
		checkTargetScale(data) ??
		checkModelMemory(data.inputCount, data.x[0].length);
	if (sizeIssue !== undefined) {
		issues.push(sizeIssue);
		return undefined;
	}
	return data;
}

/** Rejects an array of `rows x columns` doubles larger than `limit` bytes before it is allocated. */
function checkDataMemory(request: {
	rows: number;
	columns: number;
	limit: number;
	path: JsonPath;
	subject: string;
}): SpecIssue | undefined {
	const { rows, columns, limit, path, subject } = request;
	const bytes = 8 * rows * columns;
	if (bytes <= limit) {
		return undefined;
	}
	const message = `${subject} need about ${formatBytes(bytes)} (8 bytes x ${rows} x ${columns}), more than the limit of ${formatBytes(limit)}. Use a smaller size.`;
	return errorIssue(path, 'tooLarge', message);
}

function checkLinearStart(model: PartialModel, data: ResolvedData): SpecIssue | undefined {
	if (model.type !== 'linear' || model.w0 === undefined || model.w0.length === data.x[0].length) {
		return undefined;
	}
	const message = `w0 must have one entry per input feature (${data.x[0].length}), got ${model.w0.length}. Match the length of a data.x row, or remove w0 to start from zeros.`;
	return errorIssue(['model', 'w0'], 'shape', message, model.w0);
}

/**
 * Rejects targets whose sum of squares overflows a double (any |y| above about 1.3e154), because
 * R0 = ||r0||^2 / 2 with r0 = y* - alpha h(w0) would then be infinite and every bound undefined.
 */
function checkTargetScale(data: ResolvedData): SpecIssue | undefined {
	const sumOfSquares = data.y.reduce((sum, value) => sum + value * value, 0);
	if (Number.isFinite(sumOfSquares)) {
		return undefined;
	}
	const largest = data.y.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
	const path: JsonPath = data.source.kind === 'file' ? ['data', 'target'] : ['data', 'y'];
	const message = `The targets are too large: their sum of squares ||y*||^2 overflows a double (the largest |y| is ${largest.toPrecision(3)}). Rescale the targets so that each |y| is below about 1e150.`;
	return errorIssue(path, 'range', message);
}

function finishModel(model: PartialModel, data: ResolvedData): ModelSpec {
	if (model.type !== 'linear') {
		return model;
	}
	const w0 = model.w0 === undefined ? new Array<number>(data.x[0].length).fill(0) : [...model.w0];
	return { type: 'linear', w0 };
}

/** Moves a section's issues into `issues` and returns its resolved value. */
function collect<T>(
	result: { value: T | undefined; issues: SpecIssue[] },
	issues: SpecIssue[],
): T | undefined {
	issues.push(...result.issues);
	return result.value;
}

/** Returns the top-level sections with a schema error, whose semantic checks are skipped. */
function failedSections(schemaIssues: readonly SpecIssue[]): Set<string> {
	const failed = new Set<string>();
	for (const issue of schemaIssues) {
		if (issue.severity === 'error') {
			failed.add(typeof issue.path[0] === 'string' ? issue.path[0] : '');
		}
	}
	return failed;
}

/**
 * Rejects parsed values nested deeper than `MAX_NESTING_DEPTH` (which includes every cycle) or
 * with more than `MAX_VISITED_VALUES` arrays, objects and leaves counted with repeats.
 */
function checkDepth(input: unknown): SpecIssue | undefined {
	const stack: { value: unknown; depth: number }[] = [{ value: input, depth: 0 }];
	let visited = 0;
	while (stack.length > 0) {
		const { value, depth } = stack.pop() as { value: unknown; depth: number };
		visited++;
		if (visited > MAX_VISITED_VALUES) {
			const message = `The spec has more than ${MAX_VISITED_VALUES} values. Move large data to a data file.`;
			return errorIssue([], 'tooLarge', message);
		}
		if (value === null || typeof value !== 'object') {
			continue;
		}
		if (depth >= MAX_NESTING_DEPTH) {
			const message = `The spec nests more than ${MAX_NESTING_DEPTH} levels of arrays and objects, or refers to itself. Remove the extra nesting.`;
			return errorIssue([], 'depth', message);
		}
		for (const child of Object.values(value)) {
			stack.push({ value: child, depth: depth + 1 });
		}
	}
	return undefined;
}
