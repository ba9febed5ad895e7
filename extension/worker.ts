/**
 * Worker thread entry (`dist/worker.js`): runs one task at a time for the `WorkerPool` and posts
 * progress, the result or a structured failure back. Nothing here touches `vscode`.
 */

import { parentPort } from 'node:worker_threads';

import { createProgressDelta } from './progressDelta';
import { runTask } from './workerTasks';
import { errorToFailure, type RunMessage, type WorkerMessage } from './workerProtocol';

const port = parentPort;
if (port) {
	port.on('message', (message: RunMessage) => {
		void handleRun(message, (reply) => port.postMessage(reply));
	});
}

async function handleRun(message: RunMessage, post: (reply: WorkerMessage) => void): Promise<void> {
	const shouldStop = () => Atomics.load(message.stopFlag, 0) !== 0;
	const newPoints = createProgressDelta();
	try {
		const value = await runTask(message.task, {
			shouldStop,
			onProgress: (progress) =>
				post({ type: 'progress', id: message.id, progress: newPoints(progress) }),
		});
		post({ type: 'done', id: message.id, value });
	} catch (error) {
		post({ type: 'failed', id: message.id, failure: errorToFailure(error) });
	}
}
