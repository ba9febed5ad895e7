/**
 * Finds the experiment specs written as object literals in a TypeScript file and evaluates them
 * statically, with the TypeScript 6.0.3 parser and no Program, type checker or code execution.
 */

import * as ts from 'typescript';

import { formatJsonPath } from '../errors';
import type { IssueSeverity } from '../errors';
import type { LocatedPath } from './locate';
import { StaticEvaluator } from './tsEvaluate';
import { OMITTED } from './tsScalar';

/**
 * Kind of a problem in a TypeScript spec. `notStatic`: the value needs code to run. `nonFinite`:
 * Infinity or NaN. `cycle`: consts that refer to each other. `depth` and `tooLarge`: evaluation
 * limits. `syntax`: a parse error inside the spec. `duplicateKey`: a key given twice. `notConst`:
 * an `@ntk` tag on a `let` or `var`. `notObject`: the spec is not an object.
 */
export type TsSpecIssueCode =
	| 'notStatic'
	| 'nonFinite'
	| 'cycle'
	| 'depth'
	| 'tooLarge'
	| 'syntax'
	| 'duplicateKey'
	| 'notConst'
	| 'notObject';

/** A problem on a source range (0-based UTF-16 offsets into the file's text, end exclusive). */
export interface TsSpecIssue {
	readonly start: number;
	readonly end: number;
	readonly severity: IssueSeverity;
	readonly code: TsSpecIssueCode;
	/** One or two sentences naming the construct and what to write instead. */
	readonly message: string;
}

/** One spec found in a TypeScript file. */
export interface TsSpecEntry {
	/** Name of the const or property set to the spec, or `spec N` (1-based, in file order). */
	readonly name: string;
	/** Range of the spec's object literal (0-based UTF-16 offsets, end exclusive). */
	readonly start: number;
	readonly end: number;
	/**
	 * The spec as plain JSON-like data. A value that could not be evaluated statically is left
	 * out, and an array element left out moves the later elements up one index.
	 */
	readonly value: Record<string, unknown>;
	/** Problems found. An `error` issue means that `value` differs from what the code builds. */
	readonly issues: readonly TsSpecIssue[];
	/**
	 * Location of each evaluated JSON path, keyed by `formatJsonPath(path)`, where `$` is the whole
	 * spec. A value referenced through a const is located at the reference, and the paths below it
	 * inside the const's declaration. Look paths up with `locateTsPath`.
	 */
	readonly locations: ReadonlyMap<string, LocatedPath>;
}

interface SpecCandidate {
	/** The expression to evaluate: an object literal, or an `@ntk` const's initializer. */
	readonly expression: ts.Expression;
	readonly name: string | undefined;
	/** The `@ntk` declaration, when the candidate comes from one. */
	readonly declaration: ts.VariableDeclaration | undefined;
}

/** Name of the JSDoc tag that marks a const as a spec: `/** @ntk *\/`. */
const SPEC_TAG = 'ntk';

/** Name of the type that marks an object literal as a spec in `{ ... } satisfies NtkSpec`. */
const SPEC_TYPE = 'NtkSpec';

/**
 * Finds and evaluates the specs in TypeScript source text. A spec is
 * (a) the initializer of a `const` whose JSDoc has an `@ntk` tag, or
 * (b) an object literal in `{ ... } satisfies NtkSpec`, also with `as const` before `satisfies`.
 *
 * Only literals, numeric operators (+ - * / % **), `Math.sqrt/exp/log/pow/abs/min/max/PI/E`,
 * `Infinity`, and consts of this file with such initializers are evaluated. Every other construct
 * becomes an issue on its range, and so do syntax errors inside a spec. Text so deeply nested that
 * the parser overflows the call stack gives one entry with an issue when it mentions `@ntk` or
 * `NtkSpec`, and no entry otherwise. Random and mutated text in the unit tests never made it throw.
 *
 * @param sourceText - the file's text
 * @param fileName - the file's name; its extension selects TS, TSX, JS or JSX parsing
 * @returns the specs in source order
 */
export function findTypeScriptSpecs(sourceText: string, fileName: string): TsSpecEntry[] {
	let sourceFile: ts.SourceFile;
	try {
		sourceFile = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true);
	} catch (error) {
		// The recursive-descent parser overflows the call stack on very deep nesting.
		if (error instanceof RangeError) {
			return unparsedFileEntries(sourceText);
		}
		throw error;
	}
	const candidates = collectCandidates(sourceFile);
	return candidates.map((candidate, index) => buildEntry(sourceFile, candidate, index));
}

/** Walks the whole tree without recursion and returns the spec candidates in source order. */
function collectCandidates(sourceFile: ts.SourceFile): SpecCandidate[] {
	const candidates = new Map<ts.Node, SpecCandidate>();
	const stack: ts.Node[] = [sourceFile];
	for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
		const candidate = candidateAt(node);
		if (candidate !== undefined && !candidates.has(candidate.expression)) {
			candidates.set(candidate.expression, candidate);
		}
		ts.forEachChild(node, (child) => {
			stack.push(child);
		});
	}
	return [...candidates.values()].sort((a, b) => a.expression.pos - b.expression.pos);
}

function candidateAt(node: ts.Node): SpecCandidate | undefined {
	if (ts.isVariableDeclaration(node) && node.initializer !== undefined && hasSpecTag(node)) {
		const name = ts.isIdentifier(node.name) ? node.name.text : undefined;
		return { expression: unwrap(node.initializer), name, declaration: node };
	}
	if (ts.isSatisfiesExpression(node) && isSpecType(node.type)) {
		const expression = unwrap(node.expression);
		if (ts.isObjectLiteralExpression(expression)) {
			return { expression, name: holderName(node), declaration: undefined };
		}
	}
	return undefined;
}

