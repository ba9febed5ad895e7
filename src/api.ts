/**
 * Public entry points of the core, used by the command line, the worker and the tests.
 * The implementations live in the modules re-exported here.
 */

export { SpecError, SimulationError, formatIssue, formatJsonPath } from './errors';
export type { SpecIssue, JsonPath } from './errors';
export type * from './spec/types';
export type * from './results';
