/** Text of the spec that the New Spec command opens; pure, so a unit test loads it. */

/** Builds the template: a small two-layer tanh network on a seeded teacher, quick to simulate. */
export function newSpecText(epsilon: number): string {
	const spec = {
		name: 'experiment',
		description:
			'Two-layer tanh network on a seeded teacher. Hover alpha for the predicted horizons.',
		model: { type: 'mlp', widths: [4, 128, 1], activation: 'tanh', init: { seed: 0 } },
		data: { teacher: { inputs: 32, seed: 1, function: 'sinProjection' } },
		training: { alpha: 100, T: 1000 },
		analysis: { epsilon, relative: true },
		sweep: { alpha: { from: 10, to: 1000, count: 5 } },
	};
	return `${JSON.stringify(spec, null, '\t')}\n`;
}
