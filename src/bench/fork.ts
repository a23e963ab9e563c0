/** Starts `worker.ts` children and talks to them one request at a time. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

export interface Worker {
  /** Sends one request and resolves with its response; an `error` response rejects. */
  request<K extends WorkerResponse['kind']>(
    request: WorkerRequest,
    expect: K,
  ): Promise<Extract<WorkerResponse, { kind: K }>>;
}

/**
 * Forks a worker with `--expose-gc`. Its stdout/stderr are captured, not shown, so nothing a tool
 * prints reaches the terminal; if it dies, the pending request rejects with the last line of stderr.
 */
export function startWorker(label: string): Worker {
  const child = fork(WORKER, [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let pending: { resolve: (response: WorkerResponse) => void; reject: (error: Error) => void } | undefined;
  child.on('message', (message) => {
    const waiting = pending;
    pending = undefined;
    waiting?.resolve(message as WorkerResponse);
  });
  child.on('exit', (code, signal) => {
    const waiting = pending;
    pending = undefined;
    const last = stderr.trim().split('\n').at(-1) ?? '';
    waiting?.reject(new Error(`${label} worker exited (code ${code}, signal ${signal}): ${last}`));
  });
  return {
    request(request, expect) {
      return new Promise((resolve, reject) => {
        pending = {
          resolve: (response) => {
            if (response.kind === 'error') reject(new Error(`${label}: ${response.message}`));
            else if (response.kind !== expect)
              reject(new Error(`${label}: expected ${expect}, got ${response.kind}`));
            else resolve(response as Extract<WorkerResponse, { kind: typeof expect }>);
          },
          reject,
        };
        child.send(request);
      });
    },
  };
}
