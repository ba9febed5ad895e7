import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulationResult } from '../../../src/results';
import { activateExtension, closeAllEditors, elapsedMs, openDocument, type NtkHorizonTestApi } from './helpers';

const longRun = 'long-run.ntk.json';

/** How a simulate call ended: its result, undefined, or the error it rejected with. */
type Outcome =
	| { readonly kind: 'resolved'; readonly value: SimulationResult | undefined; readonly atMs: number }
	| { readonly kind: 'rejected'; readonly error: unknown; readonly atMs: number };

function settle(promise: Thenable<SimulationResult | undefined>, start: number): Promise<Outcome> {
	return Promise.resolve(promise).then(
		(value) => ({ kind: 'resolved', value, atMs: elapsedMs(start) }),
		(error: unknown) => ({ kind: 'rejected', error, atMs: elapsedMs(start) }),
	);
}

/** Starts the long simulation and resolves once it has run for `runMs` without finishing. */
async function startLongRun(runMs: number): Promise<{ outcome: Promise<Outcome>; started: number }> {
	const document = await openDocument(longRun);
	const started = performance.now();
	const outcome = settle(vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0), started);
	const early = await Promise.race([outcome, new Promise<undefined>((done) => setTimeout(() => done(undefined), runMs))]);
	assert.equal(early, undefined, `the long simulation ended after less than ${runMs} ms: ${JSON.stringify(early)?.slice(0, 300)}`);
	return { outcome, started };
}

/** True when the outcome is a cancellation: a rejection, undefined, or a result marked incomplete. */
function isCancelled(outcome: Outcome): boolean {
	if (outcome.kind === 'rejected') {
		return true;
	}
	return outcome.value === undefined || outcome.value.complete === false;
}

/** Longest tolerated block of the extension host's event loop, in milliseconds. */
const LAG_LIMIT_MS = 50;

/** Runs a chain of `ticks` 20 ms timers and returns how late they fired, in milliseconds. */
async function timerLateness(ticks: number): Promise<{ worst: number; p90: number }> {
	const lateness: number[] = [];
	for (let tick = 0; tick < ticks; tick++) {
		const due = performance.now() + 20;
		await new Promise((done) => setTimeout(done, 20));
		lateness.push(performance.now() - due);
	}
	lateness.sort((a, b) => a - b);
	return { worst: lateness[lateness.length - 1], p90: lateness[Math.floor(lateness.length * 0.9)] };
}

/**
 * Measures timer lateness and `eventLoopMaxLagMs()` while the long simulation runs. Returns a
 * description of the exceeded limit, or undefined when the loop stayed responsive.
 */
async function measureResponsiveness(api: NtkHorizonTestApi): Promise<string | undefined> {
	const idleBefore = await timerLateness(50);
	api.resetEventLoopLag();
	const { outcome } = await startLongRun(200);
	const busy = await timerLateness(100);
	const maxLag = api.eventLoopMaxLagMs();
	await vscode.commands.executeCommand('ntkHorizon.cancel');
	await outcome;
	const idleAfter = await timerLateness(50);
	// Timers on a loaded machine (other processes on the same cores) are late without any help
	// from the extension, so the limit on single worst values is 50 ms plus the worst idle
	// lateness measured around the run. The 90th percentile keeps the fixed 50 ms limit: an
	// extension that blocks the loop on every progress message fails it whatever the load.
	const idleWorst = Math.max(idleBefore.worst, idleAfter.worst);
	const limit = LAG_LIMIT_MS + idleWorst;
	const context =
		`during the run: worst ${busy.worst.toFixed(1)} ms, p90 ${busy.p90.toFixed(1)} ms, ` +
		`eventLoopMaxLagMs() ${maxLag.toFixed(1)} ms; idle around it: worst ${idleWorst.toFixed(1)} ms; ` +
		`limits: p90 < ${LAG_LIMIT_MS} ms, worst < ${limit.toFixed(1)} ms`;
	const exceeded = busy.p90 >= LAG_LIMIT_MS || busy.worst >= limit || maxLag >= limit;
	console.log(`      event loop ${context}`);
	return exceeded ? context : undefined;
}

describe('workers', () => {
	let api: NtkHorizonTestApi;

	before(async () => {
		api = await activateExtension();
	});
	after(async () => {
		await vscode.commands.executeCommand('ntkHorizon.cancel');
		await closeAllEditors();
	});

	it('cancel stops a long run within a second', async () => {
		const { outcome } = await startLongRun(1500);
		const cancelledAt = performance.now();
		await vscode.commands.executeCommand('ntkHorizon.cancel');
		const ended = await Promise.race([
			outcome,
			new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 5000)),
		]);
		assert.notEqual(ended, 'timeout', 'the simulation was still running 5 s after ntkHorizon.cancel');
		const settled = ended as Outcome;
		const latency = elapsedMs(cancelledAt);
		console.log(`      cancel took effect after ${latency.toFixed(0)} ms`);
		assert.ok(latency < 1000, `simulation ended ${latency.toFixed(0)} ms after ntkHorizon.cancel, expected < 1000 ms`);
		assert.ok(isCancelled(settled), `after cancel the command ${settled.kind} with ${JSON.stringify(settled).slice(0, 300)}`);
	});

	it('event loop stays responsive during a long run', async () => {
		// Up to three measurements: scheduler noise from other processes rarely repeats, while an
		// extension that blocks its event loop does so in every run.
		const attempts: string[] = [];
		for (let attempt = 1; attempt <= 3; attempt++) {
			const problem = await measureResponsiveness(api);
			if (problem === undefined) {
				return;
			}
			attempts.push(`attempt ${attempt}: ${problem}`);
		}
		assert.fail(`the extension host's event loop was blocked during a long simulation:\n${attempts.join('\n')}`);
	});

	it('a run works after the worker pool is killed', async () => {
		const document = await openDocument('quadratic.ntk.json');
		const before = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		assert.ok(before?.complete, 'simulation before killing the pool did not complete');
		await api.workerPool.killAll();
		const after = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		assert.ok(after, 'ntkHorizon.simulate returned undefined after workerPool.killAll()');
		assert.equal(after.complete, true, `simulation after killAll stopped early: ${after.stopReason}`);
		assert.deepEqual(after.err, before.err, 'E(t) after the restart differs from before');
	});

	it('killing the pool mid-run fails that run, not the next', async () => {
		const { outcome } = await startLongRun(500);
		await api.workerPool.killAll();
		const ended = await Promise.race([outcome, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 5000))]);
		assert.notEqual(ended, 'timeout', 'the run was still pending 5 s after workerPool.killAll()');
		const document = await openDocument('quadratic.ntk.json');
		const next = await vscode.commands.executeCommand<SimulationResult>('ntkHorizon.simulate', document.uri, 0);
		assert.equal(next?.complete, true, 'the next simulation after a mid-run kill did not complete');
	});
});
