/**
 * Defaults and limits of the spec format. The JSON Schema in `schemas/ntk-spec.schema.json` states
 * the same defaults in its `default` keywords.
 */

/** Default relative tolerance of the integrators on E(t) and the other reported series. */
export const DEFAULT_RTOL = 1e-8;

/** Default cap on integrator steps before a simulation stops with a `stepLimit` failure. */
export const DEFAULT_MAX_STEPS = 100_000;

/** Default tolerated NTK approximation error epsilon. */
export const DEFAULT_EPSILON = 0.05;

/** Default number of report times. */
export const DEFAULT_TIME_COUNT = 25;

/** Log-spaced report times start at T divided by this ratio and end at T. */
export const LOG_TIME_RANGE_RATIO = 100;

/** Default seed of a seeded MLP initialization and of a teacher. */
export const DEFAULT_SEED = 0;

/** Default hidden width of the `mlp` teacher function. */
export const DEFAULT_TEACHER_WIDTH = 16;

/** Default cap on the bytes of the Jacobian (8 n p) and of the kernel (8 n^2): 512 MiB. */
export const DEFAULT_MAX_JACOBIAN_BYTES = 512 * 1024 * 1024;

/**
 * Maximum nesting depth of a spec document. The deepest valid value is a weight matrix at depth 6
 * (`model.init.weights.W[i][j]`); the cap keeps the recursive parser and validator far from the
 * call-stack limit.
 */
export const MAX_NESTING_DEPTH = 32;
