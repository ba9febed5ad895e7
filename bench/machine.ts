/**
 * Description of the machine and software a benchmark ran on, for the record in the docs page.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism, loadavg, totalmem } from 'node:os';

/** Machine and versions of one benchmark run. */
export interface MachineInfo {
	readonly date: string;
	/** Logical CPUs available to this process (`nproc`). */
	readonly cpuCount: number;
	/** `model name` from /proc/cpuinfo, or `unknown`. */
	readonly cpuModel: string;
	readonly memoryGiB: number;
	/** 1-minute load average when the run started; above `cpuCount` means other work competed. */
	readonly loadAverageAtStart: number;
	readonly node: string;
	readonly python: string | null;
	readonly scipy: string | null;
	readonly numpy: string | null;
	/** SHA-256 of the `src/` TypeScript files (paths and contents), naming the core version measured. */
	readonly coreFingerprint: string;
}

function readCpuModel(): string {
	try {
		const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
		return match ? match[1].trim() : 'unknown';
	} catch {
		return 'unknown';
	}
}

/**
 * Returns the Python, SciPy and NumPy versions, or nulls when `python3 -c 'import scipy'` fails,
 * which is how the benchmark decides whether to run the SciPy baseline.
 */
export function readPythonVersions(): Pick<MachineInfo, 'python' | 'scipy' | 'numpy'> {
	const script = 'import sys, scipy, numpy; print(sys.version.split()[0], scipy.__version__, numpy.__version__)';
	const result = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
	if (result.status !== 0 || typeof result.stdout !== 'string') {
		return { python: null, scipy: null, numpy: null };
	}
	const [python, scipy, numpy] = result.stdout.trim().split(/\s+/);
	return { python, scipy, numpy };
}

/** Returns the SHA-256 over the sorted paths and contents of every `.ts` file under `src/`. */
export function fingerprintCore(): string {
	const root = resolve(__dirname, '..', 'src');
	const hash = createHash('sha256');
	const files = (readdirSync(root, { recursive: true }) as string[]).filter((path) => path.endsWith('.ts')).sort();
	for (const path of files) {
		hash.update(path).update('\0').update(readFileSync(join(root, path))).update('\0');
	}
	return hash.digest('hex').slice(0, 16);
}

/** Collects the machine description. */
export function describeMachine(): MachineInfo {
	return {
		date: new Date().toISOString(),
		cpuCount: availableParallelism(),
		cpuModel: readCpuModel(),
		memoryGiB: totalmem() / 1024 ** 3,
		loadAverageAtStart: loadavg()[0],
		node: process.version,
		...readPythonVersions(),
		coreFingerprint: fingerprintCore(),
	};
}
