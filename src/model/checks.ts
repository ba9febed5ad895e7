/** Input checks shared by the models: ball radii and spec values. */

import { SpecError, type JsonPath } from '../errors';

/**
 * Checks a ball radius ρ passed to `lipschitz`.
 *
 * @throws RangeError when ρ is negative or NaN (`Infinity` is accepted)
 */
export function assertRadius(radius: number): void {
	if (!(radius >= 0)) {
		throw new RangeError(`radius must be a number >= 0, got ${radius}.`);
	}
}

/**
 * Checks the buffers passed to `evaluate`, `jacobian` or `jacobianDifference`.
 *
 * @throws RangeError when `input` does not have p entries or `out` does not have `outLength`
 */
export function assertBufferLengths(
	method: string,
	input: Float64Array,
	parameterCount: number,
	out: Float64Array,
	outLength: number,
): void {
	if (input.length !== parameterCount) {
		throw new RangeError(`${method}: expected ${parameterCount} parameters, got ${input.length}.`);
	}
	if (out.length !== outLength) {
		throw new RangeError(`${method}: expected an output buffer of ${outLength}, got ${out.length}.`);
	}
}

/**
 * Checks that a spec value is a finite number.
 *
 * @throws SpecError with code `type` at `path` otherwise
 */
export function assertFiniteSpecNumber(value: unknown, path: JsonPath, name: string): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		const message = `${name} must be a finite number, got ${describeValue(value)}.`;
		throw shapeError(path, 'type', message, value);
	}
	return value;
}

/** Creates a one-issue SpecError (severity `error`) at `path`. */
export function shapeError(
	path: JsonPath,
	code: string,
	message: string,
	value?: unknown,
): SpecError {
	return new SpecError([{ path, severity: 'error', code, message, value }]);
}

/** Describes a value for an error message: numbers and short strings as written, others by type. */
export function describeValue(value: unknown): string {
	if (typeof value === 'number') {
		return String(value);
	}
	if (Array.isArray(value)) {
		return `an array of length ${value.length}`;
	}
	if (value === null) {
		return 'null';
	}
	if (typeof value === 'string') {
		return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
	}
	return `a value of type ${typeof value}`;
}
