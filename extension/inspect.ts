/**
 * Finds, validates and locates the specs of one document. Runs inside a worker: the TypeScript
 * compiler (for TS specs), the JSON Schema validator and data-file reading stay off the host thread.
 */

import { createHash } from 'node:crypto';
import { dirname } from 'node:path';

import { getNodeValue, parseTree, type Node as JsonNode } from 'jsonc-parser';

import { SpecError, type JsonPath, type SpecIssue } from '../src/errors';
import { loadSpec } from '../src/spec/load';
import { createNodeFileReader } from '../src/spec/nodeFileReader';
import { locateJsonPath } from '../src/spec/locate';
import { estimateMemory, parameterCount } from '../src/spec/size';
import type { ResolvedSpec } from '../src/spec/types';
import {
	SPEC_KEY_PATHS,
	type InspectedSpec,
	type InspectTask,
	type LocatedIssue,
	type LocatedPath,
	type SourceLocation,
	type SpecKey,
} from './workerProtocol';
import { findTsSpecSources } from './inspectTypeScript';
import { samePath } from './specLocations';

/** A spec's raw value and source, before validation. */
export interface SpecSource {
	readonly name: string;
	readonly start: number;
	readonly end: number;
	/** Raw text (JSON documents) or the statically evaluated object (TypeScript). */
	readonly input: string | unknown;
	/** The raw object, when it could be read, to see which keys the user wrote. */
	readonly raw: unknown;
	readonly locations: readonly LocatedPath[];
	/** Issues found before validation (TypeScript expressions that cannot be evaluated). */
	readonly sourceIssues: readonly LocatedIssue[];
	/** Places an issue's JSON path in the document. */
	readonly locate: (path: JsonPath) => SourceLocation;
}

/** Inspects every spec of the document; a malformed spec never stops the others. */
export function inspectDocument(task: InspectTask): InspectedSpec[] {
	const sources =
		task.documentKind === 'json'
			? [jsonSource(task.text, task.fileName)]
			: findTsSpecSources(task.text, task.fileName);
	return sources.map((source, index) => inspectSource(source, index, task));
}

function inspectSource(source: SpecSource, index: number, task: InspectTask): InspectedSpec {
	const raw = asRecord(source.raw);
	const solver = asRecord(raw?.solver);
	const validated = validate(source, task);
	const spec = validated.spec && applyDefaultEpsilon(validated.spec, raw, task.defaultEpsilon);
	const located = withoutEchoes(
		validated.issues.map((issue) => locateIssue(issue, source)),
		source.sourceIssues,
	);
	return {
		index,
		name: spec?.name ?? source.name,
		start: source.start,
		end: source.end,
		issues: [...source.sourceIssues, ...located],
		spec,
		hash: spec ? hashSpec(spec) : undefined,
		solverExplicit: { method: solver?.method !== undefined, rtol: solver?.rtol !== undefined },
		keys: keyLocations(source.locations),
		locations: source.locations,
		memoryBytes: spec ? estimateMemoryBytes(spec) : undefined,
	};
}

/**
 * Drops "missing key" issues that only repeat a TypeScript evaluation error. The reader leaves a
 * value it cannot evaluate out of the spec, so the loader then reports that key as missing. That
 * issue sits inside the range of the reader's own, more precise issue.
 */
function withoutEchoes(
	issues: readonly LocatedIssue[],
	sourceIssues: readonly LocatedIssue[],
): LocatedIssue[] {
	const evaluationErrors = sourceIssues.filter((issue) => issue.severity === 'error');
	return issues.filter(
		(issue) =>
			issue.code !== 'required' ||
			!evaluationErrors.some((error) => error.start <= issue.start && issue.end <= error.end),
	);
}

function validate(
	source: SpecSource,
	task: InspectTask,
): { spec?: ResolvedSpec; issues: readonly SpecIssue[] } {
	try {
		const { spec, warnings } = loadSpec(source.input, {
			baseDirectory: task.baseDir ?? dirname(task.fileName),
			defaultName: source.name,
			workspaceRoot: task.workspaceRoot,
			allowDataFiles: task.allowDataFiles,
			maxJacobianBytes: task.maxJacobianBytes,
			// Checks real paths against the workspace (symbolic links), the size limit and UTF-8.
			readFile: createNodeFileReader(task.workspaceRoot),
		});
		return { spec, issues: warnings };
	} catch (error) {
		if (error instanceof SpecError) {
			return { issues: error.issues };
		}
		throw error;
	}
}

