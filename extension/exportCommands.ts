/** Export Results, Export Chart and New Spec: commands that write files or open new documents. */

import * as path from 'node:path';

import * as vscode from 'vscode';

import type { SimulationResult, SweepResult } from '../src/results';
import type { CommandContext } from './commands';
import { reportFailure } from './failures';
import { simulationToCsv, sweepToCsv, toJsonText } from './exportFormat';
import type { Log } from './log';
import { newSpecText } from './newSpecTemplate';
import { readSettings } from './settings';
import { resolveSpecTarget, type UriArgument } from './specTargets';

export interface ExportResultsArguments {
	readonly uri?: UriArgument;
	readonly specIndex?: number;
	readonly format?: 'json' | 'csv';
	readonly target?: vscode.Uri;
}

/**
 * Writes the latest simulation of a spec (its sweep when it was only swept) as JSON or CSV; runs
 * the simulation first when there is none. Returns the written file, undefined when cancelled.
 */
export async function exportResults(
	context: CommandContext,
	args: ExportResultsArguments,
): Promise<vscode.Uri | undefined> {
	const target = await resolveSpecTarget(
		context.specDocuments,
		context.log,
		args.uri,
		args.specIndex,
	);
	if (!target) {
		return undefined;
	}
	const sweep = context.runs.lastSweep(target.key);
	const result =
		context.runs.lastResult(target.key) ??
		(sweep
			? undefined
			: await vscode.commands.executeCommand<SimulationResult | undefined>(
					'ntkHorizon.simulate',
					target.uri.toString(),
					target.spec.index,
				));
	if (!result && !sweep) {
		return undefined;
	}
	const format = args.format ?? formatFromUri(args.target) ?? (await pickFormat());
	if (!format) {
		return undefined;
	}
	const suffix = result ? 'results' : 'sweep';
	const file =
		args.target ?? (await askTarget(`${target.spec.name}-${suffix}.${format}`, format));
	if (!file) {
		return undefined;
	}
	return writeFile(
		context.log,
		file,
		new TextEncoder().encode(resultsText(format, result, sweep)),
	);
}

function resultsText(
	format: 'json' | 'csv',
	result: SimulationResult | undefined,
	sweep: SweepResult | undefined,
): string {
	if (format === 'json') {
		return toJsonText(result ?? sweep);
	}
	if (result) {
		return simulationToCsv(result);
	}
	return sweep ? sweepToCsv(sweep) : '';
}

/** Writes the focused spec's charts as PNG or SVG. Returns the written file. */
export async function exportChart(
	context: CommandContext,
	format?: 'png' | 'svg',
	target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
	const chosen = format ?? chartFormatFromUri(target) ?? (await pickChartFormat());
	if (!chosen) {
		return undefined;
	}
	try {
		const bytes = await context.charts.exportChart(chosen);
		const file = target ?? (await askTarget(`ntk-horizon-charts.${chosen}`, chosen));
		return file ? writeFile(context.log, file, bytes) : undefined;
	} catch (error) {
		reportFailure(context.log, 'Chart export', error);
		return undefined;
	}
}

/** Opens a new spec from the template: in `target` when given, else as an untitled `*.ntk.json`. */
export async function newSpec(
	log: Log,
	target?: vscode.Uri,
): Promise<vscode.TextDocument | undefined> {
	const text = newSpecText(readSettings().defaultEpsilon);
	try {
		if (target) {
			await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
			const document = await vscode.workspace.openTextDocument(target);
			await vscode.window.showTextDocument(document);
			return document;
		}
		const document = await vscode.workspace.openTextDocument(await untitledSpecUri());
		const editor = await vscode.window.showTextDocument(document);
		await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), text));
		return document;
	} catch (error) {
		reportFailure(log, 'Creating a new spec', error);
		return undefined;
	}
}

/** Finds a free untitled `experiment.ntk.json` in the first workspace folder, numbered when the name is taken. */
async function untitledSpecUri(): Promise<vscode.Uri> {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	for (let number = 1; ; number++) {
		const name = number === 1 ? 'experiment.ntk.json' : `experiment-${number}.ntk.json`;
		const candidate = folder
			? vscode.Uri.joinPath(folder, name)
			: vscode.Uri.file(path.join('/', name));
		const isOpen = vscode.workspace.textDocuments.some(
			(document) => document.uri.path === candidate.path,
		);
		if (!isOpen && !(await exists(candidate))) {
			return candidate.with({ scheme: 'untitled' });
		}
	}
}

async function exists(uri: vscode.Uri): Promise<boolean> {
	try {
		await vscode.workspace.fs.stat(uri);
		return true;
	} catch {
		return false;
	}
}

function formatFromUri(uri: vscode.Uri | undefined): 'json' | 'csv' | undefined {
	const extension = uri ? path.extname(uri.path).toLowerCase() : '';
	if (extension === '.json' || extension === '.csv') {
		return extension === '.json' ? 'json' : 'csv';
	}
	return undefined;
}

/** Returns `svg` for an SVG target, `png` for any other target, and undefined without a target. */
function chartFormatFromUri(uri: vscode.Uri | undefined): 'png' | 'svg' | undefined {
	if (!uri) {
		return undefined;
	}
	return path.extname(uri.path).toLowerCase() === '.svg' ? 'svg' : 'png';
}

async function pickFormat(): Promise<'json' | 'csv' | undefined> {
	const choice = await vscode.window.showQuickPick(['json', 'csv'], {
		title: 'NTK Horizon: export format',
	});
	return choice === 'json' || choice === 'csv' ? choice : undefined;
}

async function pickChartFormat(): Promise<'png' | 'svg' | undefined> {
	const choice = await vscode.window.showQuickPick(['png', 'svg'], {
		title: 'NTK Horizon: chart format',
	});
	return choice === 'png' || choice === 'svg' ? choice : undefined;
}

async function askTarget(fileName: string, format: string): Promise<vscode.Uri | undefined> {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	return vscode.window.showSaveDialog({
		defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
		filters: { [format.toUpperCase()]: [format] },
	});
}

async function writeFile(
	log: Log,
	file: vscode.Uri,
	bytes: Uint8Array,
): Promise<vscode.Uri | undefined> {
	try {
		await vscode.workspace.fs.writeFile(file, bytes);
		log.info(`Wrote ${bytes.length} bytes to ${file.toString()}.`);
		return file;
	} catch (error) {
		reportFailure(log, `Writing ${file.toString()}`, error);
		return undefined;
	}
}
