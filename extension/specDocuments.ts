/**
 * The specs of open documents: found and validated in a worker (debounced while typing), their
 * analyses cached by spec hash, and change events for the lenses, diagnostics and status bar.
 */

import * as vscode from 'vscode';

import type { HorizonAnalysis } from '../src/results';
import type { Log } from './log';
import { BUDGET_GRACE_MS, readSettings } from './settings';
import { isSpecText, specDocumentKind } from './specFiles';
import type { WorkerPool } from './workerPool';
import { TaskError, type InspectedSpec, type SpecKey } from './workerProtocol';

/** The specs of one document version. */
export interface DocumentSpecs {
	readonly uri: string;
	readonly version: number;
	readonly specs: readonly InspectedSpec[];
}

/** State of one spec's analysis. */
export type AnalysisEntry =
	| { readonly status: 'computing'; readonly promise: Promise<HorizonAnalysis> }
	| { readonly status: 'ready'; readonly analysis: HorizonAnalysis }
	| { readonly status: 'failed'; readonly error: TaskError };

/**
 * URI schemes of documents the user edits. Others, such as `git:` in a diff view, show old
 * versions whose diagnostics would duplicate the file's.
 */
const SPEC_SCHEMES: readonly string[] = ['file', 'untitled'];

/** Delay after the last keystroke before a document is inspected again. */
export const DEBOUNCE_MS = 300;

/** Retries of an analysis whose worker crashed, before the failure is shown. */
const MAX_CRASH_RETRIES = 1;

/** Analyses kept on the host; each is a few kilobytes. */
const ANALYSIS_CACHE_SIZE = 200;

/** Tracks the specs of open `*.ntk.json` and TypeScript documents. */
export class SpecDocuments implements vscode.Disposable {
	private readonly documents = new Map<string, DocumentSpecs>();
	private readonly pending = new Map<
		string,
		{ version: number; promise: Promise<DocumentSpecs | undefined> }
	>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private readonly analyses = new Map<string, AnalysisEntry>();
	/** Failed analysis attempts per spec hash, to retry a crash only once. */
	private readonly retries = new Map<string, number>();
	private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
	private readonly disposables: vscode.Disposable[] = [];

	/** Fires with a document's URI when its specs or one of their analyses changed. */
	readonly onDidChange = this.changeEmitter.event;

	constructor(
		private readonly pool: WorkerPool,
		private readonly log: Log,
	) {
		this.disposables.push(
			this.changeEmitter,
			vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
			vscode.workspace.onDidChangeTextDocument((event) =>
				this.schedule(event.document, DEBOUNCE_MS),
			),
			vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
			this.watchDataFiles(),
		);
		for (const document of vscode.workspace.textDocuments) {
			this.schedule(document, 0);
		}
	}

	/** Returns true when the document may contain specs; this cheap check decides whether it is inspected. */
	isSpecDocument(document: vscode.TextDocument): boolean {
		if (!SPEC_SCHEMES.includes(document.uri.scheme)) {
			return false;
		}
		const kind = specDocumentKind(document.fileName, document.languageId);
		return kind === 'json' || (kind === 'typescript' && isSpecText(document.getText()));
	}

	/** The latest inspection of the document, whichever version it was. */
	peek(uri: vscode.Uri): DocumentSpecs | undefined {
		return this.documents.get(uri.toString());
	}

	/** Inspects the document now unless its current version already is; undefined when it has no specs. */
	async ensureInspected(document: vscode.TextDocument): Promise<DocumentSpecs | undefined> {
		const key = document.uri.toString();
		const current = this.documents.get(key);
		if (current?.version === document.version) {
			return current;
		}
		const pending = this.pending.get(key);
		if (pending?.version === document.version) {
			return pending.promise;
		}
		// Inspecting now makes the debounced inspection of this version redundant.
		clearTimeout(this.timers.get(key));
		this.timers.delete(key);
		return this.inspect(document);
	}

	/** Finds the spec whose `alpha`, `T` or `epsilon` key or value contains the offset. */
	keyAt(specs: DocumentSpecs, offset: number): { spec: InspectedSpec; key: SpecKey } | undefined {
		for (const spec of specs.specs) {
			for (const [key, location] of Object.entries(spec.keys) as [
				SpecKey,
				InspectedSpec['keys'][SpecKey],
			][]) {
				if (location && containsOffset(location, offset)) {
					return { spec, key };
				}
			}
		}
		return undefined;
	}

