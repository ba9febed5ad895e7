/**
 * The `ntk-horizon` command line: `simulate SPEC` and `sweep SPEC`, see `HELP_TEXT`. Exit codes:
 * 0 success, 2 invalid input (the spec or an option), 1 internal failure.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { logSpaced } from './analysis/sweep';
import { SimulationError, SpecError, formatIssue, simulateSpec, sweepAlpha } from './api';
import type { SimulationProgress, SolverMethod } from './api';
import { simulationJson } from './node/jsonOutput';
import { formatSimulation, formatSweep } from './node/summary';
import { loadSpecFile } from './spec/nodeFiles';

const HELP_TEXT = `Usage:
  ntk-horizon simulate SPEC [--json OUT] [--method exponential|dopri5] [--rtol X]
  ntk-horizon sweep SPEC [--alpha FROM:TO:COUNT] [--json OUT] [--method M] [--rtol X]
  ntk-horizon --help

simulate  Simulates gradient flow and its linearization for the spec file SPEC (*.ntk.json),
          prints E(t), the bounds at T and the horizons, and with --json writes every series.
sweep     Computes the empirical and predicted horizons for log-spaced alpha values and fits
          the slope of log T against log alpha.

Options:
  --json OUT      write the result as JSON to the file OUT ("-" for standard output)
  --method M      integrator: exponential (default of the spec) or dopri5
  --rtol X        relative tolerance on E(t), a number in (0, 1)
  --alpha F:T:N   sweep N log-spaced alpha values from F to T (default: the spec's sweep block)
  --help          print this text

Exit status: 0 success, 2 invalid spec or option, 1 internal failure.
Set NTK_HORIZON_DEBUG=1 to print stack traces of internal failures.`;

/** An invalid option: reported like an invalid spec, with exit status 2. */
class UsageError extends Error {}

interface Streams {
	readonly out: (text: string) => void;
	readonly err: (text: string) => void;
	readonly errIsTerminal: boolean;
}

/**
 * Runs the command line on `argv` (without the node and script paths).
 *
 * @returns the exit status
 */
export function runCli(argv: readonly string[], streams: Streams = processStreams()): number {
	try {
		return runCommand(argv, streams);
	} catch (error) {
		return reportFailure(error, streams);
	}
}

function runCommand(argv: readonly string[], streams: Streams): number {
	const { values, positionals } = parseOptions(argv);
	if (values.help || positionals.length === 0) {
		streams.out(HELP_TEXT);
		return values.help ? 0 : 2;
	}
	const [command, specPath, ...extra] = positionals;
	if (command !== 'simulate' && command !== 'sweep') {
		throw new UsageError(`unknown command "${command}"; use "simulate" or "sweep" (see --help).`);
	}
	if (specPath === undefined || extra.length > 0) {
		throw new UsageError(`"${command}" takes exactly one spec file, got ${positionals.length - 1}; see --help.`);
	}
	const method = parseMethod(values.method);
	const rtol = parseRtol(values.rtol);
	const { spec } = loadSpecFile(specPath);
	if (command === 'simulate') {
		const result = simulateSpec(spec, { method, rtol, onProgress: progressPrinter(streams) });
		streams.out(formatSimulation(result));
		writeJson(values.json, simulationJson(result), streams);
		return 0;
	}
	const alphas = parseAlphaRange(values.alpha, spec.sweep);
	const sweep = sweepAlpha(spec, alphas, { method, rtol });
	streams.out(formatSweep(sweep));
	writeJson(values.json, sweep, streams);
	return 0;
}

function parseOptions(argv: readonly string[]) {
	try {
		return parseArgs({
			args: [...argv],
			allowPositionals: true,
			options: {
				json: { type: 'string' },
				method: { type: 'string' },
				rtol: { type: 'string' },
				alpha: { type: 'string' },
				help: { type: 'boolean', short: 'h' },
			},
		});
	} catch (error) {
		throw new UsageError(`${(error as Error).message}; see --help.`);
	}
}

function parseMethod(text: string | undefined): SolverMethod | undefined {
	if (text === undefined || text === 'exponential' || text === 'dopri5') {
		return text;
	}
	throw new UsageError(`--method ${text} is not a method; use exponential or dopri5.`);
}

function parseRtol(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}
	const value = Number(text);
	if (text.trim() === '' || !(value > 0 && value < 1)) {
		throw new UsageError(`--rtol ${text} is invalid; give a number between 0 and 1, for example 1e-8.`);
	}
	return value;
}

function parseAlphaRange(
	text: string | undefined,
	fallback: { from: number; to: number; count: number } | undefined,
): number[] {
	if (text === undefined) {
		if (fallback === undefined) {
			throw new UsageError('sweep needs --alpha FROM:TO:COUNT or a "sweep" block in the spec.');
		}
		return logSpaced(fallback.from, fallback.to, fallback.count);
	}
	const parts = text.split(':').map((part) => Number(part));
	const [from, to, count] = parts;
	const valid = parts.length === 3 && from > 0 && to > 0 && Number.isInteger(count) && count >= 1 && count <= 1000;
	if (!valid) {
		throw new UsageError(
			`--alpha ${text} is invalid; give FROM:TO:COUNT with FROM, TO > 0 and COUNT an integer from 1 to 1000, for example 1:1000:7.`,
		);
	}
	return logSpaced(from, to, count);
}

function writeJson(target: string | undefined, value: unknown, streams: Streams): void {
	if (target === undefined) {
		return;
	}
	const text = JSON.stringify(value, null, 2);
	if (target === '-') {
		streams.out(text);
	} else {
		writeFileSync(target, text + '\n');
	}
}

function progressPrinter(streams: Streams): ((progress: SimulationProgress) => void) | undefined {
	if (!streams.errIsTerminal) {
		return undefined;
	}
	return (progress) => {
		streams.err(`t = ${progress.time.toPrecision(4)} (${Math.round(100 * progress.fraction)}%), ${progress.steps} steps`);
	};
}

function reportFailure(error: unknown, streams: Streams): number {
	if (error instanceof SpecError) {
		const problems = error.issues.filter((issue) => issue.severity === 'error').map(formatIssue);
		streams.err(`Invalid spec: ${problems.join(' ')}`);
		return 2;
	}
	if (error instanceof UsageError) {
		streams.err(`Invalid command line: ${error.message}`);
		return 2;
	}
	const code = (error as { code?: unknown }).code;
	if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
		streams.err(`Cannot read the spec file: ${(error as Error).message}. Check the path.`);
		return 2;
	}
	if (error instanceof SimulationError) {
		streams.err(`Simulation failed (${error.kind}): ${error.message}`);
	} else {
		streams.err(`Internal failure: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (process.env.NTK_HORIZON_DEBUG === '1' && error instanceof Error && error.stack) {
		streams.err(error.stack);
	}
	return 1;
}

function processStreams(): Streams {
	return {
		out: (text) => process.stdout.write(text + '\n'),
		err: (text) => process.stderr.write(text + '\n'),
		errIsTerminal: process.stderr.isTTY === true,
	};
}

if (require.main === module) {
	process.exitCode = runCli(process.argv.slice(2));
}
