/** Builds the numerical model a resolved spec describes. */

import type { ResolvedSpec } from '../spec/types';
import { shapeError } from './checks';
import { createLinearModel } from './linear';
import { createMlpModel } from './mlp';
import { createQuadraticModel } from './quadratic';
import type { DifferentiableModel } from './types';

export type { DifferentiableModel, LipschitzConstants } from './types';
export { createLinearModel } from './linear';
export { createMlpModel } from './mlp';
export { estimateJacobianLipschitz } from './lipschitzEstimate';
export type { JacobianLipschitzEstimateOptions } from './lipschitzEstimate';
export { createQuadraticModel } from './quadratic';

/**
 * Creates the model `h : R^p -> R^n` for a resolved spec: the scalar quadratic, the linear model
 * `h(w) = X w` on `data.x`, or a multilayer perceptron evaluated on `data.x`.
 *
 * @throws SpecError when the model section names an unknown type or has inconsistent shapes. Each
 * issue's path points at the offending value.
 */
export function createModel(spec: ResolvedSpec): DifferentiableModel {
	const model = spec.model;
	switch (model.type) {
		case 'quadratic':
			return createQuadraticModel(model);
		case 'linear':
			return createLinearModel(model, spec.data);
		case 'mlp':
			return createMlpModel(model, spec.data);
		default: {
			const type = (model as { type: unknown }).type;
			throw shapeError(
				['model', 'type'],
				'type',
				`model type ${JSON.stringify(type)} is not supported; use "quadratic", "linear" or "mlp".`,
				type,
			);
		}
	}
}
