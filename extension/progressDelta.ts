/**
 * Shrinks streamed progress to the points not sent before. The core reports every point computed
 * so far, so forwarding each report whole would copy a growing array to the host ten times a
 * second. The Charts view appends only the points past the last time it already has.
 */

import type { SimulationProgress } from '../src/results';

/** Returns a filter that keeps, from each report, only the points after the last time already sent. */
export function createProgressDelta(): (progress: SimulationProgress) => SimulationProgress {
	let lastTime = -Infinity;
	return (progress) => {
		let first = 0;
		while (first < progress.times.length && !(progress.times[first] > lastTime)) {
			first++;
		}
		if (progress.times.length > 0) {
			lastTime = Math.max(lastTime, progress.times[progress.times.length - 1]);
		}
		return {
			...progress,
			times: progress.times.slice(first),
			err: progress.err.slice(first),
			normR: progress.normR.slice(first),
			normRbar: progress.normRbar.slice(first),
		};
	};
}
