import { simdKernels } from '../simd/kernels';
import type { SimdKernels } from '../simd/kernels';

/**
 * Householder tridiagonalization and the implicit QL method for a real symmetric matrix: the
 * EISPACK routines `tred2` and `tql2` as ml-matrix 6.15.1 ports them from JAMA, moved onto a flat
 * `Float64Array` so the inner loops index typed arrays directly. Two additions: a `shouldStop` poll
 * once per outer iteration, and a cap on the QL sweeps (ml-matrix has none).
 *
 * The matrix `vt` contains the eigenvector matrix transposed, as in ml-matrix. On entry it is the
 * symmetric input, and on return row k (entries `vt[k * n + i]`) is the eigenvector of `d[k]`.
 */

/**
 * Smallest order whose tridiagonalization runs in the SIMD kernels. The copies make small orders
 * slower: the eigenvalues of an 8 x 8 matrix took 4.1 us that way against 3.7 us.
 */
const SIMD_MIN_SIZE = 16;
/** Largest copy, n^2 + 2n doubles (32 MiB), that the tridiagonalization puts in the shared memory. */
const SIMD_MAX_DOUBLES = 4 * 1024 * 1024;

/** The QL iteration gives up after this many sweeps per eigenvalue on average. */
const MAX_SWEEPS_PER_EIGENVALUE = 30;

/** Work arrays and the stop poll of one decomposition. */
export interface TridiagonalQlInput {
	/** n, the order. */
	readonly size: number;
	/** n x n, overwritten: the input matrix on entry, the transposed eigenvectors on return. */
	readonly vt: Float64Array;
	/** Length n: the eigenvalues on return, unsorted. */
	readonly d: Float64Array;
	/** Length n, workspace. */
	readonly e: Float64Array;
	/** Polled once per outer iteration; true ends the decomposition with `false`. */
	readonly shouldStop?: () => boolean;
	/**
	 * Skips the eigenvectors (EISPACK `tred1` and `tql1` in place of `tred2` and `tql2`), so `vt`
	 * is left as workspace and only `d` is meaningful on return.
	 */
	readonly valuesOnly?: boolean;
}

/**
 * Decomposes the symmetric matrix in `input.vt` in place: `A = V diag(d) V^T`. Cost about
 * 4n^3/3 multiply-adds for the tridiagonalization and 3n^3 for the QL sweeps with vectors. With
 * `valuesOnly` they cost about 2n^3/3 and O(n^2).
 *
 * @param input - order, matrix, work arrays and stop poll
 * @returns true when done, false when `shouldStop` returned true
 * @throws Error when the QL iteration does not converge within 30 n sweeps
 */
export function decomposeTridiagonalQl(input: TridiagonalQlInput): boolean {
	if (!tridiagonalize(input)) {
		return false;
	}
	return diagonalize(input);
}

/**
 * Computes the smallest and the largest eigenvalue of the symmetric matrix in `input.vt`, which
 * must have `valuesOnly` set: the tridiagonalization of `decomposeTridiagonalQl`, then bisection
 * with Sturm counts on the tridiagonal matrix in place of the QL iteration (see
 * `tridiagonalExtremes`).
 *
 * @returns the two eigenvalues, or null when `shouldStop` returned true
 */
export function extremeEigenvalues(input: TridiagonalQlInput): { smallest: number; largest: number } | null {
	if (input.size === 0) {
		return { smallest: 0, largest: 0 };
	}
	if (!input.valuesOnly) {
		throw new RangeError('extremeEigenvalues: the input must have valuesOnly set');
	}
	if (!tridiagonalize(input)) {
		return null;
	}
	return tridiagonalExtremes(input.d, input.e, input.size);
}

