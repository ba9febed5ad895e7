import assert from 'node:assert/strict';
import { test } from 'node:test';

import { commandForPanel, parseSpecKey, specKey } from '../../../extension/panelCommands';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../../extension/webviewHtml';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

test('CSP admits only the nonce and the webview origin', () => {
	assert.equal(
		contentSecurityPolicy(SOURCE, 'abc'),
		`default-src 'none'; script-src 'nonce-abc'; style-src ${SOURCE} 'nonce-abc'; img-src ${SOURCE} data:; font-src ${SOURCE}`,
	);
});

test('page loads one script by nonce', () => {
	const html = renderWebviewHtml({
		cspSource: SOURCE,
		nonce: 'n0nce',
		scriptUri: `${SOURCE}/ext/dist/webview.js`,
		styleUri: `${SOURCE}/ext/dist/webview.css`,
	});
	const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
	assert.deepEqual(scripts, [`<script nonce="n0nce" src="${SOURCE}/ext/dist/webview.js">`]);
	assert.ok(html.includes(`<link rel="stylesheet" href="${SOURCE}/ext/dist/webview.css" nonce="n0nce">`));
	const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
	assert.ok(urls.every((url) => url.startsWith(SOURCE)), `URLs outside the webview origin: ${urls}`);
	assert.doesNotMatch(html, /style="/, 'no inline style attribute (blocked by the CSP)');
	assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
});

test('page escapes interpolated values', () => {
	const html = renderWebviewHtml({ cspSource: SOURCE, nonce: 'a"b', scriptUri: 'x"><script>', styleUri: 's' });
	assert.ok(!html.includes('x"><script>'));
	assert.ok(html.includes('x&quot;&gt;&lt;script&gt;'));
	assert.ok(html.includes("'nonce-a&quot;b'"));
});

test('createNonce is fresh base64', () => {
	const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
	assert.equal(nonces.size, 50, 'nonces repeat');
	for (const nonce of nonces) {
		assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
	}
});

test('spec keys round-trip', () => {
	const uri = 'file:///work/a%20b/spec.ntk.json';
	assert.deepEqual(parseSpecKey(specKey(uri, 3)), { uri, specIndex: 3 });
	assert.equal(parseSpecKey('no index'), null);
	assert.equal(parseSpecKey('#2'), null);
});

test('panel buttons map to commands', () => {
	const key = specKey('file:///s.ntk.json', 1);
	assert.deepEqual(commandForPanel('simulate', key), { command: 'ntkHorizon.simulate', args: ['file:///s.ntk.json', 1] });
	assert.deepEqual(commandForPanel('sweepAlpha', key), { command: 'ntkHorizon.sweepAlpha', args: ['file:///s.ntk.json', 1] });
	assert.deepEqual(commandForPanel('simulate', null), { command: 'ntkHorizon.simulate', args: [] });
	assert.deepEqual(commandForPanel('simulate', 'opaque'), { command: 'ntkHorizon.simulate', args: [] });
	assert.deepEqual(commandForPanel('cancel', key), { command: 'ntkHorizon.cancel', args: [] });
	assert.deepEqual(commandForPanel('exportPng', key), { command: 'ntkHorizon.exportChart', args: ['png'] });
	assert.deepEqual(commandForPanel('exportSvg', null), { command: 'ntkHorizon.exportChart', args: ['svg'] });
});
