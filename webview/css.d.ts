// Lets TypeScript accept the CSS imports that esbuild bundles into dist/webview.css.
declare module '*.css';
