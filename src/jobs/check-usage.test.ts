import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  captureLog,
  type GithubMock,
  githubMock,
  mockInstallationToken,
  testProbot,
} from '../../test/support/github.js';
import { insertIssuedCredential } from '../../test/support/issued-credential.js';
import { scheduledJobDeps } from '../../test/support/job-deps.js';
import { openapiExample } from '../../test/support/openapi.js';
import { Secret } from '../engine/secret.js';
import type { Database } from '../inventory/database.js';
import { type Backend, openTestDatabase, testBackends } from '../inventory/testing.js';
import type { AdminCredentials, ProviderAdapter, UsageBucket } from '../providers/types.js';
import { ALPHABETS, fake } from '../rules/examples.js';
import { saveProviderKey } from '../usage/store.js';
import { checkUsage } from './check-usage.js';
import type { JobDeps } from './deps.js';

/**
 * The usage check against a sealed, OpenAPI-checked GitHub, on each database backend, with fake provider
 * adapters (plain `ProviderAdapter` literals returning canned hourly buckets) and a fixed clock.
 */

const HOUR = 3_600_000;
/** The job runs seven minutes past the hour; the last complete hour is 14:00–15:00. */
const NOW = new Date('2025-03-14T15:07:00Z');
const SPIKE_HOUR = new Date('2025-03-14T14:00:00Z');
const ADMIN_KEY = `sk-admin-${fake('usage-admin-key', 40, ALPHABETS.base64url)}`;
const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };

const EXPECTED_COMMENT =
  'Usage jump on openai key `key_watched`: 182,000 tokens in the hour from 14:00 UTC on 2025-03-14, ' +
  '36× the 7-day hourly median of 5,000 (threshold 5× with a floor of 10,000). ' +
  'If this is not you, revoke now: `/keywarden revoke`.';

/** A fake adapter: `usage(since)` answers the buckets at or after `since`, and remembers every `since`. */
interface FakeAdapter extends ProviderAdapter {
  calls: Date[];
}

function fakeAdapter(provider: string, series: () => UsageBucket[] | Error): FakeAdapter {
  const calls: Date[] = [];
  return {
    provider,
    rules: [],
    calls,
    verify: () => Promise.resolve({ verdict: 'unknown', detail: 'not asked in these tests' }),
    usage(since) {
      calls.push(since);
      const buckets = series();
      if (buckets instanceof Error) return Promise.reject(buckets);
      return Promise.resolve(buckets.filter((bucket) => bucket.hour >= since));
    },
  };
}

/** Hourly buckets of `keyId` from `from` to `to` (hour starts, inclusive), `tokens` each, 3 requests each. */
function hourly(keyId: string, from: Date, to: Date, tokens: (hour: Date) => number): UsageBucket[] {
  const buckets: UsageBucket[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += HOUR) {
    const hour = new Date(t);
    buckets.push({ keyId, hour, requests: 3, tokens: tokens(hour) });
  }
  return buckets;
}

/** Nine days of 5,000 tokens an hour for `keyId`, with 182,000 in the hour from 14:00 on NOW's day. */
function spikeSeries(keyId: string, last: Date = SPIKE_HOUR): UsageBucket[] {
  return hourly(keyId, new Date(SPIKE_HOUR.getTime() - 9 * 24 * HOUR), last, (hour) =>
    hour.getTime() === SPIKE_HOUR.getTime() ? 182_000 : 5_000,
  );
}

function jobDeps(
  db: Database,
  probot: Probot,
  log: ReturnType<typeof captureLog>['logger'],
  adapters: ProviderAdapter[],
  now: () => Date = () => NOW,
  admin: AdminCredentials = { openai: { adminKey: new Secret(ADMIN_KEY, 'sk-admin-…') } },
): JobDeps {
  return scheduledJobDeps(db, probot, log, { adapters, context: { admin, now } });
}

function expectInstallation(gh: GithubMock, times = 1): void {
  gh.api
    .get('/repos/octo/hello/installation')
    .times(times)
    .reply(200, { ...openapiExample('GET', '/repos/{owner}/{repo}/installation'), id: 1 });
}

function expectComment(gh: GithubMock, issue: number, status = 201): void {
  const reply =
    status === 201
      ? openapiExample('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', '201')
      : { message: 'Bad Gateway' };
  gh.api.post(`/repos/octo/hello/issues/${issue}/comments`).reply(status, reply);
}

