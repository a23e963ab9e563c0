/**
 * `keywarden serve` as a child process, and signed webhook deliveries to it: what the app benchmarks and
 * the several-process tests (`test/support/serve.ts`) drive. Node's own `http` client with a keep-alive
 * agent, so a delivery costs what GitHub's would: one request on an open connection.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Probot's webhook route (`@octokit/webhooks` default). */
export const WEBHOOK_PATH = '/api/github/webhooks';

/** One webhook as GitHub sends it: event name, delivery id (`X-GitHub-Delivery`) and payload. */
export interface Delivery {
  event: string;
  id: string;
  payload: unknown;
}

/** `X-Hub-Signature-256` of a body: `sha256=` and the HMAC-SHA-256 of the raw body under the secret. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A minimal HTTP request on the shared keep-alive agent; resolves with the status and the body text. */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * POSTs a delivery to a keywarden server, signed as GitHub signs it. Resolves with the status and body of
 * the response (Probot answers 200 once the handlers are done: for keywarden, once the job is enqueued).
 */
export function postWebhook(
  baseUrl: string,
  secret: string,
  delivery: Delivery,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(delivery.payload);
  return httpRequest(`${baseUrl}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/keywarden-bench',
      'x-github-event': delivery.event,
      'x-github-delivery': delivery.id,
      'x-hub-signature-256': webhookSignature(body, secret),
    },
    body,
  });
}

/**
 * A free TCP port on 127.0.0.1. Probot treats `PORT=0` as "unset" (`Number(env.PORT) || 3000`), so a
 * child server needs a real port number; the small window between closing and reusing it is accepted.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A `keywarden serve` child process. */
export interface ServeProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /**
   * SIGTERM, then SIGKILL if it has not exited after `graceMs` (default 15 s). Resolves with how it
   * ended: its exit code, or `SIGKILL` when it had to be killed. Safe to call more than once.
   */
  stop(graceMs?: number): Promise<number | string>;
}

export interface StartServeOptions {
  /** Path of `bin/keywarden.js`. */
  bin: string;
  /** The child's whole environment (nothing is inherited); must include `PORT` and `HOST`. */
  env: Record<string, string>;
  /** Working directory: Probot reads `.env`, `package.json` and `app.yml` there. */
  cwd: string;
  /** How long to wait for `/healthz` to answer 200. Default 30 s. */
  readyTimeoutMs?: number;
  /** `GET` this path until it answers 200 (default `/healthz`; `/ping` for Probot's setup mode). */
  readyPath?: string;
}

/**
 * Starts `node <bin> serve` and resolves once `readyPath` answers 200. Rejects (after killing it) when the
 * process exits first or is not ready in time, with the end of its output in the message.
 */
export async function startServe(options: StartServeOptions): Promise<ServeProcess> {
  const port = options.env['PORT'];
  const host = options.env['HOST'];
  if (!port || !host) throw new Error('startServe needs PORT and HOST in env');
  const child = spawn(process.execPath, [options.bin, 'serve'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = serveProcess(child, `http://${host}:${port}`);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const readyPath = options.readyPath ?? '/healthz';
  let exitedEarly: number | string | undefined;
  void proc.exited.then((how) => {
    exitedEarly = how;
  });
  for (;;) {
    if (exitedEarly !== undefined) {
      throw new Error(`keywarden serve exited (${exitedEarly}) before it was ready:\n${tail(proc.output())}`);
    }
    const status = await httpRequest(`${proc.url}${readyPath}`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return proc;
    if (Date.now() > deadline) {
      await proc.stop(2000);
      throw new Error(
        `keywarden serve not ready after ${options.readyTimeoutMs ?? 30_000} ms:\n${tail(proc.output())}`,
      );
    }
    await sleep(100);
  }
}

function serveProcess(child: ChildProcess, url: string): ServeProcess {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  let stopping: Promise<number | string> | undefined;
  return {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    stop(graceMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return exited;
        child.kill('SIGTERM');
        const timer = sleep(graceMs, undefined, { ref: false }).then(() => 'timeout' as const);
        const first = await Promise.race([exited, timer]);
        if (first !== 'timeout') return first;
        child.kill('SIGKILL');
        await exited;
        return 'SIGKILL';
      })();
      return stopping;
    },
  };
}

/** The last lines of a process's output, for error messages. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The value at quantile `q` (0..1) of sorted numbers (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
