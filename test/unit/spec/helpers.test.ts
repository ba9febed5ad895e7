import assert from 'node:assert/strict';
import { test } from 'node:test';

import { closestMatch, editDistance } from '../../../src/spec/closestKey';
import { isInside, normalizePath, resolvePath } from '../../../src/spec/paths';
import { checkMemory, estimateMemory, formatBytes, parameterCount } from '../../../src/spec/size';

test('edit distance cases', () => {
	assert.equal(editDistance('alpha', 'alpha'), 0);
	assert.equal(editDistance('alpah', 'alpha'), 2);
	assert.equal(editDistance('', 'abc'), 3);
	assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('closest match or none', () => {
	assert.equal(closestMatch('Epsilon', ['epsilon', 'relative', 'times']), 'epsilon');
	assert.equal(closestMatch('spacng', ['count', 'spacing']), 'spacing');
	assert.equal(closestMatch('zzzzzzzz', ['alpha', 'T']), undefined);
});

test('path resolution', () => {
	assert.equal(resolvePath('/ws/specs', 'data/a.csv'), '/ws/specs/data/a.csv');
	assert.equal(resolvePath('/ws/specs', '../a.csv'), '/ws/a.csv');
	assert.equal(resolvePath('/ws/specs', '/abs/./x.csv'), '/abs/x.csv');
	assert.equal(resolvePath('C:\\ws\\specs', '..\\data\\a.csv'), 'c:/ws/data/a.csv');
	assert.equal(normalizePath('/a/../../b'), '/b');
});

test('workspace containment', () => {
	assert.equal(isInside('/ws', '/ws/a.csv'), true);
	assert.equal(isInside('/ws/', '/ws'), true);
	assert.equal(isInside('/ws', '/ws2/a.csv'), false);
	assert.equal(isInside('/ws', '/ws/../etc/passwd'), false);
	assert.equal(isInside('C:\\ws', 'c:/ws/x'), true);
});

test('parameter counts', () => {
	assert.equal(parameterCount({ type: 'quadratic' }, 0), 1);
	assert.equal(parameterCount({ type: 'linear' }, 7), 7);
	assert.equal(parameterCount({ type: 'linear', w0: [0, 0] }, 7), 2);
	assert.equal(parameterCount({ type: 'mlp', widths: [4, 64, 1] }, 4), 4 * 64 + 64);
	assert.equal(parameterCount({ type: 'mlp', widths: [4, 64, 1], bias: true }, 4), 4 * 64 + 64 + 64 + 1);
	assert.equal(parameterCount({ type: 'mlp', widths: [3, 5, 7, 2] }, 3), 15 + 35 + 14);
	assert.equal(parameterCount({ type: 'mlp', widths: [4, 64, 1], centering: 'antisymmetric' }, 4), 2 * (4 * 64 + 64));
});

test('memory estimate and limit', () => {
	assert.deepEqual(estimateMemory(16, 320), { jacobian: 8 * 16 * 320, kernel: 8 * 16 * 16 });
	assert.equal(checkMemory(16, 320, 1024 * 1024, []), undefined);
	const issue = checkMemory(1000, 1_000_000, 512 * 1024 * 1024, ['model', 'widths']);
	assert.ok(issue !== undefined);
	assert.match(issue.message, /Jacobian needs about 7\.45 GiB/);
	assert.match(issue.message, /limit of 512 MiB/);
	assert.equal(formatBytes(512), '512 bytes');
	assert.equal(formatBytes(1536), '1.50 KiB');
});
