/**
 * Chart colors and fonts. The webview fills a palette from the editor theme's CSS variables
 * (`theme.ts`). The defaults below are the Dark Modern values, used when a variable is missing and
 * by the SVG export in tests.
 */

import type { ColorRole } from './chartModel';

/** Colors, font and line width for drawing charts. */
export interface Palette {
	readonly roles: Readonly<Record<ColorRole, string>>;
	readonly foreground: string;
	readonly background: string;
	readonly grid: string;
	readonly fontFamily: string;
	/** Font size in CSS pixels. */
	readonly fontSize: number;
	/** Series line width in CSS pixels; thicker in high-contrast themes. */
	readonly lineWidth: number;
}

/** Default palette: the `--vscode-charts-*` and editor colors of VS Code's Dark Modern theme. */
export const DEFAULT_PALETTE: Palette = {
	roles: {
		red: '#f14c4c',
		blue: '#3794ff',
		green: '#89d185',
		orange: '#d18616',
		purple: '#b180d7',
		yellow: '#cca700',
		muted: '#9d9d9d',
	},
	foreground: '#cccccc',
	background: '#1f1f1f',
	grid: 'rgba(128, 128, 128, 0.25)',
	fontFamily: 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif',
	fontSize: 12,
	lineWidth: 1.5,
};
