/**
 * Playwright steps on code-server's browser workbench (VS Code 1.139): opening files, running
 * palette commands, hovering tokens and reaching into webviews. Every wait is on a selector, not a
 * fixed sleep, and every timeout names what it waited for.
 */

import type { FrameLocator, Locator, Page } from 'playwright-core';

/** Default wait for one UI step; the slowest measured step (a webview's first paint) took 3.5 s. */
export const stepTimeoutMs = 20_000;

/** Waits until the workbench shows the workspace's explorer row for `fileName`. */
export async function waitForWorkbench(page: Page, fileName: string): Promise<void> {
	await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
	const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
	await row.waitFor({ timeout: 60_000 });
}

/**
 * Moves keyboard focus to the editor area. A focused webview keeps key presses such as Control+P
 * from reaching the workbench.
 */
export async function focusWorkbench(page: Page): Promise<void> {
	const activeTab = page.locator('.part.editor .tab.active').first();
	if ((await activeTab.count()) > 0) {
		await activeTab.click();
	} else {
		await page.locator('.part.editor').first().click();
	}
}

/**
 * Shows a workspace file in the editor and waits until it shows `expectText`. Clicks the file's
 * tab when it is open already, otherwise uses Quick Open (Control+P). Tries up to three times,
 * because a key press sent while a webview takes focus is lost.
 */
export async function openFile(page: Page, fileName: string, expectText: string): Promise<Locator> {
	// The tab's text may wrap inside the name, so match the attribute that contains the file name.
	const baseName = fileName.split('/').pop() ?? fileName;
	const activeTab = page.locator(`.tab.active[data-resource-name="${baseName}"]`).first();
	const tab = page.locator(`.tab[data-resource-name="${baseName}"]`).first();
	for (let attempt = 1; !(await activeTab.isVisible()); attempt++) {
		if ((await tab.count()) > 0) {
			await tab.click();
		} else {
			await quickOpen(page, fileName);
		}
		try {
			await activeTab.waitFor({ timeout: 5000 });
		} catch (error) {
			if (attempt === 3) {
				throw new Error(`${fileName} did not become the active editor after 3 attempts: ${String(error)}`);
			}
		}
	}
	const editor = page
		.locator('.editor-group-container.active .editor-instance .monaco-editor')
		.filter({ has: page.locator('.view-lines', { hasText: expectText }) })
		.first();
	await editor.waitFor({ timeout: stepTimeoutMs });
	return editor;
}

async function quickOpen(page: Page, fileName: string): Promise<void> {
	await typeIntoQuickInput(page, 'Control+P', fileName);
	await page
		.locator('.quick-input-list .monaco-list-row', { hasText: fileName.split('/').pop() })
		.first()
		.waitFor({ timeout: stepTimeoutMs });
	await page.keyboard.press('Enter');
}

/**
 * Opens the quick input with `key` and types `text`, opening it again (up to three times) when it
 * closes before the text is in. The quick input closes when it loses focus, and a webview that
 * finishes loading can take the focus right after the input opened: in CI the input went inert
 * and then hidden while Playwright waited to type.
 */
async function typeIntoQuickInput(page: Page, key: string, text: string): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		const input = await openQuickInput(page, key);
		try {
			await input.fill(text, { timeout: 5000 });
			return;
		} catch (error) {
			if (attempt === 3) {
				throw new Error(`the quick input closed before "${text}" was typed, 3 times: ${String(error)}`);
			}
			await page.keyboard.press('Escape');
		}
	}
}

/**
 * Presses `key` until the quick input opens (up to three times, because a key press sent while a
 * webview takes focus is lost) and returns its text box.
 */
async function openQuickInput(page: Page, key: string): Promise<Locator> {
	const input = page.locator('.quick-input-widget input');
	for (let attempt = 1; ; attempt++) {
		await focusWorkbench(page);
		await page.keyboard.press(key);
		try {
			await input.waitFor({ timeout: 5000 });
			return input;
		} catch (error) {
			if (attempt === 3) {
				throw new Error(`${key} did not open the quick input after 3 attempts: ${String(error)}`);
			}
		}
	}
}

