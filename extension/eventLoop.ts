/** Measures how long the extension host's event loop was blocked, for the test API and the log. */

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Sampling resolution of the delay histogram in milliseconds. */
const RESOLUTION_MS = 10;

/** Largest event-loop delay since the last reset, from `perf_hooks.monitorEventLoopDelay`. */
export class EventLoopMonitor {
	private readonly histogram: IntervalHistogram;

	constructor() {
		this.histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
		this.histogram.enable();
	}

	/**
	 * Largest interval between two samples in milliseconds, an upper bound on the longest block.
	 * An idle loop reads about `RESOLUTION_MS` (10 to 13 ms measured with Node 20).
	 */
	maxLagMs(): number {
		const max = this.histogram.max / 1e6;
		return Number.isFinite(max) ? max : 0;
	}

	reset(): void {
		this.histogram.reset();
	}

	dispose(): void {
		this.histogram.disable();
	}
}
