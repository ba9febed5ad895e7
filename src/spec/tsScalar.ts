/**
 * Static evaluation of the scalar expressions a TypeScript spec may contain: string, number,
 * boolean and null literals, unary minus and plus, the arithmetic operators + - * / % ** and a few
 * members of `Math`. Arithmetic follows JavaScript's IEEE 754 doubles, so `1 / 0` is Infinity.
 */

import * as ts from 'typescript';

import type { IssueSeverity } from '../errors';
import type { TsSpecIssueCode } from './tsSpecs';

/** Marks a value that could not be evaluated statically and is left out of the result. */
export const OMITTED: unique symbol = Symbol('omitted');

/** Advice appended to the message about a value that needs code to run. */
export const STATIC_HINT = 'Use a literal or a const declared in this file.';

/** Maximum length of source text quoted in a message. */
const QUOTE_LENGTH = 40;

/** Callbacks into the evaluator of the whole spec, used for operands and issues. */
export interface ScalarContext {
	/** Evaluates an operand one level deeper, returning `OMITTED` after reporting a problem. */
	evaluateOperand(node: ts.Expression): unknown;
	report(node: ts.Node, code: TsSpecIssueCode, message: string, severity?: IssueSeverity): void;
	/** The node's source text, shortened and quoted for a message. */
	quoted(node: ts.Node): string;
	/** True when `Math` in `Math.name` is the global object, not a declaration of this file. */
	isGlobalMath(identifier: ts.Identifier): boolean;
}

interface MathFunction {
	readonly minArguments: number;
	readonly maxArguments: number;
	readonly apply: (...args: number[]) => number;
}

const MATH_FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map([
	['sqrt', { minArguments: 1, maxArguments: 1, apply: Math.sqrt }],
	['exp', { minArguments: 1, maxArguments: 1, apply: Math.exp }],
	['log', { minArguments: 1, maxArguments: 1, apply: Math.log }],
	['abs', { minArguments: 1, maxArguments: 1, apply: Math.abs }],
	['pow', { minArguments: 2, maxArguments: 2, apply: Math.pow }],
	['min', { minArguments: 1, maxArguments: Infinity, apply: Math.min }],
	['max', { minArguments: 1, maxArguments: Infinity, apply: Math.max }],
]);

const MATH_CONSTANTS: ReadonlyMap<string, number> = new Map([
	['PI', Math.PI],
	['E', Math.E],
]);

const MATH_SUPPORTED = 'Math.sqrt, exp, log, pow, abs, min, max, PI and E';

type BinaryOperator = (left: number, right: number) => number;

const BINARY_OPERATORS: ReadonlyMap<ts.SyntaxKind, BinaryOperator> = new Map([
	[ts.SyntaxKind.PlusToken, (left: number, right: number) => left + right],
	[ts.SyntaxKind.MinusToken, (left: number, right: number) => left - right],
	[ts.SyntaxKind.AsteriskToken, (left: number, right: number) => left * right],
	[ts.SyntaxKind.SlashToken, (left: number, right: number) => left / right],
	[ts.SyntaxKind.PercentToken, (left: number, right: number) => left % right],
	[ts.SyntaxKind.AsteriskAsteriskToken, (left: number, right: number) => left ** right],
]);

/**
 * Evaluates a literal or an arithmetic expression. Anything else is reported as not static.
 *
 * @returns the value, or `OMITTED` after an issue was reported
 */
export function evaluateScalar(node: ts.Expression, context: ScalarContext): unknown {
	if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
		return node.text;
	}
	if (ts.isNumericLiteral(node)) {
		return evaluateNumericLiteral(node, context);
	}
	if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) {
		return node.kind === ts.SyntaxKind.TrueKeyword;
	}
	if (node.kind === ts.SyntaxKind.NullKeyword) {
		return null;
	}
	if (ts.isPrefixUnaryExpression(node)) {
		return evaluatePrefixUnary(node, context);
	}
	if (ts.isBinaryExpression(node)) {
		return evaluateBinary(node, context);
	}
	if (ts.isCallExpression(node)) {
		return evaluateCall(node, context);
	}
	if (ts.isPropertyAccessExpression(node)) {
		return evaluateMathConstant(node, context);
	}
	context.report(node, 'notStatic', notStaticMessage(node, context.quoted(node)));
	return OMITTED;
}

/**
 * Quotes a node's source text for a message: on one line, shortened to `QUOTE_LENGTH` characters,
 * in backticks, or in single quotes when the text contains a backtick.
 */
export function quoteSource(node: ts.Node, sourceFile: ts.SourceFile): string {
	const line = node.getText(sourceFile).replace(/\s+/g, ' ');
	const text = line.length <= QUOTE_LENGTH ? line : `${line.slice(0, QUOTE_LENGTH - 1)}…`;
	return text.includes('`') ? `'${text}'` : `\`${text}\``;
}

/** Reads a numeric literal. TypeScript has already removed separators and converted hex. */
function evaluateNumericLiteral(node: ts.NumericLiteral, context: ScalarContext): number {
	const value = Number(node.text);
	if (!Number.isFinite(value)) {
		context.report(
			node,
			'nonFinite',
			`The number ${context.quoted(node)} is too large for a double and becomes Infinity, which JSON cannot represent.`,
			'warning',
		);
	}
	return value;
}

function evaluatePrefixUnary(node: ts.PrefixUnaryExpression, context: ScalarContext): unknown {
	const isMinus = node.operator === ts.SyntaxKind.MinusToken;
	if (!isMinus && node.operator !== ts.SyntaxKind.PlusToken) {
		context.report(
			node,
			'notStatic',
			`Cannot evaluate ${context.quoted(node)} statically because only the unary operators - and + are supported.`,
		);
		return OMITTED;
	}
	const operand = context.evaluateOperand(node.operand);
	if (operand === OMITTED) {
		return OMITTED;
	}
	if (typeof operand !== 'number') {
		const name = isMinus ? 'minus' : 'plus';
		context.report(
			node,
			'notStatic',
			`Cannot evaluate ${context.quoted(node)} statically because unary ${name} applies to numbers only here.`,
		);
		return OMITTED;
	}
	return isMinus ? -operand : operand;
}

