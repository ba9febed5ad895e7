/**
 * Node implementation of the file access that `loadSpec` takes as options: reading data files as
 * UTF-8 and loading a spec from its path. Everything else in `src/spec/` is free of Node I/O.
 */

import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

import { SpecError } from '../errors';
import { errorIssue } from './issues';
import { loadSpec } from './load';
import type * as TsSpecs from './tsSpecs';
import type { LoadedSpec } from './load';
import { createNodeFileReader, decodeUtf8, MAX_DATA_FILE_BYTES } from './nodeFileReader';
import { INVALID_UTF8_CODE } from './options';
import type { SpecLoadOptions } from './options';

/** Extensions of files read as TypeScript: their specs are the tagged object literals. */
const TYPESCRIPT_EXTENSIONS = /\.(ts|mts|cts|tsx)$/i;

/**
 * Reads and loads a spec file. Data paths resolve against the file's folder and the default name
 * is the file name without `.ntk.json` or `.json`. A TypeScript file is read statically (never
 * run): its spec is the one named `specName`, or its only spec.
 *
 * @param specPath - path of the spec file, absolute or relative to the working directory
 * @param options - overrides of the derived options, for example `allowDataFiles: false`, and for
 * TypeScript files `specName`, the const name of the spec to load
 * @throws SpecError for an invalid spec or a spec file that is not UTF-8; Node's error when the spec
 * file itself cannot be read
 */
export function loadSpecFile(
	specPath: string,
	options: SpecLoadOptions & { readonly specName?: string } = {},
): LoadedSpec {
	const absolute = resolve(specPath);
	const text = readSpecText(absolute);
	const { specName, ...loadOptions } = options;
	const isTypeScript = TYPESCRIPT_EXTENSIONS.test(absolute);
	const input = isTypeScript ? typeScriptSpecValue(text, absolute, specName) : text;
	return loadSpec(input, {
		readFile: createNodeFileReader(loadOptions.workspaceRoot),
		baseDirectory: dirname(absolute),
		defaultName: basename(absolute).replace(/(\.ntk)?\.json$/i, '').replace(TYPESCRIPT_EXTENSIONS, ''),
		...loadOptions,
	});
}

/**
 * Picks one spec of a TypeScript file and returns its statically evaluated value.
 *
 * @throws SpecError when the file has no spec, several specs and no `specName`, no spec of that
 * name, or a construct that cannot be evaluated statically (named with its line)
 */
function typeScriptSpecValue(text: string, fileName: string, specName: string | undefined): unknown {
	// Loaded on first use: the TypeScript compiler it bundles takes a few hundred milliseconds to
	// initialise, which JSON specs should not pay.
	const { findTypeScriptSpecs } = require('./tsSpecs') as typeof TsSpecs;
	const entries = findTypeScriptSpecs(text, fileName);
	const names = entries.map((entry) => entry.name);
	if (entries.length === 0) {
		const message =
			'The file has no spec. Tag a const holding the spec object with a /** @ntk */ JSDoc comment, or write the object as `{ ... } satisfies NtkSpec`.';
		throw new SpecError([errorIssue([], 'noSpec', message)]);
	}
	const entry = specName === undefined ? entries[0] : entries.find((e) => e.name === specName);
	if (entry === undefined) {
		const message = `The file has no spec named "${specName}". Its specs are: ${names.join(', ')}.`;
		throw new SpecError([errorIssue([], 'noSpec', message)]);
	}
	if (specName === undefined && entries.length > 1) {
		const message = `The file has ${entries.length} specs (${names.join(', ')}). Choose one with --spec NAME.`;
		throw new SpecError([errorIssue([], 'severalSpecs', message)]);
	}
	const errors = entry.issues.filter((issue) => issue.severity === 'error');
	if (errors.length > 0) {
		const lineOf = (offset: number) => 1 + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
		const issues = errors.map((issue) =>
			errorIssue([], issue.code, `line ${lineOf(issue.start)} of spec ${entry.name}: ${issue.message}`),
		);
		throw new SpecError(issues);
	}
	return entry.value;
}

function readSpecText(absolutePath: string): string {
	try {
		return decodeUtf8(readFileSync(absolutePath));
	} catch (error) {
		if ((error as { code?: unknown }).code !== INVALID_UTF8_CODE) {
			throw error;
		}
		const message = `The spec file ${(error as Error).message.replace(/^it /, '')}. Save the file with UTF-8 encoding.`;
		throw new SpecError([errorIssue([], 'encoding', message)]);
	}
}

export { createNodeFileReader, decodeUtf8, MAX_DATA_FILE_BYTES };
