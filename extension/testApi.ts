/** The object `activate` returns, used by the integration tests to inspect and disturb the host. */

import type { HorizonAnalysis, SimulationResult, SweepResult } from '../src/results';

export interface NtkHorizonTestApi {
	readonly workerPool: {
		/** Terminates every worker as a crash would; the next task starts fresh workers. */
		killAll(): void;
		/** Number of simulation workers (the resolved `ntkHorizon.workers` setting). */
		readonly size: number;
		/** Worker threads currently alive, simulation and quick lane together. */
		readonly liveWorkers: number;
	};
	/** Maximum event-loop delay of the extension host since the last reset, in milliseconds. */
	eventLoopMaxLagMs(): number;
	resetEventLoopLag(): void;
	/** Data the Charts view currently plots, read from the webview. */
	chartsState(): Promise<unknown>;
	/** Latest simulation of a spec; `uri` as a URI string or a file path. */
	lastResult(uri: string, specIndex: number): SimulationResult | undefined;
	/** Latest sweep of a spec. */
	lastSweep(uri: string, specIndex: number): SweepResult | undefined;
	/** The analysis of a spec, computed in a worker if not cached. */
	analysis(uri: string, specIndex: number): Promise<HorizonAnalysis | undefined>;
	/** Milliseconds `activate` took, measured inside it. */
	readonly activationMs: number;
}
