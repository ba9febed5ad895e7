/**
 * Helpers that build spec issues and format the offending value for their messages.
 */

import type { IssueSeverity, JsonPath, SpecIssue } from '../errors';

const MAX_VALUE_TEXT = 60;

/** Builds an error issue: the spec does not load. */
export function errorIssue(
	path: JsonPath,
	code: string,
	message: string,
	value?: unknown,
): SpecIssue {
	return makeIssue('error', path, code, message, value);
}

/** Builds a warning issue: the spec still loads. */
export function warningIssue(
	path: JsonPath,
	code: string,
	message: string,
	value?: unknown,
): SpecIssue {
	return makeIssue('warning', path, code, message, value);
}

/** True when at least one issue is an error. */
export function hasErrors(issues: readonly SpecIssue[]): boolean {
	return issues.some((issue) => issue.severity === 'error');
}

/**
 * Formats a value for a message: JSON for plain values, `NaN`/`Infinity` spelled out, long text
 * shortened with an ellipsis.
 */
export function describeValue(value: unknown): string {
	if (value === undefined) {
		return 'nothing';
	}
	if (typeof value === 'number') {
		return String(value);
	}
	if (Array.isArray(value)) {
		return value.length === 0 ? 'an empty array' : shorten(safeJson(value));
	}
	if (typeof value === 'object' && value !== null) {
		return shorten(safeJson(value));
	}
	return shorten(safeJson(value));
}

/** Returns the last key of a path as the name a message starts with, or `the spec` for the root. */
export function nameOf(path: JsonPath): string {
	for (let i = path.length - 1; i >= 0; i--) {
		const key = path[i];
		if (typeof key === 'string') {
			const indices = path.slice(i + 1).map((index) => `[${index}]`).join('');
			return key + indices;
		}
	}
	return path.length === 0 ? 'the spec' : `entry [${path.join('][')}]`;
}

function makeIssue(
	severity: IssueSeverity,
	path: JsonPath,
	code: string,
	message: string,
	value: unknown,
): SpecIssue {
	return value === undefined
		? { path: [...path], severity, code, message }
		: { path: [...path], severity, code, message, value };
}

function safeJson(value: unknown): string {
	try {
		const text = JSON.stringify(value, (_key, item: unknown) =>
			typeof item === 'number' && !Number.isFinite(item) ? String(item) : item,
		);
		return text ?? String(value);
	} catch {
		return String(value);
	}
}

function shorten(text: string): string {
	return text.length <= MAX_VALUE_TEXT ? text : `${text.slice(0, MAX_VALUE_TEXT - 3)}...`;
}
