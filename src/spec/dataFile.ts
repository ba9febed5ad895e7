/**
 * Loads training data from the CSV or JSON file named by `data.file`. The path resolves against the
 * spec's folder and is read through the injected reader. Then the target and feature columns are
 * selected, every used cell is checked, and the columns are z-scored when asked.
 */

import type { JsonPath, SpecIssue } from '../errors';
import { closestMatch } from './closestKey';
import { cellOf, parseCsvTable, parseJsonTable, TableFormatError } from './dataTable';
import type { Cell, Table, TableRow } from './dataTable';
import { errorIssue, warningIssue } from './issues';
import { INVALID_UTF8_CODE } from './options';
import type { SpecLoadOptions } from './options';
import { extensionOf, isAbsolutePath, isInside, resolvePath } from './paths';
import type { ResolvedData } from './types';

/** The `data` keys of a file source, already checked against the schema. */
export interface FileDataSettings {
	readonly file: string;
	readonly target?: string;
	readonly features?: readonly string[];
	readonly standardize?: boolean;
	readonly limit?: number;
	readonly missing?: 'error' | 'drop';
}

/** Loaded data, or the issues that stopped loading. */
export type FileDataResult =
	| { readonly data: ResolvedData; readonly issues: SpecIssue[] }
	| { readonly data: undefined; readonly issues: SpecIssue[] };

interface ColumnStatistics {
	readonly mean: number;
	readonly std: number;
}

const DATA: JsonPath = ['data'];
const MAX_CELL_ISSUES = 5;

/**
 * Loads a file data source. Every failure is returned as an issue, never thrown.
 *
 * @param settings - the `data` object of the spec
 * @param options - the reader, the spec's folder, the workspace root and the trust setting
 */
export function loadFileData(settings: FileDataSettings, options: SpecLoadOptions): FileDataResult {
	const located = locateFile(settings.file, options);
	if (typeof located !== 'string') {
		return { data: undefined, issues: [located] };
	}
	const table = readTable(located, settings.file, options);
	if (!('rows' in table)) {
		return { data: undefined, issues: [table] };
	}
	return buildData(table, settings);
}

function locateFile(file: string, options: SpecLoadOptions): string | SpecIssue {
	const path = [...DATA, 'file'];
	if (options.allowDataFiles === false) {
		const message = `Data files are disabled in this untrusted workspace, so "${file}" was not read. Trust the workspace or write the data inline as data.x and data.y.`;
		return errorIssue(path, 'dataFilesDisabled', message, file);
	}
	if (options.readFile === undefined) {
		const message = `The data file "${file}" cannot be read here because no file reader was given. Load the spec from a file, or write the data inline.`;
		return errorIssue(path, 'dataFile', message, file);
	}
	if (!isAbsolutePath(file) && options.baseDirectory === undefined) {
		const message = `The data file path "${file}" is relative, but the spec has no folder to resolve it against. Use an absolute path or load the spec from a file.`;
		return errorIssue(path, 'dataFile', message, file);
	}
	const absolute = resolvePath(options.baseDirectory ?? '/', file);
	if (options.workspaceRoot !== undefined && !isInside(options.workspaceRoot, absolute)) {
		const message = `The data file "${file}" resolves to ${absolute}, outside the workspace ${options.workspaceRoot}. Move the file into the workspace.`;
		return errorIssue(path, 'dataFileOutside', message, file);
	}
	const extension = extensionOf(absolute);
	if (extension !== 'csv' && extension !== 'json') {
		const message = `The data file "${file}" must end in .csv or .json, got "${extension === '' ? 'no extension' : `.${extension}`}". Convert it to CSV with a header row or to a JSON array of row objects.`;
		return errorIssue(path, 'dataFile', message, file);
	}
	return absolute;
}

function readTable(absolute: string, file: string, options: SpecLoadOptions): Table | SpecIssue {
	const path = [...DATA, 'file'];
	let text: string;
	try {
		text = (options.readFile as (p: string) => string)(absolute);
	} catch (error) {
		if ((error as { code?: unknown } | null)?.code === INVALID_UTF8_CODE) {
			const message = `The data file "${file}" could not be read (${(error as Error).message}). Save it with UTF-8 encoding.`;
			return errorIssue(path, 'dataFileEncoding', message, file);
		}
		const message = `The data file "${file}" could not be read (${describeReadError(error)}). Check the path, relative to the spec's folder.`;
		return errorIssue(path, 'dataFileRead', message, file);
	}
	if (text.trim() === '' || text === '\ufeff') {
		return errorIssue(path, 'dataFileEmpty', `The data file "${file}" is empty. Add a header row and data rows.`, file);
	}
	try {
		return extensionOf(absolute) === 'csv' ? parseCsvTable(text) : parseJsonTable(text);
	} catch (error) {
		if (!(error instanceof TableFormatError)) {
			throw error;
		}
		return errorIssue(path, 'dataFileFormat', `The data file "${file}" ${error.message}. Fix the file.`, file);
	}
}

