import { norm2 } from '../linalg';
import type { PreparedProblem } from '../simulate/problem';
import type { ChosenEstimate } from './estimate';
import type { HorizonInputs } from './horizons';

/**
 * Writes the notes an analysis shows under its numbers: the centering used, the mean-loss time
 * conversion, R0 = 0, a non-smooth activation and which Lip(Dh) the estimate horizon used.
 */
export function analysisNotes(
	problem: PreparedProblem,
	inputs: HorizonInputs,
	estimate: ChosenEstimate | undefined,
): string[] {
	const notes = [centeringNote(problem)];
	if (problem.timeScale !== 1) {
		notes.push(
			`Mean loss 1/(2n) ||v - y*||^2 with n = ${problem.outputCount}: simulated as the sum-loss ` +
				'gradient flow at time t / n; times and horizons are in the mean-loss unit, R0 and the bounds use the sum loss.',
		);
	}
	if (!(inputs.initialLoss > 0)) {
		notes.push('R0 = 0: the initial residual is zero, so nothing moves and E(t) = 0 for all t.');
	}
	if (!problem.model.smooth) {
		notes.push("The activation's derivative is not Lipschitz (ReLU): Theorem 1.2 and Proposition 1.1 do not apply.");
	}
	if (problem.model.smooth) {
		notes.push(estimateNote(inputs, estimate));
	}
	return notes;
}

function estimateNote(inputs: HorizonInputs, estimate: ChosenEstimate | undefined): string {
	if (inputs.lipschitzAt(0).jacobianLipschitzExact) {
		return 'The estimate horizon uses the exact Lip(Dh).';
	}
	if (estimate === undefined) {
		return 'No Lip(Dh) estimate is available, so the estimate horizon uses the certified upper bound and is conservative.';
	}
	const value = estimate.value.toPrecision(4);
	const origin =
		estimate.method === 'curvature'
			? 'the norm of the second derivative D^2 h(w0), from a few power iterations'
			: 'given by the caller: after a simulation, the largest secant slope ||J_t - J0|| / ||w_t - w0|| along the simulated path';
	return `The estimate horizon uses the estimated Lip(Dh) = ${value} (${origin}), a lower bound on the true constant; it is not a guarantee.`;
}

function centeringNote(problem: PreparedProblem): string {
	const model = problem.spec.model;
	if (model.type === 'mlp') {
		switch (model.centering) {
			case 'initial':
				return 'Centering: initial, h(w) = f(w) - f(w0), so h(w0) = 0 and r0 = y*.';
			case 'antisymmetric':
				return 'Centering: antisymmetric, mirrored hidden units make f(w0) = 0, so r0 = y*.';
			default:
				return 'Centering: none, h(w) = f(w), so r0 = y* - alpha f(w0) grows with alpha.';
		}
	}
	const size = norm2(problem.initialOutputs);
	return `Centering: none (the ${model.type} model as given), ||h(w0)|| = ${size.toPrecision(4)}.`;
}
