// Experiment specs written in TypeScript. NTK Horizon reads every `const` tagged `@ntk` whose
// initializer is an object literal, evaluating numbers, arithmetic and references to other
// consts statically, without running this file.

const hiddenWidth = 2 ** 6;

const teacherData = { teacher: { inputs: 32, seed: 7, function: 'sinProjection' } };

/** @ntk */
export const wideTeacher = {
	name: 'wide teacher',
	model: { type: 'mlp', widths: [4, hiddenWidth, 1], activation: 'tanh', init: { seed: 1 } },
	data: teacherData,
	training: { alpha: 1e4, T: 100 },
	analysis: { epsilon: 0.05 },
};

/** @ntk */
export const converseLongTraining = {
	name: 'converse, T = 1e4',
	model: { type: 'quadratic', a: 1 / Math.sqrt(1e4), b: 1, w0: 0 },
	data: { y: [1] },
	training: { alpha: 10 * 10, T: 1e4 },
};
