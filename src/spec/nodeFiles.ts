/**
 * Node implementation of the file access that `loadSpec` takes as options: reading data files as
 * UTF-8 and loading a spec from its path. Everything else in `src/spec/` is free of Node I/O.
 */

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';

import { SpecError } from '../errors';
import { errorIssue } from './issues';
import { loadSpec } from './load';
import type * as TsSpecs from './tsSpecs';
import type { LoadedSpec } from './load';
import { INVALID_UTF8_CODE } from './options';
import type { SpecLoadOptions } from './options';

/** Largest data file read: 64 MiB, far above what a Jacobian under the default limit can use. */
export const MAX_DATA_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Creates a `readFile` option that reads UTF-8 text. With a workspace root it also rejects files
 * whose real path (after symbolic links) lies outside the root's real path.
 *
 * @throws Error with `code` `ENOENT`, `EACCES` or `EISDIR` from Node, an Error with `code`
 * `INVALID_UTF8_CODE` for bytes that are not UTF-8, or a plain Error for a file that is too large
 * or outside the workspace
 */
export function createNodeFileReader(workspaceRoot?: string): (absolutePath: string) => string {
	return (absolutePath) => {
		if (workspaceRoot !== undefined) {
			const root = realpathSync(workspaceRoot);
			const real = realpathSync(absolutePath);
			if (real !== root && !real.startsWith(root + sep)) {
				throw new Error(`its real path ${real} is outside the workspace ${root}`);
			}
		}
		const size = statSync(absolutePath).size;
		if (size > MAX_DATA_FILE_BYTES) {
			throw new Error(`it has ${size} bytes, more than the maximum of ${MAX_DATA_FILE_BYTES}`);
		}
		return decodeUtf8(readFileSync(absolutePath));
	};
}

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

/**
 * Decodes UTF-8 bytes, keeping a byte-order mark as U+FEFF like `readFileSync(path, 'utf8')` does,
 * but rejecting invalid byte sequences instead of replacing them with U+FFFD.
 *
 * @throws Error with `code` `INVALID_UTF8_CODE` naming the line and the byte offset where the
 * bytes stop being valid UTF-8
 */
export function decodeUtf8(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		const offset = sequenceStart(bytes, firstInvalidByte(bytes));
		const line = 1 + bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length;
		const byte = `0x${bytes[offset].toString(16).toUpperCase().padStart(2, '0')}`;
		const message = `it is not valid UTF-8: the bytes are invalid at line ${line}, byte offset ${offset} (byte ${byte})`;
		throw Object.assign(new Error(message), { code: INVALID_UTF8_CODE });
	}
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

/**
 * Finds the first byte of `bytes` that cannot start or continue a UTF-8 character, by bisection
 * on the longest prefix that a streaming decoder accepts. A sequence cut short by the end of the
 * data is reported at the last byte.
 */
function firstInvalidByte(bytes: Uint8Array): number {
	let valid = 0;
	let invalid = bytes.length;
	while (invalid - valid > 1) {
		const middle = Math.floor((valid + invalid) / 2);
		if (decodesAsPrefix(bytes.subarray(0, middle))) {
			valid = middle;
		} else {
			invalid = middle;
		}
	}
	return invalid - 1;
}

/**
 * Moves `index` back to the lead byte of the multi-byte sequence it breaks, if any, so that a
 * Latin-1 `é` (0xE9) followed by ASCII is reported at the 0xE9.
 */
function sequenceStart(bytes: Uint8Array, index: number): number {
	for (let j = index - 1; j >= Math.max(0, index - 3); j--) {
		const byte = bytes[j];
		if (byte < 0x80) {
			return index;
		}
		if (byte >= 0xc0) {
			return j + sequenceLength(byte) > index ? j : index;
		}
	}
	return index;
}

/** Length in bytes of the UTF-8 sequence that the lead byte `byte` (0xC0 or above) starts. */
function sequenceLength(byte: number): number {
	if (byte >= 0xf0) {
		return 4;
	}
	return byte >= 0xe0 ? 3 : 2;
}

function decodesAsPrefix(bytes: Uint8Array): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
		return true;
	} catch {
		return false;
	}
}
