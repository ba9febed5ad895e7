/** The `ntkHorizon.*` commands; each also takes its arguments from tests and CodeLens. */

import * as vscode from 'vscode';

import type { HorizonAnalysis, SimulationResult, SweepResult } from '../src/results';
import type { ChartsViewProvider } from './sidePanel';
import { exportChart, exportResults, newSpec } from './exportCommands';
import { reportFailure } from './failures';
import type { Log } from './log';
import type { RunController, SpecTarget } from './runs';
import type { SpecDocuments } from './specDocuments';
import { resolveSpecTarget, toUri, type UriArgument } from './specTargets';
import { checkAlphaRange, defaultAlphaRange, type AlphaRange } from './sweepMath';

/** Services the commands use. */
export interface CommandContext {
	readonly specDocuments: SpecDocuments;
	readonly runs: RunController;
	readonly charts: ChartsViewProvider;
	readonly log: Log;
}

/** Registers every command. */
export function registerCommands(context: CommandContext): vscode.Disposable {
	const register = (id: string, run: (...args: never[]) => unknown) =>
		vscode.commands.registerCommand(id, run);
	return vscode.Disposable.from(
		register('ntkHorizon.simulate', (uri?: UriArgument, specIndex?: number) =>
			simulate(context, uri, specIndex),
		),
		register(
			'ntkHorizon.sweepAlpha',
			(uri?: UriArgument, specIndex?: number, range?: AlphaRange) =>
				sweepAlpha(context, uri, specIndex, range),
		),
		register('ntkHorizon.showHorizon', (uri?: UriArgument, specIndex?: number) =>
			showHorizon(context, uri, specIndex),
		),
		register('ntkHorizon.openCharts', (uri?: UriArgument, specIndex?: number) =>
			openCharts(context, uri, specIndex),
		),
		register('ntkHorizon.cancel', () => cancel(context)),
		register(
			'ntkHorizon.exportResults',
			(
				uri?: UriArgument,
				specIndex?: number,
				format?: 'json' | 'csv',
				target?: UriArgument,
			) => exportResults(context, { uri, specIndex, format, target: optionalUri(target) }),
		),
		register('ntkHorizon.exportChart', (format?: 'png' | 'svg', target?: UriArgument) =>
			exportChart(context, format, optionalUri(target)),
		),
		register('ntkHorizon.newSpec', (target?: UriArgument) =>
			newSpec(context.log, optionalUri(target)),
		),
	);
}

/** Converts an optional Uri or string argument; a missing argument stays undefined. */
function optionalUri(argument: UriArgument): vscode.Uri | undefined {
	return argument === undefined ? undefined : toUri(argument);
}

/** Runs a simulation with a cancellable progress notification. Returns undefined when it could not run. */
export async function simulate(
	context: CommandContext,
	uri?: UriArgument,
	specIndex?: number,
): Promise<SimulationResult | undefined> {
	const target = await resolveSpecTarget(context.specDocuments, context.log, uri, specIndex);
	if (!target) {
		return undefined;
	}
	revealCharts(context, target);
	return withRunProgress(context, `Simulating ${target.spec.name}`, (signal, onPercent) =>
		context.runs.simulate(target, signal, onPercent),
	);
}

async function sweepAlpha(
	context: CommandContext,
	uri?: UriArgument,
	specIndex?: number,
	range?: AlphaRange,
): Promise<SweepResult | undefined> {
	const target = await resolveSpecTarget(context.specDocuments, context.log, uri, specIndex);
	if (!target) {
		return undefined;
	}
	const alphas = range ?? defaultAlphaRange(target.spec.spec);
	const problem = checkAlphaRange(alphas);
	if (problem) {
		context.log.notifyError(
			'invalidSweep',
			`${problem} Pass {from, to, count} or set sweep.alpha in the spec.`,
		);
		return undefined;
	}
	revealCharts(context, target);
	return withRunProgress(context, `Sweeping alpha of ${target.spec.name}`, (signal, onPercent) =>
		context.runs.sweep(target, alphas, signal, onPercent),
	);
}

async function showHorizon(
	context: CommandContext,
	uri?: UriArgument,
	specIndex?: number,
): Promise<HorizonAnalysis | undefined> {
	const target = await resolveSpecTarget(context.specDocuments, context.log, uri, specIndex);
	if (!target) {
		return undefined;
	}
	try {
		const analysis = await context.specDocuments.analyze(target.spec, target.uri);
		context.charts.showAnalysis(target.key, target.spec.name, analysis);
		revealCharts(context, target);
		return analysis;
	} catch (error) {
		reportFailure(context.log, `The analysis of ${target.spec.name} failed`, error);
		return undefined;
	}
}

async function openCharts(
	context: CommandContext,
	uri?: UriArgument,
	specIndex?: number,
): Promise<void> {
	const target =
		uri === undefined
			? undefined
			: await resolveSpecTarget(context.specDocuments, context.log, uri, specIndex);
	if (target) {
		const entry = context.specDocuments.analysisEntry(target.spec.hash);
		if (entry?.status === 'ready') {
			context.charts.showAnalysis(target.key, target.spec.name, entry.analysis);
		}
		context.charts.focusSpec(target.key);
	}
	await context.charts.reveal();
}

function cancel(context: CommandContext): number {
	const count = context.runs.cancelAll();
	context.log.info(
		count === 0 ? 'Cancel: no run in progress.' : `Cancel: requested ${count} runs to stop.`,
	);
	return count;
}

/** Focuses the spec in the Charts view and opens the view without waiting for it to load. */
function revealCharts(context: CommandContext, target: SpecTarget): void {
	context.charts.focusSpec(target.key);
	context.charts
		.reveal()
		.catch((error: unknown) =>
			context.log.warn(`Opening the Charts view failed: ${String(error)}`),
		);
}

/** Runs `work` under a cancellable progress notification. Failures are logged and shown once per kind. */
async function withRunProgress<T>(
	context: CommandContext,
	title: string,
	work: (signal: AbortSignal, onPercent: (percent: number) => void) => Promise<T>,
): Promise<T | undefined> {
	return vscode.window.withProgress(
		{
			location: vscode.ProgressLocation.Notification,
			title: `NTK Horizon: ${title}`,
			cancellable: true,
		},
		async (progress, token) => {
			const controller = new AbortController();
			const subscription = token.onCancellationRequested(() => controller.abort());
			let reported = 0;
			try {
				return await work(controller.signal, (percent) => {
					progress.report({
						increment: percent - reported,
						message: `${Math.floor(percent)}%`,
					});
					reported = percent;
				});
			} catch (error) {
				reportFailure(context.log, title, error);
				return undefined;
			} finally {
				subscription.dispose();
			}
		},
	);
}