function comments(gh: GithubMock, issue: number): string[] {
  return gh
    .recordedRequests()
    .filter((r) => r.method === 'POST' && r.path === `/repos/octo/hello/issues/${issue}/comments`)
    .map((r) => (JSON.parse(r.body!) as { body: string }).body);
}

async function anomalyRows(
  db: Database,
): Promise<Array<{ key: string; hour: string; reported: boolean; claimed: boolean }>> {
  const { rows } = await db.query<{
    key_id: string;
    hour: Date | string;
    reported: boolean;
    claimed: boolean;
  }>(
    `SELECT key_id, hour, reported_at IS NOT NULL AS reported, claimed_at IS NOT NULL AS claimed
       FROM usage_anomalies ORDER BY key_id, hour`,
  );
  return rows.map((row) => ({
    key: row.key_id,
    hour: new Date(row.hour).toISOString(),
    reported: row.reported,
    claimed: row.claimed,
  }));
}

async function usageEvents(db: Database): Promise<Array<{ credentialId: number; data: unknown }>> {
  const { rows } = await db.query<{ credential_id: string | number; data: unknown }>(
    "SELECT credential_id, data FROM events WHERE kind = 'usage:anomaly' ORDER BY id",
  );
  return rows.map((row) => ({ credentialId: Number(row.credential_id), data: row.data }));
}

