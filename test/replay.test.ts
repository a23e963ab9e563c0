import { cpSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { openDatabase } from '../src/inventory/database.js';
import { allRules } from '../src/rules/registry.js';
import { GitHubStandin } from '../src/standin/index.js';
import { databaseDump } from './support/app.js';
import { validateRequest } from './support/openapi.js';
import {
  builtBin,
  childEnv,
  freePort,
  httpRequest,
  runCli,
  type ServeProcess,
  serveEnv,
  startServe,
  TEST_SERVE_FINGERPRINT_KEY,
} from './support/serve.js';

/**
 * The built CLI in real processes: `keywarden replay` against the GitHub stand-in and a PGlite data
 * folder, its usage errors, and `keywarden serve`'s start-up checks, health route and setup flow.
 */

const ROOT = join(import.meta.dirname, '..');
const key = allRules.find((rule) => rule.id === 'openai.project-key')!.sample('replay-test');

let bin: string;
let work: string;
let github: GitHubStandin;
const servers: ServeProcess[] = [];

beforeAll(async () => {
  bin = builtBin();
  work = await mkdtemp(join(tmpdir(), 'keywarden-replay-'));
  github = await GitHubStandin.start({ validateRequest });
  github.addInstallation(11, 'acme');
  github.addRepo({ owner: 'acme', name: 'app', id: 9101, defaultBranch: 'main' });
  github.commit('acme/app', 'main', { 'README.md': '# app\n' }, 'Initial commit');
  github.payloads.push('acme/app', 'main');
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await github?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function writePayload(name: string, payload: unknown): Promise<string> {
  const file = join(work, name);
  await writeFile(file, JSON.stringify(payload));
  return file;
}

describe('keywarden replay', () => {
  it('runs a push through the handlers and jobs: check runs at the stand-in, the key in the inventory', async () => {
    const dataDir = join(work, 'data');
    const env = serveEnv({ github, dataDir });
    const cleanSha = github.commit(
      'acme/app',
      'main',
      { 'src/app.ts': 'export const ok = true;\n' },
      'Clean',
    );
    const cleanPayload = await writePayload('clean.json', github.payloads.push('acme/app', 'main'));
    const leakSha = github.commit(
      'acme/app',
      'main',
      { 'config/.env': `# service\nOPENAI_API_KEY=${key}\n` },
      'Add config',
    );
    // Replayed by a path relative to the working directory.
    await writePayload('leak.json', github.payloads.push('acme/app', 'main'));

    const clean = await runCli(bin, ['replay', 'push', cleanPayload, '--delivery', 'replay-clean'], {
      env,
      cwd: work,
    });
    const leak = await runCli(bin, ['replay', 'push', 'leak.json', '--delivery', 'replay-leak'], {
      env,
      cwd: work,
    });

    expect([clean.code, clean.stderr]).toEqual([0, '']);
    expect(clean.stdout).toContain('replayed push (delivery replay-clean): 1 job(s) done, 0 failed');
    expect([leak.code, leak.stderr]).toEqual([0, '']);
    // The scan and the remediation issue it opens.
    expect(leak.stdout).toContain('replayed push (delivery replay-leak): 2 job(s) done, 0 failed');
    const runs = github.checkRuns('acme/app');
    expect(runs.map((run) => [run.head_sha, run.name, run.status, run.conclusion])).toEqual([
      [cleanSha, 'keywarden', 'completed', 'success'],
      [leakSha, 'keywarden', 'completed', 'failure'],
    ]);
    expect(runs[1]!.output.annotations).toEqual([
      expect.objectContaining({
        path: 'config/.env',
        start_line: 2,
        end_line: 2,
        annotation_level: 'failure',
      }),
    ]);
    const db = await openDatabase({ dataDir });
    try {
      const { rows: credentials } = await db.query<{ fingerprint: string; rule_id: string; state: string }>(
        'SELECT fingerprint, rule_id, state FROM credentials',
      );
      const { rows: exposures } = await db.query<{
        commit_sha: string;
        path: string;
        line: number;
        source: string;
      }>('SELECT commit_sha, path, line, source FROM exposures');
      expect(credentials).toEqual([
        {
          fingerprint: fingerprint(key, TEST_SERVE_FINGERPRINT_KEY),
          rule_id: 'openai.project-key',
          state: 'notified',
        },
      ]);
      expect(exposures).toEqual([{ commit_sha: leakSha, path: 'config/.env', line: 2, source: 'push' }]);
      expect(await databaseDump(db)).not.toContain(key);
    } finally {
      await db.close();
    }
    expect(JSON.stringify(github.requests)).not.toContain(key);
    expect(clean.stdout + leak.stdout + leak.stderr).not.toContain(key);
  });

  it('exits 2 with a clear message when the payload file cannot be read', async () => {
    const run = await runCli(bin, ['replay', 'push', 'no-such-payload.json'], {
      env: serveEnv({ github, dataDir: join(work, 'unused-data') }),
      cwd: work,
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^keywarden: cannot read payload no-such-payload\.json: ENOENT/);
  });

  it('exits 2 naming APP_ID when the App credentials are missing', async () => {
    const payload = await writePayload('any.json', { ref: 'refs/heads/main' });
    const env = serveEnv({ github, dataDir: join(work, 'unused-data') });
    delete env['APP_ID'];

    const run = await runCli(bin, ['replay', 'push', payload], { env, cwd: work });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('APP_ID');
    expect(run.stdout).toBe('');
  });
});

describe('keywarden serve', () => {
  it('refuses to start without WEBHOOK_SECRET outside development, naming the variable', async () => {
    const env = serveEnv({ github, port: await freePort(), dataDir: join(work, 'unused-data') });
    delete env['WEBHOOK_SECRET'];

    const run = await runCli(bin, ['serve'], { env, cwd: work });

    expect(env['NODE_ENV']).toBeUndefined();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('WEBHOOK_SECRET: is required outside development');
  });

  it('refuses to start with a malformed provider admin key, naming the variable and never the value', async () => {
    const env = serveEnv({ github, port: await freePort(), dataDir: join(work, 'unused-data') });
    // An OpenAI project key where the admin key belongs: the wrong kind of key, refused at start.
    const wrongKey = key;
    env['KEYWARDEN_OPENAI_ADMIN_KEY'] = wrongKey;

    const run = await runCli(bin, ['serve'], { env, cwd: work });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('KEYWARDEN_OPENAI_ADMIN_KEY');
    expect(run.stderr).toContain('sk-admin-');
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
    expect(run.stdout + run.stderr).not.toContain(wrongKey.slice(-12));
  });

  it('answers /healthz with 200 when it runs with its database', async () => {
    const server = await startServe({
      bin,
      cwd: work,
      env: serveEnv({ github, port: await freePort(), dataDir: join(work, 'serve-data') }),
    });
    servers.push(server);

    const health = await httpRequest(`${server.url}/healthz`);

    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', database: 'ok' });
    expect(await server.stop()).toBe(0);
  });

  it("shows Probot's setup page when no App credentials are configured", async () => {
    const cwd = await mkdtemp(join(work, 'setup-'));
    cpSync(join(ROOT, 'app.yml'), join(cwd, 'app.yml'));
    cpSync(join(ROOT, 'package.json'), join(cwd, 'package.json'));
    // NO_SMEE_SETUP: Probot would otherwise fetch smee-client and open a channel on smee.io.
    const env = childEnv({ PORT: String(await freePort()), HOST: '127.0.0.1', NO_SMEE_SETUP: 'true' });
    const server = await startServe({ bin, cwd, env, readyPath: '/ping' });
    servers.push(server);

    const root = await httpRequest(`${server.url}/`);
    const setup = await httpRequest(`${server.url}/probot`);

    expect([root.status, root.headers['location']]).toEqual([302, '/probot']);
    expect(setup.status).toBe(200);
    expect(setup.headers['content-type']).toBe('text/html');
    expect(setup.body).toContain('keywarden');
    expect(setup.body).toContain('Register GitHub App');
    expect(server.output()).toContain(
      'no GitHub App credentials (APP_ID, PRIVATE_KEY): starting Probot setup',
    );
  });
});
