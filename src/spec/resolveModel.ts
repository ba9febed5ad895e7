/**
 * Resolves the `model` section: applies the MLP defaults and checks what the schema cannot
 * express (exactly one of `init.seed` and `init.weights`, finite numeric weight arrays). The
 * weights' shapes are checked by the model code in `src/model/mlp.ts`.
 */

import type { JsonPath, SpecIssue } from '../errors';
import { DEFAULT_SEED } from './defaults';
import { describeValue, errorIssue, warningIssue } from './issues';
import type { MlpModelSpec, MlpWeights, ModelSpec, RawModelSpec } from './types';

/** The model with defaults applied; a linear model's `w0` is filled in once the data is known. */
export type PartialModel =
	| Exclude<ModelSpec, { type: 'linear' }>
	| { readonly type: 'linear'; readonly w0?: readonly number[] };

const MODEL: JsonPath = ['model'];

/**
 * Applies the model defaults (bias false, ntk parametrization, initial centering, seed 0) and
 * warns about relu, whose derivative is not Lipschitz.
 *
 * @param raw - a `model` section that passed the schema check
 */
export function resolveModel(raw: RawModelSpec): {
	value: PartialModel | undefined;
	issues: SpecIssue[];
} {
	if (raw.type === 'quadratic') {
		return { value: { type: 'quadratic', a: raw.a, b: raw.b, w0: raw.w0 }, issues: [] };
	}
	if (raw.type === 'linear') {
		return { value: raw.w0 === undefined ? { type: 'linear' } : { type: 'linear', w0: raw.w0 }, issues: [] };
	}

	const issues: SpecIssue[] = [];
	if (raw.activation === 'relu') {
		const message =
			'relu has a derivative that is not Lipschitz, so Lip(Dh) is infinite and no horizon is ' +
			'guaranteed. Only the simulated error is reported. Use gelu or softplus for a smooth alternative.';
		issues.push(warningIssue([...MODEL, 'activation'], 'nonSmooth', message, 'relu'));
	}
	const init = resolveInit(raw.init, issues);
	if (init === undefined) {
		return { value: undefined, issues };
	}

	const value: MlpModelSpec = {
		type: 'mlp',
		widths: [...raw.widths],
		activation: raw.activation,
		bias: raw.bias ?? false,
		parametrization: raw.parametrization ?? 'ntk',
		centering: raw.centering ?? 'initial',
		init,
	};
	return { value, issues };
}

function resolveInit(
	raw: { readonly seed?: number; readonly weights?: MlpWeights } | undefined,
	issues: SpecIssue[],
): MlpModelSpec['init'] | undefined {
	const path = [...MODEL, 'init'];
	if (raw === undefined) {
		return { seed: DEFAULT_SEED };
	}
	if (raw.seed !== undefined && raw.weights !== undefined) {
		const message = 'init must have either seed or weights, not both. Remove one of them.';
		issues.push(errorIssue(path, 'conflict', message));
		return undefined;
	}
	if (raw.weights === undefined) {
		return { seed: raw.seed ?? DEFAULT_SEED };
	}

	const before = issues.length;
	for (const [name, array] of Object.entries(raw.weights)) {
		checkNumericArray(array, [...path, 'weights', name], issues);
	}
	return issues.length === before ? { weights: raw.weights } : undefined;
}

/** Checks that every leaf of a nested array is a finite number; reports the first bad leaf. */
function checkNumericArray(value: unknown, path: JsonPath, issues: SpecIssue[]): void {
	const stack: { value: unknown; path: JsonPath }[] = [{ value, path }];
	while (stack.length > 0) {
		const item = stack.pop() as { value: unknown; path: JsonPath };
		if (Array.isArray(item.value)) {
			for (let i = item.value.length - 1; i >= 0; i--) {
				stack.push({ value: item.value[i], path: [...item.path, i] });
			}
		} else if (typeof item.value !== 'number' || !Number.isFinite(item.value)) {
			const message = `Weights must be finite numbers, got ${describeValue(item.value)}. Replace the value with a number.`;
			issues.push(errorIssue(item.path, 'type', message, item.value));
			return;
		}
	}
}
