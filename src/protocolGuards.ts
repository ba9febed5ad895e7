/**
 * Runtime guards for the webview protocol in `protocol.ts`. Both sides call them on every message
 * they receive and drop what fails. Each `check*` function returns `undefined` for a valid value or
 * one sentence naming the offending field, for the host's log.
 */

import type { HostMessage, WebviewMessage } from './protocol';

/** Result of a check: `undefined` when valid, else what is wrong and where. */
type Problem = string | undefined;

type Checker = (value: unknown, path: string) => Problem;

/** Upper bound on series length, so a corrupted message cannot make the panel allocate without limit. */
const MAX_SERIES_LENGTH = 1_000_000;

/** Upper bound on the base64 text of one exported chart image (64 MiB of bytes). */
const MAX_EXPORT_BASE64_LENGTH = Math.ceil((64 * 1024 * 1024 * 4) / 3);

/**
 * Checks a message sent from the host to the webview.
 *
 * @param value - the `data` of a received message event, of unknown shape
 * @returns `undefined` when `value` is a valid `HostMessage`, else a description of the first problem
 */
export function checkHostMessage(value: unknown): Problem {
	if (!isRecord(value)) {
		return `message: expected an object, got ${describe(value)}`;
	}
	const type = String(value.type);
	const checker = Object.hasOwn(HOST_CHECKERS, type) ? HOST_CHECKERS[type] : undefined;
	if (checker === undefined) {
		return `message.type: unknown host message type ${describe(value.type)}`;
	}
	return checker(value, 'message');
}

/**
 * Checks a message sent from the webview to the host.
 *
 * @param value - the received message, of unknown shape
 * @returns `undefined` when `value` is a valid `WebviewMessage`, else a description of the first problem
 */
export function checkWebviewMessage(value: unknown): Problem {
	if (!isRecord(value)) {
		return `message: expected an object, got ${describe(value)}`;
	}
	const type = String(value.type);
	const checker = Object.hasOwn(WEBVIEW_CHECKERS, type) ? WEBVIEW_CHECKERS[type] : undefined;
	if (checker === undefined) {
		return `message.type: unknown webview message type ${describe(value.type)}`;
	}
	return checker(value, 'message');
}

/** Tells whether `value` is a valid `HostMessage` (see `checkHostMessage`). */
export function isHostMessage(value: unknown): value is HostMessage {
	return checkHostMessage(value) === undefined;
}

/** Tells whether `value` is a valid `WebviewMessage` (see `checkWebviewMessage`). */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
	return checkWebviewMessage(value) === undefined;
}

// Field checkers. Each returns the first problem found.

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	if (typeof value === 'string') {
		return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
	}
	if (Array.isArray(value)) {
		return `an array of length ${value.length}`;
	}
	if (value === null || typeof value !== 'object') {
		return String(value);
	}
	return 'an object';
}

const finiteNumber: Checker = (value, path) =>
	typeof value === 'number' && Number.isFinite(value)
		? undefined
		: `${path}: expected a finite number, got ${describe(value)}`;

const nonNegativeNumber: Checker = (value, path) =>
	finiteNumber(value, path) ??
	((value as number) >= 0 ? undefined : `${path}: expected a number >= 0, got ${describe(value)}`);

const requestId: Checker = (value, path) =>
	Number.isSafeInteger(value) && (value as number) >= 0
		? undefined
		: `${path}: expected a non-negative integer request id, got ${describe(value)}`;

const text: Checker = (value, path) =>
	typeof value === 'string' ? undefined : `${path}: expected a string, got ${describe(value)}`;

const boolean: Checker = (value, path) =>
	typeof value === 'boolean' ? undefined : `${path}: expected a boolean, got ${describe(value)}`;

function nullable(checker: Checker): Checker {
	return (value, path) => (value === null ? undefined : checker(value, path));
}

function oneOf(...allowed: string[]): Checker {
	return (value, path) =>
		typeof value === 'string' && allowed.includes(value)
			? undefined
			: `${path}: expected one of ${allowed.join(', ')}, got ${describe(value)}`;
}

function arrayOf(element: Checker): Checker {
	return (value, path) => {
		if (!Array.isArray(value)) {
			return `${path}: expected an array, got ${describe(value)}`;
		}
		if (value.length > MAX_SERIES_LENGTH) {
			return `${path}: array longer than ${MAX_SERIES_LENGTH} entries`;
		}
		for (let i = 0; i < value.length; i++) {
			const problem = element(value[i], `${path}[${i}]`);
			if (problem !== undefined) {
				return problem;
			}
		}
		return undefined;
	};
}

const series = arrayOf(nullable(finiteNumber));
const times = arrayOf(finiteNumber);

/** Checks an object's fields; optional fields are marked by a `?` suffix on the key. */
function object(fields: Record<string, Checker>): Checker {
	return (value, path) => {
		if (!isRecord(value)) {
			return `${path}: expected an object, got ${describe(value)}`;
		}
		for (const [key, checker] of Object.entries(fields)) {
			const optional = key.endsWith('?');
			const name = optional ? key.slice(0, -1) : key;
			if (optional && value[name] === undefined) {
				continue;
			}
			if (!(name in value)) {
				return `${path}.${name}: missing`;
			}
			const problem = checker(value[name], `${path}.${name}`);
			if (problem !== undefined) {
				return problem;
			}
		}
		return undefined;
	};
}

