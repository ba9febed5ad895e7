/**
 * Parsing and validation of the command line's options. Each invalid option becomes a
 * `UsageError` whose message names the option, the value and the accepted range.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { logSpaced } from '../analysis/sweep';
import type { SolverMethod } from '../spec/types';

/** An invalid option: reported like an invalid spec, with exit status 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

/**
 * Smallest `--rtol`: 1e-14, the minimum of the `ntkHorizon.solver.rtol` setting. Double precision
 * rounds at about 1.1e-16, so an integrator cannot meet a much smaller relative tolerance.
 */
export const MIN_RTOL = 1e-14;

/** Largest number of alpha values in `--alpha FROM:TO:COUNT`. */
export const MAX_ALPHA_COUNT = 1000;

/** Smallest `--max-memory-mb`, the minimum of the `ntkHorizon.budget.memoryMB` setting. */
export const MIN_MEMORY_MB = 1;

/** The options and positional arguments as `node:util` `parseArgs` returns them. */
export type ParsedArguments = ReturnType<typeof parseArguments>;

/**
 * Parses `argv` (without the node and script paths) into options and positionals.
 *
 * @throws UsageError for an unknown option or a missing option value
 */
export function parseArguments(argv: readonly string[]) {
	try {
		return parseArgs({
			args: [...argv],
			allowPositionals: true,
			options: {
				json: { type: 'string' },
				method: { type: 'string' },
				rtol: { type: 'string' },
				alpha: { type: 'string' },
				'max-memory-mb': { type: 'string' },
				spec: { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
		});
	} catch (error) {
		// Node's messages can span lines; the command line reports each error on one line.
		const message = (error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, '');
		throw new UsageError(`${message}; see --help.`);
	}
}

/**
 * Parses `--method`.
 *
 * @throws UsageError unless the text is `exponential` or `dopri5`
 */
export function parseMethod(text: string | undefined): SolverMethod | undefined {
	if (text === undefined || text === 'exponential' || text === 'dopri5') {
		return text;
	}
	throw new UsageError(`--method ${text} is not a method; use exponential or dopri5.`);
}

/**
 * Parses `--rtol`, a relative tolerance in [1e-14, 1).
 *
 * @throws UsageError for text that is not such a number
 */
export function parseRtol(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}
	const value = Number(text);
	if (text.trim() === '' || !(value >= MIN_RTOL && value < 1)) {
		throw new UsageError(
			`--rtol ${text} is invalid; give a relative tolerance between 0 and 1 that is at least ${MIN_RTOL} (double precision rounds at about 1e-16), for example 1e-8.`,
		);
	}
	return value;
}

/**
 * Parses `--max-memory-mb`, the largest Jacobian or kernel a spec may need, in MiB.
 *
 * @returns the limit in bytes, or undefined when the option is absent
 * @throws UsageError for text that is not a finite number >= 1
 */
export function parseMemoryLimit(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}
	const value = Number(text);
	if (text.trim() === '' || !(value >= MIN_MEMORY_MB) || !Number.isFinite(value)) {
		throw new UsageError(
			`--max-memory-mb ${text} is invalid; give the limit in MiB as a finite number >= ${MIN_MEMORY_MB}, for example 2048.`,
		);
	}
	return value * 1024 * 1024;
}

/**
 * Parses `--alpha FROM:TO:COUNT` into log-spaced values, or takes the spec's sweep block.
 *
 * @throws UsageError for an invalid range, or when neither the option nor the block is present
 */
export function parseAlphaRange(
	text: string | undefined,
	fallback: { from: number; to: number; count: number } | undefined,
): number[] {
	if (text === undefined) {
		if (fallback === undefined) {
			throw new UsageError('sweep needs --alpha FROM:TO:COUNT or a "sweep" block in the spec.');
		}
		return logSpaced(fallback.from, fallback.to, fallback.count);
	}
	const parts = text.split(':').map((part) => (part.trim() === '' ? NaN : Number(part)));
	const [from, to, count] = parts;
	const isAlpha = (value: number): boolean => value > 0 && Number.isFinite(value);
	const isCount = Number.isInteger(count) && count >= 1 && count <= MAX_ALPHA_COUNT;
	if (parts.length !== 3 || !isAlpha(from) || !isAlpha(to) || !isCount) {
		throw new UsageError(
			`--alpha ${text} is invalid; give FROM:TO:COUNT with FROM and TO finite numbers > 0 (at most about 1.8e308) and COUNT an integer from 1 to ${MAX_ALPHA_COUNT}, for example 1:1000:7.`,
		);
	}
	return logSpaced(from, to, count);
}

/**
 * Checks, before any work, that `--json OUT` can be written: its folder exists and is writable,
 * and OUT is not a folder. `-` (standard output) always passes.
 *
 * @throws UsageError naming the path and the reason
 */
export function checkOutputPath(target: string | undefined): void {
	if (target === undefined || target === '-') {
		return;
	}
	const file = resolve(target);
	const folder = dirname(file);
	const cannotWrite = (reason: string): UsageError =>
		new UsageError(`--json ${target}: cannot write the output file, because ${reason}.`);
	const folderStats = statSync(folder, { throwIfNoEntry: false });
	if (folderStats === undefined) {
		throw cannotWrite(`the folder ${folder} does not exist; create it or give a path in an existing folder`);
	}
	if (!folderStats.isDirectory()) {
		throw cannotWrite(`${folder} is not a folder`);
	}
	const fileStats = statSync(file, { throwIfNoEntry: false });
	if (fileStats?.isDirectory()) {
		throw cannotWrite(`${file} is a folder; give a file name`);
	}
	try {
		accessSync(fileStats === undefined ? folder : file, constants.W_OK);
	} catch {
		throw cannotWrite(`${fileStats === undefined ? `the folder ${folder}` : file} is not writable`);
	}
}
