/**
 * Runs the extension-host integration suite (test/integration/suite) inside code-server, the way
 * @vscode/test-electron runs it inside desktop VS Code: the extension is loaded from its
 * development path and the mocha suite from its tests path.
 *
 * code-server has no --extensionDevelopmentPath flag. Its browser workbench reads both paths from
 * the URL's `payload` parameter when the server runs with `--vscode-option
 * enable-smoke-test-driver`, then reports the suite's exit code through
 * `window.codeAutomationExit(code)` and forwards the extension host's console through
 * `window.codeAutomationLog(level, args)`. A headless Chromium provides that workbench.
 *
 * Usage: node --import tsx test/integration/runCodeServer.ts [--grep PATTERN] [--timeout-ms N]
 * Exit code: 0 passed, 1 failed, 2 could not start, 124 timed out.
 * Environment: CODE_SERVER_BIN, CHROMIUM, NTK_E2E_EXTENSION_PATH (load the extension from another
 * folder, for example an unpacked .vsix, instead of the repository root).
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import {
	createSandbox,
	launchBrowser,
	remoteUri,
	repoRoot,
	runCleanups,
	startCodeServer,
	workbenchUrl,
} from './harness/codeServer';
import { bundleSuite, copyWorkspace } from './harness/prepare';

interface Options {
	readonly grep?: string;
	readonly timeoutMs: number;
}

function parseArguments(argv: readonly string[]): Options {
	let grep: string | undefined;
	let timeoutMs = 600_000;
	for (let i = 0; i < argv.length; i++) {
		const name = argv[i];
		const value = argv[i + 1];
		if (name === '--grep' && value !== undefined) {
			grep = value;
			i++;
		} else if (name === '--timeout-ms' && value !== undefined && Number(value) > 0) {
			timeoutMs = Number(value);
			i++;
		} else {
			throw new Error(`unknown or incomplete argument '${name}'; expected --grep PATTERN or --timeout-ms N`);
		}
	}
	return { grep, timeoutMs };
}

/** Info lines the workbench logs on every start (connection, disabled gallery, service worker). */
const workbenchNoise =
	/^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|\[(reconnection-grace-time|Service Worker|AgentHost:remote|AccountPolicyGate)\])/;

interface SuiteSummary {
	readonly passes: number;
	readonly failures: number;
	readonly pending: number;
	readonly durationMs: number;
}

async function main(): Promise<number> {
	const options = parseArguments(process.argv.slice(2));
	const started = Date.now();
	const testsPath = await bundleSuite();
	const sandbox = createSandbox();
	const workspace = copyWorkspace(sandbox.root);
	const summaryFile = join(sandbox.root, 'summary.json');
	const server = await startCodeServer(sandbox, {
		smokeTestDriver: true,
		env: {
			NTK_E2E_SUMMARY: summaryFile,
			NTK_E2E_WORKSPACE: workspace,
			...(options.grep === undefined ? {} : { NTK_E2E_GREP: options.grep }),
		},
	});
	const browser = await launchBrowser(sandbox, { width: 1280, height: 800 });
	const page = browser.page;
	let reportExit: (code: number) => void = () => undefined;
	const exited = new Promise<number>((done) => (reportExit = done));
	await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
		const parts = Array.isArray(args) ? args : [args];
		const text = format(...parts);
		if (level !== 'info' || !workbenchNoise.test(text)) {
			process.stdout.write(level === 'info' ? `${text}\n` : `[${level}] ${text}\n`);
		}
	});
	await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
	page.on('pageerror', (error) => process.stdout.write(`[workbench page error] ${error.message}\n`));

	const payload: [string, string][] = [
		['extensionDevelopmentPath', remoteUri(server, process.env.NTK_E2E_EXTENSION_PATH ?? repoRoot)],
		['extensionTestsPath', remoteUri(server, testsPath)],
	];
	await page.goto(workbenchUrl(server, workspace, payload));
	const timeout = new Promise<number>((done) => setTimeout(() => done(124), options.timeoutMs).unref());
	const code = await Promise.race([exited, timeout]);

	const outputDir = join(repoRoot, 'test-output');
	mkdirSync(outputDir, { recursive: true });
	if (code !== 0) {
		await page.screenshot({ path: join(outputDir, 'integration-failure.png') }).catch(() => undefined);
		process.stdout.write(`code-server output (last 3000 characters):\n${server.output().slice(-3000)}\n`);
	}
	if (browser.blockedRequests.length > 0) {
		process.stdout.write(`blocked non-loopback requests: ${browser.blockedRequests.join(', ')}\n`);
	}
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const summary = readSummary(summaryFile);
	const counts =
		summary === undefined
			? 'no summary written'
			: `${summary.passes} passed, ${summary.failures} failed, ${summary.pending} pending, mocha ${(summary.durationMs / 1000).toFixed(1)} s`;
	const verdict = code === 124 ? `timed out after ${options.timeoutMs} ms` : `exit code ${code}`;
	process.stdout.write(`integration suite (code-server): ${verdict}; ${counts}; total ${seconds} s\n`);
	if (code === 0 || code === 124) {
		return code;
	}
	return 1;
}

function readSummary(file: string): SuiteSummary | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as SuiteSummary;
	} catch {
		return undefined;
	}
}

main()
	.catch((error: unknown) => {
		process.stderr.write(`integration runner failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
		return 2;
	})
	.then(async (code) => {
		await runCleanups();
		process.exit(code);
	});
