import type { Queryable } from './database.js';

/**
 * Suppressions: fingerprints a repository has declared false positives or test credentials. A suppressed
 * fingerprint is handed to the engine as its `baseline` when that repository is scanned, so it is not
 * reported there again (the pull request check goes green on the next run). Other repositories still
 * report it.
 */

/**
 * Suppresses a credential in every repository it was found in (one row per distinct `exposures.repo_id`).
 * An existing suppression keeps its first reason and actor. Returns the repository ids now suppressed.
 */
export async function suppressCredential(
  db: Queryable,
  credentialId: number,
  who: { reason: string; actor: string },
): Promise<number[]> {
  const { rows } = await db.query<{ repo_id: unknown }>(
    `INSERT INTO suppressions (repo_id, fingerprint, reason, actor)
     SELECT DISTINCT e.repo_id, c.fingerprint, $2, $3
     FROM exposures e JOIN credentials c ON c.id = e.credential_id
     WHERE e.credential_id = $1
     ORDER BY e.repo_id
     ON CONFLICT (repo_id, fingerprint) DO NOTHING
     RETURNING repo_id`,
    [credentialId, who.reason, who.actor],
  );
  return rows.map((row) => Number(row.repo_id)).sort((a, b) => a - b);
}

/** The fingerprints suppressed in a repository: the engine's `baseline` for scans of it. */
export async function suppressedFingerprints(db: Queryable, repoId: number): Promise<Set<string>> {
  const { rows } = await db.query<{ fingerprint: string }>(
    'SELECT fingerprint FROM suppressions WHERE repo_id = $1',
    [repoId],
  );
  return new Set(rows.map((row) => row.fingerprint));
}
