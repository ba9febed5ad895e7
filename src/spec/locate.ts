/**
 * Source locations of JSON paths in spec files, for placing diagnostics and recognising hovers:
 * `*.ntk.json` text through jsonc-parser's syntax tree, TypeScript specs through the locations
 * that `findTypeScriptSpecs` records. All offsets are 0-based UTF-16 string offsets, end exclusive.
 */

import { findNodeAtOffset, parseTree } from 'jsonc-parser';
import type { Node as JsonNode } from 'jsonc-parser';

import { formatJsonPath } from '../errors';
import type { JsonPath } from '../errors';
import type { TsSpecEntry } from './tsSpecs';

/** Source range of a value and, for an object property, of its key. */
export interface PathLocation {
	/** Start of the property's key, including quotes; absent for array elements and the root. */
	readonly keyStart?: number;
	readonly keyEnd?: number;
	readonly valueStart: number;
	readonly valueEnd: number;
}

/** A location together with the path it belongs to. */
export interface LocatedPath extends PathLocation {
	/** The located path: the requested one, or its nearest existing ancestor when it is missing. */
	readonly path: JsonPath;
}

/** The JSON path under an offset, and whether the offset is on the property key. */
export interface PathAtOffset {
	readonly path: JsonPath;
	readonly onKey: boolean;
}

/** A path under an offset in a TypeScript file, with the spec it belongs to. */
export interface TsPathAtOffset extends PathAtOffset {
	readonly entry: TsSpecEntry;
}

/** jsonc-parser options: comments and trailing commas do not stop the tree from being built. */
const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };

/**
 * Locates `path` in JSON text. When the path does not exist, the nearest existing ancestor is
 * returned, so a missing key is reported on its parent object. With duplicate keys the last one
 * is located, because `JSON.parse` and jsonc-parser keep the last value.
 *
 * @param jsonText - the spec file's text; syntax errors are tolerated as far as jsonc-parser can
 * @param path - keys and array indices, for example `['training', 'alpha']`
 * @returns the location and the path actually located, or `[]` over the whole text when the
 * text contains no JSON value
 */
export function locateJsonPath(jsonText: string, path: JsonPath): LocatedPath {
	const root = parseTree(jsonText, [], PARSE_OPTIONS);
	if (root === undefined) {
		return { path: [], valueStart: 0, valueEnd: jsonText.length };
	}
	let located: JsonNode = root;
	let depth = 0;
	for (; depth < path.length; depth += 1) {
		// A property node is located by its key and value, and the search goes on in its value.
		const container = located.type === 'property' ? located.children?.[1] : located;
		const child = container === undefined ? undefined : childAt(container, path[depth]);
		if (child === undefined) {
			break;
		}
		located = child;
	}
	return { path: path.slice(0, depth), ...jsonNodeLocation(located) };
}

/**
 * Finds the JSON path under an offset, for hovers. An offset on a key gives the property's path
 * with `onKey` true. An offset on the colon or between tokens gives the innermost enclosing
 * property, element or container.
 *
 * @param jsonText - the spec file's text
 * @param offset - UTF-16 offset of the character under the pointer
 * @returns the path, or `undefined` when the offset is outside the top-level value
 */
export function jsonPathAtOffset(jsonText: string, offset: number): PathAtOffset | undefined {
	const root = parseTree(jsonText, [], PARSE_OPTIONS);
	const node = root === undefined ? undefined : findNodeAtOffset(root, offset);
	if (node === undefined) {
		return undefined;
	}
	const parent = node.parent;
	const onKey = parent?.type === 'property' && parent.children?.[0] === node;
	return { path: jsonNodePath(node), onKey };
}

/**
 * Locates `path` in a TypeScript spec, falling back to the nearest ancestor with a location as
 * `locateJsonPath` does. A number matches an array index or a numeric object key (`{ 0: ... }`),
 * and a string of digits matches either too.
 *
 * @param entry - a spec returned by `findTypeScriptSpecs`
 * @param path - keys and array indices
 * @returns the location and the path actually located
 */
