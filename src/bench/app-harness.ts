/**
 * The stage of the GitHub App benchmarks: a stand-in GitHub (in this process), one `keywarden serve`
 * child process on a PGlite data folder, and ways to push to it and wait for the scan.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitHubStandin } from '../standin/index.js';
import { type Delivery, freePort, postWebhook, type ServeProcess, startServe } from './app-process.js';

export const BENCH_OWNER = 'bench';
export const BENCH_INSTALLATION = 77;

export interface AppStage {
  readonly github: GitHubStandin;
  readonly server: ServeProcess;
  /** Adds a repository of the installation with one initial commit on `main`, already pushed. */
  addRepo(name: string, id: number): string;
  /** Commits `files` on `branch` of `repo` and returns the delivery of its push. */
  push(repo: string, branch: string, files: Record<string, string>): { sha: string; delivery: Delivery };
  /** Sends a delivery; resolves with the status and the milliseconds until the response was read. */
  deliver(delivery: Delivery): Promise<{ status: number; ms: number }>;
  /** Waits until the server logged that it scanned the push of `sha` (rejects after `timeoutMs`). */
  scanned(sha: string, timeoutMs?: number): Promise<void>;
  /** A new server process on the same data folder: a cold start (no installation token cached). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the stand-in and `keywarden serve` (PGlite in `<workDir>/data`, recreated). */
export async function startAppStage(project: string, workDir: string): Promise<AppStage> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const github = await GitHubStandin.start();
  github.addInstallation(BENCH_INSTALLATION, BENCH_OWNER);
  const secret = randomBytes(16).toString('hex');
  const privateKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  const env = async (): Promise<Record<string, string>> => ({
    PATH: process.env['PATH'] ?? '',
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: secret,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    KEYWARDEN_DATA_DIR: join(workDir, 'data'),
    KEYWARDEN_FINGERPRINT_KEY: randomBytes(16).toString('hex'),
    KEYWARDEN_POLL_SECONDS: '0.5',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  });
  const launch = async () =>
    startServe({
      bin: join(project, 'bin/keywarden.js'),
      cwd: workDir,
      env: await env(),
      readyTimeoutMs: 60_000,
    });

  let server = await launch();
  let seen = 0;
  const scannedShas = new Set<string>();
  const readLog = () => {
    const text = server.output();
    const end = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(seen, end).split('\n')) {
      if (!line.includes('"push scanned"')) continue;
      const sha = (JSON.parse(line) as { sha?: string }).sha;
      if (sha) scannedShas.add(sha);
    }
    seen = end;
  };

  return {
    github,
    get server() {
      return server;
    },
    addRepo(name, id) {
      const repo = `${BENCH_OWNER}/${name}`;
      github.addRepo({ owner: BENCH_OWNER, name, id, defaultBranch: 'main' });
      github.commit(repo, 'main', { 'README.md': `# ${name}\n` }, 'Initial commit');
      github.payloads.push(repo, 'main');
      return repo;
    },
    push(repo, branch, files) {
      const sha = github.commit(repo, branch, files);
      return {
        sha,
        delivery: {
          event: 'push',
          id: randomBytes(8).toString('hex'),
          payload: github.payloads.push(repo, branch),
        },
      };
    },
    async deliver(delivery) {
      const started = performance.now();
      const { status } = await postWebhook(server.url, secret, delivery);
      return { status, ms: performance.now() - started };
    },
    async scanned(sha, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        readLog();
        if (scannedShas.has(sha)) return;
        if (Date.now() > deadline)
          throw new Error(`push ${sha.slice(0, 12)} not scanned after ${timeoutMs} ms`);
        await sleep(5);
      }
    },
    async restart() {
      await server.stop();
      server = await launch();
      seen = 0;
    },
    async stop() {
      await server.stop();
      await github.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