function hasSpecTag(declaration: ts.VariableDeclaration): boolean {
	return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === SPEC_TAG);
}

function isSpecType(type: ts.TypeNode): boolean {
	if (!ts.isTypeReferenceNode(type)) {
		return false;
	}
	const name = type.typeName;
	return (ts.isIdentifier(name) ? name.text : name.right.text) === SPEC_TYPE;
}

/** Removes parentheses, `as` and `satisfies` around an expression. */
function unwrap(expression: ts.Expression): ts.Expression {
	let inner = expression;
	while (isValueWrapper(inner)) {
		inner = inner.expression;
	}
	return inner;
}

function isValueWrapper(
	node: ts.Node,
): node is ts.ParenthesizedExpression | ts.AsExpression | ts.SatisfiesExpression {
	return (
		ts.isParenthesizedExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isSatisfiesExpression(node)
	);
}

/** Name of the variable or property whose value is `node`, looking out through wrappers. */
function holderName(node: ts.Node): string | undefined {
	let outer = node;
	while (isValueWrapper(outer.parent)) {
		outer = outer.parent;
	}
	const parent = outer.parent;
	const isHolder = ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent);
	if (isHolder && parent.initializer === outer) {
		const name = parent.name;
		return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
	}
	return undefined;
}

function buildEntry(
	sourceFile: ts.SourceFile,
	candidate: SpecCandidate,
	index: number,
): TsSpecEntry {
	const { expression } = candidate;
	const start = expression.getStart(sourceFile);
	const evaluator = new StaticEvaluator(sourceFile, expression);
	reportLetDeclaration(evaluator, candidate.declaration);
	let value: unknown;
	try {
		value = evaluator.evaluate(expression, [], 0);
	} catch (error) {
		// A call-stack overflow below MAX_EXPRESSION_DEPTH, possible on a host with a small stack.
		if (!(error instanceof RangeError)) {
			throw error;
		}
		evaluator.report(expression, 'depth', 'The spec nests too deeply to evaluate. Flatten it.');
		value = OMITTED;
	}
	if (!isPlainObject(value)) {
		evaluator.report(expression, 'notObject', 'The spec must be an object literal `{ ... }`.');
	}
	evaluator.record([], { valueStart: start, valueEnd: expression.end });
	const syntax = syntaxIssues(sourceFile, evaluator, start, expression.end);
	const issues = [...syntax, ...evaluator.issues];
	return {
		name: candidate.name ?? `spec ${index + 1}`,
		start,
		end: expression.end,
		value: isPlainObject(value) ? value : {},
		issues: issues.sort((a, b) => a.start - b.start),
		locations: evaluator.locations,
	};
}

function reportLetDeclaration(
	evaluator: StaticEvaluator,
	declaration: ts.VariableDeclaration | undefined,
): void {
	const list = declaration?.parent;
	if (declaration === undefined || list === undefined || !ts.isVariableDeclarationList(list)) {
		return;
	}
	if ((list.flags & ts.NodeFlags.Const) === 0) {
		const keyword = (list.flags & ts.NodeFlags.Let) !== 0 ? 'let' : 'var';
		const message = `The @ntk tag marks const declarations, but \`${declaration.name.getText()}\` is declared with ${keyword}. Declare it with const.`;
		evaluator.report(declaration.name, 'notConst', message, 'warning');
	}
}

/**
 * Converts the parse errors inside the spec's range to issues. `parseDiagnostics` is internal to
 * TypeScript but present in 6.0.3. Without it, a missing expression is still reported once.
 */
function syntaxIssues(
	sourceFile: ts.SourceFile,
	evaluator: StaticEvaluator,
	start: number,
	end: number,
): TsSpecIssue[] {
	const internal = sourceFile as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] };
	const diagnostics = internal.parseDiagnostics ?? [];
	const issues: TsSpecIssue[] = diagnostics
		.filter((diagnostic) => diagnostic.start >= start && diagnostic.start <= end)
		.map((diagnostic) => ({
			start: diagnostic.start,
			end: diagnostic.start + diagnostic.length,
			severity: 'error',
			code: 'syntax',
			message: `Syntax error: ${flattenMessage(diagnostic)}`,
		}));
	if (issues.length === 0 && evaluator.hasMissingNode) {
		const message = 'Syntax error: a value is missing in this spec.';
		issues.push({ start, end, severity: 'error', code: 'syntax', message });
	}
	return issues;
}

function flattenMessage(diagnostic: ts.Diagnostic): string {
	return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds one entry covering the whole file, for text that the parser could not read. */
function unparsedFileEntries(sourceText: string): TsSpecEntry[] {
	if (!sourceText.includes(`@${SPEC_TAG}`) && !sourceText.includes(SPEC_TYPE)) {
		return [];
	}
	const end = sourceText.length;
	const message =
		'The TypeScript parser ran out of call stack on this file because it nests too deeply. Reduce the nesting.';
	const root: LocatedPath = { path: [], valueStart: 0, valueEnd: end };
	return [
		{
			name: 'spec 1',
			start: 0,
			end,
			value: {},
			issues: [{ start: 0, end, severity: 'error', code: 'depth', message }],
			locations: new Map([[formatJsonPath([]), root]]),
		},
	];
}
