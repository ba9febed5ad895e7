/**
 * Typed errors of the core. `src/` never logs: it throws one of these and the caller (command
 * line, worker) turns it into an exit code, a diagnostic or a message.
 */

/** A JSON path into a spec, as a list of keys and array indices, for example `['training', 'alpha']`. */
export type JsonPath = ReadonlyArray<string | number>;

export type IssueSeverity = 'error' | 'warning';

/** One problem found in a spec: where it is, what it is and how to fix it. */
export interface SpecIssue {
	/** Location of the offending value; `[]` is the whole document. */
	readonly path: JsonPath;
	readonly severity: IssueSeverity;
	/** Stable machine-readable kind, for example `type`, `range`, `shape`, `unknownKey`, `dataFile`. */
	readonly code: string;
	/** One sentence naming the value and what is expected, without the path (see `formatIssue`). */
	readonly message: string;
	/** The value found at `path`, when there is one. */
	readonly value?: unknown;
	/** Character offset in the spec text, for problems that have no JSON path (invalid JSON). */
	readonly offset?: number;
	/** Length in characters of the text at `offset`. */
	readonly length?: number;
}

/** Formats a JSON path as `$.training.alpha` or `$.data.x[3][1]`. */
export function formatJsonPath(path: JsonPath): string {
	let text = '$';
	for (const key of path) {
		if (typeof key === 'number') {
			text += `[${key}]`;
		} else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
			text += `.${key}`;
		} else {
			text += `[${JSON.stringify(key)}]`;
		}
	}
	return text;
}

/** Formats an issue as one line: `$.training.alpha: alpha must be > 0, got -1.` */
export function formatIssue(issue: SpecIssue): string {
	return `${formatJsonPath(issue.path)}: ${issue.message}`;
}

/** Invalid input: the spec (or a data file it names) cannot be simulated as written. */
export class SpecError extends Error {
	readonly issues: readonly SpecIssue[];

	constructor(issues: readonly SpecIssue[]) {
		super(issues.filter((i) => i.severity === 'error').map(formatIssue).join('\n') || 'invalid spec');
		this.name = 'SpecError';
		this.issues = issues;
	}
}

/** Reason a simulation stopped before producing a complete, trustworthy result. */
export type SimulationFailureKind =
	| 'nonFinite'
	| 'diverged'
	| 'toleranceNotMet'
	| 'stepLimit'
	| 'timeBudget'
	| 'cancelled'
	| 'tooLarge';

/** A simulation that could not finish; `time` is the model time reached when it stopped. */
export class SimulationError extends Error {
	readonly kind: SimulationFailureKind;
	readonly time: number | undefined;

	constructor(kind: SimulationFailureKind, message: string, time?: number) {
		super(message);
		this.name = 'SimulationError';
		this.kind = kind;
		this.time = time;
	}
}
