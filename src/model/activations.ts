/**
 * Activation functions of the MLP with their first two derivatives and the sup norms the
 * Lipschitz bounds use. All sup norms are over the whole real line.
 */

import { SpecError } from '../errors';
import type { Activation } from '../spec/types';
import { normalCdfWithDensity } from './erf';
import { tanh as fastTanh } from './tanh';

/** An activation σ, its derivatives and the constants of the Lipschitz bounds. */
export interface ActivationFunction {
	readonly name: Activation;
	/** False when σ' is not Lipschitz (ReLU), so that Lip(Dh) is infinite. */
	readonly smooth: boolean;
	/** σ(0). */
	readonly valueAtZero: number;
	/** sup |σ|, or `Infinity` when σ is unbounded. */
	readonly supValue: number;
	/** sup |σ'|, the Lipschitz constant of σ. */
	readonly supFirst: number;
	/** sup |σ''|, or `Infinity` when σ' jumps (ReLU). */
	readonly supSecond: number;
	value(z: number): number;
	first(z: number): number;
	/** σ''(z); for ReLU the almost-everywhere value 0. */
	second(z: number): number;
	/**
	 * Writes `scale σ(z_i)` into `values` and `scale σ'(z_i)` into `slopes` for the first `count`
	 * entries. The scale is the layer's, 1/sqrt(fan-in) in the NTK parametrization.
	 */
	apply(z: Float64Array, values: Float64Array, slopes: Float64Array, count: number, scale?: number): void;
}

/** 1 / sqrt(2 pi), the standard normal density at 0. */
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Returns the activation named in a spec.
 *
 * @throws SpecError at `model.activation` for an unknown name
 */
export function getActivation(name: Activation): ActivationFunction {
	const activation = Object.hasOwn(ACTIVATIONS, name) ? ACTIVATIONS[name] : undefined;
	if (activation === undefined) {
		throw new SpecError([
			{
				path: ['model', 'activation'],
				severity: 'error',
				code: 'type',
				message: `activation ${JSON.stringify(name)} is not supported; use one of ${SUPPORTED}.`,
				value: name,
			},
		]);
	}
	return activation;
}

/** Builds an activation whose `apply` calls `value` and `first` per entry. */
function defineActivation(
	definition: Omit<ActivationFunction, 'apply'> & Partial<Pick<ActivationFunction, 'apply'>>,
): ActivationFunction {
	const apply =
		definition.apply ??
		((z: Float64Array, values: Float64Array, slopes: Float64Array, count: number, scale = 1): void => {
			for (let i = 0; i < count; i++) {
				values[i] = scale * definition.value(z[i]);
				slopes[i] = scale * definition.first(z[i]);
			}
		});
	return { ...definition, apply };
}

function sigmoid(z: number): number {
	if (z >= 0) {
		return 1 / (1 + Math.exp(-z));
	}
	const e = Math.exp(z);
	return e / (1 + e);
}

/** Standard normal distribution function Φ(z) = erfc(-z / sqrt 2) / 2. */
function normalCdf(z: number): number {
	return normalCdfWithDensity(z, normalDensity(z));
}

function normalDensity(z: number): number {
	return INV_SQRT_2PI * Math.exp(-(z * z) / 2);
}

const tanh = defineActivation({
	name: 'tanh',
	smooth: true,
	valueAtZero: 0,
	supValue: 1,
	supFirst: 1,
	// max |-2 t (1 - t^2)| at t = tanh(z) = 1 / sqrt 3.
	supSecond: 4 / (3 * Math.sqrt(3)),
	value: fastTanh,
	first: (z) => {
		const t = fastTanh(z);
		return 1 - t * t;
	},
	second: (z) => {
		const t = fastTanh(z);
		return -2 * t * (1 - t * t);
	},
	apply(z, values, slopes, count, scale = 1) {
		for (let i = 0; i < count; i++) {
			const t = fastTanh(z[i]);
			values[i] = scale * t;
			slopes[i] = scale * (1 - t * t);
		}
	},
});

const sigmoidActivation = defineActivation({
	name: 'sigmoid',
	smooth: true,
	valueAtZero: 0.5,
	supValue: 1,
	supFirst: 0.25,
	// max |s (1 - s) (1 - 2 s)| at s = (3 +- sqrt 3) / 6.
	supSecond: 1 / (6 * Math.sqrt(3)),
	value: sigmoid,
	first: (z) => {
		const s = sigmoid(z);
		return s * (1 - s);
	},
	second: (z) => {
		const s = sigmoid(z);
		return s * (1 - s) * (1 - 2 * s);
	},
	apply(z, values, slopes, count, scale = 1) {
		for (let i = 0; i < count; i++) {
			const s = sigmoid(z[i]);
			values[i] = scale * s;
			slopes[i] = scale * (s * (1 - s));
		}
	},
});

const softplus = defineActivation({
	name: 'softplus',
	smooth: true,
	valueAtZero: Math.LN2,
	supValue: Infinity,
	supFirst: 1,
	// σ'' = s (1 - s) with s the logistic sigmoid, largest at z = 0.
	supSecond: 0.25,
	value: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))),
	first: sigmoid,
	second: (z) => {
		const s = sigmoid(z);
		return s * (1 - s);
	},
});

/** GELU σ(z) = z Φ(z) (Hendrycks and Gimpel 2016), the exact form with erf, not the tanh fit. */
const gelu = defineActivation({
	name: 'gelu',
	smooth: true,
	valueAtZero: 0,
	supValue: Infinity,
	// σ' = Φ(z) + z φ(z) is largest at z = sqrt 2, where σ'' = φ(z) (2 - z^2) vanishes.
	// The value is about 1.128904.
	supFirst: normalCdf(Math.SQRT2) + Math.SQRT2 * normalDensity(Math.SQRT2),
	// |φ(z) (2 - z^2)| is largest at z = 0 (2 φ(0)); its other extrema at z = +-2 give 0.108.
	supSecond: 2 * INV_SQRT_2PI,
	value: (z) => z * normalCdf(z),
	first: (z) => normalCdf(z) + z * normalDensity(z),
	second: (z) => normalDensity(z) * (2 - z * z),
	apply(z, values, slopes, count, scale = 1) {
		for (let i = 0; i < count; i++) {
			const x = z[i];
			const density = normalDensity(x);
			const cdf = normalCdfWithDensity(x, density);
			values[i] = scale * (x * cdf);
			slopes[i] = scale * (cdf + x * density);
		}
	},
});

const sine = defineActivation({
	name: 'sin',
	smooth: true,
	valueAtZero: 0,
	supValue: 1,
	supFirst: 1,
	supSecond: 1,
	value: Math.sin,
	first: Math.cos,
	second: (z) => -Math.sin(z),
});

/** ReLU max(0, z); σ'(0) is taken as 0. σ' jumps at 0, so Dh is not Lipschitz. */
const relu = defineActivation({
	name: 'relu',
	smooth: false,
	valueAtZero: 0,
	supValue: Infinity,
	supFirst: 1,
	supSecond: Infinity,
	value: (z) => (z > 0 ? z : 0),
	first: (z) => (z > 0 ? 1 : 0),
	second: () => 0,
});

const ACTIVATIONS: Readonly<Record<string, ActivationFunction>> = {
	tanh,
	softplus,
	sigmoid: sigmoidActivation,
	gelu,
	sin: sine,
	relu,
};

const SUPPORTED = Object.keys(ACTIVATIONS).join(', ');