function describeReadError(error: unknown): string {
	const code = (error as { code?: unknown } | null)?.code;
	const reasons: Record<string, string> = {
		ENOENT: 'file not found',
		EACCES: 'permission denied',
		EISDIR: 'it is a folder',
	};
	if (typeof code === 'string' && code in reasons) {
		return reasons[code];
	}
	return error instanceof Error ? error.message : String(error);
}

function buildData(table: Table, settings: FileDataSettings): FileDataResult {
	const file = settings.file;
	if (table.rows.length === 0) {
		return fail(errorIssue([...DATA, 'file'], 'dataFileEmpty', `The data file "${file}" has a header but no data rows. Add data rows.`, file));
	}
	const target = selectTarget(table, settings);
	if (typeof target !== 'string') {
		return fail(target);
	}
	const features = selectFeatures(table, settings, target);
	if (!Array.isArray(features)) {
		return fail(features as SpecIssue);
	}
	const warnings = settings.features === undefined ? mixedColumnWarnings(table, target, file) : [];

	const columns = [...features, target];
	const extracted = extractRows(table, columns, settings);
	if (extracted.issues.length > 0) {
		return { data: undefined, issues: extracted.issues };
	}
	if (extracted.rows.length === 0) {
		const message = `Every row of the data file "${file}" misses a value in the used columns. Fill in the values or choose other columns.`;
		return fail(errorIssue([...DATA, 'file'], 'dataFileEmpty', message, file));
	}
	const result = finishData(extracted.rows, features, target, settings, extracted.dropped);
	return { ...result, issues: [...warnings, ...result.issues] } as FileDataResult;
}

function selectTarget(table: Table, settings: FileDataSettings): string | SpecIssue {
	const target = settings.target;
	if (target === undefined) {
		const message = `target is missing: name the column of "${settings.file}" to predict. Columns: ${table.columns.join(', ')}.`;
		return errorIssue([...DATA, 'target'], 'required', message);
	}
	if (!table.columns.includes(target)) {
		return unknownColumn([...DATA, 'target'], target, table, settings.file);
	}
	return target;
}

function selectFeatures(
	table: Table,
	settings: FileDataSettings,
	target: string,
): string[] | SpecIssue {
	if (settings.features === undefined) {
		const isFeature = (name: string) => name !== target && isNumericColumn(table, name);
		const numeric = table.columns.filter(isFeature);
		if (numeric.length === 0) {
			const message = `The data file "${settings.file}" has no numeric column besides the target "${target}". List the feature columns in data.features.`;
			return errorIssue([...DATA, 'features'], 'dataFile', message);
		}
		return numeric;
	}
	for (let index = 0; index < settings.features.length; index++) {
		const name = settings.features[index];
		if (!table.columns.includes(name)) {
			return unknownColumn([...DATA, 'features', index], name, table, settings.file);
		}
		if (name === target) {
			const message = `features[${index}] is the target column "${target}". Remove it from features.`;
			return errorIssue([...DATA, 'features', index], 'dataFile', message, name);
		}
	}
	return [...settings.features];
}

/**
 * Warns about columns left out of the automatic feature list although some of their cells are
 * numbers, because a single text cell (for example `0x10` or `n/a`) excludes the whole column.
 */
function mixedColumnWarnings(table: Table, target: string, file: string): SpecIssue[] {
	const warnings: SpecIssue[] = [];
	for (const name of table.columns.filter((column) => column !== target)) {
		const cells = table.rows.map((row) => ({ row, cell: cellOf(row, name) }));
		const firstText = cells.find(({ cell }) => cell !== null && typeof cell !== 'number' && cell.problem === 'text');
		if (firstText === undefined || !cells.some(({ cell }) => typeof cell === 'number')) {
			continue;
		}
		const text = (firstText.cell as { readonly text: string }).text;
		const message = `The column "${name}" of "${file}" is not used as a feature because ${firstText.row.label} has the text "${text}". Fix the value, or list the feature columns in data.features.`;
		warnings.push(warningIssue([...DATA, 'file'], 'dataColumnSkipped', message, name));
	}
	return warnings;
}

function unknownColumn(path: JsonPath, name: string, table: Table, file: string): SpecIssue {
	const suggestion = closestMatch(name, table.columns);
	const hint = suggestion === undefined ? `Columns: ${table.columns.join(', ')}.` : `Did you mean "${suggestion}"?`;
	const message = `The column "${name}" is not in the data file "${file}". ${hint}`;
	return errorIssue(path, 'missingColumn', message, name);
}

/**
 * True when a column has no text cells and at least one value. Cells with a decimal comma or a
 * non-finite value count as numeric, so that they are reported instead of silently dropping the
 * column.
 */
function isNumericColumn(table: Table, name: string): boolean {
	let values = 0;
	for (const row of table.rows) {
		const cell = cellOf(row, name);
		if (cell !== null && typeof cell !== 'number' && cell.problem === 'text') {
			return false;
		}
		values += cell === null ? 0 : 1;
	}
	return values > 0;
}

