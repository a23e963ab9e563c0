import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanText } from '../engine/scan.js';
import { Secret } from '../engine/secret.js';
import type { AlertLocation, SecretScanningAlert } from '../github/secret-scanning.js';
import type { Database } from '../inventory/database.js';
import { recordFindings } from '../inventory/store.js';
import { type Backend, openTestDatabase, testBackends } from '../inventory/testing.js';
import { allRules } from '../rules/registry.js';
import { identifyAlertSecret } from './identify.js';
import { claimNotices, finishNotices, recordNotice } from './notices.js';
import { mappedSecretType } from './secret-types.js';
import {
  alertsOf,
  findAlert,
  insertAlertExposures,
  insertOtherLocations,
  isSuppressed,
  markResolved,
  saveAlert,
  saveSweep,
  storedVersions,
  sweepEtag,
  upsertAlertCredential,
} from './store.js';

const KEY = 'store-test-key';
const rule = allRules.find((candidate) => candidate.id === 'openai.project-key')!;
const place = { installationId: 7, repoId: 42, repo: 'octo/hello' };
const SHA = 'c'.repeat(40);

function alert(overrides: Partial<SecretScanningAlert> = {}): Omit<SecretScanningAlert, 'secret'> {
  return {
    number: 3,
    secretType: 'openai_api_key',
    state: 'open',
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
    resolutionComment: null,
    pushProtectionBypassed: false,
    pushProtectionBypassedBy: null,
    pushProtectionBypassedAt: null,
    validity: 'unknown',
    publiclyLeaked: false,
    htmlUrl: 'https://github.com/octo/hello/security/secret-scanning/3',
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

describe.each(testBackends())('alert store on %s', (backend: Backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
    await db.query('DELETE FROM alert_sweeps');
    await db.query('DELETE FROM suppressions');
  });

  async function pushed(value: string): Promise<number> {
    const findings = scanText(`OPENAI_API_KEY=${value}\n`, [rule], { path: 'app/.env', fingerprintKey: KEY });
    await recordFindings(
      db,
      findings,
      { repoId: 42, repo: 'octo/hello', commitSha: SHA, source: 'push' },
      'alice',
    );
    const { rows } = await db.query<{ id: unknown }>('SELECT id FROM credentials');
    return Number(rows[0]!.id);
  }

  function identified(value: string) {
    return identifyAlertSecret(new Secret(value, '…'), mappedSecretType('openai_api_key')!, allRules, KEY);
  }

  it('an alert of a pushed key is the pushed credential; a new one is detected from the alert', async () => {
    const value = rule.sample('store-pushed');
    const pushedId = await pushed(value);
    const fresh = rule.sample('store-fresh');

    const same = await db.transaction((tx) =>
      upsertAlertCredential(tx, identified(value), {
        repo: 'octo/hello',
        alertNumber: 3,
        secretType: 'openai_api_key',
        actor: 'github',
      }),
    );
    const other = await db.transaction((tx) =>
      upsertAlertCredential(tx, identified(fresh), {
        repo: 'octo/hello',
        alertNumber: 4,
        secretType: 'openai_api_key',
        actor: 'github',
      }),
    );

    expect(same).toEqual({ id: pushedId, created: false });
    expect(other.created).toBe(true);
    const { rows } = await db.query<{ credential_id: unknown; kind: string; actor: string; data: unknown }>(
      `SELECT credential_id, kind, actor, data FROM events WHERE kind = 'detected' ORDER BY id`,
    );
    expect(rows.map((row) => [Number(row.credential_id), row.actor, row.data])).toEqual([
      [pushedId, 'alice', expect.objectContaining({ source: 'push' })],
      [
        other.id,
        'github',
        {
          ruleId: 'openai.project-key',
          source: 'alert',
          repo: 'octo/hello',
          alert: 4,
          secretType: 'openai_api_key',
        },
      ],
    ]);
  });

  it('keeps the newest state of an alert: an older read never overwrites it', async () => {
    const id = await pushed(rule.sample('store-versions'));
    await db.transaction((tx) =>
      saveAlert(
        tx,
        id,
        place,
        alert({ updatedAt: '2025-01-03T00:00:00Z', state: 'resolved', resolution: 'revoked' }),
      ),
    );

    const kept = await db.transaction((tx) =>
      saveAlert(tx, id, place, alert({ updatedAt: '2025-01-02T00:00:00Z' })),
    );
    const moved = await db.transaction((tx) =>
      saveAlert(tx, id, place, alert({ updatedAt: '2025-01-04T00:00:00Z', publiclyLeaked: true })),
    );

    expect(kept).toMatchObject({ state: 'resolved', resolution: 'revoked' });
    expect(moved).toMatchObject({ state: 'open', resolution: null, publiclyLeaked: true, installationId: 7 });
    expect(
      await storedVersions(db, [
        { repoId: 42, number: 3 },
        { repoId: 42, number: 99 },
      ]),
    ).toEqual(new Map([['42:3', Date.parse('2025-01-04T00:00:00Z')]]));
  });

  it('adds commit locations as exposures once, beside the push that found the same place', async () => {
    const id = await pushed(rule.sample('store-exposures'));
    const locations: AlertLocation[] = [
      { kind: 'commit', path: 'app/.env', startLine: 1, startColumn: 16, blobSha: '', commitSha: SHA },
      {
        kind: 'commit',
        path: 'docs/a.md',
        startLine: 9,
        startColumn: 1,
        blobSha: 'b'.repeat(40),
        commitSha: SHA,
      },
      { kind: 'pull_request_comment', url: 'https://github.com/octo/hello/pull/2#issuecomment-1' },
    ];

    const added = await db.transaction((tx) => insertAlertExposures(tx, id, place, locations));
    const again = await db.transaction((tx) => insertAlertExposures(tx, id, place, locations));

    expect([added, again]).toEqual([1, 0]);
    const { rows } = await db.query('SELECT path, line, source, blob_sha FROM exposures ORDER BY path');
    expect(rows).toEqual([
      { path: 'app/.env', line: 1, source: 'push', blob_sha: null },
      { path: 'docs/a.md', line: 9, source: 'alert', blob_sha: 'b'.repeat(40) },
    ]);
  });

  it('lists a credential’s alerts with their places outside the code', async () => {
    const id = await pushed(rule.sample('store-places'));
    const stored = await db.transaction((tx) =>
      saveAlert(
        tx,
        id,
        place,
        alert({
          pushProtectionBypassed: true,
          pushProtectionBypassedBy: 'mallory',
          pushProtectionBypassedAt: '2025-01-01T00:00:00Z',
        }),
      ),
    );
    const others = [
      { kind: 'issue_body', url: 'https://github.com/octo/hello/issues/4' },
      { kind: 'issue_body', url: 'https://github.com/octo/hello/issues/4' },
    ];

    const added = await db.transaction((tx) => insertOtherLocations(tx, stored.id, others));

    expect(added).toBe(1);
    expect(await alertsOf(db, id)).toEqual([
      expect.objectContaining({
        number: 3,
        repo: 'octo/hello',
        pushProtectionBypassed: true,
        pushProtectionBypassedBy: 'mallory',
        pushProtectionBypassedAt: new Date('2025-01-01T00:00:00Z'),
        otherLocations: [{ kind: 'issue_body', url: 'https://github.com/octo/hello/issues/4' }],
      }),
    ]);
  });

  it('records keywarden’s own resolution without going back in time', async () => {
    const id = await pushed(rule.sample('store-resolved'));
    const stored = await db.transaction((tx) => saveAlert(tx, id, place, alert()));

    await markResolved(db, stored.id, {
      resolution: 'false_positive',
      resolvedBy: 'keywarden[bot]',
      resolvedAt: '2025-01-05T00:00:00Z',
      updatedAt: '2025-01-05T00:00:00Z',
    });

    expect(await findAlert(db, 42, 3)).toMatchObject({
      state: 'resolved',
      resolution: 'false_positive',
      resolvedBy: 'keywarden[bot]',
      updatedAt: new Date('2025-01-05T00:00:00Z'),
    });
  });

  it('knows what a repository suppressed', async () => {
    const value = rule.sample('store-suppressed');
    await pushed(value);
    const fp = identified(value).fingerprint;
    await db.query(
      `INSERT INTO suppressions (repo_id, fingerprint, reason, actor) VALUES (42, $1, 'fixture', 'bob')`,
      [fp],
    );

    expect(await isSuppressed(db, 42, fp)).toBe(true);
    expect(await isSuppressed(db, 43, fp)).toBe(false);
  });

  it('keeps the sweep ETag per organisation and query', async () => {
    await saveSweep(db, { org: 'Octo', installationId: 7, query: 'a,b', etag: 'W/"1"' });

    expect(await sweepEtag(db, 'octo', 'a,b')).toBe('W/"1"');
    expect(await sweepEtag(db, 'octo', 'a,b,c')).toBeUndefined();
    await saveSweep(db, { org: 'octo', installationId: 7, query: 'a,b', etag: undefined });
    expect(await sweepEtag(db, 'octo', 'a,b')).toBeUndefined();
  });

  it('hands each pending notice to one claimant; a failed one goes back, a posted one never comes back', async () => {
    const id = await pushed(rule.sample('store-notices'));
    const notice = {
      kind: 'alert:resolved' as const,
      repo: 'octo/hello',
      number: 3,
      htmlUrl: 'https://x/3',
      resolution: 'revoked',
      by: 'bob',
    };
    await recordNotice(db, id, notice, 'bob');
    await recordNotice(db, id, { ...notice, kind: 'alert:reopened' }, 'bob');

    const claimed = await claimNotices(db, id, 'job-1');
    const meanwhile = await claimNotices(db, id, 'job-2');
    await finishNotices(db, [claimed[0]!.id], 'posted');
    await finishNotices(db, [claimed[1]!.id], 'pending');
    const retried = await claimNotices(db, id, 'job-2');

    expect(claimed.map((entry) => entry.notice)).toEqual([notice, { ...notice, kind: 'alert:reopened' }]);
    expect(meanwhile).toEqual([]);
    expect(retried.map((entry) => entry.notice.kind)).toEqual(['alert:reopened']);
    expect(await claimNotices(db, id, 'job-2')).toHaveLength(1);
  });
});
