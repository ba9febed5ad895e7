import type { Horizon, LipschitzSource, SimulationResult, SweepPoint, SweepResult } from '../results';

/** Formats a number with 6 significant digits, or `-` for null. */
function formatNumber(value: number | null | undefined): string {
	if (value === null || value === undefined) {
		return '-';
	}
	return Number.isFinite(value) ? value.toPrecision(6) : String(value);
}

/**
 * Formats a horizon for a terminal: a time, "unbounded", "not applicable" or "not reached" with the
 * peak error, each with its reason.
 */
export function formatHorizon(horizon: Horizon): string {
	switch (horizon.kind) {
		case 'finite':
			return `T = ${formatNumber(horizon.time)}`;
		case 'unbounded':
			return `unbounded (${horizon.reason})`;
		case 'notApplicable':
			return `not applicable (${horizon.reason})`;
		default:
			return (
				`not reached up to t = ${formatNumber(horizon.searchedUntil)}; peak E = ` +
				`${formatNumber(horizon.peakError)} at t = ${formatNumber(horizon.peakTime)}`
			);
	}
}

/** Formats the readable summary of a simulation: quantities, bounds at T, horizons, solver. */
export function formatSimulation(result: SimulationResult): string {
	const analysis = result.analysis;
	const last = result.times.length - 1;
	const lipschitz = analysis.lipschitz;
	const lines = [
		`spec: ${result.spec.name}`,
		`alpha = ${formatNumber(result.spec.training.alpha)}, T = ${formatNumber(result.spec.training.T)} (loss: ${result.spec.training.loss})`,
		`parameters p = ${analysis.parameterCount}, outputs n = ${analysis.outputCount}`,
		`initial loss R0 = ${formatNumber(result.R0)}, ||r0|| = ${formatNumber(analysis.initialResidualNorm)}`,
		`kernel K0: lambda_max = ${formatNumber(result.lambdaMaxK0)}, lambda_min = ${formatNumber(result.lambdaMinK0)}, ||J0|| = ${formatNumber(result.normJ0)}`,
		`Lip(Dh) on the ball of radius ${formatNumber(lipschitz.radius)}: certified bound ${formatNumber(lipschitz.bound)}` +
			`${lipschitz.exact ? ' (exact)' : ''}, estimate ${formatNumber(lipschitz.estimate)}; Lip(h) bound ${formatNumber(lipschitz.modelBound)}`,
		`tolerance on E: ${formatNumber(analysis.threshold)} (epsilon = ${result.spec.analysis.epsilon}, ${result.spec.analysis.relative ? 'relative to ||r0||' : 'absolute'})`,
		'',
	];
	if (last >= 0) {
		const bounds = result.bounds;
		lines.push(
			`at t = ${formatNumber(result.times[last])}:`,
			`  E = ||r - rbar||            ${formatNumber(result.err[last])}`,
			`  ||r||, ||rbar||             ${formatNumber(result.normR[last])}, ${formatNumber(result.normRbar[last])}`,
			`  ||w - w0||, ||wbar - w0||   ${formatNumber(result.normDw[last])}, ${formatNumber(result.normDwbar[last])}`,
			`  ||K_t - K0||                ${formatNumber(result.normKdrift[last])}`,
			`  kappa                       ${formatNumber(bounds.kappa[last])}`,
			`  Theorem 1.2 bound           ${formatNumber(bounds.theorem12[last])} (rounded form ${formatNumber(bounds.theorem12Rounded[last])})`,
			`  Proposition 1.1 bound       ${formatNumber(bounds.proposition11[last])}`,
			`  weight movement bound       ${formatNumber(bounds.weightMovement[last])}`,
		);
		const lower = bounds.converseLower?.[last];
		if (lower !== undefined && lower !== null) {
			lines.push(`  Theorem 1.3 lower bound     ${formatNumber(lower)}`);
		}
		lines.push('');
	}
	const horizons = result.horizons;
	const used = analysis.horizonLipschitz;
	lines.push(
		'horizons:',
		`  guaranteed (Theorem 1.2)          ${formatHorizon(horizons.guaranteed)}${sourceLabel(horizons.guaranteed, used?.guaranteed)}`,
		`  guaranteed, rounded form          ${formatHorizon(horizons.guaranteedRounded)}${sourceLabel(horizons.guaranteedRounded, used?.guaranteedRounded)}`,
		`  estimate alpha eps/(Lip sqrt R0)  ${formatHorizon(horizons.estimate)}${sourceLabel(horizons.estimate, used?.estimate)}`,
		`  older (Proposition 1.1)           ${formatHorizon(horizons.older)}${sourceLabel(horizons.older, used?.older)}`,
		`  empirical (simulated)             ${formatHorizon(horizons.empirical)}`,
		`  minimum alpha for T               ${formatNumber(analysis.minimumAlpha)}`,
		'',
		`solver: ${result.solver.method}, rtol ${result.solver.rtol}, ${result.solver.steps} steps ` +
			`(${result.solver.rejectedSteps} rejected), ${result.solver.jacobianEvaluations} Jacobian evaluations, ` +
			`${result.solver.kernelRefreshes} kernel refreshes, ${result.solver.wallTimeMs} ms`,
	);
	if (!result.complete) {
		lines.push(`incomplete: ${result.stopReason ?? 'stopped early'}`);
	}
	lines.push(...analysis.notes.map((note) => `note: ${note}`));
	return lines.join('\n');
}

/**
 * Formats a sweep as a table with one row per alpha (a failed alpha as one `failed:` row), then
 * the fitted slopes and, for a sweep that stopped early, the reason.
 */
export function formatSweep(result: SweepResult): string {
	const lines = [`spec: ${result.spec.name}`, 'alpha | empirical | guaranteed | estimate | older | steps'];
	lines.push(...result.points.map(formatSweepRow));
	lines.push(
		`slope of log T against log alpha: empirical ${formatNumber(result.empiricalSlope)}, ` +
			`estimate ${formatNumber(result.estimateSlope)}, older ${formatNumber(result.olderSlope)}`,
	);
	if (result.complete === false) {
		lines.push(`incomplete: ${result.stopReason ?? 'stopped early'}`);
	}
	return lines.join('\n');
}

function formatSweepRow(point: SweepPoint): string {
	const analysisFailed = point.guaranteed.kind === 'notApplicable' && point.guaranteed.reason === point.error;
	if (point.error !== undefined && analysisFailed) {
		return `${formatNumber(point.alpha)} | failed: ${point.error}`;
	}
	return [
		formatNumber(point.alpha),
		point.error === undefined ? formatHorizon(point.empirical) : `failed: ${point.error}`,
		formatHorizon(point.guaranteed),
		formatHorizon(point.estimate),
		formatHorizon(point.older),
		String(point.steps),
	].join(' | ');
}

/** Names the Lip(Dh) value a finite horizon used, or returns '' when there is none to name. */
function sourceLabel(horizon: Horizon, source: LipschitzSource | undefined): string {
	if (horizon.kind !== 'finite') {
		return '';
	}
	switch (source) {
		case 'exact':
			return ' [exact Lip(Dh)]';
		case 'certifiedBound':
			return ' [certified Lip(Dh) bound]';
		case 'estimate':
			return ' [estimated Lip(Dh)]';
		default:
			return '';
	}
}
