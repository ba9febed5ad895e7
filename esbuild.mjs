// Bundles the command line, the extension host, the simulation worker and the webview.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	external: ['vscode'],
	// jsonc-parser's `main` is a UMD build whose internal requires esbuild cannot follow.
	mainFields: ['module', 'main'],
	minify: production,
	sourcemap: !production,
	logLevel: 'warning',
};

const builds = [
	{ ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
	{
		...node,
		// tsReader.js contains the TypeScript compiler; the worker loads it only for TypeScript specs.
		entryPoints: {
			extension: 'extension/extension.ts',
			worker: 'extension/worker.ts',
			tsReader: 'extension/tsReader.ts',
		},
		outdir: 'dist',
	},
	{
		bundle: true,
		platform: 'browser',
		format: 'iife',
		target: 'es2022',
		entryPoints: { webview: 'webview/main.ts' },
		outdir: 'dist',
		minify: production,
		sourcemap: !production,
		logLevel: 'warning',
		loader: { '.css': 'css' },
	},
];

const existing = [];
for (const build of builds) {
	const entries = Object.values(build.entryPoints);
	const { existsSync } = await import('node:fs');
	if (entries.every((entry) => existsSync(entry))) {
		existing.push(build);
	}
}

if (watch) {
	for (const build of existing) {
		const context = await esbuild.context(build);
		await context.watch();
	}
} else {
	await Promise.all(existing.map((build) => esbuild.build(build)));
}
