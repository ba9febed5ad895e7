/**
 * Static evaluation of a TypeScript spec literal: walks the syntax tree of one object literal and
 * builds the plain JSON-like value it denotes, without running any code. Anything whose value
 * depends on running code becomes an issue on its source range and is left out of the value.
 */

import * as ts from 'typescript';

import type { JsonPath } from '../errors';
import { SpecRecorder } from './tsRecorder';
import { evaluateScalar, OMITTED, quoteSource, STATIC_HINT } from './tsScalar';
import type { ScalarContext } from './tsScalar';
import { describeBinding, isUsedBeforeDeclaration, resolveIdentifier } from './tsScope';

/**
 * Maximum nesting of expressions (literals, parentheses, operands, const references) below a spec.
 * The deepest spec value is about 6 levels, and the cap keeps the recursion far from the call-stack
 * limit. On Node 20.20 with the default stack, the TypeScript 6.0.3 parser itself parses 600 nested
 * arrays and overflows at 800.
 */
export const MAX_EXPRESSION_DEPTH = 100;

/**
 * Maximum number of syntax nodes evaluated for one spec. Each reference to a const is expanded
 * again, so consts referring to each other several times could otherwise grow exponentially.
 * Reaching the cap took 0.6 to 2 s under tsx on a 2-core machine shared with other jobs, measured
 * by the test `exponential const expansion stops fast` in test/unit/spec/tsSpecs.test.ts.
 */
export const MAX_EVALUATIONS = 100_000;

type PropertyWithValue = ts.PropertyAssignment | ts.ShorthandPropertyAssignment;

/**
 * Evaluator for one spec literal. It collects the issues and, for every JSON path it evaluates,
 * the source location of the key and value. Values that come from a const declared elsewhere in
 * the file are located inside that declaration.
 */
export class StaticEvaluator extends SpecRecorder {
	/** True when the parser inserted a missing expression (a syntax error) inside the spec. */
	hasMissingNode = false;

	private readonly activeConsts: ts.VariableDeclaration[] = [];
	/** Scalar contexts by depth, reused because creating closures per literal is slow. */
	private readonly scalarContexts: ScalarContext[] = [];
	private evaluationCount = 0;
	private isBudgetExceeded = false;
	private isDepthReported = false;

	constructor(
		sourceFile: ts.SourceFile,
		private readonly specNode: ts.Node,
	) {
		super(sourceFile);
	}

	/**
	 * Evaluates `node`. `path` is where its value goes in the spec, or `undefined` for an operand
	 * whose locations are not recorded.
	 *
	 * @returns the value, or `OMITTED` after an issue was reported
	 */
	evaluate(node: ts.Expression, path: JsonPath | undefined, depth: number): unknown {
		if (!this.enterNode(node, depth)) {
			return OMITTED;
		}
		if (isTransparentWrapper(node)) {
			return this.evaluate(node.expression, path, depth + 1);
		}
		if (ts.isObjectLiteralExpression(node)) {
			return this.evaluateObject(node, path, depth);
		}
		if (ts.isArrayLiteralExpression(node)) {
			return this.evaluateArray(node, path, depth);
		}
		if (ts.isIdentifier(node)) {
			return this.evaluateIdentifier(node, path, depth);
		}
		return evaluateScalar(node, this.scalarContext(depth));
	}

	/** Counts the node against the limits and returns false when one is passed (reported once). */
	private enterNode(node: ts.Node, depth: number): boolean {
		this.evaluationCount += 1;
		if (this.evaluationCount > MAX_EVALUATIONS) {
			if (!this.isBudgetExceeded) {
				this.isBudgetExceeded = true;
				const message = `The spec needs more than ${MAX_EVALUATIONS} evaluation steps, because its consts expand to too many values. Move large data to a data file.`;
				this.report(this.specNode, 'tooLarge', message);
			}
			return false;
		}
		if (depth > MAX_EXPRESSION_DEPTH) {
			if (!this.isDepthReported) {
				this.isDepthReported = true;
				const message = `The spec nests expressions deeper than ${MAX_EXPRESSION_DEPTH} levels here. Flatten it.`;
				this.report(node, 'depth', message);
			}
			return false;
		}
		return true;
	}

	private scalarContext(depth: number): ScalarContext {
		const cached = this.scalarContexts[depth];
		if (cached !== undefined) {
			return cached;
		}
		const context: ScalarContext = {
			evaluateOperand: (operand) => this.evaluate(operand, undefined, depth + 1),
			report: (node, code, message, severity) => this.report(node, code, message, severity),
			quoted: (node) => this.quoted(node),
			isGlobalMath: (identifier) => resolveIdentifier(identifier) === undefined,
		};
		this.scalarContexts[depth] = context;
		return context;
	}

