/**
 * Seeded synthetic training data. Inputs are x_i ~ N(0, I_d), and targets come from a teacher
 * function drawn from the same stream, so a seed always gives the same data set.
 */

import { createRandomStream } from '../random';

/** The teacher settings after defaults are applied. */
export interface TeacherSettings {
	/** n, the number of inputs. */
	readonly inputs: number;
	/** d, the input dimension. */
	readonly dimension: number;
	/** Number of outputs per input. */
	readonly outputs: number;
	readonly seed: number;
	readonly function: 'sinProjection' | 'mlp';
	/** m, the hidden width of the `mlp` teacher. */
	readonly width: number;
	/** Standard deviation of the Gaussian noise added to each target. */
	readonly noise: number;
}

/** Inputs (n rows of d numbers) and targets flattened input-major (`y[i * outputs + k]`). */
export interface TeacherData {
	readonly x: number[][];
	readonly y: number[];
}

/**
 * Generates the teacher data. Draw order from `createRandomStream(seed)`: the n x d inputs row by
 * row, then the teacher's weights, then (only when `noise > 0`) one noise value per target, so
 * changing the noise keeps the inputs and the noiseless targets.
 *
 * - `sinProjection`: `y_ik = sin(<u_k, x_i> / sqrt(d))`, with `u_k` a standard normal vector
 *   normalized to unit length, one per output (the generator of the reference cases, with
 *   numpy's stream replaced by ours).
 * - `mlp`: `y_ik = (1 / sqrt(m)) sum_j a_jk tanh(<W_j, x_i> / sqrt(d))` with `W` (m x d, row by
 *   row) then `a` (m x outputs) drawn from N(0, 1).
 *
 * @param settings - sizes, seed, function and noise
 * @returns the inputs and the targets
 */
export function generateTeacherData(settings: TeacherSettings): TeacherData {
	const stream = createRandomStream(settings.seed);
	const { inputs, dimension, outputs } = settings;
	const x: number[][] = [];
	for (let i = 0; i < inputs; i++) {
		x.push(Array.from({ length: dimension }, () => stream.normal()));
	}

	const y = settings.function === 'mlp'
		? mlpTargets(x, settings, stream.normal)
		: sinProjectionTargets(x, outputs, stream.normal);

	if (settings.noise > 0) {
		for (let index = 0; index < y.length; index++) {
			y[index] += settings.noise * stream.normal();
		}
	}
	return { x, y };
}

/** Describes the teacher in one line for reports. */
export function describeTeacher(settings: TeacherSettings): string {
	const teacher = settings.function === 'mlp'
		? `tanh teacher network of width ${settings.width}`
		: 'y = sin(<u, x> / sqrt(d)) with a random unit vector u';
	return `${settings.inputs} inputs x ~ N(0, I_${settings.dimension}), ${teacher}, seed ${settings.seed}, noise ${settings.noise}`;
}

function sinProjectionTargets(x: number[][], outputs: number, normal: () => number): number[] {
	const dimension = x[0]?.length ?? 0;
	const directions: number[][] = [];
	for (let k = 0; k < outputs; k++) {
		const u = Array.from({ length: dimension }, () => normal());
		const norm = Math.sqrt(dot(u, u)) || 1;
		directions.push(u.map((value) => value / norm));
	}

	const y: number[] = [];
	for (const row of x) {
		for (const u of directions) {
			y.push(Math.sin(dot(u, row) / Math.sqrt(dimension)));
		}
	}
	return y;
}

function mlpTargets(x: number[][], settings: TeacherSettings, normal: () => number): number[] {
	const { dimension, width, outputs } = settings;
	const weights: number[][] = [];
	for (let j = 0; j < width; j++) {
		weights.push(Array.from({ length: dimension }, () => normal()));
	}
	const outputWeights = Array.from({ length: width * outputs }, () => normal());

	const y: number[] = [];
	for (const row of x) {
		const hidden = weights.map((w) => Math.tanh(dot(w, row) / Math.sqrt(dimension)));
		for (let k = 0; k < outputs; k++) {
			let sum = 0;
			for (let j = 0; j < width; j++) {
				sum += outputWeights[j * outputs + k] * hidden[j];
			}
			y.push(sum / Math.sqrt(width));
		}
	}
	return y;
}

function dot(a: readonly number[], b: readonly number[]): number {
	let sum = 0;
	for (let i = 0; i < a.length; i++) {
		sum += a[i] * b[i];
	}
	return sum;
}
