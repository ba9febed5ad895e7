// Three specs in one TypeScript file: the second one cannot be evaluated without running code, and
// the other two must keep working (hover, CodeLens, simulate) regardless.

/** Marks an object literal as an NTK Horizon spec (`{ ... } satisfies NtkSpec`). */
type NtkSpec = Record<string, unknown>;

const width = 32;

/** @ntk */
export const quadraticSpec = {
	name: 'quadratic from TypeScript',
	model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 },
	data: { y: [1] },
	training: {
		alpha: 1000,
		T: 10,
	},
};

/** @ntk */
export const brokenSpec = {
	name: 'random alpha',
	model: { type: 'quadratic', a: 0.1, b: 1, w0: 0 },
	data: { y: [1] },
	training: {
		alpha: Math.random(),
		T: 100,
	},
};

export const networkSpec = {
	name: 'network from TypeScript',
	model: { type: 'mlp', widths: [4, width, 1], activation: 'tanh', init: { seed: 1 } },
	data: { teacher: { inputs: 8, seed: 1 } },
	training: {
		alpha: 30,
		T: 50,
	},
} satisfies NtkSpec;
