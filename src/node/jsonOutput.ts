import type { SimulationResult } from '../results';

/**
 * Builds the command line's JSON document for a simulation. The first keys and their layout are
 * those of the reference cases' `expected` objects (times, err, normR, normRbar, normDw,
 * normDwbar, normKdrift, R0, lambdaMaxK0, lambdaMinK0, normJ0, and LipDh where Lip(Dh) is exact),
 * followed by bounds, horizons, solver and spec. Horizons keep their explicit `kind` encoding; a
 * non-finite number (kappa for a non-smooth model) is written as null by `JSON.stringify`.
 */
export function simulationJson(result: SimulationResult): Record<string, unknown> {
	return {
		times: result.times,
		err: result.err,
		normR: result.normR,
		normRbar: result.normRbar,
		normDw: result.normDw,
		normDwbar: result.normDwbar,
		normKdrift: result.normKdrift,
		R0: result.R0,
		lambdaMaxK0: result.lambdaMaxK0,
		lambdaMinK0: result.lambdaMinK0,
		normJ0: result.normJ0,
		...(result.LipDh !== undefined ? { LipDh: result.LipDh } : {}),
		bounds: result.bounds,
		horizons: result.horizons,
		solver: { ...result.solver, complete: result.complete, stopReason: result.stopReason ?? null },
		spec: result.spec,
	};
}
