/**
 * Public entry points of the core, used by the command line, the worker and the tests.
 * The implementations live in the modules re-exported here.
 */

export { SpecError, SimulationError, formatIssue, formatJsonPath } from './errors';
export type { SpecIssue, JsonPath } from './errors';
export type * from './spec/types';
export { loadSpec, validateSpec, parameterCount, estimateMemory, DEFAULT_RTOL } from './spec/index';
export type { LoadedSpec, SpecLoadOptions } from './spec/index';
export type * from './results';
export { prepareProblem, initialResidual } from './simulate/problem';
export type { PreparedProblem, PrepareOptions } from './simulate/problem';
export { simulateSpec, TIGHTEST_RTOL } from './simulate/simulate';
export type { SimulateOptions } from './simulate/simulate';
export { analyzeSpec, analyzeProblem } from './analysis/analyze';
export type { AnalyzeOptions } from './analysis/analyze';
export { sweepAlpha } from './analysis/sweep';
export type { SweepOptions } from './analysis/sweep';
export { symmetricEigen, gramMatrix } from './linalg';
export type { SymmetricEigen } from './linalg';
