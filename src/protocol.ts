/**
 * Messages between the extension host and the Charts webview, the data shapes they carry, and the
 * guards both sides run on every message they receive.
 *
 * `postMessage` to a webview turns `Infinity` and `NaN` into `null`, so every number sent here is
 * either finite or an explicit `null` ("missing"), and horizons keep their tagged encoding from
 * `results.ts`. The `toPanel*` functions do that conversion on the host before sending.
 */

import type { Horizon } from './results';

export type { Horizon } from './results';

/** A plotted series: one entry per x value, `null` where the value is missing or not finite. */
export type SeriesValues = readonly (number | null)[];

/** The horizons of an analysis, in the encoding of `results.ts`. */
export interface PanelHorizons {
	/** Theorem 1.2 (sharper form) with the certified Lip(Dh): a guarantee. */
	readonly guaranteed: Horizon;
	/** Headline estimate `alpha * epsilon / (Lip(Dh) * sqrt(R0))`. */
	readonly estimate: Horizon;
	/** Proposition 1.1 of Chizat, Oyallon and Bach (2019). */
	readonly older: Horizon;
}

/** The part of a `HorizonAnalysis` that the panel shows. */
export interface PanelAnalysis {
	/** Absolute tolerance on E(t): `epsilon * ||r0||` when relative, else `epsilon`. */
	readonly threshold: number;
	/** R0, the initial loss `||r0||^2 / 2`. */
	readonly initialLoss: number | null;
	/** Radius of the ball the Lipschitz constants were taken on. */
	readonly lipschitzRadius: number | null;
	/** Certified upper bound on Lip(Dh); null when Dh is not Lipschitz. */
	readonly jacobianLipschitzBound: number | null;
	/** Path estimate of Lip(Dh), a lower bound on the true constant; null when not computed. */
	readonly jacobianLipschitzEstimate: number | null;
	readonly horizons: PanelHorizons;
	/** Smallest alpha whose guaranteed horizon reaches the spec's T; null when none exists. */
	readonly minimumAlpha: number | null;
	readonly notes: readonly string[];
}

/** The points of a running simulation received so far, merged by `mergeProgress`. */
export interface PanelProgress {
	/** Fraction of the training time done, in [0, 1]. */
	readonly fraction: number;
	readonly steps: number;
	readonly times: readonly number[];
	readonly err: SeriesValues;
	readonly normR: SeriesValues;
	readonly normRbar: SeriesValues;
}

/** A finished (or stopped) simulation as the panel plots it: series aligned with `times`. */
export interface PanelResult {
	readonly times: readonly number[];
	/** E(t) = ||r(t) - rbar(t)||. */
	readonly err: SeriesValues;
	readonly normR: SeriesValues;
	readonly normRbar: SeriesValues;
	/** ||w(t) - w0||. */
	readonly normDw: SeriesValues;
	/** ||wbar(t) - w0||. */
	readonly normDwbar: SeriesValues;
	/** ||K_t - K0||. */
	readonly normKdrift: SeriesValues;
	/** Theorem 1.2, sharper form `min(2 kappa + 3 kappa^2, 2) sqrt(2 R0)`. */
	readonly theorem12: SeriesValues;
	/** Proposition 1.1, `t^2 Lip(h)^2 Lip(Dh) R0 / alpha`. */
	readonly proposition11: SeriesValues;
	/** Theorem 1.3 lower bound, present only for the converse model. */
	readonly converseLower: SeriesValues | null;
	/** Weight movement bound `sqrt(t R0) / alpha`. */
	readonly weightMovement: SeriesValues;
	readonly threshold: number;
	readonly horizons: PanelHorizons & { readonly empirical: Horizon };
	/** False when the run stopped early; the series then end early. */
	readonly complete: boolean;
	readonly stopReason: string | null;
	readonly steps: number;
	readonly wallTimeMs: number;
	readonly alpha: number;
	readonly trainingTime: number;
}

/** One alpha of a sweep. */
export interface PanelSweepPoint {
	readonly alpha: number;
	readonly empirical: Horizon;
	readonly guaranteed: Horizon;
	readonly estimate: Horizon;
	readonly older: Horizon;
}

