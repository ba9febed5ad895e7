// Checks alpha, T and epsilon at the ends of the double range: each analysis gives finite
// horizons or a SpecError at $.training.alpha whose stated usable range works.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SpecError, analyzeSpec, loadSpec } from '../../../src/api';
import type { HorizonAnalysis } from '../../../src/api';
import { sharpKappaLimit } from '../../../src/analysis/horizons';

function quadratic(model: Record<string, number>, training: Record<string, number>, extra = {}) {
	return loadSpec({ model: { type: 'quadratic', ...model }, data: { y: [1] }, training, ...extra }).spec;
}

function network(training: Record<string, number>) {
	return loadSpec({
		model: { type: 'mlp', widths: [2, 8, 1], activation: 'tanh' },
		data: { x: [[0, 1], [1, 0], [1, 1]], y: [0.5, -0.5, 1] },
		training,
	}).spec;
}

/** Runs `analyze` and returns the single issue of the SpecError it must throw. */
function alphaIssue(analyze: () => HorizonAnalysis) {
	try {
		analyze();
	} catch (error) {
		assert.ok(error instanceof SpecError, `expected SpecError, got ${String(error)}`);
		assert.equal(error.issues.length, 1, JSON.stringify(error.issues));
		const issue = error.issues[0];
		assert.deepEqual(issue.path, ['training', 'alpha'], issue.message);
		assert.equal(issue.code, 'range', issue.message);
		return issue;
	}
	assert.fail('expected a SpecError');
}

/** Reads the number after `prefix` in a message, for example `alpha <= 3.1e153`. */
function numberAfter(message: string, prefix: string): number {
	const start = message.indexOf(prefix);
	assert.ok(start >= 0, `"${prefix}" missing from: ${message}`);
	return Number.parseFloat(message.slice(start + prefix.length));
}

describe('extreme alpha and T', () => {
	it('R0 overflow names the largest alpha', () => {
		const model = { a: 0.1, b: -3, w0: 2 };
		const issue = alphaIssue(() => analyzeSpec(quadratic(model, { alpha: 1.7e308, T: 1.7e308 })));
		assert.match(issue.message, /alpha = 1\.7e\+308 makes the initial loss R0/);
		const largest = numberAfter(issue.message, 'Use alpha <= ');
		const analysis = analyzeSpec(quadratic(model, { alpha: largest, T: 1 }));
		assert.ok(Number.isFinite(analysis.initialLoss), `R0 at the stated alpha ${largest}: ${analysis.initialLoss}`);
	});

	it('overflowing bound names alpha and T limits', () => {
		const issue = alphaIssue(() => analyzeSpec(network({ alpha: 1e-300, T: 5 })));
		assert.match(issue.message, /alpha = 1e-300 is too small for T = 5/);
		const smallestAlpha = numberAfter(issue.message, 'Use alpha >= ');
		const largestTime = numberAfter(issue.message, 'or T <= ');
		const atAlpha = analyzeSpec(network({ alpha: smallestAlpha, T: 5 }), { estimate: false });
		assert.ok(atAlpha.lipschitz.bound !== null, `bound at the stated alpha ${smallestAlpha}`);
		const atTime = analyzeSpec(network({ alpha: 1e-300, T: largestTime }), { estimate: false });
		assert.ok(atTime.lipschitz.bound !== null, `bound at the stated T ${largestTime}`);
	});

	it('subnormal alpha with T = 0 answers', () => {
		const analysis = analyzeSpec(quadratic({ a: 1, b: 1, w0: 0 }, { alpha: 5e-324, T: 0 }));
		for (const [name, horizon] of Object.entries(analysis.horizons)) {
			assert.equal(horizon.kind, 'finite', `${name}: ${JSON.stringify(horizon)}`);
			assert.ok(Number.isFinite((horizon as { time: number }).time), `${name}: ${JSON.stringify(horizon)}`);
		}
		assert.equal(analysis.minimumAlpha, 0, 'every alpha reaches T = 0');
	});

	it('huge alpha gives a horizon past the double range', () => {
		// eps alpha / (|b| sqrt(R0)) = 0.5 x 1.7e308 / (0.1 x 0.707) is about 1.2e309.
		const spec = quadratic({ a: 1, b: 0.1, w0: 0 }, { alpha: 1.7e308, T: 1 }, { analysis: { epsilon: 0.5 } });
		const analysis = analyzeSpec(spec);
		assert.equal(analysis.horizons.estimate.kind, 'unbounded', JSON.stringify(analysis.horizons.estimate));
		assert.equal(analysis.horizons.guaranteed.kind, 'unbounded', JSON.stringify(analysis.horizons.guaranteed));
	});
});

describe('tiny epsilon', () => {
	it('kappa limit keeps full precision', () => {
		for (const epsilon of [1e-8, 1e-14, 1e-300]) {
			const value = sharpKappaLimit(epsilon);
			// Taylor series of (sqrt(1 + 3 eps) - 1) / 3: eps / 2 - 3 eps^2 / 8 + ...
			const expected = epsilon / 2 - (3 * epsilon * epsilon) / 8;
			const deviation = Math.abs(value - expected) / expected;
			assert.ok(deviation <= 1e-15, `eps ${epsilon}: ${value}, expected ${expected}, deviation ${deviation} > 1e-15`);
		}
	});

	it('matches the closed form for large epsilon', () => {
		for (const epsilon of [0.05, 1, 1.99]) {
			const expected = (Math.sqrt(1 + 3 * epsilon) - 1) / 3;
			const value = sharpKappaLimit(epsilon);
			assert.ok(Math.abs(value - expected) <= 1e-15 * expected, `eps ${epsilon}: ${value}, expected ${expected}`);
		}
	});

	it('guaranteed horizon halves the estimate at eps 1e-300', () => {
		const spec = quadratic({ a: 1, b: 1, w0: 0 }, { alpha: 10, T: 1 }, { analysis: { epsilon: 1e-300 } });
		const { guaranteed, estimate } = analyzeSpec(spec).horizons;
		assert.ok(guaranteed.kind === 'finite', `guaranteed: ${JSON.stringify(guaranteed)}`);
		assert.ok(estimate.kind === 'finite', `estimate: ${JSON.stringify(estimate)}`);
		const ratio = guaranteed.time / estimate.time;
		assert.ok(Math.abs(ratio - 0.5) <= 1e-14, `guaranteed / estimate ${ratio}, expected 0.5, tolerance 1e-14`);
	});
});
