/**
 * Public surface of the spec module: loading and validation, the schema, defaults and size
 * estimates. The Node file reader lives apart in `./nodeFiles` so this module stays free of Node I/O.
 */

export { loadSpec, validateSpec } from './load';
export type { LoadedSpec, SpecLoadOptions } from './load';
export { SPEC_SCHEMA } from './schemaCheck';
export {
	DEFAULT_EPSILON,
	DEFAULT_MAX_JACOBIAN_BYTES,
	DEFAULT_MAX_STEPS,
	DEFAULT_RTOL,
} from './defaults';
export { estimateMemory, parameterCount } from './size';
export { spacedTimes } from './resolveSettings';
export { generateTeacherData } from './teacher';
