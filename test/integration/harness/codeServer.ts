/**
 * Starts code-server (VS Code served to a browser, with a real Node extension host) and a headless
 * Debian Chromium driven by playwright-core. Both use only 127.0.0.1 and a temporary folder. They
 * are stopped by process id at the end, on failure and on SIGINT, SIGTERM or SIGHUP.
 *
 * Used by the extension-host runner (runCodeServer.ts) and the Playwright UI suite.
 */

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Repository root (this file is test/integration/harness/codeServer.ts). */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/** Default location of the wrapper written by scripts/install-code-server.sh. */
export const defaultCodeServerBin = join(repoRoot, '.vscode-test', 'code-server', 'bin', 'code-server');

/** Hosts the browser may reach. Requests to any other host are aborted. */
const loopbackHosts = new Set(['127.0.0.1', 'localhost']);

/**
 * User settings that keep the workbench and the built-in extensions off the network and remove
 * start-up noise (welcome page, chat side bar) from screenshots.
 */
export const offlineSettings: Readonly<Record<string, unknown>> = {
	'telemetry.telemetryLevel': 'off',
	'update.mode': 'none',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'workbench.enableExperiments': false,
	'json.schemaDownload.enable': false,
	'npm.fetchOnlinePackageInfo': false,
	'typescript.disableAutomaticTypeAcquisition': true,
	'chat.disableAIFeatures': true,
	'workbench.startupEditor': 'none',
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	'workbench.tips.enabled': false,
	'security.workspace.trust.enabled': false,
	'git.enabled': false,
};

/** Chromium flags: headless-friendly, and every host name except 127.0.0.1 fails to resolve. */
const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

type Cleanup = () => Promise<void> | void;

const cleanups: Cleanup[] = [];
let signalHandlersInstalled = false;

/** Registers a cleanup step, run newest first by `runCleanups` or on a signal. */
export function onCleanup(step: Cleanup): void {
	cleanups.push(step);
	installSignalHandlers();
}

/** Runs every registered cleanup step once, newest first, ignoring individual failures. */
export async function runCleanups(): Promise<void> {
	while (cleanups.length > 0) {
		const step = cleanups.pop()!;
		try {
			await step();
		} catch (error) {
			process.stderr.write(`e2e cleanup step failed: ${String(error)}\n`);
		}
	}
}

function installSignalHandlers(): void {
	if (signalHandlersInstalled) {
		return;
	}
	signalHandlersInstalled = true;
	const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
	for (const [signal, code] of Object.entries(codes)) {
		process.once(signal, () => {
			process.stderr.write(`e2e: received ${signal}, stopping code-server and Chromium\n`);
			void runCleanups().finally(() => process.exit(code));
		});
	}
	// Last resort for a synchronous exit: kill the detached process groups still registered.
	process.once('exit', () => {
		for (const pid of liveGroups) {
			killGroup(pid, 'SIGKILL');
		}
	});
}

const liveGroups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// The group has already exited.
	}
}

/** Stops a detached child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
	const pid = child.pid;
	if (pid === undefined) {
		return;
	}
	liveGroups.delete(pid);
	if (child.exitCode !== null || child.signalCode !== null) {
		killGroup(pid, 'SIGKILL');
		return;
	}
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	killGroup(pid, 'SIGTERM');
	const timer = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), graceMs).unref());
	if ((await Promise.race([exited, timer])) === 'timeout') {
		killGroup(pid, 'SIGKILL');
	}
	// Helpers started by code-server (extension host, file watcher) share its group.
	killGroup(pid, 'SIGKILL');
}

/** A temporary folder tree that keeps every file the editor and the browser write. */
export interface Sandbox {
	readonly root: string;
	readonly userDataDir: string;
	readonly extensionsDir: string;
	/** XDG_* variables and HOME pointing inside the sandbox. */
	readonly env: Readonly<Record<string, string>>;
}

/** Creates a sandbox with the offline user settings (plus `extraSettings`) already written. */
export function createSandbox(extraSettings: Readonly<Record<string, unknown>> = {}): Sandbox {
	const root = mkdtempSync(join(tmpdir(), 'ntk-e2e-'));
	const userDataDir = join(root, 'user-data');
	const extensionsDir = join(root, 'extensions');
	mkdirSync(join(userDataDir, 'User'), { recursive: true });
	mkdirSync(extensionsDir, { recursive: true });
	writeFileSync(
		join(userDataDir, 'User', 'settings.json'),
		JSON.stringify({ ...offlineSettings, ...extraSettings }, null, '\t'),
	);
	const env: Record<string, string> = { HOME: join(root, 'home') };
	// TMPDIR also keeps the extension host's and the tests' temporary files inside the sandbox.
	const xdg = { XDG_CACHE_HOME: 'cache', XDG_CONFIG_HOME: 'config', XDG_RUNTIME_DIR: 'run', TMPDIR: 'tmp' };
	for (const [name, folder] of Object.entries(xdg)) {
		env[name] = join(root, folder);
	}
	for (const folder of Object.values(env)) {
		mkdirSync(folder, { recursive: true, mode: 0o700 });
	}
	// Node 24 writes its compile cache to /tmp/node-compile-cache unless this names another folder.
	env.NODE_COMPILE_CACHE = join(root, 'node-compile-cache');
	onCleanup(() => rmSync(root, { recursive: true, force: true }));
	return { root, userDataDir, extensionsDir, env };
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function findFreePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			server.close(() => done(port));
		});
	});
}

/** Resolves the code-server wrapper, failing with the install command when it is missing. */
export function resolveCodeServerBin(): string {
	const bin = process.env.CODE_SERVER_BIN ?? defaultCodeServerBin;
	if (!existsSync(bin)) {
		throw new Error(
			`code-server not found at ${bin}; run scripts/install-code-server.sh (or set CODE_SERVER_BIN)`,
		);
	}
	return bin;
}

