/**
 * Finds the declaration an identifier refers to inside one TypeScript source file, without a
 * Program or type checker. The static spec reader evaluates a reference to a `const`, and rejects
 * references to imports, `let`, parameters and functions.
 */

import * as ts from 'typescript';

/** What an identifier refers to, as far as a single file shows. */
export type Binding =
	| { readonly kind: 'const'; readonly declaration: ts.VariableDeclaration }
	| {
			readonly kind: 'let' | 'var' | 'destructured';
			readonly declaration: ts.VariableDeclaration;
	  }
	| { readonly kind: 'import'; readonly moduleName: string }
	| { readonly kind: 'function' | 'class' | 'enum' | 'parameter' | 'namespace' };

/**
 * Resolves `identifier` by walking out through the enclosing blocks and functions to the source
 * file, the way JavaScript block scoping does for `const`, `let`, functions and parameters.
 *
 * Limitations: `var` hoisting out of nested blocks, `for` loop variables and `catch` clause
 * variables are not seen, so such a name resolves to an outer declaration or to nothing.
 *
 * @param identifier - a reference in an expression
 * @returns the binding, or `undefined` when the file does not declare the name (a global)
 */
export function resolveIdentifier(identifier: ts.Identifier): Binding | undefined {
	const name = identifier.text;
	for (let scope: ts.Node | undefined = identifier.parent; scope; scope = scope.parent) {
		const binding = findInScope(scope, name);
		if (binding !== undefined) {
			return binding;
		}
	}
	return undefined;
}

/**
 * Tells whether a reference runs before its const declaration, where JavaScript throws a
 * ReferenceError (the temporal dead zone). A reference inside a function that lies between the
 * declaration's scope and the reference may run later, so it does not count.
 */
export function isUsedBeforeDeclaration(
	reference: ts.Identifier,
	declaration: ts.VariableDeclaration,
): boolean {
	if (reference.pos >= declaration.pos) {
		return false;
	}
	const scope = declaration.parent.parent.parent;
	for (let node: ts.Node = reference.parent; node !== scope; node = node.parent) {
		if (ts.isFunctionLike(node) || ts.isSourceFile(node)) {
			return false;
		}
	}
	return true;
}

/** Describes why a binding cannot be evaluated, as the end of a "because" clause. */
export function describeBinding(binding: Binding): string {
	switch (binding.kind) {
		case 'const':
			return 'it is a const';
		case 'let':
		case 'var':
			return `it is declared with ${binding.kind}, not const`;
		case 'destructured':
			return 'it comes from a destructuring declaration';
		case 'import':
			return `it is imported from '${binding.moduleName}'`;
		case 'parameter':
			return 'it is a function parameter';
		default:
			return `it is a ${binding.kind}, not a const`;
	}
}

function findInScope(scope: ts.Node, name: string): Binding | undefined {
	if (ts.isFunctionLike(scope)) {
		const isParameter = scope.parameters.some((parameter) => bindsName(parameter.name, name));
		return isParameter ? { kind: 'parameter' } : undefined;
	}
	if (hasStatements(scope)) {
		for (const statement of scope.statements) {
			const binding = findInStatement(statement, name);
			if (binding !== undefined) {
				return binding;
			}
		}
	}
	return undefined;
}

function findInStatement(statement: ts.Statement, name: string): Binding | undefined {
	if (ts.isVariableStatement(statement)) {
		return findInVariableList(statement.declarationList, name);
	}
	if (ts.isImportDeclaration(statement)) {
		return findInImport(statement, name);
	}
	if (ts.isImportEqualsDeclaration(statement)) {
		const moduleName = statement.moduleReference.getText();
		return statement.name.text === name ? { kind: 'import', moduleName } : undefined;
	}
	const declaredName = (statement as { name?: ts.Node }).name;
	const isNamed = declaredName !== undefined && ts.isIdentifier(declaredName);
	if (!isNamed || declaredName.text !== name) {
		return undefined;
	}
	if (ts.isFunctionDeclaration(statement)) {
		return { kind: 'function' };
	}
	if (ts.isClassDeclaration(statement)) {
		return { kind: 'class' };
	}
	if (ts.isEnumDeclaration(statement)) {
		return { kind: 'enum' };
	}
	return ts.isModuleDeclaration(statement) ? { kind: 'namespace' } : undefined;
}

function findInVariableList(list: ts.VariableDeclarationList, name: string): Binding | undefined {
	const declaration = list.declarations.find((candidate) => bindsName(candidate.name, name));
	if (declaration === undefined) {
		return undefined;
	}
	if (!ts.isIdentifier(declaration.name)) {
		return { kind: 'destructured', declaration };
	}
	if ((list.flags & ts.NodeFlags.Const) !== 0) {
		return { kind: 'const', declaration };
	}
	return { kind: (list.flags & ts.NodeFlags.Let) !== 0 ? 'let' : 'var', declaration };
}

function findInImport(statement: ts.ImportDeclaration, name: string): Binding | undefined {
	const clause = statement.importClause;
	const specifier = statement.moduleSpecifier;
	const moduleName = ts.isStringLiteral(specifier) ? specifier.text : specifier.getText();
	if (clause === undefined) {
		return undefined;
	}
	const bindings = clause.namedBindings;
	const isDefault = clause.name?.text === name;
	const isNamespace =
		bindings !== undefined && ts.isNamespaceImport(bindings) && bindings.name.text === name;
	const isNamed =
		bindings !== undefined &&
		ts.isNamedImports(bindings) &&
		bindings.elements.some((element) => element.name.text === name);
	return isDefault || isNamespace || isNamed ? { kind: 'import', moduleName } : undefined;
}

function hasStatements(
	scope: ts.Node,
): scope is ts.SourceFile | ts.Block | ts.ModuleBlock | ts.CaseOrDefaultClause {
	return (
		ts.isSourceFile(scope) ||
		ts.isBlock(scope) ||
		ts.isModuleBlock(scope) ||
		ts.isCaseOrDefaultClause(scope)
	);
}

/** True when a declaration name, possibly a destructuring pattern, declares `name`. */
function bindsName(declarationName: ts.BindingName, name: string): boolean {
	if (ts.isIdentifier(declarationName)) {
		return declarationName.text === name;
	}
	return declarationName.elements.some(
		(element) => !ts.isOmittedExpression(element) && bindsName(element.name, name),
	);
}
