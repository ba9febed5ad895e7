/** Titles of the CodeLens and the status bar item, as pure functions for unit tests. */

import type { HorizonAnalysis } from '../src/results';
import { formatHorizon } from './format';

/** State of a spec when a lens or the status bar is drawn. */
export type SpecState =
	| { readonly status: 'invalid'; readonly errorCount: number }
	| { readonly status: 'computing' }
	| { readonly status: 'failed'; readonly message: string }
	| { readonly status: 'ready'; readonly analysis: HorizonAnalysis };

/** Title of the first lens above a spec, for example `NTK horizon ~ 1.2e3 (guaranteed 612)`. */
export function horizonLensTitle(state: SpecState): string {
	switch (state.status) {
		case 'invalid':
			return `NTK horizon: invalid spec (${plural(state.errorCount, 'error')})`;
		case 'computing':
			return 'NTK horizon: computing...';
		case 'failed':
			return 'NTK horizon: analysis failed (see Problems)';
		case 'ready':
			return readyTitle(state.analysis);
	}
}

function readyTitle(analysis: HorizonAnalysis): string {
	const { estimate, guaranteed } = analysis.horizons;
	if (guaranteed.kind === 'notApplicable' && estimate.kind === 'notApplicable') {
		return `NTK horizon: not applicable (${guaranteed.reason})`;
	}
	return `NTK horizon ~ ${formatHorizon(estimate)} (guaranteed ${formatHorizon(guaranteed)})`;
}

/** Status bar text for the spec under the cursor; always starts with `NTK`. */
export function statusBarText(
	state: SpecState | { readonly status: 'running'; readonly percent?: number },
): string {
	switch (state.status) {
		case 'running':
			return state.percent === undefined
				? 'NTK computing...'
				: `NTK computing ${Math.floor(state.percent)}%`;
		case 'computing':
			return 'NTK computing...';
		case 'invalid':
		case 'failed':
			return 'NTK error';
		case 'ready':
			return `NTK T* = ${formatHorizon(state.analysis.horizons.guaranteed)}`;
	}
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