/**
 * Returns the extreme eigenvalues of the symmetric tridiagonal matrix with diagonal `d` and
 * off-diagonal `e[i]` between rows i - 1 and i (e[0] unused), by bisection (Barth, Martin and
 * Wilkinson 1967; LAPACK `dstebz`). The number of eigenvalues below x is the number of negative
 * pivots of the LDL^T factorization of `T - x I`:
 *
 * ```tex
 * q_0 = d_0 - x, \qquad q_i = d_i - x - e_i^2 / q_{i-1},
 * ```
 *
 * and the count is exact for a matrix within a few ulps of T, so each eigenvalue comes out with
 * an absolute error of a few `eps ||T||`, as from the QL iteration. The matrix is first scaled by a
 * power of 2 (exactly) so that the squares neither overflow nor underflow. Each bisection step
 * costs one pass of n divisions, and about 60 steps reach the spacing of doubles.
 */
export function tridiagonalExtremes(
	d: Float64Array,
	e: Float64Array,
	n: number,
): { smallest: number; largest: number } {
	let largestEntry = 0;
	for (let i = 0; i < n; i++) {
		largestEntry = Math.max(largestEntry, Math.abs(d[i]), i > 0 ? Math.abs(e[i]) : 0);
	}
	if (largestEntry === 0 || n === 1) {
		return { smallest: d[0] ?? 0, largest: d[0] ?? 0 };
	}

	// Math.log2 rounds up to 1024 within a few ulps of the largest double, whose 2^1024 overflows.
	const scale = 2 ** Math.min(1023, Math.floor(Math.log2(largestEntry)));
	const diagonal = new Float64Array(n);
	const squares = new Float64Array(n);
	let lower = Infinity;
	let upper = -Infinity;
	for (let i = 0; i < n; i++) {
		diagonal[i] = d[i] / scale;
		const left = i > 0 ? Math.abs(e[i]) / scale : 0;
		const right = i + 1 < n ? Math.abs(e[i + 1]) / scale : 0;
		squares[i] = left * left;
		lower = Math.min(lower, diagonal[i] - left - right);
		upper = Math.max(upper, diagonal[i] + left + right);
	}

	// Gershgorin's interval, widened so that both ends count strictly outside the spectrum.
	const margin = 4 * n * Number.EPSILON * Math.max(Math.abs(lower), Math.abs(upper)) + Number.MIN_VALUE;
	lower -= margin;
	upper += margin;

	const tridiagonal = { diagonal, squares, n };
	return {
		smallest: scale * bisect(tridiagonal, lower, upper, 1),
		largest: scale * bisect(tridiagonal, lower, upper, n),
	};
}

/** The scaled tridiagonal matrix of `tridiagonalExtremes`: its diagonal and squared couplings. */
interface ScaledTridiagonal {
	readonly diagonal: Float64Array;
	readonly squares: Float64Array;
	readonly n: number;
}

/**
 * Smallest pivot magnitude of the Sturm count, as in LAPACK `dstebz`: a zero pivot is replaced by
 * minus this value. The matrix's largest entry is between 1 and 2 here.
 */
const PIVOT_MINIMUM = 2 ** -1000;

/**
 * Bisects [lower, upper], which contains the whole spectrum, for the k-th smallest eigenvalue
 * (1-based). It stops when the interval is as narrow as the doubles near it or narrower than
 * `eps`, because the matrix's norm is at least 1 here and no eigenvalue is more accurate.
 */
function bisect(matrix: ScaledTridiagonal, lower: number, upper: number, k: number): number {
	let left = lower;
	let right = upper;
	while (right - left > Number.EPSILON * Math.max(1, Math.abs(left) + Math.abs(right))) {
		const middle = 0.5 * (left + right);
		if (middle <= left || middle >= right) {
			break;
		}
		if (countBelow(matrix, middle) >= k) {
			right = middle;
		} else {
			left = middle;
		}
	}
	return 0.5 * (left + right);
}

/** Number of eigenvalues below x: the negative pivots of `T - x I = L D L^T`. */
function countBelow(matrix: ScaledTridiagonal, x: number): number {
	const { diagonal, squares, n } = matrix;
	let count = 0;
	let pivot = 1;
	for (let i = 0; i < n; i++) {
		pivot = diagonal[i] - x - (i > 0 ? squares[i] / pivot : 0);
		if (Math.abs(pivot) < PIVOT_MINIMUM) {
			pivot = -PIVOT_MINIMUM;
		}
		if (pivot < 0) {
			count++;
		}
	}
	return count;
}