describe.each(testBackends())('usage check on %s', (backend: Backend) => {
  let db: Database;
  let gh: GithubMock;
  let log: ReturnType<typeof captureLog>;
  let probot: Probot;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(() => db.close());

  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
    await db.query('DELETE FROM usage_hours');
    await db.query('DELETE FROM usage_fetches');
    gh = githubMock();
    log = captureLog('debug');
    probot = testProbot({ log: log.logger });
    mockInstallationToken(gh, 1);
  });

  afterEach(() => gh.restore());

  it('backfills 8 days, reports a spike once with its numbers, ignores unmapped keys, and never repeats', async () => {
    const id = await insertIssuedCredential(db, {
      name: 'watched',
      issue: { repo: 'octo/hello', number: 7 },
    });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_watched', scope: 'proj_1' });
    let last = SPIKE_HOUR;
    const openai = fakeAdapter('openai', () => [
      ...spikeSeries('key_watched', last),
      ...spikeSeries('key_unmapped', last),
    ]);
    const later = new Date(NOW.getTime() + HOUR);
    expectInstallation(gh);
    expectComment(gh, 7);

    const first = await checkUsage(jobDeps(db, probot, log.logger, [openai]));
    last = new Date(SPIKE_HOUR.getTime() + HOUR);
    const second = await checkUsage(jobDeps(db, probot, log.logger, [openai], () => later));

    gh.assertDone();
    expect(openai.calls.map((since) => since.toISOString())).toEqual([
      '2025-03-06T15:00:00.000Z',
      '2025-03-14T14:00:00.000Z',
    ]);
    // 8 days back from 15:00 to 14:00 inclusive is 192 hours per key; the second run adds 15:00.
    expect(first).toEqual({
      fetched: [{ provider: 'openai', rows: 384 }],
      failed: [],
      anomalies: [{ provider: 'openai', keyId: 'key_watched', hour: SPIKE_HOUR, credentialId: id }],
      reported: 1,
    });
    expect(second).toEqual({
      fetched: [{ provider: 'openai', rows: 4 }],
      failed: [],
      anomalies: [],
      reported: 0,
    });
    const posted = comments(gh, 7);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(EXPECTED_COMMENT);
    expect(posted[0]!.split('\n')[0]).toBe(
      '<!-- keywarden:usage openai key_watched 2025-03-14T14:00:00.000Z -->',
    );
    expect(await anomalyRows(db)).toEqual([
      { key: 'key_watched', hour: SPIKE_HOUR.toISOString(), reported: true, claimed: true },
    ]);
    expect(await usageEvents(db)).toEqual([
      {
        credentialId: id,
        data: {
          keyId: 'key_watched',
          hour: '2025-03-14T14:00:00.000Z',
          observed: 182_000,
          median: 5_000,
          ratio: 36.4,
          unit: 'tokens',
        },
      },
    ]);
    const { rows } = await db.query<{ n: string | number }>(
      "SELECT count(*) AS n FROM usage_hours WHERE provider = 'openai'",
    );
    expect(Number(rows[0]!.n)).toBe(2 * 193);
    const everything = [...log.lines(), ...gh.recordedRequests().map((r) => `${r.path} ${r.body ?? ''}`)];
    expect(everything.filter((line) => line.includes(ADMIN_KEY))).toEqual([]);
  });

  it('comments once when two replicas check at the same moment', async () => {
    const id = await insertIssuedCredential(db, { name: 'raced', issue: { repo: 'octo/hello', number: 13 } });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_watched' });
    const openai = fakeAdapter('openai', () => spikeSeries('key_watched'));
    const replica = testProbot({ log: log.logger });
    mockInstallationToken(gh, 1);
    expectInstallation(gh);
    expectComment(gh, 13);

    const checks = await Promise.all([
      checkUsage(jobDeps(db, probot, log.logger, [openai])),
      checkUsage(jobDeps(db, replica, log.logger, [openai])),
    ]);

    gh.assertDone();
    expect(checks.flatMap((check) => check.anomalies)).toHaveLength(1);
    expect(checks.map((check) => check.reported).sort()).toEqual([0, 1]);
    expect(comments(gh, 13)).toHaveLength(1);
    expect(await usageEvents(db)).toHaveLength(1);
  });

  it('asks no provider without an admin credential, and goes on when a provider fails', async () => {
    const id = await insertIssuedCredential(db, {
      name: 'watched',
      issue: { repo: 'octo/hello', number: 8 },
    });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_watched' });
    const anthropic = fakeAdapter('anthropic', () => {
      throw new Error('an anthropic adapter without an admin key must not be asked');
    });
    const failing = fakeAdapter('aws', () => new Error('usage API answered 503'));
    const openai = fakeAdapter('openai', () => spikeSeries('key_watched'));
    const admin: AdminCredentials = {
      openai: { adminKey: new Secret(ADMIN_KEY, 'sk-admin-…') },
      aws: { accessKeyId: 'AKIA-test', secretAccessKey: new Secret('x', '…'), region: 'us-east-1' },
    };
    expectInstallation(gh);
    expectComment(gh, 8);

    const check = await checkUsage(
      jobDeps(db, probot, log.logger, [anthropic, failing, openai], () => NOW, admin),
    );

    gh.assertDone();
    expect(anthropic.calls).toEqual([]);
    expect(failing.calls).toHaveLength(1);
    expect(check.failed).toEqual(['aws']);
    expect(check.fetched).toEqual([{ provider: 'openai', rows: 192 }]);
    expect(check.reported).toBe(1);
    expect(
      log
        .lines()
        .some((line) => line.includes('"msg":"usage fetch failed"') && line.includes('"provider":"aws"')),
    ).toBe(true);
  });

  it('leaves credentials whose lifecycle ended alone', async () => {
    for (const state of ['false-positive', 'test-credential', 'closed']) {
      const id = await insertIssuedCredential(db, { name: state, state });
      await saveProviderKey(db, id, 'openai', { keyId: `key_${state}` });
    }
    const openai = fakeAdapter('openai', () => [
      ...spikeSeries('key_false-positive'),
      ...spikeSeries('key_test-credential'),
      ...spikeSeries('key_closed'),
    ]);

    const check = await checkUsage(jobDeps(db, probot, log.logger, [openai]));

    gh.assertDone();
    expect(check.anomalies).toEqual([]);
    expect(gh.recordedRequests()).toEqual([]);
    expect(await anomalyRows(db)).toEqual([]);
  });

  it('records a jump of a credential without an issue, and comments once its issue exists', async () => {
    const id = await insertIssuedCredential(db, { name: 'no issue yet', state: 'detected', issue: null });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_watched' });
    const openai = fakeAdapter('openai', () => spikeSeries('key_watched'));

    const before = await checkUsage(jobDeps(db, probot, log.logger, [openai]));
    const recorded = await anomalyRows(db);
    await db.query("UPDATE credentials SET issue_repo = 'octo/hello', issue_number = 9, state = 'notified'");
    expectInstallation(gh);
    expectComment(gh, 9);
    const after = await checkUsage(jobDeps(db, probot, log.logger, [openai]));

    gh.assertDone();
    expect(before.anomalies).toHaveLength(1);
    expect(before.reported).toBe(0);
    expect(recorded).toEqual([
      { key: 'key_watched', hour: SPIKE_HOUR.toISOString(), reported: false, claimed: false },
    ]);
    expect(after.anomalies).toEqual([]);
    expect(after.reported).toBe(1);
    expect(comments(gh, 9)[0]).toContain(EXPECTED_COMMENT);
    expect(await usageEvents(db)).toHaveLength(1);
  });

  it('gives the claim back when the comment fails, throws for a retry, and the retry posts it once', async () => {
    const id = await insertIssuedCredential(db, { name: 'flaky', issue: { repo: 'octo/hello', number: 10 } });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_watched' });
    const openai = fakeAdapter('openai', () => spikeSeries('key_watched'));
    expectInstallation(gh, 2);
    expectComment(gh, 10, 502);
    expectComment(gh, 10);

    const failed = await checkUsage(jobDeps(db, probot, log.logger, [openai])).catch(
      (error: unknown) => error,
    );
    const afterFailure = await anomalyRows(db);
    const retried = await checkUsage(jobDeps(db, probot, log.logger, [openai]));
    const again = await checkUsage(jobDeps(db, probot, log.logger, [openai]));

    gh.assertDone();
    expect((failed as { status?: number }).status).toBe(502);
    expect(afterFailure).toEqual([
      { key: 'key_watched', hour: SPIKE_HOUR.toISOString(), reported: false, claimed: false },
    ]);
    expect(retried.anomalies).toEqual([]);
    expect(retried.reported).toBe(1);
    expect(again.reported).toBe(0);
    expect(comments(gh, 10)).toHaveLength(2);
    expect(await anomalyRows(db)).toEqual([
      { key: 'key_watched', hour: SPIKE_HOUR.toISOString(), reported: true, claimed: true },
    ]);
    expect(await usageEvents(db)).toHaveLength(1);
  });

  it('does not post again when a job died after posting: a stale claim finds the earlier comment', async () => {
    const id = await insertIssuedCredential(db, { name: 'crashed', issue: null });
    await saveProviderKey(db, id, 'openai', { keyId: 'key_watched' });
    const openai = fakeAdapter('openai', () => spikeSeries('key_watched'));
    const posted = openapiExample<Record<string, unknown>>(
      'POST',
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      '201',
    );
    const recorded = await checkUsage(jobDeps(db, probot, log.logger, [openai]));
    // A job claimed the jump, posted its comment, and died before marking it reported.
    await db.query("UPDATE credentials SET issue_repo = 'octo/hello', issue_number = 11");
    await db.query("UPDATE usage_anomalies SET claimed_at = now() - interval '1 hour'");
    expectInstallation(gh);
    gh.api
      .get('/repos/octo/hello/issues/11/comments')
      .query({ per_page: '100' })
      .reply(200, [
        { ...posted, body: '<!-- keywarden:usage openai key_watched 2025-03-14T14:00:00.000Z -->\n…' },
      ]);

    const check = await checkUsage(jobDeps(db, probot, log.logger, [openai]));

    gh.assertDone();
    expect(recorded.anomalies).toHaveLength(1);
    expect(check.reported).toBe(0);
    expect(comments(gh, 11)).toEqual([]);
    expect(await anomalyRows(db)).toEqual([
      { key: 'key_watched', hour: SPIKE_HOUR.toISOString(), reported: true, claimed: true },
    ]);
  });

  it('gives a jump up when its issue is gone, and skips issues of repositories without the App', async () => {
    const gone = await insertIssuedCredential(db, {
      name: 'gone',
      issue: { repo: 'octo/hello', number: 12 },
    });
    const elsewhere = await insertIssuedCredential(db, {
      name: 'elsewhere',
      issue: { repo: 'octo/private', number: 1 },
    });
    await saveProviderKey(db, gone, 'openai', { keyId: 'key_gone' });
    await saveProviderKey(db, elsewhere, 'openai', { keyId: 'key_elsewhere' });
    const openai = fakeAdapter('openai', () => [...spikeSeries('key_gone'), ...spikeSeries('key_elsewhere')]);
    expectInstallation(gh);
    gh.api.post('/repos/octo/hello/issues/12/comments').reply(404, NOT_FOUND);
    gh.api.get('/repos/octo/private/installation').reply(404, NOT_FOUND);

    const check = await checkUsage(jobDeps(db, probot, log.logger, [openai]));

    gh.assertDone();
    expect(check.anomalies).toHaveLength(2);
    expect(check.reported).toBe(0);
    expect(await anomalyRows(db)).toEqual([
      { key: 'key_elsewhere', hour: SPIKE_HOUR.toISOString(), reported: false, claimed: false },
      { key: 'key_gone', hour: SPIKE_HOUR.toISOString(), reported: true, claimed: true },
    ]);
  });
});
