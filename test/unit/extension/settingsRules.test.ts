import assert from 'node:assert/strict';
import { test } from 'node:test';

import { resolveWorkerCount } from '../../../extension/settingsRules';

test('worker count automatic and explicit', () => {
	const cases: [unknown, number, number][] = [
		[0, 2, 1],
		[0, 1, 1],
		[0, 4, 2],
		[0, 64, 2],
		[undefined, 8, 2],
		[3, 2, 3],
		[-1, 8, 2],
		[1.5, 8, 2],
		['2', 8, 2],
	];
	for (const [setting, cores, expected] of cases) {
		const value = resolveWorkerCount(setting, cores);
		assert.equal(
			value,
			expected,
			`setting ${String(setting)}, ${cores} cores: got ${value}, expected ${expected}`,
		);
	}
});
