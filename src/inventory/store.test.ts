import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanText } from '../engine/scan.js';
import type { Finding } from '../engine/types.js';
import { anthropic } from '../rules/anthropic/index.js';
import type { Database } from './database.js';
import {
  claimCheckRun,
  claimDelivery,
  type FindingsLocation,
  recordDeadLetter,
  recordEvent,
  recordFindings,
  releaseDelivery,
  saveCheckRunId,
} from './store.js';
import { openTestDatabase, testBackends } from './testing.js';

const apiKeyRule = anthropic.rules.find((rule) => rule.id === 'anthropic.api-key')!;

/** A fresh fake Anthropic key (built at run time) and the findings of it on `lines` of `path`. */
function plant(
  seed: string,
  path: string,
  lines: readonly number[],
): { secret: string; findings: Finding[] } {
  const secret = apiKeyRule.sample(seed);
  const text = Array.from({ length: Math.max(...lines) }, (_, i) =>
    lines.includes(i + 1) ? `ANTHROPIC_API_KEY=${secret}` : `line ${i + 1}`,
  ).join('\n');
  const findings = scanText(text, anthropic.rules, { path });
  expect(findings.map((f) => f.line)).toEqual(lines);
  return { secret, findings };
}

let nextRepoId = 1000;
function location(overrides: Partial<FindingsLocation> = {}): FindingsLocation {
  return {
    repoId: nextRepoId++,
    repo: 'octo-org/app',
    commitSha: 'a'.repeat(40),
    source: 'push',
    ref: 'refs/heads/main',
    ...overrides,
  };
}