	/** Finds the spec whose range contains the offset (the only spec of a JSON document). */
	specAt(specs: DocumentSpecs, offset: number): InspectedSpec | undefined {
		return specs.specs.find((spec) => offset >= spec.start && offset <= spec.end);
	}

	/** Returns the cached analysis state of a spec without starting an analysis. */
	analysisEntry(hash: string): AnalysisEntry | undefined {
		return this.analyses.get(hash);
	}

	/** Returns the spec's analysis, computing it in the quick worker lane once per spec hash. */
	analyze(spec: InspectedSpec, uri?: vscode.Uri): Promise<HorizonAnalysis> {
		if (!spec.spec || !spec.hash) {
			return Promise.reject(new Error('The spec has errors; fix them before analysing it.'));
		}
		const hash = spec.hash;
		const entry = this.analyses.get(hash);
		if (entry?.status === 'ready') {
			return Promise.resolve(entry.analysis);
		}
		if (entry?.status === 'computing') {
			return entry.promise;
		}
		const started = Date.now();
		const timeoutMs = readSettings(uri).budgetTimeSeconds * 1000 + BUDGET_GRACE_MS;
		const promise = this.pool.run(
			{ kind: 'analyze', spec: spec.spec },
			{ lane: 'quick', timeoutMs },
		);
		this.remember(hash, { status: 'computing', promise });
		promise.then(
			(analysis) => {
				this.log.debug(`Analysed ${spec.name} in ${Date.now() - started} ms.`);
				this.retries.delete(hash);
				this.remember(hash, { status: 'ready', analysis });
				this.fireFor(hash, uri);
			},
			(error: unknown) => this.onAnalysisFailed(spec, uri, error),
		);
		return promise;
	}

	/**
	 * Records a failed analysis. A worker crash is retried once, because it usually comes from the
	 * worker rather than the spec (for example the test API terminating every worker).
	 */
	private onAnalysisFailed(
		spec: InspectedSpec,
		uri: vscode.Uri | undefined,
		error: unknown,
	): void {
		const hash = spec.hash as string;
		const failure =
			error instanceof TaskError
				? error
				: new TaskError({ name: 'Error', message: String(error) });
		if (failure.kind === 'cancelled' || failure.kind === 'disposed') {
			this.analyses.delete(hash);
			return;
		}
		const attempts = (this.retries.get(hash) ?? 0) + 1;
		this.retries.set(hash, attempts);
		if (failure.kind === 'crashed' && attempts <= MAX_CRASH_RETRIES) {
			this.log.warn(`Analysis of ${spec.name} stopped with its worker; retrying.`);
			this.analyses.delete(hash);
			this.analyze(spec, uri).catch(() => undefined);
			return;
		}
		this.log.error(`Analysis of ${spec.name} failed.`, failure);
		this.remember(hash, { status: 'failed', error: failure });
		this.fireFor(hash, uri);
	}

	/** Forgets cached analyses, for example after the settings changed. */
	clearAnalyses(): void {
		this.analyses.clear();
		this.retries.clear();
	}

	/** Re-inspects every open spec document, for example after a settings or trust change. */
	refreshAll(): void {
		this.documents.clear();
		for (const document of vscode.workspace.textDocuments) {
			this.schedule(document, 0);
		}
	}

