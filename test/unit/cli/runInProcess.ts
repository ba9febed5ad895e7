// Runs the command line in-process and collects what it writes.
import { runCli } from '../../../src/cli';

export interface CliRun {
	readonly status: number;
	readonly out: string;
	readonly err: string;
}

export function run(args: string[]): CliRun {
	let out = '';
	let err = '';
	const status = runCli(args, {
		out: (text) => (out += text + '\n'),
		err: (text) => (err += text + '\n'),
		errIsTerminal: false,
	});
	return { status, out, err };
}
