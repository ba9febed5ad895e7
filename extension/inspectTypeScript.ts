/** Turns the specs found in a TypeScript document into spec sources for `inspectDocument`. */

import type { TsSpecEntry } from '../src/spec/tsSpecs';
import type { SpecSource } from './inspect';
import type { LocatedIssue, LocatedPath } from './workerProtocol';

type TsReader = typeof import('./tsReader');

/**
 * Module of the TypeScript reader: `extension/tsReader.ts` from source, `dist/tsReader.js` from
 * the worker bundle. A variable, so esbuild leaves the `require` to run time.
 */
const TS_READER_MODULE = './tsReader';

let reader: TsReader | undefined;

/** Reads the tagged specs of a TypeScript file statically; never executes the file. */
export function findTsSpecSources(text: string, fileName: string): SpecSource[] {
	reader ??= require(TS_READER_MODULE) as TsReader;
	const { findTypeScriptSpecs, locateTsPath } = reader;
	return findTypeScriptSpecs(text, fileName).map((entry) => tsSource(entry, locateTsPath));
}

function tsSource(entry: TsSpecEntry, locateTsPath: TsReader['locateTsPath']): SpecSource {
	const sourceIssues: LocatedIssue[] = entry.issues.map((issue) => ({
		path: [],
		severity: issue.severity,
		code: issue.code,
		message: issue.message,
		start: issue.start,
		end: issue.end,
	}));
	return {
		name: entry.name,
		start: entry.start,
		end: entry.end,
		input: entry.value,
		raw: entry.value,
		locations: propertyLocations(entry),
		sourceIssues,
		locate: (path) => locateTsPath(entry, path),
	};
}

/** Locations of object properties; elements of number arrays (data, weights) are left out. */
function propertyLocations(entry: TsSpecEntry): LocatedPath[] {
	return [...entry.locations.values()].filter((location) => {
		const last = location.path[location.path.length - 1];
		return typeof last === 'string' || location.path.includes('layers');
	});
}