export function locateTsPath(entry: TsSpecEntry, path: JsonPath): LocatedPath {
	let located = entry.locations.get(formatJsonPath([])) ?? {
		path: [],
		valueStart: entry.start,
		valueEnd: entry.end,
	};
	for (const part of path) {
		const child = findTsChild(entry, located.path, part);
		if (child === undefined) {
			break;
		}
		located = child;
	}
	return located;
}

/**
 * Finds the spec path under an offset in a TypeScript file, for hovers. The smallest key or value
 * range containing the offset wins, so the innermost property is returned.
 *
 * @param entries - the specs returned by `findTypeScriptSpecs` for the file
 * @param offset - UTF-16 offset of the character under the pointer
 * @returns the entry, path and whether the offset is on a key; `undefined` outside every spec
 */
export function tsPathAtOffset(
	entries: readonly TsSpecEntry[],
	offset: number,
): TsPathAtOffset | undefined {
	let best: TsPathAtOffset | undefined;
	let bestSize = Infinity;
	for (const entry of entries) {
		for (const location of entry.locations.values()) {
			const { keyStart = -1, keyEnd = -1, valueStart, valueEnd } = location;
			if (isInside(offset, keyStart, keyEnd) && keyEnd - keyStart < bestSize) {
				best = { entry, path: location.path, onKey: true };
				bestSize = keyEnd - keyStart;
			}
			if (isInside(offset, valueStart, valueEnd) && valueEnd - valueStart < bestSize) {
				best = { entry, path: location.path, onKey: false };
				bestSize = valueEnd - valueStart;
			}
		}
	}
	return best;
}

function findTsChild(
	entry: TsSpecEntry,
	parentPath: JsonPath,
	part: string | number,
): LocatedPath | undefined {
	const exact = entry.locations.get(formatJsonPath([...parentPath, part]));
	if (exact !== undefined) {
		return exact;
	}
	const other = alternativeKey(part);
	if (other === undefined) {
		return undefined;
	}
	return entry.locations.get(formatJsonPath([...parentPath, other]));
}

/** Returns the same key in the other form: `3` for `'3'` and `'3'` for `3`. */
function alternativeKey(part: string | number): string | number | undefined {
	if (typeof part === 'number') {
		return String(part);
	}
	return /^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : undefined;
}

function isInside(offset: number, start: number, end: number): boolean {
	return offset >= start && offset < end;
}

/** Returns the child of an object (last property with the key) or array (element at the index). */
function childAt(node: JsonNode, key: string | number): JsonNode | undefined {
	const children = node.children ?? [];
	if (node.type === 'object') {
		const name = String(key);
		for (let index = children.length - 1; index >= 0; index -= 1) {
			const property = children[index];
			if (property.children?.[0]?.value === name) {
				return property;
			}
		}
		return undefined;
	}
	if (node.type === 'array' && typeof key === 'number' && Number.isInteger(key) && key >= 0) {
		return children[key];
	}
	return undefined;
}

/** Returns the location of a value node, or of a property node's key and value. */
function jsonNodeLocation(node: JsonNode): PathLocation {
	if (node.type !== 'property') {
		return { valueStart: node.offset, valueEnd: node.offset + node.length };
	}
	const [key, value] = node.children ?? [];
	const keyEnd = key.offset + key.length;
	if (value === undefined) {
		// `"alpha":` with the value still to be typed: an empty range after the colon.
		const after = node.colonOffset === undefined ? keyEnd : node.colonOffset + 1;
		return { keyStart: key.offset, keyEnd, valueStart: after, valueEnd: after };
	}
	const valueEnd = value.offset + value.length;
	return { keyStart: key.offset, keyEnd, valueStart: value.offset, valueEnd };
}

/** Returns the path of a node. A property node gives the path of its value, including the key. */
function jsonNodePath(node: JsonNode): JsonPath {
	const path: (string | number)[] = [];
	let current: JsonNode | undefined = node;
	while (current?.parent !== undefined) {
		const parent: JsonNode = current.parent;
		if (parent.type === 'property') {
			current = parent;
			continue;
		}
		if (current.type === 'property') {
			path.unshift(String(current.children?.[0]?.value));
		} else if (parent.type === 'array') {
			path.unshift(parent.children?.indexOf(current) ?? 0);
		}
		current = parent;
	}
	return path;
}