describe.each(testBackends())('inventory store on %s', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(async () => {
    await db?.close();
  });

  async function credentialRows(fingerprint: string) {
    const { rows } = await db.query<Record<string, unknown>>(
      'SELECT provider, rule_id, class, severity, redacted, state FROM credentials WHERE fingerprint = $1',
      [fingerprint],
    );
    return rows;
  }

  async function exposureRows(fingerprint: string) {
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT e.repo_id, e.repo, e.commit_sha, e.path, e.line, e.col, e.blob_sha, e.source, e.ref, e.pull_request
         FROM exposures e JOIN credentials c ON c.id = e.credential_id
        WHERE c.fingerprint = $1 ORDER BY e.path, e.line`,
      [fingerprint],
    );
    return rows.map((row): Record<string, unknown> => ({ ...row, repo_id: Number(row['repo_id']) }));
  }

  async function eventKinds(fingerprint: string) {
    const { rows } = await db.query<{ kind: string; actor: string; data: unknown }>(
      `SELECT ev.kind, ev.actor, ev.data FROM events ev JOIN credentials c ON c.id = ev.credential_id
        WHERE c.fingerprint = $1 ORDER BY ev.id`,
      [fingerprint],
    );
    return rows;
  }

  it('records a new credential with its exposures and a detected event', async () => {
    const { findings } = plant('store-new', 'config/.env', [2, 5]);
    const where = location({ blobShas: new Map([['config/.env', 'b'.repeat(40)]]) });

    const result = await recordFindings(db, findings, where, 'octocat');

    expect(result).toEqual({ credentials: 1, newCredentials: 1, newExposures: 2 });
    expect(await credentialRows(findings[0]!.fingerprint)).toEqual([
      {
        provider: 'anthropic',
        rule_id: 'anthropic.api-key',
        class: 'model-api',
        severity: 'high',
        redacted: findings[0]!.redacted,
        state: 'detected',
      },
    ]);
    expect(await exposureRows(findings[0]!.fingerprint)).toEqual(
      [2, 5].map((line) => ({
        repo_id: where.repoId,
        repo: 'octo-org/app',
        commit_sha: 'a'.repeat(40),
        path: 'config/.env',
        line,
        col: 19,
        blob_sha: 'b'.repeat(40),
        source: 'push',
        ref: 'refs/heads/main',
        pull_request: null,
      })),
    );
    expect(await eventKinds(findings[0]!.fingerprint)).toEqual([
      {
        kind: 'detected',
        actor: 'octocat',
        data: {
          ruleId: 'anthropic.api-key',
          repo: 'octo-org/app',
          commitSha: 'a'.repeat(40),
          source: 'push',
          path: 'config/.env',
          line: 2,
        },
      },
    ]);
  });

  it('records the same findings twice as one credential and the same exposures', async () => {
    const { findings } = plant('store-twice', 'app.py', [1]);
    const where = location({ source: 'pull_request', pullRequest: 7, blobSha: 'c'.repeat(40) });

    const first = await recordFindings(db, findings, where, 'octocat');
    const second = await recordFindings(db, findings, where, 'octocat');
    const elsewhere = await recordFindings(db, findings, { ...where, commitSha: 'd'.repeat(40) }, 'octocat');

    expect(first).toEqual({ credentials: 1, newCredentials: 1, newExposures: 1 });
    expect(second).toEqual({ credentials: 1, newCredentials: 0, newExposures: 0 });
    expect(elsewhere).toEqual({ credentials: 1, newCredentials: 0, newExposures: 1 });
    const exposures = await exposureRows(findings[0]!.fingerprint);
    expect(exposures.map((e) => [e['commit_sha'], e['blob_sha'], e['source'], e['pull_request']])).toEqual([
      ['a'.repeat(40), 'c'.repeat(40), 'pull_request', 7],
      ['d'.repeat(40), 'c'.repeat(40), 'pull_request', 7],
    ]);
    expect((await eventKinds(findings[0]!.fingerprint)).map((e) => e.kind)).toEqual(['detected']);
  });

  it('moves last_seen forward and keeps first_seen when a credential is seen again', async () => {
    const { findings } = plant('store-seen', 'seen.env', [1]);
    await recordFindings(db, findings, location(), 'octocat');
    await db.query(
      "UPDATE credentials SET first_seen = first_seen - interval '1 day', last_seen = last_seen - interval '1 day' WHERE fingerprint = $1",
      [findings[0]!.fingerprint],
    );

    await recordFindings(db, findings, location(), 'octocat');

    const { rows } = await db.query<{ fresh: boolean; old: boolean }>(
      `SELECT last_seen > now() - interval '1 hour' AS fresh, first_seen < now() - interval '1 hour' AS old
         FROM credentials WHERE fingerprint = $1`,
      [findings[0]!.fingerprint],
    );
    expect(rows).toEqual([{ fresh: true, old: true }]);
  });

  it('records nothing for no findings', async () => {
    expect(await recordFindings(db, [], location(), 'octocat')).toEqual({
      credentials: 0,
      newCredentials: 0,
      newExposures: 0,
    });
  });

  it('keeps one credential and deduplicated exposures under 20 concurrent recordings of the same key', async () => {
    const { findings } = plant('store-race', 'race.env', [3, 9]);
    const where = location();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => recordFindings(db, findings, where, 'racer')),
    );

    expect(results.reduce((sum, r) => sum + r.newCredentials, 0)).toBe(1);
    expect(results.reduce((sum, r) => sum + r.newExposures, 0)).toBe(2);
    expect(await credentialRows(findings[0]!.fingerprint)).toHaveLength(1);
    expect((await exposureRows(findings[0]!.fingerprint)).map((e) => e['line'])).toEqual([3, 9]);
    expect((await eventKinds(findings[0]!.fingerprint)).map((e) => e.kind)).toEqual(['detected']);
  });

  it('does not deadlock when concurrent recordings hold overlapping keys in different orders', async () => {
    const a = plant('store-order-a', 'a.env', [1]).findings;
    const b = plant('store-order-b', 'b.env', [1]).findings;
    const where = location();

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordFindings(db, i % 2 ? [...a, ...b] : [...b, ...a], where, 'racer'),
      ),
    );

    expect(results.reduce((sum, r) => sum + r.newCredentials, 0)).toBe(2);
    expect(results.reduce((sum, r) => sum + r.newExposures, 0)).toBe(2);
  });

  it('stores no raw secret in any column of any table', async () => {
    const { secret, findings } = plant('store-leak', 'leak/settings.json', [4]);
    const where = location();

    await recordFindings(db, findings, where, 'octocat');
    await recordEvent(db, {
      fingerprint: findings[0]!.fingerprint,
      kind: 'notified',
      actor: 'keywarden',
      data: findings[0],
    });
    await recordDeadLetter(db, {
      name: 'scan-push',
      id: 'leak-job',
      payload: { findings },
      error: `failed on ${findings[0]!.secret}`,
    });

    const { rows: tables } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [db.schema],
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual([
      'alert_locations',
      'alert_sweeps',
      'alerts',
      'check_runs',
      'credentials',
      'dead_letters',
      'deliveries',
      'escalations',
      'events',
      'exposures',
      'provider_keys',
      'schema_migrations',
      'suppressions',
      'usage_anomalies',
      'usage_fetches',
      'usage_hours',
    ]);
    const body = secret.slice('sk-ant-api03-'.length, -2);
    const hits: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await db.query<{ hits: unknown }>(
        `SELECT count(*) AS hits FROM "${table_name}" t WHERE strpos(t::text, $1) > 0 OR strpos(t::text, $2) > 0`,
        [secret, body],
      );
      if (Number(rows[0]!.hits) > 0) hits.push(table_name);
    }
    expect(hits).toEqual([]);
    const { rows: redacted } = await db.query<{ n: unknown }>(
      'SELECT count(*) AS n FROM credentials WHERE redacted = $1',
      [findings[0]!.redacted],
    );
    expect(Number(redacted[0]!.n)).toBe(1);
  });

  it('records findings inside a caller transaction, and rolls them back with it', async () => {
    const { findings } = plant('store-tx', 'tx.env', [1]);

    await expect(
      db.transaction(async (tx) => {
        await recordFindings(tx, findings, location(), 'octocat');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const before = await credentialRows(findings[0]!.fingerprint);
    await db.transaction((tx) => recordFindings(tx, findings, location(), 'octocat'));

    expect(before).toEqual([]);
    expect(await credentialRows(findings[0]!.fingerprint)).toHaveLength(1);
  });

  it('claims a delivery once, also under concurrent redeliveries, and releases it', async () => {
    const id = `delivery-${backend}-1`;

    const claims = await Promise.all(Array.from({ length: 10 }, () => claimDelivery(db, id, 'push')));
    const again = await claimDelivery(db, id, 'push');
    await releaseDelivery(db, id);
    const afterRelease = await claimDelivery(db, id, 'push');

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(again).toBe(false);
    expect(afterRelease).toBe(true);
  });

  it('gives a head sha exactly one check run owner, then the saved id to everyone else', async () => {
    const repoId = nextRepoId++;
    const sha = 'e'.repeat(40);

    const claims = await Promise.all(Array.from({ length: 10 }, () => claimCheckRun(db, repoId, sha)));
    const beforeSave = await claimCheckRun(db, repoId, sha);
    await saveCheckRunId(db, repoId, sha, 4_294_967_297);
    const afterSave = await claimCheckRun(db, repoId, sha);
    const otherSha = await claimCheckRun(db, repoId, 'f'.repeat(40));

    expect(claims.filter((c) => c.owner)).toHaveLength(1);
    expect(beforeSave).toEqual({ owner: false });
    expect(afterSave).toEqual({ owner: false, checkRunId: 4_294_967_297 });
    expect(otherSha).toEqual({ owner: true });
  });

  it('lets the claimant claim again until it saved the check run id', async () => {
    const repoId = nextRepoId++;
    const sha = '1'.repeat(40);

    const first = await claimCheckRun(db, repoId, sha, 'job-1');
    const retried = await claimCheckRun(db, repoId, sha, 'job-1');
    const other = await claimCheckRun(db, repoId, sha, 'job-2');
    await saveCheckRunId(db, repoId, sha, 42);
    const retriedAfterSave = await claimCheckRun(db, repoId, sha, 'job-1');

    expect([first, retried, other, retriedAfterSave]).toEqual([
      { owner: true },
      { owner: true },
      { owner: false },
      { owner: false, checkRunId: 42 },
    ]);
  });

  it('records a dead letter once per job, keeping the latest error', async () => {
    const job = {
      name: 'scan-push',
      id: `dead-${backend}`,
      payload: { repo: 'octo-org/app' },
      error: 'first',
    };

    await recordDeadLetter(db, job);
    await recordDeadLetter(db, { ...job, error: 'second' });

    const { rows } = await db.query('SELECT job_name, payload, error FROM dead_letters WHERE job_id = $1', [
      job.id,
    ]);
    expect(rows).toEqual([{ job_name: 'scan-push', payload: { repo: 'octo-org/app' }, error: 'second' }]);
  });

  it('records events by credential id or fingerprint, and refuses an unknown fingerprint', async () => {
    const { findings } = plant('store-events', 'events.env', [1]);
    await recordFindings(db, findings, location(), 'octocat');
    const { rows } = await db.query<{ id: unknown }>('SELECT id FROM credentials WHERE fingerprint = $1', [
      findings[0]!.fingerprint,
    ]);

    await recordEvent(db, { credentialId: Number(rows[0]!.id), kind: 'notified', actor: 'keywarden' });
    await recordEvent(db, {
      fingerprint: findings[0]!.fingerprint,
      kind: 'false-positive',
      actor: 'octocat',
      reason: 'test fixture',
      data: { comment: 1 },
    });
    await recordEvent(db, { kind: 'sweep', actor: 'keywarden', data: { alerts: 3 } });

    expect(await eventKinds(findings[0]!.fingerprint)).toEqual([
      expect.objectContaining({ kind: 'detected' }),
      { kind: 'notified', actor: 'keywarden', data: null },
      { kind: 'false-positive', actor: 'octocat', data: { comment: 1 } },
    ]);
    await expect(
      recordEvent(db, { fingerprint: '0'.repeat(64), kind: 'notified', actor: 'x' }),
    ).rejects.toThrow('no credential with fingerprint 000000000000');
  });
});
