import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { createRandomStream } from '../../../src/random';
import { crossGramScalar, gramMatrix, productWithTranspose } from '../../../src/linalg/gramMatrix';
import { simdKernels } from '../../../src/simd/kernels';

test('kernel binary matches kernels.wat', async () => {
	const { compileKernels } = await import('../../../scripts/build-wasm.mjs');
	const expected = await compileKernels();
	const committed = readFileSync('src/simd/kernelsBinary.ts', 'utf8');
	assert.equal(committed, expected, 'src/simd/kernelsBinary.ts is stale: run `node scripts/build-wasm.mjs`');
});

test('SIMD kernels load on this Node', () => {
	assert.notEqual(simdKernels(), null, 'WebAssembly SIMD unavailable: the core falls back to scalar loops');
});

test('SIMD products match the scalar loop', () => {
	const random = createRandomStream(3);
	// Odd sizes take the kernel's repeated rows and scalar last column; p = 4100 spans three blocks.
	for (const n of [1, 2, 3, 5, 8, 13]) {
		for (const p of [1, 2, 7, 64, 2049, 4100]) {
			const a = Float64Array.from({ length: n * p }, () => random.normal());
			const b = Float64Array.from({ length: n * p }, () => random.normal());
			const absoluteA = a.map(Math.abs);
			const absoluteB = b.map(Math.abs);
			const cases: [string, Float64Array, Float64Array, Float64Array][] = [
				[
					'A B^T',
					productWithTranspose(a, b, n, p),
					crossGramScalar(a, b, n, p, new Float64Array(n * n), false),
					crossGramScalar(absoluteA, absoluteB, n, p, new Float64Array(n * n), false),
				],
				[
					'A A^T',
					gramMatrix(a, n, p),
					crossGramScalar(a, a, n, p, new Float64Array(n * n), true),
					crossGramScalar(absoluteA, absoluteA, n, p, new Float64Array(n * n), true),
				],
			];
			for (const [name, simd, scalar, bound] of cases) {
				// A dot product of length p summed in any order is within p 2^-53 sum |a_k b_k| of
				// the exact value, so two orders are within twice that.
				for (let k = 0; k < n * n; k++) {
					const tolerance = 2 * p * 2 ** -53 * bound[k];
					const difference = Math.abs(simd[k] - scalar[k]);
					assert.ok(difference <= tolerance, `${name}, n ${n}, p ${p}, entry ${k}: ${simd[k]} vs ${scalar[k]}, tolerance ${tolerance}`);
				}
			}
		}
	}
});

test('Gram matrix from SIMD is exactly symmetric', () => {
	const random = createRandomStream(5);
	const n = 7;
	const p = 33;
	const a = Float64Array.from({ length: n * p }, () => random.normal());
	const gram = gramMatrix(a, n, p);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < i; j++) {
			assert.equal(gram[i * n + j], gram[j * n + i], `entries (${i}, ${j}) and (${j}, ${i})`);
		}
	}
});

test('NTK_HORIZON_SIMD=0 selects the scalar loops', () => {
	const script = "console.log(require('./src/simd/kernels.ts').simdKernels() === null)";
	const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
		env: { ...process.env, NTK_HORIZON_SIMD: '0' },
		encoding: 'utf8',
	});
	assert.equal(result.status, 0, result.stderr);
	assert.equal(result.stdout.trim(), 'true');
});

test('scalar fallback passes the tangent tests', () => {
	// The scalar loops run where WebAssembly SIMD is unavailable; this machine has it, so a child
	// process without it runs the MLP product tests again.
	const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/unit/model/mlpTangent.test.ts'], {
		env: { ...process.env, NTK_HORIZON_SIMD: '0' },
		encoding: 'utf8',
	});
	assert.equal(result.status, 0, result.stdout.slice(-2000));
});