/** Runs a command by its palette title ("Category: Title"), clicking the row with that title. */
export async function runCommand(page: Page, title: string): Promise<void> {
	await typeIntoQuickInput(page, 'F1', `>${title}`);
	// Rows read "<title><keybinding>". The best match is not always the first row: ">Preferences:
	// Color Theme" lists "Preferences: Browse Color Themes in Marketplace" first.
	const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const row = page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${escaped}`) }).first();
	await row.waitFor({ timeout: stepTimeoutMs });
	await row.click();
}

/**
 * Picks an entry of the quick pick whose input placeholder contains `placeholder`: types `label`
 * to filter the (virtualized) list, then clicks the row.
 */
export async function pickQuickItem(page: Page, placeholder: string, label: string): Promise<void> {
	const input = page.locator(`.quick-input-widget input[placeholder*="${placeholder}"]`).first();
	await input.waitFor({ timeout: stepTimeoutMs });
	await input.pressSequentially(label);
	const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
	await row.waitFor({ timeout: stepTimeoutMs });
	await row.click();
}

/** Waits for a CodeLens whose text starts with `prefix` above a line of the editor. */
export async function waitForCodeLens(editor: Locator, prefix: string): Promise<void> {
	await editor.locator('.codelens-decoration', { hasText: prefix }).first().waitFor({ timeout: stepTimeoutMs });
}

/**
 * Moves the mouse onto the first token of the editor whose text is `token` and returns the hover
 * widget once it contains `expectText`. The hover needs real mouse movement: first to the token's
 * left edge, then to its centre. The token is measured until its position is the same twice in a
 * row, because CodeLenses and diagnostics arriving late shift the lines.
 */
export async function hoverToken(page: Page, editor: Locator, token: string, expectText: string): Promise<Locator> {
	const span = editor.locator('.view-lines span span', { hasText: token }).first();
	await span.waitFor({ timeout: stepTimeoutMs });
	const box = await pollUntil(
		`a stable position of token ${token}`,
		async () => [await span.boundingBox(), await delay(250).then(() => span.boundingBox())] as const,
		([first, second]) => first !== null && JSON.stringify(first) === JSON.stringify(second),
	).then(([first]) => first!);
	await page.mouse.move(box.x + 1, box.y + box.height / 2);
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
	const hover = page.locator('.monaco-hover .hover-contents', { hasText: expectText }).first();
	await hover.waitFor({ timeout: stepTimeoutMs });
	return hover;
}

function delay(ms: number): Promise<void> {
	return new Promise((done) => setTimeout(done, ms));
}

/** Returns the status bar item whose text starts with `prefix`. */
export function statusBarItem(page: Page, prefix: string): Locator {
	return page.locator('.statusbar-item', { hasText: prefix }).first();
}

/** Inner frame (the extension's HTML) of a webview view contributed by `extensionId`. */
export function webviewViewFrame(page: Page, extensionId: string): FrameLocator {
	return page
		.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"][src*="purpose=webviewView"]`)
		.frameLocator('#active-frame');
}

/** Inner frame of a webview panel (an editor tab) contributed by `extensionId`. */
export function webviewPanelFrame(page: Page, extensionId: string): FrameLocator {
	return page
		.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]:not([src*="purpose=webviewView"])`)
		.frameLocator('#active-frame');
}

/** Polls `read` until `accept` returns true for its value; fails naming the last value after `timeoutMs`. */
export async function pollUntil<T>(
	what: string,
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs = stepTimeoutMs,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: T | undefined;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			last = await read();
			if (accept(last)) {
				return last;
			}
		} catch (error) {
			lastError = error;
		}
		await delay(100);
	}
	const detail = lastError === undefined ? `last value ${JSON.stringify(last)}` : `last error ${String(lastError)}`;
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${detail}`);
}
