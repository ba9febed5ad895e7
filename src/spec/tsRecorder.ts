/**
 * Bookkeeping for the static evaluation of a TypeScript spec: the issues found, without repeats,
 * and the source location of every JSON path evaluated.
 */

import type * as ts from 'typescript';

import { formatJsonPath } from '../errors';
import type { IssueSeverity, JsonPath } from '../errors';
import type { LocatedPath } from './locate';
import type { TsSpecIssue, TsSpecIssueCode } from './tsSpecs';

/** Issues and locations of one spec, keyed as `TsSpecEntry.locations` documents. */
export class SpecRecorder {
	readonly issues: TsSpecIssue[] = [];
	readonly locations = new Map<string, LocatedPath>();

	private readonly issueKeys = new Set<string>();

	constructor(protected readonly sourceFile: ts.SourceFile) {}

	/** Records an issue on the source range of `node`, once per range, code and message. */
	report(
		node: ts.Node,
		code: TsSpecIssueCode,
		message: string,
		severity: IssueSeverity = 'error',
	): void {
		this.reportRange(node.getStart(this.sourceFile), node.end, code, message, severity);
	}

	/** Records an issue on `[start, end)`, once per range, code and message. */
	reportRange(
		start: number,
		end: number,
		code: TsSpecIssueCode,
		message: string,
		severity: IssueSeverity = 'error',
	): void {
		const key = `${start}:${end}:${code}:${message}`;
		if (this.issueKeys.has(key)) {
			return;
		}
		this.issueKeys.add(key);
		this.issues.push({ start, end, severity, code, message });
	}

	/** Stores the location of `path`, replacing an earlier one. Does nothing for no path. */
	record(path: JsonPath | undefined, location: Omit<LocatedPath, 'path'>): void {
		if (path !== undefined) {
			this.locations.set(formatJsonPath(path), { path, ...location });
		}
	}

	/** Removes the locations of `prefix` and of every path below it. */
	forgetLocations(prefix: JsonPath | undefined): void {
		if (prefix === undefined) {
			return;
		}
		for (const [key, { path }] of this.locations) {
			const isBelow = prefix.every((part, index) => path[index] === part);
			if (isBelow && path.length >= prefix.length) {
				this.locations.delete(key);
			}
		}
	}
}