	private evaluateObject(
		node: ts.ObjectLiteralExpression,
		path: JsonPath | undefined,
		depth: number,
	): object {
		const result: Record<string, unknown> = {};
		const keyNodes = new Map<string, ts.Node>();
		for (const property of node.properties) {
			if (this.isBudgetExceeded) {
				break;
			}
			const key = this.propertyKey(property);
			if (key === undefined || !isPropertyWithValue(property)) {
				continue;
			}
			const childPath = path === undefined ? undefined : [...path, key];
			this.handleDuplicateKey(keyNodes.get(key), key, childPath);
			keyNodes.set(key, property.name);
			delete result[key];
			const value = this.evaluateProperty(property, childPath, depth + 1);
			if (value !== OMITTED) {
				// defineProperty, because assigning `__proto__` would set the prototype instead.
				Object.defineProperty(result, key, {
					value,
					enumerable: true,
					writable: true,
					configurable: true,
				});
			}
		}
		return result;
	}

	private handleDuplicateKey(
		previous: ts.Node | undefined,
		key: string,
		childPath: JsonPath | undefined,
	): void {
		if (previous === undefined) {
			return;
		}
		const message = `The key \`${key}\` appears again later in this object, and the later value replaces this one. Remove one of them.`;
		this.report(previous, 'duplicateKey', message, 'warning');
		this.forgetLocations(childPath);
	}

	private evaluateProperty(
		property: PropertyWithValue,
		path: JsonPath | undefined,
		depth: number,
	): unknown {
		const valueNode = ts.isPropertyAssignment(property) ? property.initializer : property.name;
		const value = ts.isPropertyAssignment(property)
			? this.evaluate(property.initializer, path, depth)
			: this.evaluateIdentifier(property.name, path, depth);
		this.record(path, {
			keyStart: property.name.getStart(this.sourceFile),
			keyEnd: property.name.end,
			valueStart: valueNode.getStart(this.sourceFile),
			valueEnd: valueNode.end,
		});
		return value;
	}

	/** Returns the key as JavaScript would store it, or reports why there is none. */
	private propertyKey(property: ts.ObjectLiteralElementLike): string | undefined {
		if (ts.isSpreadAssignment(property)) {
			const message = `Cannot evaluate the spread ${this.quoted(property)} statically. Write the properties out in this object.`;
			this.report(property, 'notStatic', message);
			return undefined;
		}
		if (ts.isMethodDeclaration(property) || ts.isAccessor(property)) {
			const message = `Cannot evaluate the ${memberKind(property)} ${this.quoted(property.name)} statically. Use a property with a literal value.`;
			this.report(property, 'notStatic', message);
			return undefined;
		}
		const name = property.name;
		const key = literalKey(name);
		if (key === undefined) {
			const kind = ts.isComputedPropertyName(name) ? 'computed key' : 'key';
			const message = `Cannot evaluate the ${kind} ${this.quoted(name)} statically. Use an identifier or a string literal as the key.`;
			this.report(name, 'notStatic', message);
			return undefined;
		}
		if (key === '__proto__' && ts.isPropertyAssignment(property)) {
			const message =
				'The key `__proto__` sets the prototype in JavaScript instead of adding a property. Rename the key.';
			this.report(name, 'notStatic', message);
			return undefined;
		}
		return key;
	}

	private evaluateArray(
		node: ts.ArrayLiteralExpression,
		path: JsonPath | undefined,
		depth: number,
	): unknown[] {
		const result: unknown[] = [];
		for (const element of node.elements) {
			if (this.isBudgetExceeded) {
				break;
			}
			if (ts.isSpreadElement(element)) {
				const message = `Cannot evaluate the spread ${this.quoted(element)} statically. Write the elements out in this array.`;
				this.report(element, 'notStatic', message);
				continue;
			}
			if (ts.isOmittedExpression(element)) {
				this.reportHole(element);
				continue;
			}
			const childPath = path === undefined ? undefined : [...path, result.length];
			const value = this.evaluate(element, childPath, depth + 1);
			if (value === OMITTED) {
				// Later elements move up one index, so locations recorded here would be wrong.
				this.forgetLocations(childPath);
				continue;
			}
			this.record(childPath, {
				valueStart: element.getStart(this.sourceFile),
				valueEnd: element.end,
			});
			result.push(value);
		}
		return result;
	}

	/** Reports an array hole on the comma after it, since the hole itself has no width. */
	private reportHole(hole: ts.OmittedExpression): void {
		const scanner = ts.createScanner(ts.ScriptTarget.Latest, true);
		scanner.setText(this.sourceFile.text, hole.end);
		scanner.scan();
		const start = scanner.getTokenStart();
		const message =
			'The array has an empty slot (two commas in a row). Write a value or remove a comma.';
		this.reportRange(start, Math.max(start, scanner.getTokenEnd()), 'notStatic', message);
	}

