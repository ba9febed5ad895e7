/**
 * Parses spec text with jsonc-parser so that every problem has a position, and reports what
 * `JSON.parse` would do silently: duplicate keys (the last one wins), number literals that overflow
 * to Infinity or underflow to 0.
 */

import { parse, printParseErrorCode, visit } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';

import type { JsonPath, SpecIssue } from '../errors';
import { MAX_NESTING_DEPTH } from './defaults';
import { errorIssue, warningIssue } from './issues';

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };
const UNCLOSED_KINDS = new Set(['CloseBraceExpected', 'CloseBracketExpected']);

/** Result of parsing spec text: the value (undefined when the text is not JSON) and the issues. */
export interface ParsedText {
	readonly value: unknown;
	readonly issues: SpecIssue[];
}

/**
 * Parses the text of a spec. Comments and trailing commas are accepted, and a leading byte-order
 * mark is ignored. Never throws.
 *
 * @param text - the spec file's content
 * @returns the parsed value, or `undefined` with at least one error issue
 */
export function parseSpecText(text: string): ParsedText {
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const offsetShift = body === text ? 0 : 1;
	if (body.trim() === '') {
		const message = 'The spec is empty. Write a JSON object with model, data and training.';
		return { value: undefined, issues: [errorIssue([], 'parse', message)] };
	}

	const depth = maxBracketDepth(body);
	if (depth > MAX_NESTING_DEPTH) {
		const message = `The spec nests ${depth} levels of arrays and objects, more than the maximum of ${MAX_NESTING_DEPTH}. Remove the extra nesting.`;
		return { value: undefined, issues: [errorIssue([], 'depth', message)] };
	}

	const errors: ParseError[] = [];
	const value: unknown = parse(body, errors, PARSE_OPTIONS);
	if (errors.length > 0) {
		// Later parse errors are mostly consequences of the first one.
		return { value: undefined, issues: [parseErrorIssue(body, errors[0], offsetShift)] };
	}
	return { value, issues: literalIssues(body) };
}

function parseErrorIssue(text: string, error: ParseError, offsetShift: number): SpecIssue {
	const { line, column } = lineAndColumn(text, error.offset);
	const found = text.slice(error.offset, error.offset + Math.max(error.length, 1)).trim();
	const kind = printParseErrorCode(error.error);
	const where = `line ${line}, column ${column}`;
	let message: string;
	if (kind === 'InvalidSymbol' && /^[+-]?(NaN|Infinity)/.test(text.slice(error.offset))) {
		const literal = /^[+-]?(NaN|Infinity)/.exec(text.slice(error.offset))?.[0] ?? found;
		message = `${literal} at ${where} is not valid JSON. Write a finite number.`;
	} else if (error.offset >= text.length || UNCLOSED_KINDS.has(kind)) {
		message = `The JSON text ends early or is not closed (${kind} at ${where}). Check for a missing } or ].`;
	} else {
		const nearText = found === '' ? 'the end of the text' : JSON.stringify(found.slice(0, 20));
		message = `Invalid JSON at ${where}: ${kind} near ${nearText}. Fix the syntax there.`;
	}
	const offset = error.offset + offsetShift;
	return { ...errorIssue([], 'parse', message), offset, length: error.length };
}

/** Finds duplicate keys and number literals that do not survive conversion to a double. */
function literalIssues(text: string): SpecIssue[] {
	const issues: SpecIssue[] = [];
	const keyStack: Set<string>[] = [];
	visit(
		text,
		{
			onObjectBegin: () => {
				keyStack.push(new Set());
			},
			onObjectEnd: () => {
				keyStack.pop();
			},
			onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
				const keys = keyStack[keyStack.length - 1];
				if (keys.has(property)) {
					const path: JsonPath = [...pathSupplier(), property];
					const message = `The key "${property}" appears more than once in the same object, and only the last value is used. Remove the duplicate.`;
					issues.push(warningIssue(path, 'duplicateKey', message));
				}
				keys.add(property);
			},
			onLiteralValue: (value: unknown, offset, length, _line, _column, pathSupplier) => {
				if (typeof value !== 'number') {
					return;
				}
				const literal = text.slice(offset, offset + length);
				const issue = numberLiteralIssue(literal, value, pathSupplier());
				if (issue !== undefined) {
					issues.push(issue);
				}
			},
		},
		PARSE_OPTIONS,
	);
	return issues;
}

function numberLiteralIssue(literal: string, value: number, path: JsonPath): SpecIssue | undefined {
	if (!Number.isFinite(value)) {
		const message = `The number ${literal} is too large for a double and would become Infinity. Use a value below 1.7e308.`;
		return errorIssue(path, 'numberRange', message, literal);
	}
	const mantissa = literal.replace(/[eE].*$/, '');
	if (value === 0 && /[1-9]/.test(mantissa)) {
		const message = `The number ${literal} is too small for a double and would become 0. Write 0 or a value above 5e-324.`;
		return errorIssue(path, 'numberRange', message, literal);
	}
	return undefined;
}

/** Counts the deepest bracket nesting outside strings, without recursion. */
function maxBracketDepth(text: string): number {
	let depth = 0;
	let max = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') {
				i++;
			} else if (c === '"') {
				inString = false;
			}
		} else if (c === '"') {
			inString = true;
		} else if (c === '[' || c === '{') {
			depth++;
			max = Math.max(max, depth);
		} else if (c === ']' || c === '}') {
			depth--;
		}
	}
	return max;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < Math.min(offset, text.length); i++) {
		if (text[i] === '\n') {
			line++;
			lineStart = i + 1;
		}
	}
	return { line, column: offset - lineStart + 1 };
}
