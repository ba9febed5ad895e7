// Network runs outside the reference cases: a non-lazy run (alpha = 1), a very lazy one
// (alpha = 1e6), the Theorem 1.2 bound with the certified constant, and agreement of the two
// integrators.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { loadSpec, simulateSpec } from '../../../src/api';
import type { SimulationResult } from '../../../src/api';

const CASE = join(__dirname, '..', '..', 'fixtures', 'cases', 'mlp_tanh_small_alpha10.json');

function networkSpec(alpha: number, trainingTime: number) {
	const raw = JSON.parse(readFileSync(CASE, 'utf8'));
	delete raw.expected;
	delete raw.tolerance;
	delete raw.analysis.times;
	raw.training = { alpha, T: trainingTime };
	return loadSpec(raw).spec;
}

function assertWithinTheorem12(result: SimulationResult, label: string): void {
	for (let i = 0; i < result.times.length; i++) {
		const bound = result.bounds.theorem12[i];
		assert.ok(typeof bound === 'number', `${label}: Theorem 1.2 bound missing at ${result.times[i]}`);
		assert.ok(result.err[i] <= bound, `${label}: E(${result.times[i]}) = ${result.err[i]} above Theorem 1.2's ${bound}`);
	}
}

function assertAgree(first: SimulationResult, second: SimulationResult, tolerance: number, label: string): void {
	const peak = Math.max(...second.err);
	for (let i = 0; i < first.times.length; i++) {
		const scale = Math.max(second.err[i], 1e-3 * peak);
		const deviation = Math.abs(first.err[i] - second.err[i]) / scale;
		assert.ok(
			deviation <= tolerance,
			`${label} t ${first.times[i]}: exponential ${first.err[i]}, dopri5 ${second.err[i]}, deviation ${deviation} > ${tolerance}`,
		);
	}
}

describe('network runs', () => {
	it('non-lazy alpha = 1 stays below Theorem 1.2', () => {
		const spec = networkSpec(1, 200);
		const exponential = simulateSpec(spec, { method: 'exponential' });
		const dopri5 = simulateSpec(spec, { method: 'dopri5' });
		assertWithinTheorem12(exponential, 'alpha 1');
		assertAgree(exponential, dopri5, 1e-5, 'alpha 1');
	});

	it('very lazy alpha = 1e6 agrees across methods', () => {
		const spec = networkSpec(1e6, 300);
		const exponential = simulateSpec(spec, { method: 'exponential' });
		const dopri5 = simulateSpec(spec, { method: 'dopri5' });
		assertWithinTheorem12(exponential, 'alpha 1e6');
		assertAgree(exponential, dopri5, 1e-5, 'alpha 1e6');
		// E scales like 1 / alpha: at alpha = 1000 the peak of E is 1.4171718e-5 (reference case
		// mlp_tanh_small_alpha1000), and the O(1 / alpha) correction is about 1e-3 relative.
		const empirical = exponential.horizons.empirical;
		assert.equal(empirical.kind, 'notReached');
		if (empirical.kind === 'notReached') {
			const scaled = empirical.peakError * 1e6;
			const expected = 1.4171718e-5 * 1000;
			const deviation = Math.abs(scaled - expected) / expected;
			assert.ok(deviation <= 1e-2, `alpha x peak E = ${scaled}, expected ${expected}, deviation ${deviation} > 1e-2`);
		}
	});
});
