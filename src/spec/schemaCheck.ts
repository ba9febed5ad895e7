/**
 * Checks a parsed spec against the published JSON Schema (`schemas/ntk-spec.schema.json`) with
 * ajv 8 and turns each ajv error into a spec issue with a JSON path, the value found, what is
 * expected and how to fix it. The fix text comes from the schema's `x-fix` keyword.
 */

import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

import schema from '../../schemas/ntk-spec.schema.json';
import type { JsonPath, SpecIssue } from '../errors';
import { closestMatch } from './closestKey';
import { describeValue, errorIssue, nameOf, warningIssue } from './issues';

type SchemaNode = Record<string, unknown>;

let compiled: ValidateFunction | undefined;

/** The spec's JSON Schema as a plain object, for editors and tests. */
export const SPEC_SCHEMA: Readonly<Record<string, unknown>> = schema;

/**
 * Validates `value` against the spec schema. Unknown keys become warnings that name the closest
 * valid key, and every other schema violation is an error.
 *
 * @param value - a parsed spec (any JSON value)
 * @returns the issues, empty when the value matches the schema
 */
export function checkSchema(value: unknown): SpecIssue[] {
	const validate = getValidator();
	if (validate(value)) {
		return [];
	}
	const issues: SpecIssue[] = [];
	const seenPaths = new Set<string>();
	for (const error of validate.errors ?? []) {
		const issue = convertError(error, value);
		const key = JSON.stringify(issue?.path);
		// One error per value: after a type error, range errors at the same path are noise.
		if (issue !== undefined && !(issue.severity === 'error' && seenPaths.has(key))) {
			issues.push(issue);
			if (issue.severity === 'error') {
				seenPaths.add(key);
			}
		}
	}
	return issues;
}

function getValidator(): ValidateFunction {
	if (compiled === undefined) {
		const ajv = new Ajv({
			allErrors: true,
			verbose: true,
			strictNumbers: true,
			strictTypes: false,
			logger: false,
		});
		ajv.addKeyword('x-fix');
		compiled = ajv.compile(schema);
	}
	return compiled;
}

function convertError(error: ErrorObject, root: unknown): SpecIssue | undefined {
	const path = toJsonPath(error.instancePath, root);
	const parent = (error.parentSchema ?? {}) as SchemaNode;
	const name = path.length === 0 ? 'The spec' : nameOf(path);
	const got = describeValue(error.data);
	const fix = fixText(parent);
	const params = error.params as Record<string, unknown>;
	switch (error.keyword) {
		case 'if':
			return undefined;
		case 'required':
			return missingKeyIssue(path, String(params.missingProperty), parent);
		case 'additionalProperties':
			return unknownKeyIssue(path, String(params.additionalProperty), parent);
		case 'type':
			return errorIssue(path, 'type', `${name} must be ${typeWords(String(params.type))}, got ${got}.${fix}`, error.data);
		case 'enum':
			return enumIssue(path, error.data, params.allowedValues as unknown[], fix);
		case 'const':
			return errorIssue(path, 'enum', `${name} must be ${describeValue(params.allowedValue)}, got ${got}.${fix}`, error.data);
		case 'minimum':
		case 'exclusiveMinimum':
		case 'maximum':
		case 'exclusiveMaximum':
			return rangeIssue(path, error, parent, fix);
		case 'minItems':
			return errorIssue(path, 'shape', `${name} must have at least ${String(params.limit)} entries, got ${got}.${fix}`, error.data);
		case 'minLength':
			return errorIssue(path, 'type', `${name} must not be empty.${fix}`, error.data);
		default:
			return errorIssue(path, 'schema', `${name} is invalid: it ${error.message ?? 'does not match the schema'}, got ${got}.${fix}`, error.data);
	}
}

function missingKeyIssue(path: JsonPath, key: string, parent: SchemaNode): SpecIssue {
	const properties = (parent.properties ?? {}) as Record<string, SchemaNode>;
	const child = resolveRef(properties[key] ?? {});
	const fix = fixText(child) || ` Add "${key}".`;
	const where = path.length === 0 ? 'the spec' : nameOf(path);
	return errorIssue([...path, key], 'required', `${key} is missing from ${where}.${fix}`);
}

function unknownKeyIssue(path: JsonPath, key: string, parent: SchemaNode): SpecIssue {
	const properties = (parent.properties ?? {}) as Record<string, unknown>;
	const valid = Object.keys(properties).filter((k) => k !== '$schema');
	const suggestion = closestMatch(key, valid);
	const where = path.length === 0 ? 'the spec' : nameOf(path);
	const fix = suggestion === undefined ? ` Valid keys: ${valid.join(', ')}.` : ` Did you mean "${suggestion}"?`;
	return warningIssue([...path, key], 'unknownKey', `Unknown key "${key}" in ${where} is ignored.${fix}`);
}

function enumIssue(path: JsonPath, value: unknown, allowed: unknown[], fix: string): SpecIssue {
	const names = allowed.map((item) => String(item));
	const suggestion = typeof value === 'string' ? closestMatch(value, names) : undefined;
	const hint = suggestion === undefined ? fix : ` Did you mean "${suggestion}"?`;
	const message = `${nameOf(path)} must be one of ${names.join(', ')}, got ${describeValue(value)}.${hint}`;
	return errorIssue(path, 'enum', message, value);
}

function rangeIssue(
	path: JsonPath,
	error: ErrorObject,
	parent: SchemaNode,
	fix: string,
): SpecIssue {
	const params = error.params as { comparison?: string; limit?: number };
	const kind = parent.type === 'integer' ? 'an integer' : 'a number';
	const message = `${nameOf(path)} must be ${kind} ${params.comparison ?? ''} ${String(params.limit)}, got ${describeValue(error.data)}.${fix}`;
	return errorIssue(path, 'range', message, error.data);
}

function typeWords(type: string): string {
	const words: Record<string, string> = {
		number: 'a finite number',
		integer: 'an integer',
		array: 'an array',
		object: 'an object',
		string: 'a string',
		boolean: 'true or false',
	};
	return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

function fixText(node: SchemaNode): string {
	const fix = node['x-fix'];
	return typeof fix === 'string' ? ` ${fix}` : '';
}

function resolveRef(node: SchemaNode): SchemaNode {
	const ref = node.$ref;
	if (typeof ref !== 'string' || !ref.startsWith('#/definitions/')) {
		return node;
	}
	const definitions = (SPEC_SCHEMA.definitions ?? {}) as Record<string, SchemaNode>;
	return definitions[ref.slice('#/definitions/'.length)] ?? node;
}

/** Converts an ajv JSON pointer into a path, with array indices as numbers. */
function toJsonPath(pointer: string, root: unknown): JsonPath {
	if (pointer === '') {
		return [];
	}
	const path: (string | number)[] = [];
	let node: unknown = root;
	for (const raw of pointer.slice(1).split('/')) {
		const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		const key: string | number = Array.isArray(node) ? Number(segment) : segment;
		path.push(key);
		const isContainer = node !== null && typeof node === 'object';
		node = isContainer ? (node as Record<string | number, unknown>)[key] : undefined;
	}
	return path;
}
