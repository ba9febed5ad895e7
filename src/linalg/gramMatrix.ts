import { createSimdKernels, simdKernels } from '../simd/kernels';

/**
 * Computes the Gram matrix `K = J J^T` (n x n) of a row-major n x p matrix J, the tangent kernel
 * when J is the Jacobian of the model outputs.
 *
 * ```tex
 * K_{ij} = \sum_{k=1}^{p} J_{ik} J_{jk}
 * ```
 *
 * Cost n (n + 1) p / 2 multiply-adds, because only the upper triangle is computed and mirrored.
 * Each entry is a dot product of two contiguous rows of J. Each pass pairs four rows with two
 * others, so it loads 6 entries per 8 multiply-adds where a plain loop loads 2 per multiply-add.
 *
 * @param jacobian - J, row-major n x p
 * @param rows - n
 * @param columns - p
 * @param out - optional n x n destination
 * @returns K, row-major n x n, exactly symmetric
 * @throws RangeError when `jacobian.length !== rows * columns`
 */
export function gramMatrix(
	jacobian: Float64Array,
	rows: number,
	columns: number,
	out: Float64Array = new Float64Array(rows * rows),
): Float64Array {
	checkShape(jacobian, rows, columns, 'gramMatrix');
	return crossGram(jacobian, jacobian, rows, columns, out, true);
}

/**
 * Computes `A B^T` (n x n) for two row-major n x p matrices.
 *
 * ```tex
 * (A B^T)_{ij} = \sum_{k=1}^{p} A_{ik} B_{jk}
 * ```
 *
 * @param left - A, row-major n x p
 * @param right - B, row-major n x p
 * @param rows - n
 * @param columns - p
 * @param out - optional n x n destination
 * @returns `A B^T`, row-major n x n
 * @throws RangeError when a length is not `rows * columns`
 */
export function productWithTranspose(
	left: Float64Array,
	right: Float64Array,
	rows: number,
	columns: number,
	out: Float64Array = new Float64Array(rows * rows),
): Float64Array {
	checkShape(left, rows, columns, 'productWithTranspose');
	checkShape(right, rows, columns, 'productWithTranspose');
	return crossGram(left, right, rows, columns, out, false);
}

function checkShape(matrix: Float64Array, rows: number, columns: number, caller: string): void {
	if (matrix.length !== rows * columns) {
		throw new RangeError(
			`${caller}: expected ${rows} x ${columns} = ${rows * columns} entries, got ${matrix.length}`,
		);
	}
}

/** Columns per block copied into the SIMD kernels' memory: 2 n BLOCK_COLUMNS doubles at most. */
const BLOCK_COLUMNS = 2048;
/**
 * Largest scratch, in doubles (32 MiB), that products take from the thread's shared kernel
 * memory, which keeps its size. The large benchmark network's K0 (n = 256) needs 1.1 million.
 */
const SHARED_SCRATCH_DOUBLES = 4 * 1024 * 1024;

/**
 * Fills `out = A B^T`, with the SIMD kernel when WebAssembly SIMD is available and with
 * `crossGramScalar` otherwise. With `symmetric` (A = B) only the upper triangle is computed and
 * then mirrored, so the result is exactly symmetric.
 */
function crossGram(
	a: Float64Array,
	b: Float64Array,
	n: number,
	p: number,
	out: Float64Array,
	symmetric: boolean,
): Float64Array {
	if (n === 0) {
		return out;
	}
	const block = Math.min(p, BLOCK_COLUMNS);
	const blockA = n * n;
	const blockB = symmetric ? blockA : blockA + n * block;
	const size = blockB + n * block;
	// The shared memory cannot shrink, so a larger product takes an instance of its own, which is
	// collected with its memory once the product is done.
	const kernels = size <= SHARED_SCRATCH_DOUBLES ? simdKernels() : createSimdKernels();
	const heap = kernels?.reserve(size) ?? null;
	if (kernels === null || heap === null) {
		return crossGramScalar(a, b, n, p, out, symmetric);
	}
	heap.fill(0, 0, n * n);
	for (let start = 0; start < p; start += block) {
		const columns = Math.min(block, p - start);
		copyColumns(a, n, p, start, columns, heap, blockA);
		if (!symmetric) {
			copyColumns(b, n, p, start, columns, heap, blockB);
		}
		kernels.crossProducts(blockA, blockB, 0, n, n, columns, n, 1, symmetric);
	}
	out.set(heap.subarray(0, n * n));
	if (symmetric) {
		mirrorUpper(out, n);
	}
	return out;
}

