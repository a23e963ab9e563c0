import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertIssuedCredential } from '../../test/support/issued-credential.js';
import type { Database } from './database.js';
import {
  claimEscalationSteps,
  dueSteps,
  type EscalationStep,
  listEscalationCandidates,
  releaseEscalationSteps,
} from './escalations.js';
import { type Backend, openTestDatabase, testBackends } from './testing.js';

const HOUR = 3_600_000;
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

describe('dueSteps', () => {
  it.each([
    [23, [], []],
    [24, [], [1]],
    [47, [1], []],
    [48, [1], [2]],
    [49, [], [1, 2]],
    [100, [1, 2], []],
    [100, [2], [1]],
  ] as Array<[number, EscalationStep[], EscalationStep[]]>)(
    '%i h old, %j taken → %j',
    (hours, taken, due) => {
      expect(dueSteps(hours * HOUR, 24 * HOUR, taken)).toEqual(due);
    },
  );
});

describe.each(testBackends())('escalation store on %s', (backend: Backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });

  afterAll(() => db.close());

  beforeEach(async () => {
    await db.query('DELETE FROM credentials');
  });

  it('lists open credentials with an issue and a notification, oldest first, with their age', async () => {
    const older = await insertIssuedCredential(db, {
      name: 'older',
      issue: { repo: 'octo/hello', number: 7 },
      notifiedAgo: '30 hours',
    });
    const newer = await insertIssuedCredential(db, {
      name: 'newer',
      state: 'confirmed',
      notifiedAgo: '2 hours',
    });
    await insertIssuedCredential(db, { name: 'revoked', state: 'revoked', notifiedAgo: '90 days' });
    await insertIssuedCredential(db, { name: 'closed', state: 'closed', notifiedAgo: '90 days' });
    await insertIssuedCredential(db, { name: 'fp', state: 'false-positive', notifiedAgo: '90 days' });
    await insertIssuedCredential(db, {
      name: 'no-issue',
      state: 'detected',
      issue: null,
      notifiedAgo: '90 days',
    });
    await insertIssuedCredential(db, { name: 'not-told', state: 'detected', notifiedAgo: null });

    const candidates = await listEscalationCandidates(db);

    expect(candidates.map((c) => c.credentialId)).toEqual([older, newer]);
    expect(candidates[0]).toMatchObject({
      severity: 'high',
      state: 'notified',
      issueRepo: { owner: 'octo', repo: 'hello' },
      issueNumber: 7,
      taken: [],
    });
    expect(candidates[0]!.ageMs).toBeGreaterThanOrEqual(30 * HOUR);
    expect(candidates[0]!.ageMs).toBeLessThan(31 * HOUR);
  });

  it('counts from the latest state:notified event (a reopened issue starts a new period)', async () => {
    const id = await insertIssuedCredential(db, { name: 'reopened', notifiedAgo: '40 days' });
    await db.query(
      `INSERT INTO events (credential_id, kind, actor, at) VALUES
         ($1, 'state:notified', 'keywarden', now() - interval '40 days'),
         ($1, 'state:notified', 'keywarden', now() - interval '5 hours')`,
      [id],
    );
    await db.query(
      `INSERT INTO escalations (credential_id, step, at) VALUES
         ($1, 1, now() - interval '39 days'), ($1, 2, now() - interval '38 days')`,
      [id],
    );

    const [candidate] = await listEscalationCandidates(db);
    const claimed = await Promise.all([
      claimEscalationSteps(db, id, [1], candidate!.notifiedAt),
      claimEscalationSteps(db, id, [1], candidate!.notifiedAt),
    ]);
    const [after] = await listEscalationCandidates(db);

    expect(candidate!.credentialId).toBe(id);
    expect(candidate!.taken).toEqual([]);
    expect(candidate!.ageMs).toBeGreaterThanOrEqual(5 * HOUR);
    expect(candidate!.ageMs).toBeLessThan(6 * HOUR);
    // The step of the earlier period is taken over once, by one of the two claims.
    expect(claimed.flat()).toEqual([1]);
    expect(after!.taken).toEqual([1]);
  });

  it('counts from the earliest announced exposure when there is no state:notified event', async () => {
    const id = await insertIssuedCredential(db, { name: 'exposures-only', notifiedAgo: '7 hours' });
    await db.query(
      `INSERT INTO exposures (credential_id, repo_id, repo, commit_sha, path, line, col, source, notified_at)
       VALUES ($1, 1, 'octo/hello', $2, 'other/.env', 1, 1, 'push', now() - interval '1 hour')`,
      [id, 'b'.repeat(40)],
    );

    const [candidate] = await listEscalationCandidates(db);

    expect(candidate!.ageMs).toBeGreaterThanOrEqual(7 * HOUR);
    expect(candidate!.ageMs).toBeLessThan(8 * HOUR);
  });

  it('reports the steps taken and leaves out credentials that took both', async () => {
    const one = await insertIssuedCredential(db, { name: 'one' });
    const both = await insertIssuedCredential(db, { name: 'both' });
    await claimEscalationSteps(db, one, [1], LONG_AGO);
    await claimEscalationSteps(db, both, [1, 2], LONG_AGO);

    const candidates = await listEscalationCandidates(db);

    expect(candidates.map((c) => [c.credentialId, c.taken])).toEqual([[one, [1]]]);
  });

  it('lets exactly one of many concurrent claims have each step, and a released step be claimed again', async () => {
    const id = await insertIssuedCredential(db, { name: 'raced' });

    const claims = await Promise.all(
      Array.from({ length: 6 }, () => claimEscalationSteps(db, id, [1, 2], LONG_AGO)),
    );
    const again = await claimEscalationSteps(db, id, [1], LONG_AGO);
    await releaseEscalationSteps(db, id, [2]);
    const reclaimed = await claimEscalationSteps(db, id, [1, 2], LONG_AGO);

    expect(claims.flat().sort()).toEqual([1, 2]);
    expect(again).toEqual([]);
    expect(reclaimed).toEqual([2]);
  });
});