/** EISPACK `tred2`: reduces to tridiagonal form (d, e) and accumulates the transformations. */
function tridiagonalize(input: TridiagonalQlInput): boolean {
	const { size: n, vt: v, d, e } = input;
	for (let j = 0; j < n; j++) {
		d[j] = v[j * n + n - 1];
	}
	const kernels = n >= SIMD_MIN_SIZE && n * (n + 2) <= SIMD_MAX_DOUBLES ? simdKernels() : null;
	const heap = kernels?.reserve(n * (n + 2)) ?? null;
	if (kernels !== null && heap !== null) {
		// The rows' O(i^2) loops run in the SIMD kernels on copies in the kernels' memory.
		heap.set(v, 0);
		heap.set(d, n * n);
		heap.set(e, n * n + n);
		const views = { ...input, vt: heap.subarray(0, n * n), d: heap.subarray(n * n, n * n + n), e: heap.subarray(n * n + n, n * n + 2 * n) };
		const finished = reduceRows(views, kernels);
		v.set(views.vt);
		d.set(views.d);
		e.set(views.e);
		if (!finished) {
			return false;
		}
	} else if (!reduceRows(input, null)) {
		return false;
	}
	if (input.valuesOnly) {
		// The reduction leaves the tridiagonal's diagonal on the diagonal of v.
		for (let j = 0; j < n; j++) {
			d[j] = v[j * n + j];
		}
		e[0] = 0;
		return true;
	}
	for (let i = 0; i < n - 1; i++) {
		v[i * n + n - 1] = v[i * n + i];
		v[i * n + i] = 1;
		const h = d[i + 1];
		if (h !== 0) {
			for (let k = 0; k <= i; k++) {
				d[k] = v[(i + 1) * n + k] / h;
			}
			for (let j = 0; j <= i; j++) {
				let g = 0;
				for (let k = 0; k <= i; k++) {
					g += v[(i + 1) * n + k] * v[j * n + k];
				}
				for (let k = 0; k <= i; k++) {
					v[j * n + k] -= g * d[k];
				}
			}
		}
		for (let k = 0; k <= i; k++) {
			v[(i + 1) * n + k] = 0;
		}
	}
	for (let j = 0; j < n; j++) {
		d[j] = v[j * n + n - 1];
		v[j * n + n - 1] = 0;
	}
	v[(n - 1) * n + n - 1] = 1;
	e[0] = 0;
	return true;
}

/**
 * Applies the Householder steps of `tred2` to rows n - 1 down to 1. With `kernels`, the arrays of
 * `input` must be views of the kernels' memory at offsets 0, n^2 and n^2 + n.
 *
 * @returns false when `shouldStop` returned true
 */
function reduceRows(input: TridiagonalQlInput, kernels: SimdKernels | null): boolean {
	for (let i = input.size - 1; i > 0; i--) {
		if (input.shouldStop?.()) {
			return false;
		}
		reduceRow(input, i, kernels);
	}
	return true;
}

/** Applies one Householder step of `tred2`, which annihilates row i left of the subdiagonal. */
function reduceRow(input: TridiagonalQlInput, i: number, kernels: SimdKernels | null): void {
	const { size: n, vt: v, d, e } = input;
	let scale = 0;
	let h = 0;
	for (let k = 0; k < i; k++) {
		scale += Math.abs(d[k]);
	}
	if (scale === 0) {
		e[i] = d[i - 1];
		for (let j = 0; j < i; j++) {
			d[j] = v[j * n + i - 1];
			v[j * n + i] = 0;
			v[i * n + j] = 0;
		}
		d[i] = h;
		return;
	}
	for (let k = 0; k < i; k++) {
		d[k] /= scale;
		h += d[k] * d[k];
	}
	let f = d[i - 1];
	let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
	e[i] = scale * g;
	h -= f * g;
	d[i - 1] = f - g;
	e.fill(0, 0, i);
	if (kernels !== null) {
		kernels.householderProducts(0, n * n, n * n + n, n, i);
	} else {
		for (let j = 0; j < i; j++) {
			f = d[j];
			v[i * n + j] = f;
			g = e[j] + v[j * n + j] * f;
			for (let k = j + 1; k <= i - 1; k++) {
				g += v[j * n + k] * d[k];
				e[k] += v[j * n + k] * f;
			}
			e[j] = g;
		}
	}
	f = 0;
	for (let j = 0; j < i; j++) {
		e[j] /= h;
		f += e[j] * d[j];
	}
	const hh = f / (h + h);
	for (let j = 0; j < i; j++) {
		e[j] -= hh * d[j];
	}
	if (kernels !== null) {
		kernels.householderUpdate(0, n * n, n * n + n, n, i);
	} else {
		for (let j = 0; j < i; j++) {
			f = d[j];
			g = e[j];
			for (let k = j; k <= i - 1; k++) {
				v[j * n + k] -= f * e[k] + g * d[k];
			}
			d[j] = v[j * n + i - 1];
			v[j * n + i] = 0;
		}
	}
	d[i] = h;
}

