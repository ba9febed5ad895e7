/**
 * Rewrites the generated part of docs/benchmarks.md and the figures from a saved run, without
 * measuring again: `npx tsx bench/render.ts [bench/results/latest.json]`.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeDocs } from './report';
import type { BenchResults } from './report';

const resultsPath = resolve(process.argv[2] ?? resolve(__dirname, 'results', 'latest.json'));
const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as BenchResults;
writeDocs(results, resolve(__dirname, '..', 'docs'));
process.stdout.write(`rewrote docs/benchmarks.md and docs/benchmarks/*.svg from ${resultsPath}\n`);
