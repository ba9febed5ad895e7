/**
 * Deterministic pseudo-random numbers for seeded initializations and synthetic teachers.
 *
 * The generator is xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", 2018) on four 32-bit words, seeded by running SplitMix32 on the seed. Uniforms take
 * 53 bits from two outputs; normals use the Box-Muller transform, both values of each pair. The
 * same seed gives the same sequence on every platform, so a spec with `init: { seed }` always
 * describes the same network.
 */

/** A seeded stream of uniform and standard normal numbers. */
export interface RandomStream {
	/** Uniform on [0, 1) with 53 random bits. */
	uniform(): number;
	/** Standard normal N(0, 1). */
	normal(): number;
}

/**
 * Creates the stream for an integer seed.
 *
 * @param seed - any safe integer; its low 32 bits and high bits both enter the state
 * @returns a stream that yields the same numbers for the same seed
 */
export function createRandomStream(seed: number): RandomStream {
	const state = seedState(seed);
	let spareNormal: number | undefined;

	const next32 = (): number => {
		const result = Math.imul(rotl(Math.imul(state[1], 5), 7), 9) >>> 0;
		const t = state[1] << 9;
		state[2] ^= state[0];
		state[3] ^= state[1];
		state[1] ^= state[2];
		state[0] ^= state[3];
		state[2] ^= t;
		state[3] = rotl(state[3], 11);
		return result;
	};

	const uniform = (): number => {
		const high = next32() >>> 5;
		const low = next32() >>> 6;
		return (high * 67108864 + low) / 9007199254740992;
	};

	const normal = (): number => {
		if (spareNormal !== undefined) {
			const value = spareNormal;
			spareNormal = undefined;
			return value;
		}
		let u1 = uniform();
		while (u1 === 0) {
			u1 = uniform();
		}
		const u2 = uniform();
		const radius = Math.sqrt(-2 * Math.log(u1));
		spareNormal = radius * Math.sin(2 * Math.PI * u2);
		return radius * Math.cos(2 * Math.PI * u2);
	};

	return { uniform, normal };
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** SplitMix32 expansion of the seed into the four state words (never all zero). */
function seedState(seed: number): Uint32Array {
	const state = new Uint32Array(4);
	let s = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
	for (let i = 0; i < 4; i++) {
		s = (s + 0x9e3779b9) >>> 0;
		let z = s;
		z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
		z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
		state[i] = (z ^ (z >>> 16)) >>> 0;
	}
	if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) {
		state[0] = 1;
	}
	return state;
}
