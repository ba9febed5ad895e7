/**
 * The `ntk-horizon` command line: `simulate SPEC` and `sweep SPEC`, see `HELP_TEXT`. Exit codes:
 * 0 success, 2 invalid input (the spec or an option), 1 internal failure.
 */
import { writeFileSync } from 'node:fs';

import { SimulationError, SpecError, formatIssue, simulateSpec, sweepAlpha } from './api';
import type { SimulationProgress, SpecIssue } from './api';
import {
	UsageError,
	checkOutputPath,
	parseAlphaRange,
	parseArguments,
	parseMemoryLimit,
	parseMethod,
	parseRtol,
} from './node/cliOptions';
import { simulationJson } from './node/jsonOutput';
import { formatSimulation, formatSweep } from './node/summary';
import { loadSpecFile } from './spec/nodeFiles';

const HELP_TEXT = `Usage:
  ntk-horizon simulate SPEC [--spec NAME] [--json OUT] [--method exponential|dopri5] [--rtol X]
                          [--max-memory-mb N]
  ntk-horizon sweep SPEC [--spec NAME] [--alpha FROM:TO:COUNT] [--json OUT] [--method M] [--rtol X]
                       [--max-memory-mb N]
  ntk-horizon --help

simulate  Simulates gradient flow and its linearization for the spec file SPEC (*.ntk.json, or a
          TypeScript file whose specs are read statically, never run),
          prints E and the bounds at T and the horizons, and with --json writes every series.
sweep     Computes the empirical and predicted horizons for log-spaced alpha values and fits
          the slope of log T against log alpha.

Options:
  --spec NAME        in a TypeScript file with several specs, the const name of the one to run
  --json OUT         write the result as JSON to the file OUT ("-" for standard output, which
                     then holds only the JSON and the summary goes to standard error); its
                     folder must exist
  --method M         integrator: exponential (default of the spec) or dopri5
  --rtol X           relative tolerance on E(t), a number from 1e-14 up to but not including 1
  --alpha F:T:N      sweep N log-spaced alpha values from F to T (default: the spec's sweep block)
  --max-memory-mb N  largest memory the Jacobian (8 n p bytes) or the kernel (8 n^2 bytes) may
                     need, in MiB (default 512)
  --help             print this text

Warnings about the spec (for example an unknown key) go to standard error and do not change the
exit status.
Exit status: 0 success, 2 invalid spec or option, 1 internal failure.
Set NTK_HORIZON_DEBUG=1 to print stack traces of internal failures.`;

/** A failed write of the `--json` output after the run: exit status 1. */
class OutputError extends Error {}

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
	const { values, positionals } = parseArguments(argv);
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
	const maxJacobianBytes = parseMemoryLimit(values['max-memory-mb']);
	const hasAlphaOption = command === 'sweep' && values.alpha !== undefined;
	const optionAlphas = hasAlphaOption ? parseAlphaRange(values.alpha, undefined) : undefined;
	checkOutputPath(values.json);

	const { spec, warnings } = loadWithCliMessages(specPath, maxJacobianBytes, values.spec);
	printWarnings(warnings, streams);
	// With `--json -` standard output carries only the JSON, so it can be piped into a parser.
	const printSummary = values.json === '-' ? streams.err : streams.out;

	if (command === 'simulate') {
		const result = simulateSpec(spec, { method, rtol, onProgress: progressPrinter(streams) });
		printSummary(formatSimulation(result));
		writeJson(values.json, simulationJson(result), streams);
		return 0;
	}
	const alphas = optionAlphas ?? parseAlphaRange(undefined, spec.sweep);
	const sweep = sweepAlpha(spec, alphas, { method, rtol });
	printSummary(formatSweep(sweep));
	writeJson(values.json, sweep, streams);
	return 0;
}

/**
 * Loads the spec file, naming the `--max-memory-mb` option where the loader's size message names
 * its `maxJacobianBytes` option.
 */
function loadWithCliMessages(
	specPath: string,
	maxJacobianBytes: number | undefined,
	specName: string | undefined,
) {
	try {
		return loadSpecFile(specPath, {
			...(maxJacobianBytes === undefined ? {} : { maxJacobianBytes }),
			...(specName === undefined ? {} : { specName }),
		});
	} catch (error) {
		if (error instanceof SpecError) {
			throw new SpecError(error.issues.map(cliIssue));
		}
		throw error;
	}
}

function cliIssue(issue: SpecIssue): SpecIssue {
	if (issue.code !== 'tooLarge') {
		return issue;
	}
	const option = 'the limit with --max-memory-mb N (in MiB)';
	const message = issue.message.replace('the maxJacobianBytes limit', option);
	return { ...issue, message };
}

function printWarnings(warnings: readonly SpecIssue[], streams: Streams): void {
	for (const warning of warnings) {
		if (warning.severity === 'warning') {
			streams.err(`Warning: ${formatIssue(warning)}`);
		}
	}
}

function writeJson(target: string | undefined, value: unknown, streams: Streams): void {
	if (target === undefined) {
		return;
	}
	const text = JSON.stringify(value, null, 2);
	if (target === '-') {
		streams.out(text);
		return;
	}
	try {
		writeFileSync(target, text + '\n');
	} catch (error) {
		throw new OutputError(`Cannot write the --json output to ${target}: ${(error as Error).message}.`);
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
	if (error instanceof OutputError) {
		streams.err(error.message);
		return 1;
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
