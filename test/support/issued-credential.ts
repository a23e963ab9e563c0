import { createHash } from 'node:crypto';
import type { Database } from '../../src/inventory/database.js';

let nextIssue = 100;

export interface IssuedCredential {
  /** Seed of the fingerprint (sha-256 of it). */
  name: string;
  severity?: 'critical' | 'high' | 'medium' | 'low';
  state?: string;
  /** Its issue (`null`: none yet); default `octo/hello` with a fresh number. */
  issue?: { repo: string; number: number } | null;
  /** How long ago its exposure was announced on the issue, as a PostgreSQL interval; `null`: not yet. */
  notifiedAgo?: string | null;
}

/**
 * Writes a credential with an issue and one exposure announced `notifiedAgo` ago: a controllable clock for
 * SLA tests, by timestamps in the past. Returns the credential id.
 */
export async function insertIssuedCredential(db: Database, options: IssuedCredential): Promise<number> {
  const issue = options.issue === undefined ? { repo: 'octo/hello', number: nextIssue++ } : options.issue;
  const { rows } = await db.query<{ id: string | number }>(
    `INSERT INTO credentials (fingerprint, provider, rule_id, class, severity, redacted, state, issue_repo, issue_number)
     VALUES ($1, 'openai', 'openai.project-key', 'model-api', $2, 'sk-proj-…ab12', $3, $4, $5) RETURNING id`,
    [
      fingerprintOf(options.name),
      options.severity ?? 'high',
      options.state ?? 'notified',
      issue?.repo ?? null,
      issue?.number ?? null,
    ],
  );
  const id = Number(rows[0]!.id);
  const notifiedAgo = options.notifiedAgo === undefined ? '1 hour' : options.notifiedAgo;
  await db.query(
    `INSERT INTO exposures (credential_id, repo_id, repo, commit_sha, path, line, col, source, notified_at)
     VALUES ($1, 1, 'octo/hello', $2, 'config/.env', 3, 1, 'push', now() - $3::interval)`,
    [id, 'a'.repeat(40), notifiedAgo ?? '0 seconds'],
  );
  if (notifiedAgo === null)
    await db.query('UPDATE exposures SET notified_at = NULL WHERE credential_id = $1', [id]);
  return id;
}

/** Moves a credential's clock: its exposures were announced `ago` ago. */
export async function setNotifiedAgo(db: Database, credentialId: number, ago: string): Promise<void> {
  await db.query('UPDATE exposures SET notified_at = now() - $2::interval WHERE credential_id = $1', [
    credentialId,
    ago,
  ]);
}

/** The fingerprint `insertIssuedCredential` gives `name`. */
export function fingerprintOf(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}
