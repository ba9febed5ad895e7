import assert from 'node:assert/strict';
import { test } from 'node:test';

import { horizonLensTitle, statusBarText } from '../../../extension/lensText';
import { analyzeSpec } from '../../../src/api';
import type { HorizonAnalysis } from '../../../src/results';
import { inspectJson, quadraticText } from './helpers';

function analysis(): HorizonAnalysis {
	const [inspected] = inspectJson(quadraticText(3, 50));
	assert.ok(inspected.spec);
	return analyzeSpec(inspected.spec);
}

test('horizon lens title formats', () => {
	const ready = analysis();
	const { estimate, guaranteed } = ready.horizons;
	assert.ok(estimate.kind === 'finite', JSON.stringify(estimate));
	assert.ok(guaranteed.kind === 'finite', JSON.stringify(guaranteed));
	const title = horizonLensTitle({ status: 'ready', analysis: ready });
	assert.equal(
		title,
		`NTK horizon ~ ${Number(estimate.time.toPrecision(3))} (guaranteed ${Number(guaranteed.time.toPrecision(3))})`,
	);
	assert.equal(
		horizonLensTitle({ status: 'invalid', errorCount: 2 }),
		'NTK horizon: invalid spec (2 errors)',
	);
	assert.equal(
		horizonLensTitle({ status: 'invalid', errorCount: 1 }),
		'NTK horizon: invalid spec (1 error)',
	);
	assert.equal(horizonLensTitle({ status: 'computing' }), 'NTK horizon: computing...');
});

test('lens title for ReLU', () => {
	const ready = analysis();
	const notApplicable = {
		kind: 'notApplicable',
		reason: 'ReLU has no Lipschitz derivative',
	} as const;
	const relu = {
		...ready,
		horizons: { ...ready.horizons, guaranteed: notApplicable, estimate: notApplicable },
	};
	assert.equal(
		horizonLensTitle({ status: 'ready', analysis: relu }),
		'NTK horizon: not applicable (ReLU has no Lipschitz derivative)',
	);
});

test('status bar text starts with NTK', () => {
	const ready = analysis();
	const texts = [
		statusBarText({ status: 'ready', analysis: ready }),
		statusBarText({ status: 'running', percent: 42.7 }),
		statusBarText({ status: 'running' }),
		statusBarText({ status: 'computing' }),
		statusBarText({ status: 'invalid', errorCount: 1 }),
		statusBarText({ status: 'failed', message: 'x' }),
	];
	for (const text of texts) {
		assert.ok(text.startsWith('NTK'), `status bar text ${text}`);
	}
	assert.equal(texts[1], 'NTK computing 42%');
	assert.equal(texts[4], 'NTK error');
	assert.match(texts[0], /^NTK T\* = [0-9.e-]+$/);
});
