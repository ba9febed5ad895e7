import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	HORIZON_EXCEEDED,
	horizonExceededDiagnostic,
	quickFixValues,
	specDiagnostics,
} from '../../../extension/diagnosticRules';
import { analyzeSpec } from '../../../src/api';
import { replaceValueEdit } from '../../../src/spec/edits';
import { inspectJson, quadraticText } from './helpers';

function inspected(alpha: number, T: number) {
	const text = quadraticText(alpha, T);
	const [spec] = inspectJson(text);
	assert.ok(spec.spec, JSON.stringify(spec.issues));
	return { text, spec, analysis: analyzeSpec(spec.spec) };
}

test('warning on T beyond guarantee', () => {
	const { text, spec, analysis } = inspected(3, 50);
	const diagnostic = horizonExceededDiagnostic(spec, analysis);
	assert.ok(diagnostic, 'T = 50 at alpha = 3 exceeds the guaranteed horizon');
	assert.equal(diagnostic.code, HORIZON_EXCEEDED);
	assert.equal(diagnostic.severity, 'warning');
	assert.equal(text.slice(diagnostic.start, diagnostic.end), '50');
	const values = quickFixValues(analysis);
	assert.match(
		diagnostic.message,
		/^T = 50 exceeds the horizon [0-9.e-]+ guaranteed by Theorem 1\.2 for epsilon = 0\.05/,
	);
	assert.ok(
		diagnostic.message.includes(
			`Raise alpha to at least ${values.alpha} or lower T to at most ${values.T}.`,
		),
		diagnostic.message,
	);
});

test('no warning within the guarantee', () => {
	const { spec, analysis } = inspected(1e4, 50);
	assert.equal(horizonExceededDiagnostic(spec, analysis), undefined);
	assert.deepEqual(specDiagnostics(spec, { status: 'ready', analysis }), []);
});

test('quick fix values satisfy the guarantee', () => {
	const { text, spec, analysis } = inspected(3, 50);
	const values = quickFixValues(analysis);
	assert.ok(values.alpha, JSON.stringify(values));
	assert.ok(values.T, JSON.stringify(values));
	const guaranteed = analysis.horizons.guaranteed;
	assert.ok(guaranteed.kind === 'finite', JSON.stringify(guaranteed));
	assert.ok(analysis.minimumAlpha !== null, 'a minimum alpha exists');
	assert.ok(
		Number(values.alpha) >= analysis.minimumAlpha,
		`alpha fix ${values.alpha} >= ${analysis.minimumAlpha}`,
	);
	assert.ok(Number(values.T) <= guaranteed.time, `T fix ${values.T} <= ${guaranteed.time}`);

	// Applying the alpha fix must remove the warning.
	const alphaLocation = spec.keys.alpha;
	assert.ok(alphaLocation);
	const edit = replaceValueEdit(text, alphaLocation, analysis.minimumAlpha, {
		digits: 3,
		rounding: 'up',
	});
	assert.equal(edit.newText, values.alpha);
	const fixedText = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
	const [fixed] = inspectJson(fixedText);
	assert.ok(fixed.spec);
	const fixedAnalysis = analyzeSpec(fixed.spec);
	assert.equal(
		horizonExceededDiagnostic(fixed, fixedAnalysis),
		undefined,
		`after Set alpha to ${values.alpha}: ${JSON.stringify(fixedAnalysis.horizons.guaranteed)}`,
	);

	// Applying the T fix must remove it as well.
	const TLocation = spec.keys.T;
	assert.ok(TLocation);
	const editT = replaceValueEdit(text, TLocation, guaranteed.time, {
		digits: 3,
		rounding: 'down',
	});
	const fixedT = text.slice(0, editT.start) + editT.newText + text.slice(editT.end);
	const [fixedSpecT] = inspectJson(fixedT);
	assert.ok(fixedSpecT.spec);
	assert.equal(
		horizonExceededDiagnostic(fixedSpecT, analyzeSpec(fixedSpecT.spec)),
		undefined,
		`after Set T to ${editT.newText}`,
	);
});

test('analysis failure placed on its path', () => {
	const { spec } = inspected(3, 50);
	const records = specDiagnostics(spec, {
		status: 'failed',
		message: 'bad weights',
		issues: [
			{
				path: ['model', 'init', 'weights', 'W', 2],
				severity: 'error',
				code: 'shape',
				message: 'W has 2 rows, expected 3.',
			},
		],
	});
	assert.equal(records.length, 1);
	const model = spec.locations.find(
		(entry) => entry.path.length === 1 && entry.path[0] === 'model',
	);
	assert.ok(model);
	assert.equal(
		records[0].start,
		model.valueStart,
		'placed on the nearest written ancestor, model',
	);
	assert.equal(records[0].code, 'shape');

	const generic = specDiagnostics(spec, {
		status: 'failed',
		message: 'J0 is not finite',
		issues: [],
	});
	assert.equal(generic[0].code, 'analysisFailed');
	assert.match(generic[0].message, /J0 is not finite/);
});

test('spec issues become diagnostics', () => {
	const text = quadraticText(-1, 50);
	const [spec] = inspectJson(text);
	const records = specDiagnostics(spec, { status: 'none' });
	const range = records.find((record) => record.code === 'range');
	assert.ok(range, JSON.stringify(records));
	assert.equal(text.slice(range.start, range.end), '-1');
	assert.equal(range.severity, 'error');
});
