/**
 * The TypeScript spec reader as its own bundle (`dist/tsReader.js`). The TypeScript compiler is
 * most of its size and takes about a second to load, so the worker loads it only when a
 * TypeScript document is inspected.
 */

export { findTypeScriptSpecs } from '../src/spec/tsSpecs';
export { locateTsPath } from '../src/spec/locate';