/** EISPACK `tql2`: implicit shifted QL sweeps on the tridiagonal (d, e). */
function diagonalize(input: TridiagonalQlInput): boolean {
	const { size: n, d, e } = input;
	for (let i = 1; i < n; i++) {
		e[i - 1] = e[i];
	}
	e[n - 1] = 0;
	let f = 0;
	let tst1 = 0;
	const eps = Number.EPSILON;
	let sweeps = 0;
	for (let l = 0; l < n; l++) {
		if (input.shouldStop?.()) {
			return false;
		}
		tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
		let m = l;
		while (m < n && Math.abs(e[m]) > eps * tst1) {
			m++;
		}
		if (m > l) {
			do {
				if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE * n) {
					throw new Error(
						`symmetricEigen: the QL iteration did not converge after ${sweeps - 1} sweeps (n = ${n})`,
					);
				}
				f += sweep(input, l, m);
			} while (Math.abs(e[l]) > eps * tst1);
		}
		d[l] += f;
		e[l] = 0;
	}
	return true;
}

/**
 * Performs one implicit QL sweep on rows l .. m and, unless `valuesOnly`, rotates the eigenvectors.
 * Returns the shift.
 */
function sweep(input: TridiagonalQlInput, l: number, m: number): number {
	const { size: n, vt: v, d, e } = input;
	let g = d[l];
	let p = (d[l + 1] - g) / (2 * e[l]);
	let r = hypotenuse(p, 1);
	if (p < 0) {
		r = -r;
	}
	d[l] = e[l] / (p + r);
	d[l + 1] = e[l] * (p + r);
	const dl1 = d[l + 1];
	let h = g - d[l];
	for (let i = l + 2; i < n; i++) {
		d[i] -= h;
	}
	const shift = h;
	p = d[m];
	let c = 1;
	let c2 = c;
	let c3 = c;
	const el1 = e[l + 1];
	let s = 0;
	let s2 = 0;
	for (let i = m - 1; i >= l; i--) {
		c3 = c2;
		c2 = c;
		s2 = s;
		g = c * e[i];
		h = c * p;
		r = hypotenuse(p, e[i]);
		e[i + 1] = s * r;
		s = e[i] / r;
		c = p / r;
		p = c * d[i] - s * g;
		d[i + 1] = h + s * (c * g + s * d[i]);
		if (input.valuesOnly) {
			continue;
		}
		const upper = (i + 1) * n;
		const lower = i * n;
		for (let k = 0; k < n; k++) {
			const x = v[upper + k];
			v[upper + k] = s * v[lower + k] + c * x;
			v[lower + k] = c * v[lower + k] - s * x;
		}
	}
	p = (-s * s2 * c3 * el1 * e[l]) / dl1;
	e[l] = s * p;
	d[l] = c * p;
	return shift;
}

/** sqrt(a^2 + b^2) without overflow or underflow of the squares. */
function hypotenuse(a: number, b: number): number {
	if (Math.abs(a) > Math.abs(b)) {
		const ratio = b / a;
		return Math.abs(a) * Math.sqrt(1 + ratio * ratio);
	}
	if (b !== 0) {
		const ratio = a / b;
		return Math.abs(b) * Math.sqrt(1 + ratio * ratio);
	}
	return 0;
}
