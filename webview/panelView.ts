/**
 * The panel's page: spec label, command buttons, status line, horizon table, notes and the charts.
 * Buttons and the collapsible table use @vscode-elements/elements 2.5.1 components.
 */

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';

import type { ChartsState, PanelCommand, PanelEntry } from '../src/protocol';
import { buildCharts, type ChartId, type ChartSpec } from './chartModel';
import { ChartView } from './chartView';
import type { Palette } from './palette';
import { horizonRows, statusText } from './panelText';
import type { PngPart } from './pngExport';

interface ButtonSpec {
	readonly command: PanelCommand;
	readonly label: string;
	readonly secondary: boolean;
}

const BUTTONS: readonly ButtonSpec[] = [
	{ command: 'simulate', label: 'Simulate', secondary: false },
	{ command: 'sweepAlpha', label: 'Sweep α', secondary: true },
	{ command: 'cancel', label: 'Cancel', secondary: true },
	{ command: 'exportPng', label: 'Export PNG', secondary: true },
	{ command: 'exportSvg', label: 'Export SVG', secondary: true },
];

/** Renders a panel entry into the page and forwards button clicks as commands. */
export class PanelView {
	private readonly label: HTMLElement;
	private readonly status: HTMLElement;
	private readonly ring: HTMLElement;
	private readonly table: HTMLTableSectionElement;
	private readonly notes: HTMLElement;
	private readonly chartsElement: HTMLElement;
	private readonly buttons = new Map<PanelCommand, HTMLElement & { disabled: boolean }>();
	private readonly views = new Map<ChartId, ChartView>();
	private specs: ChartSpec[] = [];
	private entry: PanelEntry | null = null;

	constructor(root: HTMLElement, onCommand: (command: PanelCommand) => void) {
		root.replaceChildren();
		const header = append(root, 'header', 'panel-header');
		this.label = append(header, 'div', 'spec-label');
		const toolbar = append(header, 'div', 'toolbar');
		for (const button of BUTTONS) {
			this.buttons.set(button.command, createButton(toolbar, button, onCommand));
		}
		const statusLine = append(header, 'div', 'status-line');
		this.ring = append(statusLine, 'vscode-progress-ring', 'status-ring');
		this.status = append(statusLine, 'span', 'status-text');
		this.status.setAttribute('role', 'status');
		const collapsible = append(root, 'vscode-collapsible', 'horizons');
		collapsible.setAttribute('heading', 'Horizons');
		collapsible.toggleAttribute('open', true);
		const table = append(collapsible, 'table', 'horizon-table') as HTMLTableElement;
		this.table = table.createTBody();
		this.notes = append(root, 'ul', 'notes');
		this.chartsElement = append(root, 'div', 'charts');
	}

	/** Shows `entry` (null: no spec focused) with charts drawn at `width` CSS pixels. */
	render(entry: PanelEntry | null, palette: Palette, width: number): void {
		this.entry = entry;
		this.label.textContent = entry?.label ?? 'No spec selected';
		this.label.title = entry?.key ?? '';
		// A progress report sets the running status; a result, an error or a note replaces it.
		const isRunning = entry?.status?.kind === 'running';
		this.status.textContent = statusText(entry);
		this.status.classList.toggle('is-error', entry?.status?.kind === 'error');
		this.ring.hidden = !isRunning;
		this.renderTable(entry);
		this.renderNotes(entry);
		this.specs = entry === null ? [] : buildCharts(entry);
		this.renderCharts(palette, width);
		this.setDisabled('cancel', !isRunning);
		this.setDisabled('exportPng', this.specs.length === 0);
		this.setDisabled('exportSvg', this.specs.length === 0);
	}

	/** Resizes every chart to `width` CSS pixels. */
	resize(width: number): void {
		for (const view of this.views.values()) {
			view.resize(width);
		}
	}

	/** Returns the chart specs on screen, in page order. */
	chartSpecs(): readonly ChartSpec[] {
		return this.specs;
	}

	/** Returns the charts' canvases for a PNG export, in page order. */
	pngParts(): PngPart[] {
		return this.specs
			.map((spec) => this.views.get(spec.id)?.exportParts() ?? null)
			.filter((part): part is PngPart => part !== null);
	}

	/** Reports what each chart plots, for tests. */
	chartsState(): ChartsState {
		return {
			focusedKey: this.entry?.key ?? null,
			label: this.entry?.label ?? null,
			status: this.status.textContent ?? '',
			charts: this.specs.map((spec) => this.views.get(spec.id)?.state()).filter((state) => state !== undefined),
		};
	}

	private renderCharts(palette: Palette, width: number): void {
		const shownIds = new Set(this.specs.map((spec) => spec.id));
		for (const [id, view] of this.views) {
			if (!shownIds.has(id)) {
				view.dispose();
				this.views.delete(id);
			}
		}
		for (const spec of this.specs) {
			let view = this.views.get(spec.id);
			if (view === undefined) {
				view = new ChartView(this.chartsElement);
				this.views.set(spec.id, view);
			}
			// Re-appending keeps the page order equal to the spec order.
			this.chartsElement.appendChild(view.element);
			view.update(spec, palette, width);
		}
	}

	private renderTable(entry: PanelEntry | null): void {
		const rows = horizonRows(entry);
		this.table.replaceChildren();
		for (const row of rows) {
			const tableRow = this.table.insertRow();
			tableRow.insertCell().textContent = row.name;
			const value = tableRow.insertCell();
			value.textContent = row.value;
			value.className = 'value';
			value.title = row.detail;
			tableRow.insertCell().textContent = row.detail;
		}
		(this.table.parentElement?.parentElement as HTMLElement | null)?.toggleAttribute('hidden', rows.length === 0);
	}

	private renderNotes(entry: PanelEntry | null): void {
		const notes = entry?.analysis?.notes ?? [];
		this.notes.replaceChildren(
			...notes.map((note) => {
				const item = document.createElement('li');
				item.textContent = note;
				return item;
			}),
		);
		this.notes.hidden = notes.length === 0;
	}

	private setDisabled(command: PanelCommand, disabled: boolean): void {
		const button = this.buttons.get(command);
		if (button !== undefined) {
			button.disabled = disabled;
		}
	}
}

function append(parent: HTMLElement, tag: string, className: string): HTMLElement {
	const element = document.createElement(tag);
	element.className = className;
	parent.appendChild(element);
	return element;
}

function createButton(
	parent: HTMLElement,
	spec: ButtonSpec,
	onCommand: (command: PanelCommand) => void,
): HTMLElement & { disabled: boolean } {
	const button = append(parent, 'vscode-button', 'command') as HTMLElement & { disabled: boolean };
	button.textContent = spec.label;
	button.dataset.command = spec.command;
	button.toggleAttribute('secondary', spec.secondary);
	button.addEventListener('click', () => {
		if (!button.disabled) {
			onCommand(spec.command);
		}
	});
	return button;
}
