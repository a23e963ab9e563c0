import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanText } from '../engine/scan.js';
import { openai } from '../rules/openai/index.js';
import type { Database } from './database.js';
import {
  claimIssue,
  credentialsToAnnounce,
  loadAssignment,
  loadCredential,
  loadExposures,
  peekUnnotifiedExposures,
  recordAssignment,
  saveIssue,
  takeUnnotifiedExposures,
} from './issues.js';
import { recordFindings } from './store.js';
import { openTestDatabase, testBackends } from './testing.js';

const rule = openai.rules.find((candidate) => candidate.id === 'openai.project-key')!;
const KEY = 'issues-test-fingerprint-key';

let nextRepoId = 5000;

/** Records a fresh key (built at run time) at `paths` (line 1 each) of one commit; returns its credential id. */
async function plant(db: Database, seed: string, paths: readonly string[], sha = 'b'.repeat(40)) {
  const secret = rule.sample(seed);
  const repoId = nextRepoId++;
  const findings = paths.flatMap((path) =>
    scanText(`OPENAI_API_KEY=${secret}`, [rule], { path, fingerprintKey: KEY }),
  );
  expect(findings).toHaveLength(paths.length);
  await recordFindings(db, findings, { repoId, repo: 'acme/app', commitSha: sha, source: 'push' }, 'alice');
  const [id] = await credentialsToAnnounce(db, { repoId, commitSha: sha });
  return { id: id!, repoId, sha };
}

describe.each(testBackends())('issues inventory on %s', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db.close());

  it('claims the issue for one job: owner, then "being opened", then the saved issue', async () => {
    const { id } = await plant(db, 'claim', ['a.env']);

    const first = await claimIssue(db, id, 'job-1');
    const again = await claimIssue(db, id, 'job-1');
    const other = await claimIssue(db, id, 'job-2');
    await saveIssue(db, id, 'acme/app', 7);
    const afterSave = await claimIssue(db, id, 'job-2');
    const retried = await claimIssue(db, id, 'job-1');

    expect(first).toEqual({ owner: true });
    expect(again).toEqual({ owner: true });
    expect(other).toEqual({ owner: false });
    expect(afterSave).toEqual({ owner: false, issue: { repo: 'acme/app', number: 7 } });
    expect(retried).toEqual({ owner: false, issue: { repo: 'acme/app', number: 7 } });
    expect((await loadCredential(db, id))?.issue).toEqual({ repo: 'acme/app', number: 7 });
  });

  it('hands a claim left for 5 minutes to another job', async () => {
    const { id } = await plant(db, 'stale-claim', ['a.env']);
    await claimIssue(db, id, 'job-dead');
    await db.query("UPDATE credentials SET issue_claimed_at = now() - interval '6 minutes' WHERE id = $1", [
      id,
    ]);

    const claim = await claimIssue(db, id, 'job-new');

    expect(claim).toEqual({ owner: true });
  });

  it('gives the claim to exactly one of many concurrent jobs', async () => {
    const { id } = await plant(db, 'claim-race', ['a.env']);

    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimIssue(db, id, `job-${i}`)));

    expect(claims.filter((claim) => claim.owner)).toHaveLength(1);
  });

  it('lists the credentials with unannounced exposures at a commit', async () => {
    const { id, repoId, sha } = await plant(db, 'to-announce', ['a.env', 'b.env']);

    const before = await credentialsToAnnounce(db, { repoId, commitSha: sha });
    await takeUnnotifiedExposures(db, id, 'job-1', async () => ({ result: undefined }));
    const after = await credentialsToAnnounce(db, { repoId, commitSha: sha });

    expect(before).toEqual([id]);
    expect(after).toEqual([]);
  });

  it('takes the unannounced exposures once: a second take gets none', async () => {
    const { id } = await plant(db, 'take-once', ['a.env', 'b.env']);

    const first = await takeUnnotifiedExposures(db, id, 'job-1', async (exposures) => ({
      result: exposures.map((e) => e.path),
    }));
    const second = await takeUnnotifiedExposures(db, id, 'job-2', async (exposures) => ({
      result: exposures.length,
    }));

    expect(first.result).toEqual(['a.env', 'b.env']);
    expect(second).toEqual({ exposures: [], result: 0 });
    const { exposures } = await loadExposures(db, id);
    expect(exposures.every((e) => e.notifiedAt instanceof Date)).toBe(true);
  });

  it('gives the exposures back when announcing fails, so the retry announces them', async () => {
    const { id } = await plant(db, 'take-fails', ['a.env', 'b.env']);

    const failed = takeUnnotifiedExposures(db, id, 'job-1', async (exposures) => {
      expect(exposures).toHaveLength(2);
      throw new Error('GitHub answered 502');
    });
    await expect(failed).rejects.toThrow('GitHub answered 502');
    const pending = await peekUnnotifiedExposures(db, id);
    // Another job (not only the same job's retry) may take them once the claim is released.
    const retried = await takeUnnotifiedExposures(db, id, 'job-2', async (exposures) => ({
      result: exposures.map((e) => e.path),
      commit: async (tx) => {
        await tx.query("INSERT INTO events (credential_id, kind, actor) VALUES ($1, 'announced', 'test')", [
          id,
        ]);
      },
    }));

    expect(pending.map((e) => e.path)).toEqual(['a.env', 'b.env']);
    expect(retried.result).toEqual(['a.env', 'b.env']);
    const { rows } = await db.query("SELECT 1 FROM events WHERE credential_id = $1 AND kind = 'announced'", [
      id,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('lets concurrent takers announce each exposure exactly once', async () => {
    const { id } = await plant(db, 'take-race', ['a.env', 'b.env', 'c.env']);
    const announced: string[] = [];

    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        takeUnnotifiedExposures(db, id, `job-${i}`, async (exposures) => {
          // Take a moment, as a GitHub request would.
          await new Promise((resolve) => setTimeout(resolve, 20));
          announced.push(...exposures.map((e) => e.path));
          return { result: undefined };
        }),
      ),
    );

    expect(announced.sort()).toEqual(['a.env', 'b.env', 'c.env']);
  });

  it('merges the recorded assignments: owners added later, the fallback until owners are found', async () => {
    const { id } = await plant(db, 'assignment', ['a.env']);

    await recordAssignment(db, id, {
      assignees: ['sec1'],
      teams: ['@acme/security'],
      fallback: 'security-team',
      notes: ['No code owner can be assigned.'],
      securityTeam: '@acme/security',
    });
    const opened = await loadAssignment(db, id);
    await recordAssignment(db, id, { assignees: ['carol', 'SEC1'], teams: [], notes: [] });
    const later = await loadAssignment(db, id);

    expect(opened).toEqual({
      assignees: ['sec1'],
      teams: ['@acme/security'],
      fallback: 'security-team',
      notes: ['No code owner can be assigned.'],
      securityTeam: '@acme/security',
    });
    expect(later).toEqual({
      assignees: ['sec1', 'carol'],
      teams: ['@acme/security'],
      notes: ['No code owner can be assigned.'],
      securityTeam: '@acme/security',
    });
  });
});
