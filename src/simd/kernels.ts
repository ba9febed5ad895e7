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
	/** Grows the memory to at least `doubles` doubles and returns the (new) heap view. */
	reserve(doubles: number): Float64Array;
	/** See `crossGram` in `kernels.wat`; offsets are in doubles. */
	crossGram(a: number, b: number, out: number, n: number, columns: number, symmetric: boolean): void;
}

/** The parts of the WebAssembly API the loader uses; the project's `lib` has no DOM types. */
interface WebAssemblyApi {
	validate(bytes: Uint8Array): boolean;
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface KernelExports {
	readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
	crossGram(a: number, b: number, out: number, n: number, columns: number, symmetric: number): void;
}

/** Bytes per WebAssembly memory page. */
const PAGE_BYTES = 65536;

let instance: SimdKernels | null | undefined;

/**
 * Returns the thread's kernel instance, or null when WebAssembly SIMD is unavailable or the
 * environment variable `NTK_HORIZON_SIMD` is `0`. Callers then use their scalar loops. Each
 * worker thread loads its own instance, and a call must not start while another one runs on the
 * same thread.
 */
export function simdKernels(): SimdKernels | null {
	if (instance === undefined) {
		const disabled = typeof process !== 'undefined' && process.env?.NTK_HORIZON_SIMD === '0';
		instance = disabled ? null : instantiate();
	}
	return instance;
}

function instantiate(): SimdKernels | null {
	const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
	if (api === undefined) {
		return null;
	}
	const bytes = decodeBase64(KERNELS_BASE64);
	if (!api.validate(bytes)) {
		return null;
	}
	const exports = new api.Instance(new api.Module(bytes), {}).exports as KernelExports;
	let heap = new Float64Array(exports.memory.buffer);
	return {
		get heap() {
			return heap;
		},
		reserve(doubles: number): Float64Array {
			const needed = Math.ceil((doubles * 8) / PAGE_BYTES) - exports.memory.buffer.byteLength / PAGE_BYTES;
			if (needed > 0) {
				exports.memory.grow(needed);
			}
			if (heap.buffer !== exports.memory.buffer) {
				heap = new Float64Array(exports.memory.buffer);
			}
			return heap;
		},
		crossGram(a, b, out, n, columns, symmetric) {
			exports.crossGram(a * 8, b * 8, out * 8, n, columns, symmetric ? 1 : 0);
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
