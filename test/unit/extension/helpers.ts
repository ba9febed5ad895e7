import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { inspectDocument } from '../../../extension/inspect';
import type { InspectedSpec, InspectTask } from '../../../extension/workerProtocol';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const CASES_DIR = join(REPO_ROOT, 'test', 'fixtures', 'cases');

/** Inspects JSON text as the worker does for a `*.ntk.json` document. */
export function inspectJson(
	text: string,
	fileName = join(CASES_DIR, 'inline.ntk.json'),
): InspectedSpec[] {
	return inspectDocument(task(text, fileName, 'json'));
}

/** Inspects TypeScript text as the worker does. */
export function inspectTs(
	text: string,
	fileName = join(REPO_ROOT, 'examples', 'inline.ts'),
): InspectedSpec[] {
	return inspectDocument(task(text, fileName, 'typescript'));
}

export function readCaseText(name: string): string {
	return readFileSync(join(CASES_DIR, `${name}.json`), 'utf8');
}

function task(
	text: string,
	fileName: string,
	documentKind: InspectTask['documentKind'],
): InspectTask {
	return {
		kind: 'inspect',
		text,
		fileName,
		documentKind,
		workspaceRoot: REPO_ROOT,
		allowDataFiles: true,
		maxJacobianBytes: 512 * 1024 * 1024,
	};
}

/** Builds a quadratic spec as JSON text with the given alpha and T. */
export function quadraticText(alpha: number, T: number): string {
	return `{
	"name": "quad",
	"model": { "type": "quadratic", "a": 0.7, "b": 2.5, "w0": 0 },
	"data": { "y": [-1.3] },
	"training": { "alpha": ${alpha}, "T": ${T} },
	"analysis": { "epsilon": 0.05 }
}
`;
}
