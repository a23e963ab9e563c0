import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../src/engine/fingerprint.js';
import { type Database, openDatabase } from '../src/inventory/database.js';
import { allRules } from '../src/rules/registry.js';
import { GitHubStandin } from '../src/standin/index.js';
import { databaseDump } from './support/app.js';
import { validateRequest } from './support/openapi.js';
import {
  builtBin,
  createScratchDatabase,
  type Delivery,
  freePort,
  postWebhook,
  type ScratchDatabase,
  type ServeProcess,
  serveEnv,
  startServe,
  TEST_SERVE_FINGERPRINT_KEY,
  TEST_SERVE_SECRET,
} from './support/serve.js';

/**
 * Several replicas on one PostgreSQL database: three `keywarden serve` processes, a stand-in GitHub, and
 * the same push deliveries (each one twice, same `X-GitHub-Delivery`) sent to all three at once. The
 * work must be done exactly once: one check run per head sha, one credential per key, one exposure per
 * location, nothing lost, and no raw key anywhere.
 */

const REPO = 'acme/app';
const rule = allRules.find((r) => r.id === 'openai.project-key')!;
const keys = [1, 2, 3, 4, 5].map((i) => rule.sample(`serve-processes-${i}`));

/** What was pushed: the head sha and where each key sits in it. */
interface Push {
  sha: string;
  delivery: Delivery;
  locations: Array<{ key: string; path: string; line: number }>;
}

let bin: string;
let work: string;
let database: ScratchDatabase | undefined;
let github: GitHubStandin | undefined;
const servers: ServeProcess[] = [];

beforeAll(async () => {
  database = await createScratchDatabase();
  bin = builtBin();
  work = await mkdtemp(join(tmpdir(), 'keywarden-serve-'));
  github = await GitHubStandin.start({ validateRequest });
  github.addInstallation(21, 'acme');
  github.addRepo({ owner: 'acme', name: 'app', id: 7001, defaultBranch: 'main' });
  github.commit(REPO, 'main', { 'README.md': '# app\n' }, 'Initial commit');
  github.payloads.push(REPO, 'main');
  const ports = [await freePort(), await freePort(), await freePort()];
  const { url } = database;
  // Each one is kept as soon as it runs, so afterAll stops it even if another fails to start.
  await Promise.all(
    ports.map(async (port) => {
      servers.push(await startServe({ bin, cwd: work, env: serveEnv({ github: github!, port, url }) }));
    }),
  );
}, 60_000);

afterAll(async () => {
  const stopped = await Promise.allSettled(servers.map((server) => server.stop()));
  await github?.stop();
  await database?.drop();
  if (work) await rm(work, { recursive: true, force: true });
  for (const result of stopped) if (result.status === 'rejected') throw result.reason;
}, 60_000);

/** Five pushes of one new key each, then one push that repeats two of them in another file. */
function makePushes(): Push[] {
  const pushes: Push[] = [];
  keys.forEach((key, i) => {
    const path = `config/service-${i + 1}.env`;
    const sha = github!.commit(REPO, 'main', { [path]: `# service ${i + 1}\nOPENAI_API_KEY=${key}\n` });
    const payload = github!.payloads.push(REPO, 'main');
    pushes.push({
      sha,
      delivery: { event: 'push', id: `serve-push-${i + 1}`, payload },
      locations: [{ key, path, line: 2 }],
    });
  });
  const path = 'scripts/reuse.py';
  const sha = github!.commit(REPO, 'main', {
    [path]: `import openai\n\nfirst = "${keys[0]}"\n\nsecond = "${keys[1]}"\n`,
  });
  pushes.push({
    sha,
    delivery: { event: 'push', id: 'serve-push-6', payload: github!.payloads.push(REPO, 'main') },
    locations: [
      { key: keys[0]!, path, line: 3 },
      { key: keys[1]!, path, line: 5 },
    ],
  });
  return pushes;
}

/** Polls until no job is queued, in retry or running and every sha has a completed check run. */
async function settled(db: Database, shas: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ pending: string }>(
      `SELECT count(*) AS pending FROM pgboss.job WHERE state IN ('created', 'retry', 'active')`,
    );
    const completed = new Set(
      github!
        .checkRuns(REPO)
        .filter((run) => run.status === 'completed')
        .map((run) => run.head_sha),
    );
    if (Number(rows[0]!.pending) === 0 && shas.every((sha) => completed.has(sha))) return;
    if (Date.now() > deadline) return;
    await sleep(200);
  }
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

const byLocation = <T extends { commit_sha: string; path: string; line: number }>(a: T, b: T) =>
  a.commit_sha.localeCompare(b.commit_sha) || a.path.localeCompare(b.path) || a.line - b.line;

