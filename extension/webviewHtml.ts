/**
 * HTML of the Charts webview: one script and one stylesheet from the extension's `dist` folder,
 * under a strict Content Security Policy that admits only them, by nonce and webview origin.
 */

import { randomBytes } from 'node:crypto';

/** Inputs of the page template; URIs already converted with `asWebviewUri`. */
export interface WebviewHtmlOptions {
	/** `webview.cspSource`, the origin VS Code serves local resources from. */
	readonly cspSource: string;
	readonly nonce: string;
	readonly scriptUri: string;
	readonly styleUri: string;
}

/** Creates a nonce for one page load: 16 random bytes, base64. */
export function createNonce(): string {
	return randomBytes(16).toString('base64');
}

/** Builds the Content-Security-Policy value: no remote content, scripts only by nonce. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return [
		"default-src 'none'",
		`script-src 'nonce-${nonce}'`,
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`img-src ${cspSource} data:`,
		`font-src ${cspSource}`,
	].join('; ');
}

/** Renders the page; every interpolated value is escaped for an HTML attribute. */
export function renderWebviewHtml(options: WebviewHtmlOptions): string {
	const csp = escapeAttribute(contentSecurityPolicy(options.cspSource, options.nonce));
	const nonce = escapeAttribute(options.nonce);
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${csp}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}" nonce="${nonce}">
	<title>NTK Horizon charts</title>
</head>
<body>
	<div id="root"></div>
	<script nonce="${nonce}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
