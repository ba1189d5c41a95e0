/**
 * Entry of a worker thread of the `threads` model: runs one request at a time (including the simulated
 * blocking work) and posts the answer back. The main thread does all the socket I/O.
 */
import { parentPort } from 'node:worker_threads';
import { handleRequest, type Request, type ServiceSpec } from './service.js';

export interface PoolJob {
  id: number;
  spec: ServiceSpec;
  request: Request;
  workMs: number;
}

export interface PoolResult {
  id: number;
  reply: Uint8Array;
}

parentPort?.postMessage({ ready: true });
parentPort?.on('message', (job: PoolJob) => {
  const reply = handleRequest(job.spec, job.request, job.workMs);
  const result: PoolResult = { id: job.id, reply };
  parentPort?.postMessage(result);
});