	/**
	 * Re-inspects the open specs when a CSV or JSON file of the workspace changes on disk, so a
	 * regenerated data file is read again instead of its old contents staying in the results.
	 */
	private watchDataFiles(): vscode.Disposable {
		const watcher = vscode.workspace.createFileSystemWatcher('**/*.{csv,json}');
		let timer: ReturnType<typeof setTimeout> | undefined;
		const onDataChange = (uri: vscode.Uri) => {
			if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) {
				// An open document's edits already trigger its own inspection.
				return;
			}
			clearTimeout(timer);
			timer = setTimeout(() => {
				this.log.info(`Data file ${uri.fsPath} changed on disk; reading the open specs again.`);
				this.refreshAll();
			}, DEBOUNCE_MS);
		};
		return vscode.Disposable.from(
			watcher,
			watcher.onDidChange(onDataChange),
			watcher.onDidCreate(onDataChange),
			watcher.onDidDelete(onDataChange),
			{ dispose: () => clearTimeout(timer) },
		);
	}

	dispose(): void {
		for (const timer of this.timers.values()) {
			clearTimeout(timer);
		}
		for (const disposable of this.disposables) {
			disposable.dispose();
		}
	}

	private schedule(document: vscode.TextDocument, delayMs: number): void {
		if (!this.isSpecDocument(document)) {
			if (this.documents.delete(document.uri.toString())) {
				this.changeEmitter.fire(document.uri);
			}
			return;
		}
		const key = document.uri.toString();
		clearTimeout(this.timers.get(key));
		this.timers.set(
			key,
			setTimeout(() => {
				this.timers.delete(key);
				void this.inspect(document);
			}, delayMs),
		);
	}

	private inspect(document: vscode.TextDocument): Promise<DocumentSpecs | undefined> {
		const key = document.uri.toString();
		const version = document.version;
		const promise = this.runInspection(document).then((specs) => {
			if (this.pending.get(key)?.promise === promise) {
				this.pending.delete(key);
			}
			return specs;
		});
		this.pending.set(key, { version, promise });
		return promise;
	}

	private async runInspection(document: vscode.TextDocument): Promise<DocumentSpecs | undefined> {
		const kind = specDocumentKind(document.fileName, document.languageId);
		if (kind === undefined || document.isClosed) {
			return undefined;
		}
		const settings = readSettings(document.uri);
		const folder = vscode.workspace.getWorkspaceFolder(document.uri);
		const started = Date.now();
		// The text and its version are read together, before the user can type again.
		const text = document.getText();
		const version = document.version;
		try {
			const specs = await this.pool.run(
				{
					kind: 'inspect',
					text,
					fileName: document.fileName,
					documentKind: kind,
					baseDir: document.uri.scheme === 'file' ? undefined : folder?.uri.fsPath,
					workspaceRoot: folder?.uri.fsPath,
					allowDataFiles: vscode.workspace.isTrusted && folder !== undefined,
					maxJacobianBytes: settings.budgetMemoryMB * 1024 * 1024,
					defaultEpsilon: settings.defaultEpsilon,
				},
				{ lane: 'quick', timeoutMs: settings.budgetTimeSeconds * 1000 + BUDGET_GRACE_MS },
			);
			const result: DocumentSpecs = { uri: document.uri.toString(), version, specs };
			this.log.trace(
				`Inspected ${document.uri.fsPath}: ${specs.length} specs in ${Date.now() - started} ms.`,
			);
			this.store(result);
			return result;
		} catch (error) {
			this.log.error(`Reading the specs of ${document.uri.fsPath} failed.`, error);
			return undefined;
		}
	}

	private store(result: DocumentSpecs): void {
		const previous = this.documents.get(result.uri);
		if (previous && previous.version > result.version) {
			return;
		}
		this.documents.set(result.uri, result);
		this.changeEmitter.fire(vscode.Uri.parse(result.uri));
		for (const spec of result.specs) {
			if (spec.spec && spec.hash) {
				this.analyze(spec, vscode.Uri.parse(result.uri)).catch(() => undefined);
			}
		}
	}

	private remember(hash: string, entry: AnalysisEntry): void {
		this.analyses.delete(hash);
		this.analyses.set(hash, entry);
		if (this.analyses.size > ANALYSIS_CACHE_SIZE) {
			this.analyses.delete(this.analyses.keys().next().value as string);
		}
	}

	private fireFor(hash: string, uri: vscode.Uri | undefined): void {
		if (uri) {
			this.changeEmitter.fire(uri);
			return;
		}
		for (const specs of this.documents.values()) {
			if (specs.specs.some((spec) => spec.hash === hash)) {
				this.changeEmitter.fire(vscode.Uri.parse(specs.uri));
			}
		}
	}

	private forget(uri: vscode.Uri): void {
		const key = uri.toString();
		clearTimeout(this.timers.get(key));
		this.timers.delete(key);
		if (this.documents.delete(key)) {
			this.changeEmitter.fire(uri);
		}
	}
}

function containsOffset(
	location: NonNullable<InspectedSpec['keys'][SpecKey]>,
	offset: number,
): boolean {
	const onKey =
		location.keyStart !== undefined &&
		location.keyEnd !== undefined &&
		offset >= location.keyStart &&
		offset <= location.keyEnd;
	return onKey || (offset >= location.valueStart && offset <= location.valueEnd);
}
