/**
 * The Charts panel's state: every spec's data and the focused spec, updated by host messages. The
 * webview renders it and the host keeps a copy to resend when the view is shown again. Pure,
 * so the same state survives `vscode.setState` and restores after the panel is hidden.
 */

import { mergeProgress, type HostMessage, type PanelEntry, type PanelState } from './protocol';

/** State before any message arrives. */
export const EMPTY_STATE: PanelState = { entries: [], focusedKey: null };

/**
 * Returns the state after a host message. Data for a spec focuses that spec unless it is only an
 * analysis (the host sends those for every spec it reads). Request messages leave it unchanged.
 */
export function applyHostMessage(state: PanelState, message: HostMessage): PanelState {
	switch (message.type) {
		case 'restore':
			return message.state;
		case 'focus':
			return { ...state, focusedKey: message.key };
		case 'analysis':
			return updateEntry(state, message.key, false, (entry) => ({
				...entry,
				label: message.label,
				analysis: message.analysis,
			}));
		case 'progress':
			return updateEntry(state, message.key, true, (entry) => ({
				...entry,
				// A report after a finished run starts a new run.
				progress: mergeProgress(entry.result === null ? entry.progress : null, message.progress),
				result: null,
				status: { kind: 'running', text: '' },
			}));
		case 'result':
			return updateEntry(state, message.key, true, (entry) => ({
				...entry,
				result: message.result,
				progress: null,
				status: null,
			}));
		case 'sweep':
			return updateEntry(state, message.key, true, (entry) => ({ ...entry, sweep: message.sweep, status: null }));
		case 'status':
			return updateEntry(state, message.key, false, (entry) => ({ ...entry, status: message.status }));
		default:
			return state;
	}
}

/** Returns the focused spec's entry, or null when no spec is focused or it has no data. */
export function focusedEntry(state: PanelState): PanelEntry | null {
	return state.entries.find((entry) => entry.key === state.focusedKey) ?? null;
}

function updateEntry(
	state: PanelState,
	key: string,
	shouldFocus: boolean,
	update: (entry: PanelEntry) => PanelEntry,
): PanelState {
	const existing = state.entries.find((entry) => entry.key === key) ?? emptyEntry(key);
	const entries = [...state.entries.filter((entry) => entry.key !== key), update(existing)];
	const focusedKey = shouldFocus || state.focusedKey === null ? key : state.focusedKey;
	return { entries, focusedKey };
}

function emptyEntry(key: string): PanelEntry {
	return { key, label: key, analysis: null, progress: null, result: null, sweep: null, status: null };
}
