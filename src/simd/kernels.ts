import { KERNELS_BASE64 } from './kernelsBinary';

/**
 * The dense kernels of `kernels.wat`, compiled to WebAssembly with 128-bit SIMD. Each instruction
 * takes two doubles, and the loops keep their sums in registers. V8 runs a product `A B^T` of two
 * 64 x 512 matrices in 0.28 ms this way, against 0.91 ms for the blocked scalar loop of
 * `gramMatrix.ts` (Node 20, 2-core benchmark machine).
 *
 * The kernels work on the module's own memory, so callers copy their operands in.
 */
export interface SimdKernels {
	/** Float64 view of the memory, valid until the next `reserve`. */
	readonly heap: Float64Array;
	/**
	 * Grows the memory to at least `doubles` doubles and returns the (new) heap view, or null when
	 * the memory cannot grow that far (WebAssembly's 4 GiB, or the process's address space).
	 */
	reserve(doubles: number): Float64Array | null;
	/** See `crossProducts` in `kernels.wat`; offsets and strides are in doubles. */
	crossProducts(
		a: number,
		b: number,
		out: number,
		rowsA: number,
		rowsB: number,
		columns: number,
		rowStride: number,
		columnStride: number,
		symmetric: boolean,
	): void;
	/** See `rowCombination` in `kernels.wat`; offsets and strides are in doubles, -1 for none. */
	rowCombination(
		out: number,
		coefficients: number,
		rowStride: number,
		columnStride: number,
		input: number,
		rows: number,
		count: number,
		n: number,
		bias: number,
		accumulate: boolean,
		multiplier: number,
	): void;
	/** See `householderProducts` in `kernels.wat`; offsets are in doubles. */
	householderProducts(v: number, d: number, e: number, n: number, i: number): void;
	/** See `householderUpdate` in `kernels.wat`; offsets are in doubles. */
	householderUpdate(v: number, d: number, e: number, n: number, i: number): void;
}

/** The parts of the WebAssembly API the loader uses; the project's `lib` has no DOM types. */
interface WebAssemblyApi {
	validate(bytes: Uint8Array): boolean;
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface KernelExports {
	readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
	crossProducts(...args: number[]): void;
	rowCombination(...args: number[]): void;
	householderProducts(...args: number[]): void;
	householderUpdate(...args: number[]): void;
}

/** Bytes per WebAssembly memory page. */
const PAGE_BYTES = 65536;

let shared: SimdKernels | null | undefined;
let compiled: object | null | undefined;

/**
 * Returns the thread's shared kernel instance for scratch work such as `gramMatrix`, or null when
 * WebAssembly SIMD is unavailable or the environment variable `NTK_HORIZON_SIMD` is `0`. Callers
 * then use their scalar loops. Each worker thread loads its own instance, and a caller must not
 * keep data in its memory across calls of others.
 */
export function simdKernels(): SimdKernels | null {
	if (shared === undefined) {
		shared = createSimdKernels();
	}
	return shared;
}

/**
 * Returns a kernel instance with a memory of its own, for a caller that keeps its arrays there
 * between calls, or null as `simdKernels` does and when the instance cannot be created.
 *
 * NOTE: V8 reserves address space for each WebAssembly memory (about 10 GiB in Node 20), so under
 * a virtual-memory limit (`ulimit -v`) of tens of gigabytes only a few instances fit. A
 * simulation creates about five; the ones that do not fit return null here and their callers run
 * the scalar loops.
 */
export function createSimdKernels(): SimdKernels | null {
	const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
	if (compiled === undefined) {
		compiled = compile(api);
	}
	if (compiled === null || api === undefined) {
		return null;
	}
	try {
		return instantiate(api, compiled);
	} catch {
		// The memory could not be reserved.
		return null;
	}
}

function compile(api: WebAssemblyApi | undefined): object | null {
	const disabled = typeof process !== 'undefined' && process.env?.NTK_HORIZON_SIMD === '0';
	if (disabled || api === undefined) {
		return null;
	}
	try {
		const bytes = decodeBase64(KERNELS_BASE64);
		return api.validate(bytes) ? new api.Module(bytes) : null;
	} catch {
		return null;
	}
}

function instantiate(api: WebAssemblyApi, module: object): SimdKernels {
	const exports = new api.Instance(module, {}).exports as KernelExports;
	let heap = new Float64Array(exports.memory.buffer);
	return {
		get heap() {
			return heap;
		},
		reserve(doubles: number): Float64Array | null {
			const needed = Math.ceil((doubles * 8) / PAGE_BYTES) - exports.memory.buffer.byteLength / PAGE_BYTES;
			if (needed > 0) {
				try {
					exports.memory.grow(needed);
				} catch {
					return null;
				}
			}
			if (heap.buffer !== exports.memory.buffer) {
				heap = new Float64Array(exports.memory.buffer);
			}
			return heap;
		},
		crossProducts(a, b, out, rowsA, rowsB, columns, rowStride, columnStride, symmetric) {
			exports.crossProducts(a * 8, b * 8, out * 8, rowsA, rowsB, columns, rowStride, columnStride, symmetric ? 1 : 0);
		},
		rowCombination(out, coefficients, rowStride, columnStride, input, rows, count, n, bias, accumulate, multiplier) {
			exports.rowCombination(
				out * 8,
				coefficients * 8,
				rowStride,
				columnStride,
				input * 8,
				rows,
				count,
				n,
				bias < 0 ? -1 : bias * 8,
				accumulate ? 1 : 0,
				multiplier < 0 ? -1 : multiplier * 8,
			);
		},
		householderProducts(v, d, e, n, i) {
			exports.householderProducts(v * 8, d * 8, e * 8, n, i);
		},
		householderUpdate(v, d, e, n, i) {
			exports.householderUpdate(v * 8, d * 8, e * 8, n, i);
		},
	};
}

function decodeBase64(text: string): Uint8Array {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) {
		bytes[i] = binary.charCodeAt(i);
	}
	return bytes;
}
