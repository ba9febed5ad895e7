/** Documents the hover, CodeLens and quick-fix providers attach to. */

import type * as vscode from 'vscode';

import { SPEC_FILE_PATTERN, TYPESCRIPT_LANGUAGES } from './specFiles';

/** `*.ntk.json` files in any scheme (files and untitled), and TypeScript files. */
export const SPEC_SELECTOR: vscode.DocumentSelector = [
	{ pattern: SPEC_FILE_PATTERN },
	...TYPESCRIPT_LANGUAGES.map((language) => ({ language })),
];
