/**
 * Reads the chart palette from the editor theme's CSS variables and reports theme changes, which
 * VS Code signals by changing the body's `vscode-light` / `vscode-dark` / `vscode-high-contrast`
 * class and the variables on the root element.
 */

import type { ColorRole } from './chartModel';
import { DEFAULT_PALETTE, type Palette } from './palette';

const ROLE_VARIABLES: Readonly<Record<ColorRole, string>> = {
	red: '--vscode-charts-red',
	blue: '--vscode-charts-blue',
	green: '--vscode-charts-green',
	orange: '--vscode-charts-orange',
	purple: '--vscode-charts-purple',
	yellow: '--vscode-charts-yellow',
	muted: '--vscode-descriptionForeground',
};

/** Line width in high-contrast themes, in CSS pixels. */
const HIGH_CONTRAST_LINE_WIDTH = 2.5;

/** Reads the current theme's chart palette; missing variables fall back to the Dark Modern colors. */
export function readPalette(): Palette {
	const style = getComputedStyle(document.documentElement);
	const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
	const roles = { ...DEFAULT_PALETTE.roles };
	for (const role of Object.keys(ROLE_VARIABLES) as ColorRole[]) {
		roles[role] = read(ROLE_VARIABLES[role], DEFAULT_PALETTE.roles[role]);
	}
	const isHighContrast = document.body.classList.contains('vscode-high-contrast') ||
		document.body.classList.contains('vscode-high-contrast-light');
	const fontSize = Number.parseFloat(read('--vscode-font-size', String(DEFAULT_PALETTE.fontSize)));
	return {
		roles,
		foreground: read('--vscode-editor-foreground', read('--vscode-foreground', DEFAULT_PALETTE.foreground)),
		background: read('--vscode-sideBar-background', read('--vscode-editor-background', DEFAULT_PALETTE.background)),
		grid: withAlpha(read('--vscode-editor-foreground', read('--vscode-foreground', '')), isHighContrast ? 0.45 : 0.18) ?? DEFAULT_PALETTE.grid,
		fontFamily: read('--vscode-font-family', DEFAULT_PALETTE.fontFamily),
		fontSize: Number.isFinite(fontSize) && fontSize > 0 ? fontSize : DEFAULT_PALETTE.fontSize,
		lineWidth: isHighContrast ? HIGH_CONTRAST_LINE_WIDTH : DEFAULT_PALETTE.lineWidth,
	};
}

/** Converts `#rgb` or `#rrggbb` to `rgba(...)` with `alpha`; returns undefined for other notations. */
export function withAlpha(color: string, alpha: number): string | undefined {
	const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
	if (match === null) {
		return undefined;
	}
	const hex = match[1].length === 3 ? [...match[1]].map((digit) => digit + digit).join('') : match[1];
	const [red, green, blue] = [0, 2, 4].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16));
	return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

/** Calls `onChange` after the body class or the root element's style changes; returns a stop function. */
export function watchTheme(onChange: () => void): () => void {
	const observer = new MutationObserver(() => onChange());
	observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
	observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
	return () => observer.disconnect();
}
