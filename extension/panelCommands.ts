/**
 * Maps the Charts panel's button requests to `ntkHorizon.*` commands and their arguments.
 */

import type { PanelCommand } from '../src/protocol';

/** A command to run: its id and arguments. */
export interface CommandCall {
	readonly command: string;
	readonly args: readonly unknown[];
}

/** Builds the key that identifies a spec in the panel: `<document uri>#<spec index>`. */
export function specKey(uri: string, specIndex: number): string {
	return `${uri}#${specIndex}`;
}

/** Reads a key built by `specKey`; returns null for any other string. */
export function parseSpecKey(key: string): { uri: string; specIndex: number } | null {
	const match = /^(.+)#(\d+)$/.exec(key);
	if (match === null) {
		return null;
	}
	return { uri: match[1], specIndex: Number(match[2]) };
}

/**
 * Returns the command a panel button runs. Simulate and Sweep get the focused spec's URI and index
 * when its key has the `specKey` form. Without them the command uses the active editor's spec.
 */
export function commandForPanel(command: PanelCommand, key: string | null): CommandCall {
	const target = key === null ? null : parseSpecKey(key);
	const specArgs = target === null ? [] : [target.uri, target.specIndex];
	switch (command) {
		case 'simulate':
			return { command: 'ntkHorizon.simulate', args: specArgs };
		case 'sweepAlpha':
			return { command: 'ntkHorizon.sweepAlpha', args: specArgs };
		case 'cancel':
			return { command: 'ntkHorizon.cancel', args: [] };
		case 'exportPng':
			return { command: 'ntkHorizon.exportChart', args: ['png'] };
		case 'exportSvg':
			return { command: 'ntkHorizon.exportChart', args: ['svg'] };
	}
}