/** The state exactly-once processing of `pushes` leaves, whatever the number of deliveries. */
async function expectDoneOnce(db: Database, pushes: readonly Push[]): Promise<void> {
  const runs = github!.checkRuns(REPO);
  expect(runs.map((run) => run.head_sha).sort()).toEqual(pushes.map((push) => push.sha).sort());
  expect(runs.map((run) => [run.name, run.status, run.conclusion])).toEqual(
    runs.map(() => ['keywarden', 'completed', 'failure']),
  );
  for (const push of pushes) {
    const run = runs.find((r) => r.head_sha === push.sha)!;
    const annotations = run.output.annotations as Array<{ path: string; start_line: number }>;
    expect(annotations.map((a) => [a.path, a.start_line])).toEqual(
      push.locations.map((l) => [l.path, l.line]),
    );
  }
  const creates = github!.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/check-runs'));
  expect(creates.map((r) => r.status)).toEqual(pushes.map(() => 201));

  const { rows: credentials } = await db.query<{ fingerprint: string; rule_id: string }>(
    'SELECT fingerprint, rule_id FROM credentials ORDER BY fingerprint',
  );
  expect(credentials).toEqual(
    keys
      .map((key) => ({ fingerprint: fingerprint(key, TEST_SERVE_FINGERPRINT_KEY), rule_id: rule.id }))
      .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
  );
  const { rows: exposures } = await db.query<{
    fingerprint: string;
    commit_sha: string;
    path: string;
    line: number;
  }>(
    `SELECT c.fingerprint, e.commit_sha, e.path, e.line
       FROM exposures e JOIN credentials c ON c.id = e.credential_id`,
  );
  const expected = pushes.flatMap((push) =>
    push.locations.map((l) => ({
      fingerprint: fingerprint(l.key, TEST_SERVE_FINGERPRINT_KEY),
      commit_sha: push.sha,
      path: l.path,
      line: l.line,
    })),
  );
  expect(exposures.sort(byLocation)).toEqual(expected.sort(byLocation));
  const { rows: dead } = await db.query('SELECT job_name, error FROM dead_letters');
  expect(dead).toEqual([]);
}

/**
 * One scenario in three steps, run in order: concurrent duplicated deliveries; then a rescan of the same
 * commits (new deliveries) and the old deliveries once more; then a clean stop.
 */
describe('three keywarden serve processes on one PostgreSQL database', () => {
  let pushes: Push[] = [];
  let posted = 0;
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ url: database!.url, poolSize: 2 });
  });
  afterAll(() => db?.close());

  it('does each delivery once: one check run per sha, one credential per key, one exposure per location', async () => {
    pushes = makePushes();
    const posts = pushes.flatMap((push) =>
      servers.flatMap((server) => [push.delivery, push.delivery].map((delivery) => ({ server, delivery }))),
    );

    const responses = await Promise.all(
      posts.map(({ server, delivery }) => postWebhook(server.url, TEST_SERVE_SECRET, delivery)),
    );
    posted += posts.length;
    await settled(
      db,
      pushes.map((push) => push.sha),
      40_000,
    );

    expect(responses.map((response) => response.status)).toEqual(posts.map(() => 200));
    await expectDoneOnce(db, pushes);
    const { rows: deliveries } = await db.query<{ delivery_id: string }>(
      'SELECT delivery_id FROM deliveries ORDER BY delivery_id',
    );
    expect(deliveries.map((d) => d.delivery_id)).toEqual(pushes.map((push) => push.delivery.id).sort());
    expect(await jobCounts(db)).toEqual([
      { name: 'scan-push', state: 'completed', count: String(pushes.length) },
    ]);
    expect(await oneIssuePerCredential(db)).toBe(keys.length);
  });

  it('changes nothing when the same commits are scanned again or the deliveries come once more', async () => {
    const rescans = pushes.map((push, i) => ({
      server: servers[i % servers.length]!,
      delivery: { ...push.delivery, id: `${push.delivery.id}-rescan` },
    }));
    const redeliveries = pushes.map((push, i) => ({
      server: servers[(i + 1) % servers.length]!,
      delivery: push.delivery,
    }));
    const posts = [...rescans, ...redeliveries];

    const responses = await Promise.all(
      posts.map(({ server, delivery }) => postWebhook(server.url, TEST_SERVE_SECRET, delivery)),
    );
    posted += posts.length;
    await settled(
      db,
      pushes.map((push) => push.sha),
      40_000,
    );

    expect(responses.map((response) => response.status)).toEqual(posts.map(() => 200));
    await expectDoneOnce(db, pushes);
    expect(await jobCounts(db)).toEqual([
      { name: 'scan-push', state: 'completed', count: String(2 * pushes.length) },
    ]);
    expect(await oneIssuePerCredential(db)).toBe(keys.length);
  });

  it('stops on SIGTERM, and no raw key is in the database, the requests to GitHub or the logs', async () => {
    const dump = await databaseDump(db);
    const bodies = JSON.stringify(github!.requests);

    const stopped = await Promise.all(servers.map((server) => server.stop()));

    expect(stopped).toEqual([0, 0, 0]);
    const logs = servers.map((server) => server.output()).join('\n');
    expect(count(logs, '"msg":"job enqueued"')).toBe(2 * pushes.length);
    expect(count(logs, '"msg":"duplicate delivery ignored"')).toBe(posted - 2 * pushes.length);
    expect(count(logs, '"msg":"push scanned"')).toBe(2 * pushes.length);
    for (const key of keys) {
      expect(dump.includes(key), 'raw key in the database').toBe(false);
      expect(bodies.includes(key), 'raw key sent to GitHub').toBe(false);
      expect(logs.includes(key), 'raw key in a process log').toBe(false);
    }
  });
});

/** Every credential has exactly one remediation issue at the stand-in, and no issue is left over. */
async function oneIssuePerCredential(db: Database): Promise<number> {
  const { rows } = await db.query<{ issue_number: number | null }>('SELECT issue_number FROM credentials');
  const issues = github!.issues(REPO);
  expect(rows.map((row) => row.issue_number).sort()).toEqual(issues.map((issue) => issue.number).sort());
  return issues.length;
}

async function jobCounts(db: Database) {
  const { rows } = await db.query<{ name: string; state: string; count: string }>(
    `SELECT name, state, count(*) AS count FROM pgboss.job WHERE name = 'scan-push'
     GROUP BY name, state ORDER BY name, state`,
  );
  return rows;
}
