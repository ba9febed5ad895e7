/**
 * Options of `validateSpec` and `loadSpec`.
 */

/** `code` of the Error a `readFile` option throws for a file that is not valid UTF-8. */
export const INVALID_UTF8_CODE = 'ERR_INVALID_UTF8';

/** Where a spec came from and what it may read. Every field is optional. */
export interface SpecLoadOptions {
	/**
	 * Reads a data file named by `data.file` and returns its text. It receives an absolute path.
	 * Without it a spec with a data file gets an error issue. It may throw an Error whose `code` is
	 * `INVALID_UTF8_CODE` for bytes that are not UTF-8. `src/spec/nodeFiles.ts` has the Node
	 * implementation.
	 */
	readonly readFile?: (absolutePath: string) => string;
	/** Absolute path of the spec's folder, against which relative data paths resolve. */
	readonly baseDirectory?: string;
	/** Absolute path of the workspace root; data paths that resolve outside it are rejected. */
	readonly workspaceRoot?: string;
	/** False in an untrusted workspace: a data file then is an error issue. Default: true. */
	readonly allowDataFiles?: boolean;
	/** Maximum bytes of the Jacobian (8 n p) and of the kernel (8 n^2). Default: 512 MiB. */
	readonly maxJacobianBytes?: number;
	/** Name used when the spec has no `name`, usually the file name. Default: `untitled`. */
	readonly defaultName?: string;
}
