/**
 * Path arithmetic for data files without Node's `path` module, so that `src/` stays free of Node
 * built-ins. Both `/` and `\` separate segments, and a Windows drive letter counts as a root.
 * Resolved paths use `/`, which Node's file functions accept on every platform.
 */

/** True for `/x`, `\x`, `C:\x` and `C:/x`. */
export function isAbsolutePath(path: string): boolean {
	return /^([A-Za-z]:)?[\\/]/.test(path);
}

/**
 * Resolves `path` against the absolute folder `base` and removes `.` and `..` segments.
 * A `..` above the root stays at the root, as in POSIX.
 */
export function resolvePath(base: string, path: string): string {
	return normalizePath(isAbsolutePath(path) ? path : `${base}/${path}`);
}

/** Normalizes separators to `/`, lower-cases a drive letter and removes `.` and `..` segments. */
export function normalizePath(path: string): string {
	const drive = /^([A-Za-z]):/.exec(path);
	const prefix = drive === null ? '' : `${drive[1].toLowerCase()}:`;
	const rest = drive === null ? path : path.slice(2);
	const segments: string[] = [];
	for (const segment of rest.split(/[\\/]+/)) {
		if (segment === '' || segment === '.') {
			continue;
		}
		if (segment === '..') {
			segments.pop();
		} else {
			segments.push(segment);
		}
	}
	return `${prefix}/${segments.join('/')}`;
}

/**
 * True when `path` is `root` or lies inside it, after normalizing both.
 * NOTE: the comparison is textual and case-sensitive apart from the drive letter. It does not
 * follow symbolic links, which the Node reader in `nodeFiles.ts` checks on real paths.
 */
export function isInside(root: string, path: string): boolean {
	const normalizedRoot = normalizePath(root).replace(/\/$/, '');
	const normalized = normalizePath(path);
	return normalized === normalizedRoot || normalized.startsWith(`${normalizedRoot}/`);
}

/** Returns the lower-case extension of a path, without the dot, or `''`. */
export function extensionOf(path: string): string {
	const name = path.split(/[\\/]/).pop() ?? '';
	const dot = name.lastIndexOf('.');
	return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}