function evaluateBinary(node: ts.BinaryExpression, context: ScalarContext): unknown {
	const operator = BINARY_OPERATORS.get(node.operatorToken.kind);
	const operatorText = ts.tokenToString(node.operatorToken.kind) ?? '?';
	if (operator === undefined) {
		context.report(
			node,
			'notStatic',
			`Cannot evaluate ${context.quoted(node)} statically because the operator ${operatorText} is not supported. Use + - * / % ** on numbers.`,
		);
		return OMITTED;
	}
	const left = context.evaluateOperand(node.left);
	const right = context.evaluateOperand(node.right);
	if (left === OMITTED || right === OMITTED) {
		return OMITTED;
	}
	if (operatorText === '+' && typeof left === 'string' && typeof right === 'string') {
		return left + right;
	}
	if (typeof left !== 'number' || typeof right !== 'number') {
		context.report(
			node,
			'notStatic',
			`Cannot evaluate ${context.quoted(node)} statically because the operator ${operatorText} needs two numbers here.`,
		);
		return OMITTED;
	}
	return checkFinite(node, operator(left, right), [left, right], context);
}

function evaluateCall(node: ts.CallExpression, context: ScalarContext): unknown {
	const name = mathMemberName(node.expression, context);
	const mathFunction = name === undefined ? undefined : MATH_FUNCTIONS.get(name);
	if (name === undefined || mathFunction === undefined) {
		const message =
			name === undefined
				? `Cannot evaluate the call ${context.quoted(node)} statically. ${STATIC_HINT}`
				: `Cannot evaluate ${context.quoted(node)} statically because only ${MATH_SUPPORTED} are supported.`;
		context.report(node, 'notStatic', message);
		return OMITTED;
	}
	const { minArguments, maxArguments } = mathFunction;
	const count = node.arguments.length;
	if (count < minArguments || count > maxArguments) {
		const expected =
			minArguments === maxArguments ? `${minArguments}` : `at least ${minArguments}`;
		const plural = expected === '1' ? '' : 's';
		const message = `Math.${name} takes ${expected} argument${plural}, got ${count}.`;
		context.report(node, 'notStatic', message);
		return OMITTED;
	}
	const args = evaluateMathArguments(node, `Math.${name}`, context);
	if (args === undefined) {
		return OMITTED;
	}
	return checkFinite(node, mathFunction.apply(...args), args, context);
}

function evaluateMathArguments(
	node: ts.CallExpression,
	functionName: string,
	context: ScalarContext,
): number[] | undefined {
	const values: number[] = [];
	for (const argument of node.arguments) {
		if (ts.isSpreadElement(argument)) {
			context.report(
				argument,
				'notStatic',
				`Cannot evaluate the spread ${context.quoted(argument)} statically. Write the arguments out.`,
			);
			return undefined;
		}
		const value = context.evaluateOperand(argument);
		if (value === OMITTED) {
			return undefined;
		}
		if (typeof value !== 'number') {
			const message = `The argument ${context.quoted(argument)} of ${functionName} must be a number.`;
			context.report(argument, 'notStatic', message);
			return undefined;
		}
		values.push(value);
	}
	return values;
}

function evaluateMathConstant(node: ts.PropertyAccessExpression, context: ScalarContext): unknown {
	const name = mathMemberName(node, context);
	const value = name === undefined ? undefined : MATH_CONSTANTS.get(name);
	if (value !== undefined) {
		return value;
	}
	const message =
		name === undefined
			? `Cannot evaluate ${context.quoted(node)} statically. ${STATIC_HINT}`
			: `Cannot evaluate ${context.quoted(node)} statically because only ${MATH_SUPPORTED} are supported.`;
	context.report(node, 'notStatic', message);
	return OMITTED;
}

/** Returns the member name of `Math.name` when `Math` is the global object. */
function mathMemberName(node: ts.Expression, context: ScalarContext): string | undefined {
	if (!ts.isPropertyAccessExpression(node) || node.questionDotToken !== undefined) {
		return undefined;
	}
	const object = node.expression;
	if (!ts.isIdentifier(object) || object.text !== 'Math' || !context.isGlobalMath(object)) {
		return undefined;
	}
	return ts.isIdentifier(node.name) ? node.name.text : undefined;
}

/** Warns when finite inputs gave a non-finite result, such as `1 / 0` or `Math.log(-1)`. */
function checkFinite(
	node: ts.Node,
	result: number,
	inputs: readonly number[],
	context: ScalarContext,
): number {
	if (!Number.isFinite(result) && inputs.every(Number.isFinite)) {
		context.report(
			node,
			'nonFinite',
			`${context.quoted(node)} evaluates to ${result}, which JSON cannot represent.`,
			'warning',
		);
	}
	return result;
}

function notStaticMessage(node: ts.Expression, quotedText: string): string {
	if (ts.isTemplateExpression(node)) {
		return `Cannot evaluate the template literal ${quotedText} statically because it has substitutions. Use a plain string.`;
	}
	if (ts.isBigIntLiteral(node)) {
		return `The BigInt ${quotedText} is not a JSON number. Remove the n suffix.`;
	}
	if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
		return `Cannot evaluate the function ${quotedText} statically. ${STATIC_HINT}`;
	}
	return `Cannot evaluate ${quotedText} statically. ${STATIC_HINT}`;
}