	private evaluateIdentifier(
		node: ts.Identifier,
		path: JsonPath | undefined,
		depth: number,
	): unknown {
		if (node.text === '') {
			this.hasMissingNode = true;
			return OMITTED;
		}
		const binding = resolveIdentifier(node);
		if (binding === undefined) {
			return this.evaluateGlobal(node);
		}
		if (binding.kind !== 'const') {
			const message = `Cannot evaluate \`${node.text}\` statically because ${describeBinding(binding)}. ${STATIC_HINT}`;
			this.report(node, 'notStatic', message);
			return OMITTED;
		}
		return this.evaluateConst(node, binding.declaration, path, depth);
	}

	private evaluateGlobal(node: ts.Identifier): unknown {
		if (node.text === 'Infinity' || node.text === 'NaN') {
			const message = `\`${node.text}\` is not a finite number, and JSON cannot represent it.`;
			this.report(node, 'nonFinite', message, 'warning');
			return node.text === 'NaN' ? NaN : Infinity;
		}
		if (node.text === 'undefined') {
			const message = '`undefined` is not a JSON value. Use null or remove the property.';
			this.report(node, 'notStatic', message);
			return OMITTED;
		}
		const message = `Cannot evaluate \`${node.text}\` statically because it is not declared in this file. ${STATIC_HINT}`;
		this.report(node, 'notStatic', message);
		return OMITTED;
	}

	/** Evaluates a const's initializer at `path`, with cycle detection through `activeConsts`. */
	private evaluateConst(
		reference: ts.Identifier,
		declaration: ts.VariableDeclaration,
		path: JsonPath | undefined,
		depth: number,
	): unknown {
		const cycleStart = this.activeConsts.indexOf(declaration);
		if (cycleStart >= 0) {
			const cycle = [...this.activeConsts.slice(cycleStart), declaration];
			const names = cycle.map((item) => item.name.getText(this.sourceFile)).join(' -> ');
			const message = `Cannot evaluate \`${reference.text}\` statically because the consts ${names} refer to each other in a cycle. Replace one reference with a literal.`;
			this.report(reference, 'cycle', message);
			return OMITTED;
		}
		if (declaration.initializer === undefined) {
			const message = `Cannot evaluate \`${reference.text}\` statically because its const declaration has no initializer. ${STATIC_HINT}`;
			this.report(reference, 'notStatic', message);
			return OMITTED;
		}
		this.reportUseBeforeDeclaration(reference, declaration);
		this.activeConsts.push(declaration);
		const value = this.evaluate(declaration.initializer, path, depth + 1);
		this.activeConsts.pop();
		if (value === OMITTED && this.isInsideSpec(reference)) {
			const position = declaration.getStart(this.sourceFile);
			const line = this.sourceFile.getLineAndCharacterOfPosition(position).line + 1;
			const message = `Cannot evaluate \`${reference.text}\` statically because the initializer of its const declaration on line ${line} cannot be evaluated.`;
			this.report(reference, 'notStatic', message);
		}
		return value;
	}

	/** Reports a reference that throws a ReferenceError because it runs before the declaration. */
	private reportUseBeforeDeclaration(
		reference: ts.Identifier,
		declaration: ts.VariableDeclaration,
	): void {
		if (!isUsedBeforeDeclaration(reference, declaration)) {
			return;
		}
		const position = declaration.getStart(this.sourceFile);
		const line = this.sourceFile.getLineAndCharacterOfPosition(position).line + 1;
		const message = `\`${reference.text}\` is used before its const declaration on line ${line}, so JavaScript throws a ReferenceError here. Move the declaration above this line.`;
		this.report(reference, 'notStatic', message);
	}

	private isInsideSpec(node: ts.Node): boolean {
		return node.pos >= this.specNode.pos && node.end <= this.specNode.end;
	}

	private quoted(node: ts.Node): string {
		return quoteSource(node, this.sourceFile);
	}
}

/** Tells whether the node only wraps a value: parentheses, `as`, `satisfies`, `<T>x` or `x!`. */
function isTransparentWrapper(
	node: ts.Expression,
): node is
	| ts.ParenthesizedExpression
	| ts.AsExpression
	| ts.SatisfiesExpression
	| ts.TypeAssertion
	| ts.NonNullExpression {
	return (
		ts.isParenthesizedExpression(node) ||
		ts.isAsExpression(node) ||
		ts.isSatisfiesExpression(node) ||
		ts.isTypeAssertionExpression(node) ||
		ts.isNonNullExpression(node)
	);
}

function isPropertyWithValue(property: ts.ObjectLiteralElementLike): property is PropertyWithValue {
	return ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property);
}

function memberKind(member: ts.MethodDeclaration | ts.AccessorDeclaration): string {
	if (ts.isMethodDeclaration(member)) {
		return 'method';
	}
	return ts.isGetAccessor(member) ? 'getter' : 'setter';
}

/** Returns the key of an identifier, string or numeric property name as JavaScript stores it. */
function literalKey(name: ts.PropertyName): string | undefined {
	if (ts.isIdentifier(name) || ts.isStringLiteral(name)) {
		return name.text;
	}
	if (ts.isNumericLiteral(name)) {
		return String(Number(name.text));
	}
	return undefined;
}
