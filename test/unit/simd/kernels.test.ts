import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { buildSync } from 'esbuild';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

import { crossGramScalar, gramMatrix, productWithTranspose } from '../../../src/linalg/gramMatrix';
import { symmetricEigen, symmetricEigenvalues } from '../../../src/linalg/symmetricEigen';
import { createModel } from '../../../src/model/index';
import { createRandomStream } from '../../../src/random';
import { createSimdKernels, simdKernels } from '../../../src/simd/kernels';
import { makeSpec, mlpSpec } from '../model/helpers';

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

test('failed instances leave the scalar loops', () => {
	// V8 reserves address space per WebAssembly memory, so under a virtual-memory limit creating an
	// instance can throw; the callers must then run their scalar loops.
	const api = (globalThis as unknown as { WebAssembly: { Instance: unknown } }).WebAssembly;
	const original = api.Instance;
	api.Instance = function failing(): never {
		throw new RangeError('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance');
	};
	try {
		assert.equal(createSimdKernels(), null);
		const spec = mlpSpec([3, 9, 2], 'tanh', { init: { seed: 2 }, bias: true });
		const x = [0, 1, 2, 3, 4].map((i) => [Math.sin(i), Math.cos(i), 0.3 * i]);
		const model = createModel(makeSpec(spec, x, 2));
		const { outputCount: n, parameterCount: p } = model;
		const products = model.tangentProducts?.();
		assert.ok(products !== undefined);
		products.setPoint(model.initialParameters);
		const u = Float64Array.from({ length: p }, (_, k) => Math.sin(k));
		const forward = new Float64Array(n);
		products.times(u, forward);
		const jacobian = new Float64Array(n * p);
		model.jacobian(model.initialParameters, jacobian);
		for (let i = 0; i < n; i++) {
			let expected = 0;
			for (let k = 0; k < p; k++) {
				expected += jacobian[i * p + k] * u[k];
			}
			assert.ok(Math.abs(forward[i] - expected) <= 1e-13 * (1 + Math.abs(expected)), `J u entry ${i}: ${forward[i]} vs ${expected}`);
		}
		// A product too large for the shared memory needs an instance of its own, which fails here.
		const rows = 2049;
		const column = Float64Array.from({ length: rows }, (_, i) => i / rows);
		const gram = gramMatrix(column, rows, 1);
		assert.equal(gram[rows * rows - 1], column[rows - 1] * column[rows - 1]);
	} finally {
		api.Instance = original;
	}
	assert.notEqual(createSimdKernels(), null, 'instances are created again once WebAssembly.Instance works');
});

test('a simulation under a virtual-memory limit finishes', () => {
	// A bundle of the core (tsx itself needs more address space than the limit leaves) simulates a
	// small network under `ulimit -v` of 16 GB, where only one WebAssembly memory fits.
	const directory = mkdtempSync(join(tmpdir(), 'ntk-simd-'));
	const entry = join(directory, 'entry.ts');
	writeFileSync(
		entry,
		[
			`import { loadSpec, simulateSpec } from ${JSON.stringify(join(process.cwd(), 'src/api.ts'))};`,
			'const x = [0, 1, 2, 3, 4, 5].map((i) => [Math.sin(i), Math.cos(i)]);',
			'const { spec } = loadSpec({ name: "limit", model: { type: "mlp", widths: [2, 16, 1], activation: "tanh", init: { seed: 3 } },',
			'  data: { x, y: x.map(([a]) => a) }, training: { alpha: 10, T: 20 }, analysis: { epsilon: 0.05, times: [1, 5, 20] } });',
			'console.log(JSON.stringify(simulateSpec(spec, {}).err));',
		].join('\n'),
	);

	const bundle = join(directory, 'entry.cjs');
	// jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow (as in esbuild.mjs).
	buildSync({
		entryPoints: [entry],
		outfile: bundle,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		mainFields: ['module', 'main'],
		logLevel: 'error',
	});

	const limited = spawnSync('bash', ['-c', `ulimit -v 16000000 && exec "${process.execPath}" "${bundle}"`], { encoding: 'utf8' });
	const free = spawnSync(process.execPath, [bundle], { encoding: 'utf8' });
	rmSync(directory, { recursive: true, force: true });

	assert.equal(limited.status, 0, limited.stderr);
	assert.equal(free.status, 0, free.stderr);
	const underLimit = JSON.parse(limited.stdout) as number[];
	const unlimited = JSON.parse(free.stdout) as number[];
	assert.equal(underLimit.length, unlimited.length);
	underLimit.forEach((value, i) => {
		assert.ok(Math.abs(value - unlimited[i]) <= 1e-9 * Math.abs(unlimited[i]), `E at report ${i}: ${value} vs ${unlimited[i]}`);
	});
});

test('SIMD tridiagonalization matches ml-matrix', () => {
	// Orders from 16 on take the Householder kernels; 17 and 31 leave an odd last column.
	const random = createRandomStream(9);
	for (const n of [16, 17, 31, 64, 100]) {
		const a = new Float64Array(n * n);
		for (let i = 0; i < n; i++) {
			for (let j = 0; j <= i; j++) {
				a[i * n + j] = a[j * n + i] = random.normal();
			}
		}
		const reference = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)))), {
			assumeSymmetric: true,
		});
		const expected = [...reference.realEigenvalues].sort((x, y) => x - y);
		const values = symmetricEigenvalues(a, n);
		const { values: withVectors, vectors } = symmetricEigen(a, n);
		const scale = Math.max(...expected.map(Math.abs));
		for (let k = 0; k < n; k++) {
			assert.ok(Math.abs(values[k] - expected[k]) <= 1e-13 * scale, `n ${n}, eigenvalue ${k}: ${values[k]} vs ${expected[k]}`);
			assert.ok(Math.abs(withVectors[k] - expected[k]) <= 1e-13 * scale, `n ${n}, eigenvalue ${k} with vectors`);
		}
		// A q_k = lambda_k q_k for the eigenvectors (columns of the row-major n x n matrix).
		let residual = 0;
		for (let k = 0; k < n; k++) {
			for (let i = 0; i < n; i++) {
				let product = 0;
				for (let j = 0; j < n; j++) {
					product += a[i * n + j] * vectors[j * n + k];
				}
				residual = Math.max(residual, Math.abs(product - withVectors[k] * vectors[i * n + k]));
			}
		}
		assert.ok(residual <= 1e-12 * scale, `n ${n}: max |A q - lambda q| = ${residual}`);
	}
});
