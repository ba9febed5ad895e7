/**
 * Result shapes shared by the command line, the worker, the extension host and the webview.
 * Every field is plain JSON; horizons encode "infinite" and "not reached" explicitly because
 * `Infinity` and `NaN` do not survive `postMessage` to a webview or `JSON.stringify`.
 */

import type { ResolvedSpec } from './spec/types';

/** A validity horizon: the longest training time for which E stays within the tolerance. */
export type Horizon =
	| { readonly kind: 'finite'; readonly time: number }
	/** The bound never exceeds the tolerance (for example a tolerance above the bound's ceiling). */
	| { readonly kind: 'unbounded'; readonly reason: string }
	/** The statement does not apply (non-smooth activation, R0 = 0 where a formula divides by it). */
	| { readonly kind: 'notApplicable'; readonly reason: string }
	/** Empirical horizon only: the simulated E(t) stayed below the tolerance on (0, searchedUntil]. */
	| {
			readonly kind: 'notReached';
			readonly searchedUntil: number;
			readonly peakError: number;
			readonly peakTime: number;
	  };

/**
 * The Lip(Dh) value a predicted horizon was solved with. `exact` is the exact constant (quadratic,
 * linear model). `certifiedBound` is the certified upper bound, so the horizon is a guarantee.
 * `estimate` is a lower bound on the true constant, so the horizon is realistic but not guaranteed.
 */
export type LipschitzSource = 'exact' | 'certifiedBound' | 'estimate';

/**
 * Method of a Lip(Dh) estimate. `curvature` is the operator norm of D^2 h(w0) found by power
 * iteration (`estimateJacobianLipschitz`). `supplied` is a value the caller passed, for example the
 * largest secant slope along a simulated path.
 */
export type LipschitzEstimateMethod = 'curvature' | 'supplied';

/** Lip(Dh) as reported: a certified bound and an estimate, each labelled. */
export interface LipschitzReport {
	/** ρ, the ball radius `sqrt(T R0) / α` the constants were taken on. */
	readonly radius: number;
	/** Certified upper bound (exact for the quadratic); null when Dh is not Lipschitz. */
	readonly bound: number | null;
	readonly exact: boolean;
	/** Estimate (a lower bound on the true constant); null when not computed or not applicable. */
	readonly estimate: number | null;
	/** Method of `estimate`; absent when it is null or equal to the exact constant. */
	readonly estimateMethod?: LipschitzEstimateMethod;
	/** Certified bound on Lip(h) on the same ball, used by the older bound. */
	readonly modelBound: number | null;
	readonly description: string;
}

/** The quantities a hover shows, from one Jacobian and one eigendecomposition of K0, without a simulation. */
export interface HorizonAnalysis {
	/** R0 = R(α h(w0)) = ||r0||^2 / 2. */
	readonly initialLoss: number;
	readonly initialResidualNorm: number;
	readonly lambdaMaxK0: number;
	readonly lambdaMinK0: number;
	readonly normJ0: number;
	readonly parameterCount: number;
	readonly outputCount: number;
	/** Absolute tolerance on E: `epsilon * ||r0||` when relative, else `epsilon`. */
	readonly threshold: number;
	/** Factor from the spec's time unit to the sum-loss flow's (1, or 1/n for a mean loss). */
	readonly timeScale: number;
	readonly lipschitz: LipschitzReport;
	readonly horizons: {
		/** Theorem 1.2, sharper form, with the certified Lip(Dh) (a guarantee). */
		readonly guaranteed: Horizon;
		/** Theorem 1.2, rounded form `6 kappa sqrt(R0)`. */
		readonly guaranteedRounded: Horizon;
		/** Headline estimate `alpha * epsilon / (Lip(Dh) * sqrt(R0))`, with the best available Lip(Dh). */
		readonly estimate: Horizon;
		/** Proposition 1.1 (Chizat, Oyallon and Bach 2019), grows like sqrt(alpha). */
		readonly older: Horizon;
	};
	/** The Lip(Dh) value each horizon used; always set by `analyzeProblem`, optional for literals. */
	readonly horizonLipschitz?: Readonly<Record<keyof HorizonAnalysis['horizons'], LipschitzSource>>;
	/** Smallest α whose guaranteed horizon reaches the spec's T; null when none exists. */
	readonly minimumAlpha: number | null;
	/** Notes for the reader: centering used, loss conversion, non-smooth activation. */
	readonly notes: readonly string[];
}

