/**
 * The scalar quadratic model of the converse theorem (Theorem 1.3 of "The NTK approximation is
 * valid for longer than you think"): one parameter, one output.
 */

import type { QuadraticModelSpec } from '../spec/types';
import { assertBufferLengths, assertFiniteSpecNumber, assertRadius } from './checks';
import type { DifferentiableModel, LipschitzConstants } from './types';

/**
 * Creates the quadratic model
 *
 * ```tex
 * h(w) = a w + \tfrac{b}{2} w^2, \qquad Dh(w) = a + b w, \qquad Dh(w_0 + \delta) - Dh(w_0) = b \delta
 * ```
 *
 * with p = n = 1 and w0 from the spec. Its constants on the ball of radius ρ around w0 are exact:
 * `Lip(Dh) = |b|` and `Lip(h) = max |a + b w| = |a + b w0| + |b| ρ`.
 *
 * @throws SpecError when a, b or w0 is not a finite number (paths `model.a`, `model.b`, `model.w0`)
 */
export function createQuadraticModel(spec: QuadraticModelSpec): DifferentiableModel {
	const a = assertFiniteSpecNumber(spec.a, ['model', 'a'], 'a');
	const b = assertFiniteSpecNumber(spec.b, ['model', 'b'], 'b');
	const w0 = assertFiniteSpecNumber(spec.w0, ['model', 'w0'], 'w0');

	return {
		parameterCount: 1,
		outputCount: 1,
		initialParameters: Float64Array.of(w0),
		smooth: true,
		evaluate(w: Float64Array, out: Float64Array): void {
			assertBufferLengths('evaluate', w, 1, out, 1);
			out[0] = a * w[0] + (b * w[0] * w[0]) / 2;
		},
		jacobian(w: Float64Array, out: Float64Array): void {
			assertBufferLengths('jacobian', w, 1, out, 1);
			out[0] = a + b * w[0];
		},
		jacobianDifference(delta: Float64Array, out: Float64Array): void {
			assertBufferLengths('jacobianDifference', delta, 1, out, 1);
			out[0] = b * delta[0];
		},
		lipschitz(radius: number): LipschitzConstants {
			assertRadius(radius);
			const slope = Math.abs(a + b * w0);
			return {
				jacobianLipschitzBound: Math.abs(b),
				jacobianLipschitzExact: true,
				modelLipschitzBound: b === 0 ? slope : slope + Math.abs(b) * radius,
				description: 'exact: Lip(Dh) = |b|, Lip(h) = |a + b w0| + |b| rho',
			};
		},
	};
}
