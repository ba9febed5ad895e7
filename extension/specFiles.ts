/** Rules for the documents that can contain specs; pure, so unit tests cover them without an editor. */

import type { DocumentKind } from './workerProtocol';

/** File name pattern of JSON spec documents. */
export const SPEC_FILE_PATTERN = '**/*.ntk.json';

/** Language ids whose documents are searched for tagged TypeScript specs. */
export const TYPESCRIPT_LANGUAGES: readonly string[] = ['typescript', 'typescriptreact'];

/** Returns the kind of spec document, or undefined when the document cannot contain specs. */
export function specDocumentKind(fileName: string, languageId: string): DocumentKind | undefined {
	if (/\.ntk\.json$/i.test(fileName)) {
		return 'json';
	}
	return TYPESCRIPT_LANGUAGES.includes(languageId) ? 'typescript' : undefined;
}

/**
 * Returns true when TypeScript text may contain a spec: a `@ntk` JSDoc tag or a `satisfies NtkSpec`. The
 * check is a substring search, so files without either never reach the TypeScript parser.
 */
export function isSpecText(text: string): boolean {
	return text.includes('@ntk') || text.includes('NtkSpec');
}
