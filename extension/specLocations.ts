/** Lookups in a spec's table of located JSON paths; light enough for the extension host. */

import type { JsonPath } from '../src/errors';
import type { LocatedPath, SourceLocation } from './workerProtocol';

/**
 * Finds the location of `path` in a location table, or of its nearest ancestor that is written
 * in the document. Returns `fallback` when not even the first key is written.
 */
export function nearestLocation(
	locations: readonly LocatedPath[],
	path: JsonPath,
	fallback: SourceLocation,
): SourceLocation {
	// Linear search: the table lists object properties only, never the elements of number arrays.
	for (let length = path.length; length > 0; length--) {
		const prefix = path.slice(0, length);
		const found = locations.find((entry) => samePath(entry.path, prefix));
		if (found) {
			return found;
		}
	}
	return fallback;
}

/** Returns true when two JSON paths are equal key by key. */
export function samePath(a: JsonPath, b: JsonPath): boolean {
	return a.length === b.length && a.every((key, i) => key === b[i]);
}