function extractRows(
	table: Table,
	columns: readonly string[],
	settings: FileDataSettings,
): { rows: number[][]; issues: SpecIssue[]; dropped: number } {
	const rows: number[][] = [];
	const issues: SpecIssue[] = [];
	let problemCount = 0;
	let dropped = 0;
	for (const row of table.rows) {
		if (settings.limit !== undefined && rows.length >= settings.limit) {
			break;
		}
		const values = columns.map((name) => cellOf(row, name));
		const problems = columns
			.map((name, i) => cellProblem(values[i], row, name, settings))
			.filter((message): message is string => message !== undefined);
		const onlyMissing = values.every((cell) => cell === null || typeof cell === 'number');
		if (problems.length === 0) {
			rows.push(values as number[]);
		} else if (settings.missing === 'drop' && onlyMissing) {
			dropped++;
		} else {
			problemCount += problems.length;
			for (const message of problems.slice(0, MAX_CELL_ISSUES - issues.length)) {
				issues.push(errorIssue([...DATA, 'file'], 'dataCell', message, settings.file));
			}
		}
	}
	if (problemCount > issues.length) {
		const message = `The data file "${settings.file}" has ${problemCount - issues.length} more invalid cells in the used columns.`;
		issues.push(errorIssue([...DATA, 'file'], 'dataCell', message, settings.file));
	}
	return { rows, issues, dropped };
}

function cellProblem(
	cell: Cell,
	row: TableRow,
	column: string,
	settings: FileDataSettings,
): string | undefined {
	const where = `"${settings.file}" ${row.label}, column "${column}"`;
	if (typeof cell === 'number') {
		return undefined;
	}
	if (cell === null) {
		return `${where} is missing a value. Fill it in, or set data.missing to "drop" to skip such rows.`;
	}
	switch (cell.problem) {
		case 'decimalComma':
			return `${where} has "${cell.text}", a decimal comma. Write the number with a decimal point.`;
		case 'nonFinite':
			return `${where} has ${cell.text}, which is not a finite number. Replace it with a finite value or leave the cell empty.`;
		case 'text':
			return `${where} has the text "${cell.text}", not a number. Remove the column from data.features or fix the value.`;
	}
}

function finishData(
	rows: number[][],
	features: string[],
	target: string,
	settings: FileDataSettings,
	droppedRows: number,
): FileDataResult {
	const standardize = settings.standardize !== false;
	const statistics = columnStatistics(rows, features.length + 1);
	if (standardize) {
		const constant = statistics.findIndex((column) => !(column.std > 0));
		if (constant >= 0) {
			const name = [...features, target][constant];
			const message = `The column "${name}" of "${settings.file}" has the same value in every used row, so it cannot be standardized. Remove it from data.features or set data.standardize to false.`;
			return fail(errorIssue([...DATA, 'standardize'], 'dataFile', message, name));
		}
		for (const row of rows) {
			row.forEach((value, i) => {
				row[i] = standardizeValue(value, statistics[i]);
			});
		}
	}

	const d = features.length;
	const data: ResolvedData = {
		x: rows.map((row) => row.slice(0, d)),
		y: rows.map((row) => row[d]),
		inputCount: rows.length,
		outputCount: 1,
		source: {
			kind: 'file',
			file: settings.file,
			target,
			features,
			standardized: standardize,
			featureMeans: statistics.slice(0, d).map((column) => column.mean),
			featureStds: statistics.slice(0, d).map((column) => column.std),
			targetMean: statistics[d].mean,
			targetStd: statistics[d].std,
			droppedRows,
		},
	};
	return { data, issues: [] };
}

/** Mean and population standard deviation (divisor n) of each column. */
function columnStatistics(rows: readonly number[][], width: number): ColumnStatistics[] {
	const statistics: ColumnStatistics[] = [];
	for (let column = 0; column < width; column++) {
		const plain = scaledStatistics(rows, column, 1);
		if (Number.isFinite(plain.mean) && Number.isFinite(plain.std)) {
			statistics.push(plain);
			continue;
		}
		const scale = rows.reduce((max, row) => Math.max(max, Math.abs(row[column])), 0);
		const scaled = scaledStatistics(rows, column, scale);
		statistics.push({ mean: scaled.mean * scale, std: scaled.std * scale });
	}
	return statistics;
}

/**
 * Mean and standard deviation of one column divided by `scale`. Dividing by the column's largest
 * magnitude keeps sums of entries near 1e300 from overflowing.
 */
function scaledStatistics(rows: readonly number[][], column: number, scale: number): ColumnStatistics {
	let sum = 0;
	for (const row of rows) {
		sum += row[column] / scale;
	}
	const mean = sum / rows.length;
	let squares = 0;
	for (const row of rows) {
		squares += (row[column] / scale - mean) ** 2;
	}
	return { mean, std: Math.sqrt(squares / rows.length) };
}

/** Computes `(value - mean) / std`, dividing first when the difference would overflow. */
function standardizeValue(value: number, column: ColumnStatistics): number {
	const centered = value - column.mean;
	if (Number.isFinite(centered)) {
		return centered / column.std;
	}
	return value / column.std - column.mean / column.std;
}

function fail(issue: SpecIssue): FileDataResult {
	return { data: undefined, issues: [issue] };
}
