/**
 * Memory estimates made before anything is allocated: the simulation stores the Jacobian J
 * (N x p doubles) and the tangent kernel K = J J^T (N x N doubles), where N is the number of
 * scalar outputs (inputs times outputs per input) and p the number of parameters.
 */

import type { JsonPath, SpecIssue } from '../errors';
import { errorIssue } from './issues';

/** The model fields that `parameterCount` reads. A resolved `ModelSpec` and a raw one both fit. */
export type ParameterCountModel =
	| { readonly type: 'quadratic' }
	| { readonly type: 'linear'; readonly w0?: readonly number[] }
	| {
			readonly type: 'mlp';
			readonly widths: readonly number[];
			readonly bias?: boolean;
			readonly centering?: string;
	  };

/**
 * Counts the parameters p of a model.
 *
 * - quadratic: p = 1.
 * - linear `h(w) = X w`: p = d, the input dimension (`inputDim`, or the length of `w0`).
 * - mlp with widths `[m_0, ..., m_L]`: p = sum over layers of `m_{l-1} m_l`, plus `m_l` per layer
 *   with biases. With `antisymmetric` centering the hidden units are doubled into mirrored pairs,
 *   which doubles p. The count is then an upper estimate, because the output bias is not doubled.
 *
 * @param modelSpec - the model part of a spec
 * @param inputDim - d, the number of input features (used by the linear model)
 * @returns p, which may exceed 2^53 for absurd widths; callers compare it against a limit
 */
export function parameterCount(modelSpec: ParameterCountModel, inputDim: number): number {
	switch (modelSpec.type) {
		case 'quadratic':
			return 1;
		case 'linear':
			return modelSpec.w0?.length ?? inputDim;
		case 'mlp':
			return mlpParameterCount(modelSpec);
	}
}

/** Estimated bytes of the Jacobian (8 N p) and of the kernel (8 N^2) for N scalar outputs. */
export function estimateMemory(
	outputs: number,
	parameters: number,
): { jacobian: number; kernel: number } {
	return { jacobian: 8 * outputs * parameters, kernel: 8 * outputs * outputs };
}

/**
 * Returns an error issue when the Jacobian or the kernel would exceed `limitBytes`, naming both
 * estimates and the limit.
 */
export function checkMemory(
	outputs: number,
	parameters: number,
	limitBytes: number,
	path: JsonPath,
): SpecIssue | undefined {
	const { jacobian, kernel } = estimateMemory(outputs, parameters);
	if (jacobian <= limitBytes && kernel <= limitBytes) {
		return undefined;
	}
	const detail =
		jacobian >= kernel
			? `the Jacobian needs about ${formatBytes(jacobian)} (8 bytes x N = ${outputs} outputs x p = ${parameters} parameters)`
			: `the kernel needs about ${formatBytes(kernel)} (8 bytes x N^2, N = ${outputs} outputs)`;
	const message = `The spec is too large: ${detail}, more than the limit of ${formatBytes(limitBytes)}. Use fewer inputs or narrower layers, or raise the maxJacobianBytes limit.`;
	return errorIssue(path, 'tooLarge', message);
}

/** Formats a byte count with binary units, for example `1.5 GiB`. */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} bytes` : `${value.toPrecision(3)} ${units[unit]}`;
}

function mlpParameterCount(model: Extract<ParameterCountModel, { type: 'mlp' }>): number {
	const { widths } = model;
	const bias = model.bias === true;
	let count = 0;
	for (let layer = 1; layer < widths.length; layer++) {
		count += widths[layer - 1] * widths[layer] + (bias ? widths[layer] : 0);
	}
	return model.centering === 'antisymmetric' ? 2 * count : count;
}