/** Checks that every listed series has the same length as the array at `lengthOf`. */
function alignedWith(base: Checker, lengthOf: string, names: readonly string[]): Checker {
	return (value, path) => {
		const problem = base(value, path);
		if (problem !== undefined) {
			return problem;
		}
		const record = value as Record<string, unknown>;
		const expected = (record[lengthOf] as unknown[]).length;
		for (const name of names) {
			const entries = record[name];
			if (Array.isArray(entries) && entries.length !== expected) {
				return `${path}.${name}: expected ${expected} entries like ${lengthOf}, got ${entries.length}`;
			}
		}
		return undefined;
	};
}

const horizon: Checker = (value, path) => {
	if (!isRecord(value)) {
		return `${path}: expected a horizon object, got ${describe(value)}`;
	}
	switch (value.kind) {
		case 'finite':
			return object({ time: nonNegativeNumber })(value, path);
		case 'unbounded':
		case 'notApplicable':
			return object({ reason: text })(value, path);
		case 'notReached':
			return object({ searchedUntil: finiteNumber, peakError: finiteNumber, peakTime: finiteNumber })(
				value,
				path,
			);
		default:
			return `${path}.kind: expected finite, unbounded, notApplicable or notReached, got ${describe(value.kind)}`;
	}
};

const horizons = object({ guaranteed: horizon, estimate: horizon, older: horizon });

const analysis = object({
	threshold: finiteNumber,
	initialLoss: nullable(finiteNumber),
	lipschitzRadius: nullable(finiteNumber),
	jacobianLipschitzBound: nullable(finiteNumber),
	jacobianLipschitzEstimate: nullable(finiteNumber),
	horizons,
	minimumAlpha: nullable(finiteNumber),
	notes: arrayOf(text),
});

const progress = alignedWith(
	object({
		fraction: finiteNumber,
		steps: nonNegativeNumber,
		times,
		err: series,
		normR: series,
		normRbar: series,
	}),
	'times',
	['err', 'normR', 'normRbar'],
);

const RESULT_SERIES = [
	'err',
	'normR',
	'normRbar',
	'normDw',
	'normDwbar',
	'normKdrift',
	'theorem12',
	'proposition11',
	'converseLower',
	'weightMovement',
] as const;

const result = alignedWith(
	object({
		times,
		err: series,
		normR: series,
		normRbar: series,
		normDw: series,
		normDwbar: series,
		normKdrift: series,
		theorem12: series,
		proposition11: series,
		converseLower: nullable(series),
		weightMovement: series,
		threshold: finiteNumber,
		horizons: object({ guaranteed: horizon, estimate: horizon, older: horizon, empirical: horizon }),
		complete: boolean,
		stopReason: nullable(text),
		steps: nonNegativeNumber,
		wallTimeMs: nonNegativeNumber,
		alpha: finiteNumber,
		trainingTime: finiteNumber,
	}),
	'times',
	RESULT_SERIES,
);

const sweep = object({
	points: arrayOf(
		object({ alpha: finiteNumber, empirical: horizon, guaranteed: horizon, estimate: horizon, older: horizon }),
	),
	empiricalSlope: nullable(finiteNumber),
	estimateSlope: nullable(finiteNumber),
	olderSlope: nullable(finiteNumber),
});

const status = object({ kind: oneOf('running', 'error', 'info'), text });

const entry = object({
	key: text,
	label: text,
	analysis: nullable(analysis),
	progress: nullable(progress),
	result: nullable(result),
	sweep: nullable(sweep),
	status: nullable(status),
});

const format = oneOf('png', 'svg');

const HOST_CHECKERS: Record<string, Checker> = {
	restore: object({ state: object({ entries: arrayOf(entry), focusedKey: nullable(text) }) }),
	focus: object({ key: text }),
	analysis: object({ key: text, label: text, analysis }),
	progress: object({ key: text, progress }),
	result: object({ key: text, result }),
	sweep: object({ key: text, sweep }),
	status: object({ key: text, status: nullable(status) }),
	exportRequest: object({ requestId, format }),
	stateRequest: object({ requestId }),
};

const chartState = object({
	id: text,
	title: text,
	series: arrayOf(object({ name: text, points: nonNegativeNumber })),
	x: nullable(object({ min: finiteNumber, max: finiteNumber })),
	y: nullable(object({ min: finiteNumber, max: finiteNumber })),
	markers: arrayOf(object({ label: text, x: finiteNumber })),
	note: nullable(text),
});

const base64: Checker = (value, path) => {
	if (typeof value !== 'string') {
		return `${path}: expected a base64 string, got ${describe(value)}`;
	}
	if (value.length > MAX_EXPORT_BASE64_LENGTH) {
		return `${path}: export larger than 64 MiB`;
	}
	return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0
		? undefined
		: `${path}: not valid base64`;
};

const WEBVIEW_CHECKERS: Record<string, Checker> = {
	ready: object({}),
	command: object({
		command: oneOf('simulate', 'sweepAlpha', 'cancel', 'exportPng', 'exportSvg'),
		key: nullable(text),
	}),
	exportResult: object({ requestId, format, base64 }),
	chartsState: object({
		requestId,
		state: object({
			focusedKey: nullable(text),
			label: nullable(text),
			status: text,
			charts: arrayOf(chartState),
		}),
	}),
	requestFailed: object({ requestId, message: text }),
	log: object({ level: oneOf('info', 'warn', 'error'), message: text }),
};
