/**
 * Computes the Gram matrix `K = J J^T` (n x n) of a row-major n x p matrix J, the tangent kernel
 * when J is the Jacobian of the model outputs.
 *
 * ```tex
 * K_{ij} = \sum_{k=1}^{p} J_{ik} J_{jk}
 * ```
 *
 * Cost n (n + 1) p / 2 multiply-adds, because only the upper triangle is computed and mirrored.
 * Each entry is a dot product of two contiguous rows of J. Each pass pairs two rows with two
 * others, which halves the memory reads of a plain loop.
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

/** Fills `out = A B^T` in 2 x 2 blocks; with `symmetric`, only blocks on or above the diagonal. */
function crossGram(
	a: Float64Array,
	b: Float64Array,
	n: number,
	p: number,
	out: Float64Array,
	symmetric: boolean,
): Float64Array {
	for (let i = 0; i < n; i += 2) {
		const i1 = Math.min(i + 1, n - 1);
		for (let j = symmetric ? i : 0; j < n; j += 2) {
			const j1 = Math.min(j + 1, n - 1);
			block(a, b, p, i, i1, j, j1, out, n);
		}
	}
	if (symmetric) {
		for (let i = 0; i < n; i++) {
			for (let j = 0; j < i; j++) {
				out[i * n + j] = out[j * n + i];
			}
		}
	}
	return out;
}

function block(
	a: Float64Array,
	b: Float64Array,
	p: number,
	i0: number,
	i1: number,
	j0: number,
	j1: number,
	out: Float64Array,
	n: number,
): void {
	const ai = i0 * p;
	const aj = i1 * p;
	const bi = j0 * p;
	const bj = j1 * p;
	let s00 = 0;
	let s01 = 0;
	let s10 = 0;
	let s11 = 0;
	for (let k = 0; k < p; k++) {
		const x0 = a[ai + k];
		const x1 = a[aj + k];
		const y0 = b[bi + k];
		const y1 = b[bj + k];
		s00 += x0 * y0;
		s01 += x0 * y1;
		s10 += x1 * y0;
		s11 += x1 * y1;
	}
	out[i0 * n + j0] = s00;
	out[i0 * n + j1] = s01;
	out[i1 * n + j0] = s10;
	out[i1 * n + j1] = s11;
}
