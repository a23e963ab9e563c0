import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { GitHubStandin } from '../../src/standin/index.js';
import { testPrivateKey } from './github.js';

export {
  type Delivery,
  freePort,
  httpRequest,
  postWebhook,
  type ServeProcess,
  startServe,
  webhookSignature,
} from '../../src/bench/app-process.js';

/**
 * `keywarden serve` and `keywarden replay` as real processes: the shipped `bin/keywarden.js` over a
 * private build of the current sources, a clean environment, and fresh databases.
 *
 * @example
 * ```ts
 * const bin = await builtBin();
 * const server = await startServe({ bin, cwd, env: serveEnv({ github, port: await freePort(), dataDir }) });
 * await postWebhook(server.url, TEST_SERVE_SECRET, { event: 'push', id: 'd-1', payload });
 * await server.stop();
 * ```
 */

const ROOT = join(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules/.cache');

/** The webhook secret the served processes verify signatures with. */
export const TEST_SERVE_SECRET = 'keywarden-serve-test-webhook-secret';
/** The fingerprint key of the served processes (every replica shares it). */
export const TEST_SERVE_FINGERPRINT_KEY = 'keywarden-serve-test-fingerprint-key';

/** Every file the build reads, for the cache key: sources (not tests), migrations, configs, entry point. */
function buildInputs(): string[] {
  const src = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => (file.endsWith('.ts') && !file.endsWith('.test.ts')) || file.endsWith('.sql'))
    .map((file) => join('src', file));
  return [...src, 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'bin/keywarden.js'].sort();
}

/**
 * `bin/keywarden.js` of a build of the current sources, laid out as the package is (bin/, dist/ with the
 * migrations, package.json) under node_modules/.cache so the dependencies resolve. Cached by the hash of
 * every input: test files share one build, and the repository's own dist/ (maybe stale) is left alone.
 * Concurrent callers may each build; the first rename wins and the others use it.
 */
export function builtBin(): string {
  const hash = createHash('sha256');
  for (const file of buildInputs())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(ROOT, file)));
  const dir = join(CACHE, `keywarden-serve-${hash.digest('hex').slice(0, 16)}`);
  const bin = join(dir, 'bin/keywarden.js');
  if (existsSync(join(dir, '.complete'))) {
    // Marks it in use, so that a build of other sources does not prune it (see pruneOldBuilds).
    utimesSync(dir, new Date(), new Date());
    return bin;
  }

  mkdirSync(CACHE, { recursive: true });
  pruneOldBuilds();
  const temp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  // Type errors do not stop tsc from emitting; only a missing entry point fails the build here.
  const tsc = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      join(temp, 'dist'),
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (!existsSync(join(temp, 'dist/cli/main.js'))) {
    rmSync(temp, { recursive: true, force: true });
    throw new Error(`the build of keywarden failed:\n${tsc.stdout}${tsc.stderr}`);
  }
  cpSync(join(ROOT, 'src/inventory/migrations'), join(temp, 'dist/inventory/migrations'), {
    recursive: true,
  });
  mkdirSync(join(temp, 'bin'));
  cpSync(join(ROOT, 'bin/keywarden.js'), join(temp, 'bin/keywarden.js'));
  cpSync(join(ROOT, 'package.json'), join(temp, 'package.json'));
  writeFileSync(join(temp, '.complete'), '');
  try {
    renameSync(temp, dir);
  } catch {
    rmSync(temp, { recursive: true, force: true });
    if (!existsSync(join(dir, '.complete'))) throw new Error(`could not place the build at ${dir}`);
  }
  return bin;
}

/** Removes builds (and abandoned temporary folders) unused for an hour. */
function pruneOldBuilds(): void {
  const cutoff = Date.now() - 3_600_000;
  for (const name of readdirSync(CACHE)) {
    if (!name.startsWith('keywarden-serve-')) continue;
    const path = join(CACHE, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * A child's whole environment: `vars` plus only PATH and HOME from this process (no NODE_ENV, no
 * DATABASE_URL, no GitHub variables leak in from the test runner). JSON logs, for searching them.
 */
export function childEnv(vars: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { LOG_FORMAT: 'json' };
  for (const name of ['PATH', 'HOME']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}

/**
 * The environment of a configured `keywarden serve` or `keywarden replay` against the stand-in: App id
 * 1, the test private key, the test webhook secret and fingerprint key, on PostgreSQL (`url`) or a PGlite
 * data folder (`dataDir`).
 */
export function serveEnv(options: {
  github: GitHubStandin;
  port?: number;
  url?: string;
  dataDir?: string;
  logLevel?: string;
  extra?: Record<string, string | undefined>;
}): Record<string, string> {
  return childEnv({
    APP_ID: '1',
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: TEST_SERVE_SECRET,
    PORT: options.port === undefined ? undefined : String(options.port),
    HOST: '127.0.0.1',
    GHE_HOST: options.github.host,
    GHE_PROTOCOL: 'http',
    DATABASE_URL: options.url,
    KEYWARDEN_DATA_DIR: options.dataDir,
    KEYWARDEN_FINGERPRINT_KEY: TEST_SERVE_FINGERPRINT_KEY,
    KEYWARDEN_POLL_SECONDS: '0.5',
    LOG_LEVEL: options.logLevel ?? 'debug',
    ...options.extra,
  });
}

/** What a finished CLI process did. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <bin> ...args` to its end (killed after `timeoutMs`, default 45 s). */
export function runCli(
  bin: string,
  args: readonly string[],
  options: { env: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A database of its own on the `DATABASE_URL` server, for processes that use the `public` schema. */
export interface ScratchDatabase {
  url: string;
  /** Drops the database (terminating any connection left). */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database on the PostgreSQL server at `DATABASE_URL`. Fails, never skips, when the
 * variable is unset or the server is unreachable: the several-process tests need a real server.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const base = process.env['DATABASE_URL'];
  if (!base) {
    throw new Error(
      'DATABASE_URL is not set: this test needs PostgreSQL. Start it with `pg_ctlcluster 15 main start` ' +
        '(see .ci/run) and set DATABASE_URL, e.g. postgresql://root@localhost/keywarden_test?host=/var/run/postgresql',
    );
  }
  const name = `keywarden_serve_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new Error(
      `cannot create a database on the DATABASE_URL server (${(error as Error).message}). ` +
        'Start PostgreSQL with `pg_ctlcluster 15 main start` (see .ci/run).',
    );
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
