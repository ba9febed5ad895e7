/**
 * Reads the text of a CSV or JSON data file into a table of cells, checking each cell. CSV is
 * parsed by papaparse 5 with a header row; JSON files hold an array of row objects (the layout of
 * vega-datasets).
 */

import Papa from 'papaparse';

/** A cell: a finite number, `null` for a missing value, or the text of a non-numeric value. */
export type Cell = number | null | { readonly text: string; readonly problem: CellProblem };

/** Why a cell is not a number. */
export type CellProblem = 'text' | 'decimalComma' | 'nonFinite';

/** One data row and where it came from, for messages (`line 5` of a CSV, `row [4]` of JSON). */
export interface TableRow {
	readonly label: string;
	readonly cells: ReadonlyMap<string, Cell>;
}

export interface Table {
	readonly columns: readonly string[];
	readonly rows: readonly TableRow[];
}

/** A file-level problem: the text is not a table at all. */
export class TableFormatError extends Error {}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA_PATTERN = /^[+-]?\d+,\d+$/;
const NON_FINITE_PATTERN = /^[+-]?(nan|inf|infinity)$/i;

/**
 * Parses CSV text: the first row is the header, a leading byte-order mark is dropped, blank
 * lines are skipped, an empty cell is a missing value (not 0).
 *
 * @throws TableFormatError when there is no header, a header name repeats, or a row has a
 * different number of cells than the header
 */
export function parseCsvTable(text: string): Table {
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: false });
	const lines = parsed.data;
	const headerIndex = lines.findIndex((cells) => !isBlankRow(cells));
	if (headerIndex < 0) {
		throw new TableFormatError('has no header row');
	}
	const columns = lines[headerIndex].map((name) => name.trim());
	checkHeader(columns);

	const rows: TableRow[] = [];
	for (let index = headerIndex + 1; index < lines.length; index++) {
		const cells = lines[index];
		if (isBlankRow(cells)) {
			continue;
		}
		// NOTE: line numbers assume no quoted cell spans several lines.
		const label = `line ${index + 1}`;
		if (cells.length !== columns.length) {
			throw new TableFormatError(`${label} has ${cells.length} cells but the header has ${columns.length}`);
		}
		const parsedCells = new Map(columns.map((name, i) => [name, parseCsvCell(cells[i])]));
		rows.push({ label, cells: parsedCells });
	}
	return { columns, rows };
}

/**
 * Parses JSON text holding an array of row objects. A `null` or absent value is missing; numbers
 * that overflow (`1e400`) are reported as non-finite.
 *
 * @throws TableFormatError when the text is not JSON or not an array of objects
 */
export function parseJsonTable(text: string): Table {
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	let value: unknown;
	try {
		value = JSON.parse(body);
	} catch (error) {
		throw new TableFormatError(`is not valid JSON (${(error as Error).message})`);
	}
	if (!Array.isArray(value)) {
		throw new TableFormatError('must hold a JSON array of row objects');
	}

	const columns: string[] = [];
	const known = new Set<string>();
	const rows: TableRow[] = [];
	value.forEach((row: unknown, index) => {
		if (row === null || typeof row !== 'object' || Array.isArray(row)) {
			throw new TableFormatError(`row [${index}] must be an object of column values`);
		}
		const cells = new Map<string, Cell>();
		for (const [name, cell] of Object.entries(row as Record<string, unknown>)) {
			if (!known.has(name)) {
				known.add(name);
				columns.push(name);
			}
			cells.set(name, jsonCell(cell));
		}
		rows.push({ label: `row [${index}]`, cells });
	});
	return { columns, rows };
}

/** Returns the cell of `column`, or `null` (missing) when the row does not have it. */
export function cellOf(row: TableRow, column: string): Cell {
	return row.cells.get(column) ?? null;
}

function parseCsvCell(raw: string): Cell {
	const text = raw.trim();
	if (text === '') {
		return null;
	}
	if (NUMBER_PATTERN.test(text)) {
		const value = Number(text);
		return Number.isFinite(value) ? value : { text, problem: 'nonFinite' };
	}
	if (DECIMAL_COMMA_PATTERN.test(text)) {
		return { text, problem: 'decimalComma' };
	}
	if (NON_FINITE_PATTERN.test(text)) {
		return { text, problem: 'nonFinite' };
	}
	return { text, problem: 'text' };
}

function jsonCell(value: unknown): Cell {
	if (value === null || value === undefined) {
		return null;
	}
	if (typeof value === 'number') {
		return Number.isFinite(value) ? value : { text: String(value), problem: 'nonFinite' };
	}
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return { text, problem: 'text' };
}

function isBlankRow(cells: readonly string[]): boolean {
	return cells.every((cell) => cell.trim() === '');
}

function checkHeader(columns: readonly string[]): void {
	const seen = new Set<string>();
	for (const name of columns) {
		if (name === '') {
			throw new TableFormatError('has an empty column name in its header row');
		}
		if (seen.has(name)) {
			throw new TableFormatError(`has the column name "${name}" twice in its header row`);
		}
		seen.add(name);
	}
}
