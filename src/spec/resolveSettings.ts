/**
 * Resolves the `training`, `analysis`, `solver` and `sweep` sections: applies defaults and checks
 * what the schema cannot express (report times increasing and within (0, T], sweep range order).
 * Each function expects a section that already passed the schema check.
 */

import type { SpecIssue } from '../errors';
import {
	DEFAULT_EPSILON,
	DEFAULT_MAX_STEPS,
	DEFAULT_RTOL,
	DEFAULT_TIME_COUNT,
	LOG_TIME_RANGE_RATIO,
} from './defaults';
import { errorIssue, warningIssue } from './issues';
import type { RawSpec, RawTimesSpec, ResolvedSpec } from './types';

type Resolved<T> = { readonly value: T | undefined; readonly issues: SpecIssue[] };

/** Applies the `training.loss` default (`sum`). */
export function resolveTraining(raw: RawSpec['training']): ResolvedSpec['training'] {
	return { alpha: raw.alpha, T: raw.T, loss: raw.loss ?? 'sum' };
}

/**
 * Applies the analysis defaults: epsilon 0.05, relative tolerance, 25 log-spaced report times
 * from T/100 to T.
 *
 * @param raw - the `analysis` section, or undefined
 * @param T - the training time, or undefined when `training` is invalid (times are then skipped)
 */
export function resolveAnalysis(
	raw: RawSpec['analysis'],
	T: number | undefined,
): Resolved<ResolvedSpec['analysis']> {
	if (T === undefined) {
		return { value: undefined, issues: [] };
	}
	const times = resolveTimes(raw?.times, T);
	if (times.value === undefined) {
		return { value: undefined, issues: times.issues };
	}
	const value = {
		epsilon: raw?.epsilon ?? DEFAULT_EPSILON,
		relative: raw?.relative ?? true,
		times: times.value,
	};
	return { value, issues: times.issues };
}

/** Applies the solver defaults: exponential integrator, `DEFAULT_RTOL`, `DEFAULT_MAX_STEPS`. */
export function resolveSolver(raw: RawSpec['solver']): ResolvedSpec['solver'] {
	return {
		method: raw?.method ?? 'exponential',
		rtol: raw?.rtol ?? DEFAULT_RTOL,
		maxSteps: raw?.maxSteps ?? DEFAULT_MAX_STEPS,
	};
}

/** Checks that the sweep's `to` is at least its `from`. */
export function resolveSweep(raw: RawSpec['sweep']): Resolved<ResolvedSpec['sweep']> {
	if (raw === undefined) {
		return { value: undefined, issues: [] };
	}
	const { from, to, count } = raw.alpha;
	if (to < from) {
		const message = `to must be >= from = ${from}, got ${to}. Swap the two values.`;
		const issue = errorIssue(['sweep', 'alpha', 'to'], 'range', message, to);
		return { value: undefined, issues: [issue] };
	}
	return { value: { from, to, count }, issues: [] };
}

/**
 * Builds `count` report times ending at T: `log` spacing has equal ratios from T/100, `linear`
 * spacing has equal steps from T/count.
 */
export function spacedTimes(T: number, count: number, spacing: 'log' | 'linear'): number[] {
	const times: number[] = [];
	for (let k = 1; k <= count; k++) {
		if (spacing === 'linear') {
			times.push((T * k) / count);
		} else {
			const fraction = count === 1 ? 1 : (k - 1) / (count - 1);
			times.push((T / LOG_TIME_RANGE_RATIO) * LOG_TIME_RANGE_RATIO ** fraction);
		}
	}
	times[count - 1] = T;
	return times;
}

function resolveTimes(raw: RawTimesSpec | undefined, T: number): Resolved<number[]> {
	const path = ['analysis', 'times'];
	if (raw === undefined || !Array.isArray(raw)) {
		if (T === 0) {
			const message =
				'T is 0, so there are no report times in (0, T] and nothing to simulate. ' +
				'Set a positive training time.';
			return { value: [], issues: [warningIssue(['training', 'T'], 'emptyRange', message, 0)] };
		}
		// Array.isArray does not narrow a readonly array type, so the object form is named here.
		const spacing = raw as Exclude<RawTimesSpec, readonly number[]> | undefined;
		const count = spacing?.count ?? DEFAULT_TIME_COUNT;
		return { value: spacedTimes(T, count, spacing?.spacing ?? 'log'), issues: [] };
	}

	const times = raw as readonly number[];
	for (let index = 0; index < times.length; index++) {
		if (times[index] > T) {
			const message = `times[${index}] must be in (0, T] with T = ${T}, got ${times[index]}. Remove it or raise training.T.`;
			return failure(errorIssue([...path, index], 'range', message, times[index]));
		}
		if (index > 0 && times[index] <= times[index - 1]) {
			const message = `times[${index}] must be greater than times[${index - 1}] = ${times[index - 1]}, got ${times[index]}. List the times in increasing order without repeats.`;
			return failure(errorIssue([...path, index], 'order', message, times[index]));
		}
	}
	return { value: [...times], issues: [] };
}

function failure<T>(issue: SpecIssue): Resolved<T> {
	return { value: undefined, issues: [issue] };
}