/** Copies columns [start, start + columns) of the row-major n x p matrix to `to` as n x columns. */
function copyColumns(
	matrix: Float64Array,
	n: number,
	p: number,
	start: number,
	columns: number,
	heap: Float64Array,
	to: number,
): void {
	if (columns === p) {
		heap.set(matrix, to);
		return;
	}
	for (let i = 0; i < n; i++) {
		heap.set(matrix.subarray(i * p + start, i * p + start + columns), to + i * columns);
	}
}

/** Copies the upper triangle of the n x n matrix to its lower triangle. */
function mirrorUpper(out: Float64Array, n: number): void {
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < i; j++) {
			out[i * n + j] = out[j * n + i];
		}
	}
}

/**
 * Fills `out = A B^T` in blocks of 4 rows of A by 2 rows of B, in scalar JavaScript. With
 * `symmetric` it fills only the blocks that reach the diagonal or lie above it, and mirrors them.
 * Each entry is one dot product summed in index order, so the blocking does not change the
 * result. Blocks of 4 x 2 took 0.91 ms against 1.24 ms for 2 x 2 at n = 64, p = 512 (Node 20,
 * shared 2-core machine).
 */
export function crossGramScalar(
	a: Float64Array,
	b: Float64Array,
	n: number,
	p: number,
	out: Float64Array,
	symmetric: boolean,
): Float64Array {
	for (let i = 0; i < n; i += 4) {
		const rows = [i, Math.min(i + 1, n - 1), Math.min(i + 2, n - 1), Math.min(i + 3, n - 1)];
		for (let j = symmetric ? i : 0; j < n; j += 2) {
			block(a, b, p, rows, j, Math.min(j + 1, n - 1), out, n);
		}
	}
	if (symmetric) {
		mirrorUpper(out, n);
	}
	return out;
}

/** Writes the 4 x 2 block of `A B^T` at rows `rows` of A and rows j0, j1 of B. */
function block(
	a: Float64Array,
	b: Float64Array,
	p: number,
	rows: readonly number[],
	j0: number,
	j1: number,
	out: Float64Array,
	n: number,
): void {
	const [i0, i1, i2, i3] = rows;
	const a0 = i0 * p;
	const a1 = i1 * p;
	const a2 = i2 * p;
	const a3 = i3 * p;
	const b0 = j0 * p;
	const b1 = j1 * p;
	let s00 = 0;
	let s01 = 0;
	let s10 = 0;
	let s11 = 0;
	let s20 = 0;
	let s21 = 0;
	let s30 = 0;
	let s31 = 0;
	for (let k = 0; k < p; k++) {
		const y0 = b[b0 + k];
		const y1 = b[b1 + k];
		const x0 = a[a0 + k];
		const x1 = a[a1 + k];
		const x2 = a[a2 + k];
		const x3 = a[a3 + k];
		s00 += x0 * y0;
		s01 += x0 * y1;
		s10 += x1 * y0;
		s11 += x1 * y1;
		s20 += x2 * y0;
		s21 += x2 * y1;
		s30 += x3 * y0;
		s31 += x3 * y1;
	}
	out[i0 * n + j0] = s00;
	out[i0 * n + j1] = s01;
	out[i1 * n + j0] = s10;
	out[i1 * n + j1] = s11;
	out[i2 * n + j0] = s20;
	out[i2 * n + j1] = s21;
	out[i3 * n + j0] = s30;
	out[i3 * n + j1] = s31;
}
