/**
 * Node implementation of the `readFile` option of `loadSpec`: UTF-8 text, a size limit and, with a
 * workspace root, a check of real paths. It imports nothing heavier than Node's file system, so the
 * simulation worker can bundle it without the TypeScript parser.
 */

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';

import { INVALID_UTF8_CODE } from './options';

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
