import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { suppressCredential, suppressedFingerprints } from './suppressions.js';
import { openTestDatabase, testBackends } from './testing.js';

describe.each(testBackends())('suppressions on %s', (backend) => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db.close());

  async function credential(fingerprint: string, repoIds: readonly number[]): Promise<number> {
    const { rows } = await db.query<{ id: unknown }>(
      `INSERT INTO credentials (fingerprint, provider, rule_id, class, severity, redacted)
       VALUES ($1, 'openai', 'openai.project-key', 'model-api', 'critical', 'sk-proj-…abcd') RETURNING id`,
      [fingerprint],
    );
    const id = Number(rows[0]!.id);
    let line = 1;
    for (const repoId of repoIds) {
      await db.query(
        `INSERT INTO exposures (credential_id, repo_id, repo, commit_sha, path, line, col, source)
         VALUES ($1, $2, $3, $4, 'app/.env', $5, 1, 'push')`,
        [id, repoId, `octo/repo-${repoId}`, 'c'.repeat(40), line++],
      );
    }
    return id;
  }

  it('suppresses the fingerprint in every repository it was found in, once each', async () => {
    const fingerprint = 'a'.repeat(64);
    const id = await credential(fingerprint, [11, 12, 11]);

    const repos = await suppressCredential(db, id, { reason: 'docs sample', actor: 'octocat' });

    expect(repos).toEqual([11, 12]);
    expect(await suppressedFingerprints(db, 11)).toEqual(new Set([fingerprint]));
    expect(await suppressedFingerprints(db, 12)).toEqual(new Set([fingerprint]));
    expect(await suppressedFingerprints(db, 13)).toEqual(new Set());
  });

  it('keeps the first reason when suppressed again', async () => {
    const fingerprint = 'b'.repeat(64);
    const id = await credential(fingerprint, [21]);
    await suppressCredential(db, id, { reason: 'first', actor: 'alice' });

    const again = await suppressCredential(db, id, { reason: 'second', actor: 'bob' });

    expect(again).toEqual([]);
    const { rows } = await db.query('SELECT reason, actor FROM suppressions WHERE repo_id = 21');
    expect(rows).toEqual([{ reason: 'first', actor: 'alice' }]);
  });
});