/** Uses the `defaultEpsilon` setting when the spec leaves `analysis.epsilon` out. */
function applyDefaultEpsilon(
	spec: ResolvedSpec,
	raw: Record<string, unknown> | undefined,
	epsilon: number | undefined,
): ResolvedSpec {
	const written = asRecord(raw?.analysis)?.epsilon !== undefined;
	if (written || epsilon === undefined || !(epsilon > 0) || epsilon === spec.analysis.epsilon) {
		return spec;
	}
	return { ...spec, analysis: { ...spec.analysis, epsilon } };
}

/** Places an issue: its text offset when it has one, else its JSON path or the nearest ancestor. */
export function locateIssue(issue: SpecIssue, source: Pick<SpecSource, 'locate'>): LocatedIssue {
	const base = {
		path: issue.path,
		severity: issue.severity,
		code: issue.code,
		message: editorMessage(issue),
	};
	if (typeof issue.offset === 'number') {
		return { ...base, start: issue.offset, end: issue.offset + Math.max(1, issue.length ?? 1) };
	}
	const location = source.locate(issue.path);
	const onKey =
		location.keyStart !== undefined && location.keyEnd !== undefined && isKeyIssue(issue);
	return onKey
		? { ...base, start: location.keyStart as number, end: location.keyEnd as number }
		: { ...base, start: location.valueStart, end: location.valueEnd };
}

/** Names the editor setting where the core's message names its own option. */
function editorMessage(issue: SpecIssue): string {
	if (issue.code !== 'tooLarge') {
		return issue.message;
	}
	return issue.message.replace(
		'the maxJacobianBytes limit',
		'the ntkHorizon.budget.memoryMB setting',
	);
}

/** Unknown and duplicate keys are marked on the key itself, other issues on the value. */
function isKeyIssue(issue: SpecIssue): boolean {
	return issue.code === 'unknownKey' || issue.code === 'duplicateKey';
}

function keyLocations(locations: readonly LocatedPath[]): Partial<Record<SpecKey, SourceLocation>> {
	const keys: Partial<Record<SpecKey, SourceLocation>> = {};
	for (const key of Object.keys(SPEC_KEY_PATHS) as SpecKey[]) {
		const found = locations.find((entry) => samePath(entry.path, SPEC_KEY_PATHS[key]));
		if (found) {
			keys[key] = found;
		}
	}
	return keys;
}

function jsonSource(text: string, fileName: string): SpecSource {
	const root = parseTree(text);
	const locations = root ? jsonLocations(root) : [];
	const whole: SourceLocation = {
		valueStart: root?.offset ?? 0,
		valueEnd: root ? root.offset + root.length : text.length,
	};
	return {
		name: specNameFromFile(fileName),
		start: whole.valueStart,
		end: whole.valueEnd,
		input: text,
		raw: root ? getNodeValue(root) : undefined,
		locations,
		sourceIssues: [],
		locate: (path) => locateJsonPath(text, path),
	};
}

/**
 * Lists the location of every object property and of every array element that is an object.
 * Elements of number arrays are left out, so a large data block stays a single entry.
 */
export function jsonLocations(root: JsonNode): LocatedPath[] {
	const found: LocatedPath[] = [];
	const visit = (node: JsonNode, path: JsonPath): void => {
		if (node.type === 'object') {
			for (const property of node.children ?? []) {
				const [key, value] = property.children ?? [];
				if (key && value && typeof key.value === 'string') {
					const childPath = [...path, key.value];
					found.push({ path: childPath, ...nodeLocation(value, key) });
					visit(value, childPath);
				}
			}
		} else if (node.type === 'array') {
			(node.children ?? []).forEach((element, index) => {
				if (element.type === 'object') {
					found.push({ path: [...path, index], ...nodeLocation(element) });
					visit(element, [...path, index]);
				}
			});
		}
	};
	visit(root, []);
	return found;
}

function nodeLocation(value: JsonNode, key?: JsonNode): SourceLocation {
	return {
		keyStart: key?.offset,
		keyEnd: key ? key.offset + key.length : undefined,
		valueStart: value.offset,
		valueEnd: value.offset + value.length,
	};
}

function specNameFromFile(fileName: string): string {
	const base = fileName.split(/[\\/]/).pop() ?? fileName;
	return base.replace(/\.ntk\.json$/i, '').replace(/\.json$/i, '');
}

/** Estimates the bytes of the larger of the Jacobian (8 n p) and the kernel (8 n^2), as the loader's limit does. */
export function estimateMemoryBytes(spec: ResolvedSpec): number {
	const { jacobian, kernel } = estimateMemory(
		spec.data.y.length,
		parameterCount(spec.model, spec.data.inputCount),
	);
	return Math.max(jacobian, kernel);
}

/** Short hash of the resolved spec's JSON: the key of cached analyses and results. */
export function hashSpec(spec: ResolvedSpec): string {
	return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 32);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}
