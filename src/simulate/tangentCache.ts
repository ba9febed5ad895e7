import type { TangentProducts } from '../model/types';

/**
 * Returns true when `||delta - cached||_2 <= tolerance ||delta||_2`. NaN in `cached` (a fresh
 * slot) makes it false, and so does an overflowed `||delta||`, so that the caller evaluates at
 * delta and its non-finite check names the time.
 */
export function withinRelativeDistance(
	cached: Float64Array,
	delta: Float64Array,
	tolerance: number,
): boolean {
	let difference = 0;
	let size = 0;
	for (let k = 0; k < delta.length; k++) {
		const change = delta[k] - cached[k];
		difference += change * change;
		size += delta[k] * delta[k];
	}
	return Number.isFinite(size) && difference <= tolerance * tolerance * size;
}

/** Forward passes kept with reuse on: a doubled exponential step revisits its last two times. */
const SLOTS = 2;

/**
 * The model's matrix-free products at the last points `w0 + delta`, most recent first; the
 * first is current. Like the stored path's Jacobian cache, a kept point serves a new delta when
 *
 * ```tex
 * \|\delta - \delta'\|_2 \le \tau \, \|\delta\|_2 ,
 * ```
 *
 * so the products then use `J(w0 + delta')`, which differs from `J(w0 + delta)` by at most
 * `Lip(Dh) tau ||delta||`. With tau = 0 only an identical delta is reused, and one slot is kept.
 */
export class TangentCache {
	private readonly tolerance: number;
	private readonly deltas: Float64Array[] = [];
	private readonly points: Float64Array[] = [];
	private readonly products: TangentProducts[] = [];

	constructor(factory: () => TangentProducts, p: number, tolerance: number) {
		this.tolerance = tolerance;
		const slots = tolerance > 0 ? SLOTS : 1;
		for (let slot = 0; slot < slots; slot++) {
			this.deltas.push(new Float64Array(p).fill(Number.NaN));
			this.points.push(new Float64Array(p));
			this.products.push(factory());
		}
	}

	/** The products at the most recently loaded point. */
	get current(): TangentProducts {
		return this.products[0];
	}

	/**
	 * Makes the products at `w0 + delta` current, reusing a kept point within the tolerance.
	 *
	 * @returns true when it ran a new forward pass, false when it reused a kept one
	 */
	load(initial: Float64Array, delta: Float64Array): boolean {
		for (let slot = 0; slot < this.deltas.length; slot++) {
			if (this.isClose(this.deltas[slot], delta)) {
				this.promote(slot);
				return false;
			}
		}
		const last = this.deltas.length - 1;
		this.deltas[last].set(delta);
		const point = this.points[last];
		for (let k = 0; k < delta.length; k++) {
			point[k] = initial[k] + delta[k];
		}
		this.products[last].setPoint(point);
		this.promote(last);
		return true;
	}

	private isClose(cached: Float64Array, delta: Float64Array): boolean {
		return withinRelativeDistance(cached, delta, this.tolerance);
	}

	private promote(slot: number): void {
		if (slot === 0) {
			return;
		}
		for (const list of [this.deltas, this.points, this.products] as unknown[][]) {
			const [item] = list.splice(slot, 1);
			list.unshift(item);
		}
	}
}
