import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildHoverMarkdown, escapeMarkdown, lipschitzText } from '../../../extension/hoverText';
import { analyzeSpec } from '../../../src/api';
import type { HorizonAnalysis } from '../../../src/results';
import type { ResolvedSpec } from '../../../src/spec/types';
import { inspectJson, quadraticText } from './helpers';

function quadratic(alpha: number, T: number): { spec: ResolvedSpec; analysis: HorizonAnalysis } {
	const [inspected] = inspectJson(quadraticText(alpha, T));
	assert.ok(inspected.spec, `quadratic alpha ${alpha}: ${JSON.stringify(inspected.issues)}`);
	return { spec: inspected.spec, analysis: analyzeSpec(inspected.spec) };
}

test('alpha hover lists the horizons', () => {
	const { spec, analysis } = quadratic(3, 50);
	const markdown = buildHoverMarkdown({
		key: 'alpha',
		spec,
		state: { status: 'ready', analysis },
	});
	assert.ok(analysis.horizons.guaranteed.kind === 'finite', 'quadratic has a finite guarantee');
	const rows = [
		'| R0, initial loss ½‖r0‖² | 0.845 |',
		'| Lip(Dh) on the ball of radius',
		'| 2.5 (exact) |',
		'| horizon guaranteed (Theorem 1.2) |',
		'| horizon estimate α ε / (Lip(Dh) √R0), exact Lip(Dh) |',
		'| horizon, older bound (Proposition 1.1) |',
		'| horizon, empirical (simulated) | not simulated yet: run Simulate |',
		'| smallest α keeping T = 50 within ε = 0.05 |',
	];
	for (const row of rows) {
		assert.ok(markdown.includes(row), `missing ${row} in:\n${markdown}`);
	}
	assert.ok(markdown.includes('the current α is too small'), markdown);
});

test('alpha hover shows 3 digits', () => {
	const { spec, analysis } = quadratic(3, 50);
	const markdown = buildHoverMarkdown({
		key: 'alpha',
		spec,
		state: { status: 'ready', analysis },
	});
	const guaranteed = analysis.horizons.guaranteed;
	assert.ok(guaranteed.kind === 'finite');
	const expected = Number(guaranteed.time.toPrecision(3));
	const match = /\| horizon guaranteed \(Theorem 1\.2\) \| ([^|]+) \|/.exec(markdown);
	assert.ok(match, markdown);
	const displayed = Number(match[1]);
	assert.equal(
		displayed,
		expected,
		`guaranteed horizon ${guaranteed.time}: displayed ${match[1]}, expected ${expected}`,
	);
});

test('minimum alpha rounded up in hover', () => {
	const { spec, analysis } = quadratic(3, 50);
	assert.ok(analysis.minimumAlpha !== null, 'a minimum alpha exists');
	const markdown = buildHoverMarkdown({
		key: 'alpha',
		spec,
		state: { status: 'ready', analysis },
	});
	const match = /within ε = 0\.05 \| ([0-9.e-]+) /.exec(markdown);
	assert.ok(match, markdown);
	const displayed = Number(match[1]);
	assert.ok(
		displayed >= analysis.minimumAlpha,
		`displayed ${displayed} must be >= minimumAlpha ${analysis.minimumAlpha}`,
	);
	assert.ok(
		displayed <= analysis.minimumAlpha * 1.01,
		`displayed ${displayed} within 1% of ${analysis.minimumAlpha}`,
	);
});

test('empirical horizon shown when simulated', () => {
	const { spec, analysis } = quadratic(3, 50);
	const markdown = buildHoverMarkdown({
		key: 'alpha',
		spec,
		state: { status: 'ready', analysis },
		empirical: { kind: 'notReached', searchedUntil: 50, peakError: 0.002, peakTime: 12.5 },
	});
	assert.ok(
		markdown.includes(
			'| horizon, empirical (simulated) | not reached up to t = 50 (peak E 0.002 at t = 12.5) |',
		),
		markdown,
	);
});

test('computing and failed hovers', () => {
	const { spec } = quadratic(3, 50);
	const computing = buildHoverMarkdown({ key: 'alpha', spec, state: { status: 'computing' } });
	assert.match(computing, /Computing the analysis/);
	const failed = buildHoverMarkdown({
		key: 'T',
		spec,
		state: { status: 'failed', message: 'weights W has shape [2, 3]' },
	});
	assert.match(failed, /The analysis failed: weights W has shape \\\[2, 3\\\]/);
});

test('T hover says whether T is guaranteed', () => {
	const outside = quadratic(3, 50);
	const beyond = buildHoverMarkdown({
		key: 'T',
		spec: outside.spec,
		state: { status: 'ready', analysis: outside.analysis },
	});
	assert.match(beyond, /T exceeds it/);
	assert.match(beyond, /κ = T·Lip\(Dh\)·√R0 \/ α/);
	const inside = quadratic(1e4, 50);
	const within = buildHoverMarkdown({
		key: 'T',
		spec: inside.spec,
		state: { status: 'ready', analysis: inside.analysis },
	});
	assert.match(within, /T is within the guaranteed horizon/);
});

test('epsilon hover gives the threshold', () => {
	const { spec, analysis } = quadratic(3, 50);
	const markdown = buildHoverMarkdown({
		key: 'epsilon',
		spec,
		state: { status: 'ready', analysis },
	});
	assert.match(markdown, /\*\*ε\*\* = 0\.05 \(relative to ‖r0‖\)/);
	assert.ok(markdown.includes(`ε·‖r0‖ = ${Number(analysis.threshold.toPrecision(3))}`), markdown);
});

test('Lipschitz labels', () => {
	const { analysis } = quadratic(3, 50);
	const base = analysis.lipschitz;
	assert.equal(lipschitzText(analysis), '2.5 (exact)');
	const estimated = {
		...analysis,
		lipschitz: { ...base, exact: false, bound: 12.3456, estimate: 1.5 },
	};
	assert.equal(lipschitzText(estimated), '12.3 (certified bound), 1.5 (estimated)');
	const relu = { ...analysis, lipschitz: { ...base, exact: false, bound: null, estimate: null } };
	assert.match(lipschitzText(relu), /not finite/);
});

test('user text escaped in Markdown', () => {
	assert.equal(escapeMarkdown('a*b_c[d]|e<f>'), 'a\\*b\\_c\\[d\\]\\|e\\<f\\>');
});