/** Installs a .vsix into the sandbox's extensions folder with code-server's own CLI. */
export function installVsix(sandbox: Sandbox, vsixPath: string): void {
	const result = spawnSync(
		resolveCodeServerBin(),
		['--user-data-dir', sandbox.userDataDir, '--extensions-dir', sandbox.extensionsDir, '--install-extension', vsixPath],
		{ env: { ...process.env, ...sandbox.env }, encoding: 'utf8', timeout: 60_000 },
	);
	if (result.status !== 0) {
		throw new Error(`code-server --install-extension ${vsixPath} failed (exit ${result.status}): ${result.stderr}${result.stdout}`);
	}
}

/** A running code-server. */
export interface CodeServer {
	readonly port: number;
	readonly baseUrl: string;
	/** Server output so far (for failure reports). */
	output(): string;
	stop(): Promise<void>;
}

export interface StartOptions {
	/** Lets the workbench read extensionDevelopmentPath/extensionTestsPath from the URL payload. */
	readonly smokeTestDriver: boolean;
	/** Extra environment for the server and so for the extension host. */
	readonly env?: Readonly<Record<string, string>>;
	readonly startTimeoutMs?: number;
}

/** Starts code-server on a free loopback port and waits until it listens. */
export async function startCodeServer(sandbox: Sandbox, options: StartOptions): Promise<CodeServer> {
	const port = await findFreePort();
	const child = spawn(resolveCodeServerBin(), serverArguments(port, sandbox, options), {
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
		env: {
			...process.env,
			...sandbox.env,
			...options.env,
			// An empty gallery stops the workbench from querying open-vsx.org.
			EXTENSIONS_GALLERY: '{}',
			CODE_SERVER_DATA_HOME: join(sandbox.root, 'code-server-data'),
		},
	});
	if (child.pid !== undefined) {
		liveGroups.add(child.pid);
	}

	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const server: CodeServer = {
		port,
		baseUrl: `http://127.0.0.1:${port}`,
		output: () => output,
		stop: () => stopProcessGroup(child),
	};
	onCleanup(() => server.stop());
	await waitForListening(child, () => output, options.startTimeoutMs ?? 60_000);
	return server;
}

function serverArguments(port: number, sandbox: Sandbox, options: StartOptions): string[] {
	const args = [
		'--bind-addr', `127.0.0.1:${port}`,
		'--auth', 'none',
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-workspace-trust',
		'--disable-getting-started-override',
		'--user-data-dir', sandbox.userDataDir,
		'--extensions-dir', sandbox.extensionsDir,
	];
	if (options.smokeTestDriver) {
		args.push('--vscode-option', 'enable-smoke-test-driver');
	}
	return args;
}

function waitForListening(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
	return new Promise((done, fail) => {
		const started = Date.now();
		const poll = setInterval(() => {
			if (/HTTP server listening on/.test(output())) {
				clearInterval(poll);
				done();
			} else if (Date.now() - started > timeoutMs) {
				clearInterval(poll);
				fail(new Error(`code-server did not listen within ${timeoutMs} ms; output:\n${output().slice(-3000)}`));
			}
		}, 50);
		child.once('exit', (code, signal) => {
			clearInterval(poll);
			fail(new Error(`code-server exited early (code ${code}, signal ${signal}); output:\n${output().slice(-3000)}`));
		});
	});
}

/** A headless Chromium with one page, aborting every request that leaves 127.0.0.1. */
export interface Browser {
	readonly context: BrowserContext;
	readonly page: Page;
	/** Requests that were aborted because they left the loopback interface. */
	readonly blockedRequests: string[];
	close(): Promise<void>;
}

/** Launches Debian's Chromium (or CHROMIUM) through playwright-core inside the sandbox. */
export async function launchBrowser(
	sandbox: Sandbox,
	viewport = { width: 1400, height: 900 },
): Promise<Browser> {
	const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
	if (!existsSync(executablePath)) {
		throw new Error(`Chromium not found at ${executablePath}; run apt-get install -y chromium (or set CHROMIUM)`);
	}
	const context = await chromium.launchPersistentContext(join(sandbox.root, 'chromium-profile'), {
		executablePath,
		headless: true,
		viewport,
		args: chromiumArgs,
		env: { ...process.env, ...sandbox.env } as Record<string, string>,
		// The harness installs its own handlers so that code-server is stopped too.
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
	});
	const blockedRequests: string[] = [];
	await context.route(
		(url) => !loopbackHosts.has(url.hostname) && /^(https?|wss?):$/.test(url.protocol),
		(route) => {
			blockedRequests.push(route.request().url());
			return route.abort();
		},
	);
	const page = context.pages()[0] ?? (await context.newPage());
	let closed = false;
	const browser: Browser = {
		context,
		page,
		blockedRequests,
		close: async () => {
			if (!closed) {
				closed = true;
				await context.close();
			}
		},
	};
	onCleanup(() => browser.close());
	return browser;
}

/** Workbench URL opening `folder`, with an optional smoke-test-driver payload. */
export function workbenchUrl(server: CodeServer, folder: string, payload?: readonly (readonly [string, string])[]): string {
	let url = `${server.baseUrl}/?folder=${encodeURIComponent(folder)}`;
	if (payload !== undefined) {
		url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
	}
	return url;
}

/** `vscode-remote` URI of a server-side path, as the payload expects. */
export function remoteUri(server: CodeServer, path: string): string {
	return `vscode-remote://127.0.0.1:${server.port}${resolve(path)}`;
}
