// The half-step pair's error estimate: E stays within a few rtol of a tight run where the embedded
// estimate alone (lazy network) or the quadrature term alone (non-lazy converse model) fell short.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadSpec, simulateSpec } from '../../../src/api';
import { quadraticError } from '../robustness/quadraticReference';

const X = [
	[1, 0.5, -0.2],
	[-0.3, 2, 0.4],
	[0.7, -1, 1.1],
	[0.2, 0.3, -1.5],
	[-1.2, 0.1, 0.6],
	[0.4, -0.8, 0.9],
];
const Y = [1, -0.5, 0.25, 0.8, -0.1, 0.3];
const TIMES = [0.3, 3, 30, 100, 300];

function networkSpec(alpha: number): ReturnType<typeof loadSpec>['spec'] {
	return loadSpec({
		name: 'network',
		model: { type: 'mlp', widths: [3, 24, 1], activation: 'tanh', init: { seed: 9 } },
		data: { x: X, y: Y },
		training: { alpha, T: 300 },
		analysis: { epsilon: 0.05, relative: true, times: TIMES },
	}).spec;
}

function worstRelative(a: readonly number[], b: readonly number[]): number {
	return Math.max(...a.map((value, index) => Math.abs(value - b[index]) / Math.abs(b[index])));
}

describe('half-step pair', () => {
	for (const alpha of [1, 100, 1e6]) {
		it(`network at alpha ${alpha}: E within 10 rtol`, () => {
			const spec = networkSpec(alpha);
			const rtol = 1e-8;
			const run = simulateSpec(spec, { rtol });
			const reference = simulateSpec(spec, { rtol: 1e-12, matrixFree: false });
			const worst = worstRelative(run.err, reference.err);
			assert.ok(
				worst <= 10 * rtol,
				`alpha ${alpha}: E differs from the rtol 1e-12 run by ${worst} relative (limit ${10 * rtol}); ` +
					`${run.solver.steps} steps`,
			);
		});
	}
});

describe('dense output at report times', () => {
	it('matches runs that end at each report time', () => {
		const spec = networkSpec(100);
		const rtol = 1e-8;
		const run = simulateSpec(spec, { rtol });
		TIMES.forEach((time, index) => {
			const ending = simulateSpec(spec, { rtol, endTime: time });
			const landed = ending.err[ending.err.length - 1];
			const difference = Math.abs(run.err[index] - landed) / landed;
			assert.ok(
				difference <= 10 * rtol,
				`t = ${time}: dense E ${run.err[index]}, E of a run ending there ${landed}, ` +
					`difference ${difference} relative (limit ${10 * rtol})`,
			);
		});
	});
});

describe('report times inside steps on the converse model', () => {
	// A step the Richardson estimate accepted must end at each report time inside it, because its
	// dense output is less accurate. With 1000 report times at alpha 100 a long step of that kind
	// once read them from the dense output and was off by 3.6e-7 at t = 24.4.
	for (const [alpha, count] of [
		[1, 1000],
		[100, 1000],
		[1, 7],
	] as const) {
		it(`alpha ${alpha}, ${count} report times: E within 10 rtol`, () => {
			const times = Array.from({ length: count }, (_, i) => ((i + 1) * 100) / count);
			const spec = loadSpec({
				name: 'converse',
				model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 },
				data: { y: [1] },
				training: { alpha, T: 100 },
				analysis: { epsilon: 0.05, relative: true, times },
			}).spec;
			const rtol = 1e-8;
			const run = simulateSpec(spec, { rtol });
			run.err.forEach((value, index) => {
				const time = run.times[index];
				const exact = quadraticError({ a: 0.1, b: 1 }, 1, alpha, time);
				const error = Math.abs(value - exact) / exact;
				assert.ok(error <= 10 * rtol, `alpha ${alpha}, t = ${time}: E ${value}, closed form ${exact}, relative error ${error}`);
			});
		});
	}
});