/** Bounds evaluated at each report time (same length as `times`). */
export interface BoundSeries {
	readonly kappa: readonly number[];
	/** Theorem 1.2, `min(2 kappa + 3 kappa^2, 2) sqrt(2 R0)`; null entries where Lip(Dh) is unknown. */
	readonly theorem12: readonly (number | null)[];
	/** Theorem 1.2, `min(6 kappa sqrt(R0), sqrt(8 R0))`. */
	readonly theorem12Rounded: readonly (number | null)[];
	/** Proposition 1.1, `T^2 Lip(h)^2 Lip(Dh) R0 / alpha`. */
	readonly proposition11: readonly (number | null)[];
	/** Weight movement, `sqrt(t R0) / alpha`. */
	readonly weightMovement: readonly number[];
	/**
	 * Theorem 1.3 lower bound `min(kappa / 5, 1 / 5) sqrt(R0)`, only for the converse model. The
	 * theorem states it at t = T only (the model's a = 1/sqrt(T) is built for T), so the other
	 * entries are null.
	 */
	readonly converseLower?: readonly (number | null)[];
}

export interface SolverStatistics {
	readonly method: string;
	readonly rtol: number;
	readonly steps: number;
	readonly rejectedSteps: number;
	/**
	 * Points at which the Jacobian was evaluated: formed as an n x p matrix on the stored path,
	 * a forward pass for the matrix-free products otherwise.
	 */
	readonly jacobianEvaluations: number;
	readonly modelEvaluations: number;
	readonly kernelRefreshes: number;
	/** True when the run used the model's matrix-free Jacobian products. */
	readonly matrixFree: boolean;
	readonly wallTimeMs: number;
}

/**
 * A simulation's output. The first block of keys and their layout match the `expected` objects of
 * the reference cases, so the two compare key by key.
 */
export interface SimulationResult {
	readonly times: readonly number[];
	readonly err: readonly number[];
	readonly normR: readonly number[];
	readonly normRbar: readonly number[];
	readonly normDw: readonly number[];
	readonly normDwbar: readonly number[];
	readonly normKdrift: readonly number[];
	readonly R0: number;
	readonly lambdaMaxK0: number;
	readonly lambdaMinK0: number;
	readonly normJ0: number;
	/** Present only where Lip(Dh) is known exactly. */
	readonly LipDh?: number;
	readonly bounds: BoundSeries;
	readonly horizons: HorizonAnalysis['horizons'] & { readonly empirical: Horizon };
	readonly analysis: HorizonAnalysis;
	readonly solver: SolverStatistics;
	/** False when the run stopped early (time budget, cancellation); the series then end early. */
	readonly complete: boolean;
	readonly stopReason?: string;
	readonly spec: ResolvedSpec;
}

/** Streamed while a simulation runs: the points computed so far. */
export interface SimulationProgress {
	readonly time: number;
	readonly fraction: number;
	readonly steps: number;
	readonly times: readonly number[];
	readonly err: readonly number[];
	readonly normR: readonly number[];
	readonly normRbar: readonly number[];
}

export interface SweepPoint {
	readonly alpha: number;
	readonly empirical: Horizon;
	readonly guaranteed: Horizon;
	readonly estimate: Horizon;
	readonly older: Horizon;
	readonly steps: number;
	/**
	 * Failure message of this alpha: an invalid alpha for the spec, or a simulation that could not
	 * finish. The horizons it could not compute are then `notApplicable` with the same reason.
	 */
	readonly error?: string;
}

export interface SweepResult {
	readonly points: readonly SweepPoint[];
	/** Least-squares slope of log T_empirical against log alpha over the finite points; null if < 2. */
	readonly empiricalSlope: number | null;
	readonly estimateSlope: number | null;
	readonly olderSlope: number | null;
	readonly spec: ResolvedSpec;
	/**
	 * False when the sweep stopped before its last alpha (time budget, cancellation); `points` then
	 * ends early. Always set by `sweepAlpha`; absent in results built elsewhere (read it as true).
	 */
	readonly complete?: boolean;
	/** Reason the sweep stopped early; present only when `complete` is false. */
	readonly stopReason?: string;
}
