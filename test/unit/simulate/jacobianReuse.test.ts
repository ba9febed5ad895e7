// Jacobian reuse in the deviation system: when load reuses a kept offset and when it evaluates one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { loadSpec } from '../../../src/api';
import { DeviationSystem } from '../../../src/simulate/deviation';
import { LinearFlow } from '../../../src/simulate/linearFlow';
import { initialResidual, prepareProblem } from '../../../src/simulate/problem';
import type { PreparedProblem } from '../../../src/simulate/problem';

const X = [[1, 0.5], [-0.3, 2], [0.7, -1]];
const Y = [1, -0.5, 0.25];
const ALPHA = 2;

function prepared(): PreparedProblem {
	const spec = loadSpec({
		name: 'mlp',
		model: { type: 'mlp', widths: [2, 8, 1], activation: 'tanh', init: { seed: 3 } },
		data: { x: X, y: Y },
		training: { alpha: ALPHA, T: 10 },
		analysis: { epsilon: 0.05, relative: true },
	}).spec;
	return prepareProblem(spec);
}

function system(problem: PreparedProblem, tolerance: number): DeviationSystem {
	const flow = new LinearFlow(problem, initialResidual(problem, ALPHA));
	return new DeviationSystem(problem, flow, ALPHA, tolerance);
}

/** Builds a state [e; d] with e = 0 and d equal to `scale` times a fixed direction. */
function state(problem: PreparedProblem, scale: number): Float64Array {
	const n = problem.outputCount;
	const y = new Float64Array(n + problem.parameterCount);
	for (let k = n; k < y.length; k++) {
		y[k] = scale * Math.sin(k);
	}
	return y;
}

function maxDifference(a: Float64Array, b: Float64Array): number {
	let largest = 0;
	for (let k = 0; k < a.length; k++) {
		largest = Math.max(largest, Math.abs(a[k] - b[k]));
	}
	return largest;
}

describe('Jacobian reuse', () => {
	it('reuses an offset within the tolerance', () => {
		const problem = prepared();
		const reusing = system(problem, 1e-6);
		reusing.load(1, state(problem, 0.1));
		const first = Float64Array.from(reusing.jacobianOffset);
		reusing.load(1, state(problem, 0.1 * (1 + 1e-9)));
		assert.equal(reusing.jacobianEvaluations, 1, 'a change of 1e-9 relative should reuse the offset');
		assert.equal(maxDifference(reusing.jacobianOffset, first), 0, 'the reused offset should be the kept one');
	});

	it('evaluates beyond the tolerance', () => {
		const problem = prepared();
		const reusing = system(problem, 1e-6);
		const exact = system(problem, 0);
		reusing.load(1, state(problem, 0.1));
		const moved = state(problem, 0.2);
		reusing.load(1, moved);
		exact.load(1, moved);
		assert.equal(reusing.jacobianEvaluations, 2, 'a change of about 1 relative should evaluate');
		const difference = maxDifference(reusing.jacobianOffset, exact.jacobianOffset);
		assert.equal(difference, 0, `offset differs from a fresh evaluation by ${difference}`);
	});

	it('returns to the older of two kept offsets', () => {
		const problem = prepared();
		const reusing = system(problem, 1e-6);
		reusing.load(1, state(problem, 0.1));
		reusing.load(2, state(problem, 0.1));
		reusing.load(1, state(problem, 0.1));
		assert.equal(reusing.jacobianEvaluations, 2, 'the third load should reuse the first offset');
	});

	it('evaluates every load with reuse off', () => {
		const problem = prepared();
		const exact = system(problem, 0);
		exact.load(1, state(problem, 0.1));
		exact.load(1, state(problem, 0.1 * (1 + 1e-12)));
		assert.equal(exact.jacobianEvaluations, 2, 'tolerance 0 should evaluate a changed state');
	});

	it('never reuses after the displacement overflows', () => {
		const problem = prepared();
		const reusing = system(problem, 1e-6);
		reusing.load(1, state(problem, 1e300));
		reusing.load(1, state(problem, 1e300));
		assert.equal(reusing.jacobianEvaluations, 2, 'an overflowed ||delta||^2 should not match');
	});
});
