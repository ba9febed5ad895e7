import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { WorkerPool } from '../../../extension/workerPool';
import { TaskError, type InspectTask } from '../../../extension/workerProtocol';
import { CASES_DIR, readCaseText, REPO_ROOT } from './helpers';

// The real worker entry, loaded through tsx: inspection, analysis and simulation with the core.
const pool = new WorkerPool({
	scriptPath: join(__dirname, 'fixtures', 'tsWorker.cjs'),
	size: 1,
	log: { debug: () => undefined, warn: () => undefined, error: () => undefined },
});
after(() => pool.dispose());

function inspectTask(
	text: string,
	name: string,
	documentKind: InspectTask['documentKind'] = 'json',
): InspectTask {
	return {
		kind: 'inspect',
		text,
		fileName: join(CASES_DIR, name),
		documentKind,
		workspaceRoot: REPO_ROOT,
		allowDataFiles: true,
		maxJacobianBytes: 1 << 29,
	};
}

test('worker inspects, analyzes and simulates', async () => {
	const [inspected] = await pool.run(
		inspectTask(readCaseText('quad_generic'), 'quad_generic.ntk.json'),
		{ lane: 'quick' },
	);
	assert.ok(inspected.spec, JSON.stringify(inspected.issues));
	const analysis = await pool.run({ kind: 'analyze', spec: inspected.spec }, { lane: 'quick' });
	assert.equal(analysis.parameterCount, 1);
	assert.ok(
		Math.abs(analysis.initialLoss - 0.845) < 1e-12,
		`R0 ${analysis.initialLoss}, expected 0.845 (y* = -1.3), tol 1e-12`,
	);
	const fractions: number[] = [];
	const result = await pool.run(
		{
			kind: 'simulate',
			spec: inspected.spec,
			method: 'exponential',
			rtol: 1e-8,
			budgetMs: 30_000,
		},
		{ onProgress: (progress) => fractions.push(progress.fraction) },
	);
	assert.equal(result.complete, true);
	assert.equal(result.times.length, inspected.spec.analysis.times.length);
	for (let i = 1; i < fractions.length; i++) {
		assert.ok(
			fractions[i] >= fractions[i - 1],
			`progress fractions not increasing: ${fractions.join(', ')}`,
		);
	}
});

test('worker reads TypeScript specs', async () => {
	const text = `/** @ntk */\nexport const spec = { model: { type: 'quadratic', a: 1, b: 1, w0: 0 }, data: { y: [1] }, training: { alpha: 10, T: 2 ** 3 } };\n`;
	const specs = await pool.run(inspectTask(text, 'specs.ts', 'typescript'), { lane: 'quick' });
	assert.equal(specs.length, 1);
	assert.equal(specs[0].spec?.training.T, 8);
});

test('worker sweep returns one point per alpha', async () => {
	const [inspected] = await pool.run(
		inspectTask(readCaseText('quad_generic'), 'quad_generic.ntk.json'),
		{ lane: 'quick' },
	);
	assert.ok(inspected.spec);
	const sweep = await pool.run({
		kind: 'sweep',
		spec: inspected.spec,
		alphas: [3, 30],
		method: 'exponential',
		rtol: 1e-8,
		budgetMs: 30_000,
	});
	assert.deepEqual(
		sweep.points.map((point) => point.alpha),
		[3, 30],
	);
});

test('worker stops a long run on request', async () => {
	const [inspected] = await pool.run(
		inspectTask(readCaseText('mlp_tanh_small_alpha10'), 'mlp.ntk.json'),
		{ lane: 'quick' },
	);
	assert.ok(inspected.spec, JSON.stringify(inspected.issues));
	const controller = new AbortController();
	let firstProgress: () => void = () => undefined;
	const started = new Promise<void>((resolve) => {
		firstProgress = resolve;
	});
	const running = pool.run(
		{
			kind: 'simulate',
			spec: inspected.spec,
			method: 'exponential',
			rtol: 1e-10,
			budgetMs: 60_000,
		},
		{ signal: controller.signal, onProgress: () => firstProgress() },
	);
	await started;
	const cancelledAt = Date.now();
	controller.abort();
	try {
		const partial = await running;
		assert.equal(partial.complete, false, 'a stopped run is marked incomplete');
	} catch (error) {
		assert.ok(error instanceof TaskError, `unexpected ${String(error)}`);
		assert.equal(error.kind, 'cancelled');
	}
	const elapsed = Date.now() - cancelledAt;
	assert.ok(elapsed < 1000, `stopped ${elapsed} ms after the request, expected < 1000 ms`);
});

test('worker honours the time budget', async () => {
	const [inspected] = await pool.run(
		inspectTask(readCaseText('mlp_tanh_small_alpha10'), 'mlp.ntk.json'),
		{ lane: 'quick' },
	);
	assert.ok(inspected.spec);
	const started = Date.now();
	const result = await pool.run({
		kind: 'simulate',
		spec: inspected.spec,
		method: 'exponential',
		rtol: 1e-12,
		budgetMs: 300,
	});
	const elapsed = Date.now() - started;
	assert.equal(result.complete, false, `a 300 ms budget stops the run (took ${elapsed} ms)`);
	// The unbudgeted run takes about 1.7 s (816 steps); the bound leaves room for a loaded machine.
	assert.ok(elapsed < 10_000, `returned after ${elapsed} ms with a 300 ms budget`);
});