/** A sweep over alpha with the fitted log-log slopes (null when fewer than two finite points). */
export interface PanelSweep {
	readonly points: readonly PanelSweepPoint[];
	readonly empiricalSlope: number | null;
	readonly estimateSlope: number | null;
	readonly olderSlope: number | null;
}

/** A status line for a spec: a run in progress, an error, or a note. */
export interface PanelStatus {
	readonly kind: 'running' | 'error' | 'info';
	readonly text: string;
}

/** Everything the panel holds for one spec. */
export interface PanelEntry {
	/** Identifies the spec, for example `<document uri>#<spec index>`; chosen by the host. */
	readonly key: string;
	readonly label: string;
	readonly analysis: PanelAnalysis | null;
	readonly progress: PanelProgress | null;
	readonly result: PanelResult | null;
	readonly sweep: PanelSweep | null;
	readonly status: PanelStatus | null;
}

/** The panel's whole state: every spec with data and the one on screen. */
export interface PanelState {
	readonly entries: readonly PanelEntry[];
	readonly focusedKey: string | null;
}

/** Export formats of the charts. */
export type ChartFormat = 'png' | 'svg';

/** Commands the panel's buttons request; the host runs the matching `ntkHorizon.*` command. */
export type PanelCommand = 'simulate' | 'sweepAlpha' | 'cancel' | 'exportPng' | 'exportSvg';

/** Messages from the extension host to the webview. */
export type HostMessage =
	| { readonly type: 'restore'; readonly state: PanelState }
	| { readonly type: 'focus'; readonly key: string }
	| {
			readonly type: 'analysis';
			readonly key: string;
			readonly label: string;
			readonly analysis: PanelAnalysis;
	  }
	| { readonly type: 'progress'; readonly key: string; readonly progress: PanelProgress }
	| { readonly type: 'result'; readonly key: string; readonly result: PanelResult }
	| { readonly type: 'sweep'; readonly key: string; readonly sweep: PanelSweep }
	| { readonly type: 'status'; readonly key: string; readonly status: PanelStatus | null }
	| { readonly type: 'exportRequest'; readonly requestId: number; readonly format: ChartFormat }
	| { readonly type: 'stateRequest'; readonly requestId: number };

/** Series, axis ranges and markers of one live chart, read from its uPlot instance, in data units. */
export interface ChartState {
	readonly id: string;
	readonly title: string;
	readonly series: readonly { readonly name: string; readonly points: number }[];
	/** Axis ranges; null when the chart has nothing to plot. */
	readonly x: { readonly min: number; readonly max: number } | null;
	readonly y: { readonly min: number; readonly max: number } | null;
	readonly markers: readonly { readonly label: string; readonly x: number }[];
	/** Shown instead of the plot when there is nothing positive to draw on the log axes. */
	readonly note: string | null;
}

/** Snapshot of the panel's focused spec and charts, returned for tests. */
export interface ChartsState {
	readonly focusedKey: string | null;
	readonly label: string | null;
	readonly status: string;
	readonly charts: readonly ChartState[];
}

/** Severity of a log record the webview sends to the host's output channel. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Messages from the webview to the extension host. */
export type WebviewMessage =
	| { readonly type: 'ready' }
	| { readonly type: 'command'; readonly command: PanelCommand; readonly key: string | null }
	| {
			readonly type: 'exportResult';
			readonly requestId: number;
			readonly format: ChartFormat;
			/** The file's bytes, base64-encoded. */
			readonly base64: string;
	  }
	| { readonly type: 'chartsState'; readonly requestId: number; readonly state: ChartsState }
	| { readonly type: 'requestFailed'; readonly requestId: number; readonly message: string }
	| { readonly type: 'log'; readonly level: LogLevel; readonly message: string };

export { isHostMessage, isWebviewMessage, checkHostMessage, checkWebviewMessage } from './protocolGuards';
export { toPanelAnalysis, toPanelProgress, toPanelResult, toPanelSweep, mergeProgress } from './protocolEncode';
