import type { Database, Queryable } from '../inventory/database.js';
import { recordEvent } from '../inventory/store.js';
import { TERMINAL_STATES } from '../remediation/lifecycle.js';
import type { UsageJudgement, UsageUnit } from './baseline.js';

/**
 * Usage jumps found (`usage_anomalies`, migration 006): one row per provider, key and hour, so a jump is
 * recorded, audited and commented on once whatever the number of runs, retries or replicas.
 *
 * A row goes through three steps: recorded (with its `usage:anomaly` audit event, in one transaction),
 * claimed by a job about to comment on the credential's issue (`claimed_at`), reported once the comment
 * is posted (`reported_at`). A job whose comment fails gives its claim back; a claim older than
 * {@link CLAIM_TIMEOUT} (the job died mid-comment) may be taken over, and the taker is told so, to look
 * for its comment before posting again.
 */

/** How long a claim holds before another job may take it over. */
export const CLAIM_TIMEOUT = '15 minutes';

/** What identifies one jump. */
export interface AnomalyRef {
  provider: string;
  keyId: string;
  /** Start of the hour. */
  hour: Date;
}

/** A jump recorded but not yet reported on its credential's open issue. */
export interface UnreportedAnomaly extends AnomalyRef {
  credentialId: number;
  state: string;
  unit: UsageUnit;
  observed: number;
  /** The baseline median. */
  median: number;
  issueRepo: { owner: string; repo: string };
  issueNumber: number;
}

/**
 * Records a jump of `keyId` (mapped to `credentialId`) and its audit event `usage:anomaly` in one
 * transaction. `false` when the hour was recorded before (nothing written).
 */
export async function recordAnomaly(
  db: Database,
  credentialId: number,
  provider: string,
  keyId: string,
  judgement: UsageJudgement,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      `INSERT INTO usage_anomalies (provider, key_id, hour, credential_id, unit, observed, baseline)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (provider, key_id, hour) DO NOTHING
       RETURNING key_id`,
      [
        provider,
        keyId,
        judgement.hour.toISOString(),
        credentialId,
        judgement.unit,
        judgement.observed,
        judgement.median,
      ],
    );
    if (rows.length === 0) return false;
    await recordEvent(tx, {
      credentialId,
      kind: 'usage:anomaly',
      actor: 'keywarden',
      reason: `usage jump on ${provider} key ${keyId}`,
      data: {
        keyId,
        hour: judgement.hour.toISOString(),
        observed: judgement.observed,
        median: judgement.median,
        ratio: judgement.ratio,
        unit: judgement.unit,
      },
    });
    return true;
  });
}

interface UnreportedRow {
  provider: string;
  key_id: string;
  hour: Date | string;
  credential_id: string | number;
  state: string;
  unit: UsageUnit;
  observed: string | number;
  baseline: number;
  issue_repo: string;
  issue_number: number;
}

/**
 * Jumps from `notBefore` on that are neither reported nor claimed (or claimed longer ago than
 * {@link CLAIM_TIMEOUT}), of credentials whose issue exists and whose lifecycle has not ended; oldest
 * first. A jump of a credential without an issue waits here until the issue opens.
 */
export async function unreportedAnomalies(db: Queryable, notBefore: Date): Promise<UnreportedAnomaly[]> {
  const { rows } = await db.query<UnreportedRow>(
    `SELECT a.provider, a.key_id, a.hour, a.credential_id, c.state, a.unit, a.observed, a.baseline,
            c.issue_repo, c.issue_number
       FROM usage_anomalies a JOIN credentials c ON c.id = a.credential_id
      WHERE a.reported_at IS NULL AND a.hour >= $1
        AND (a.claimed_at IS NULL OR a.claimed_at < now() - $2::interval)
        AND c.issue_repo IS NOT NULL AND c.issue_number IS NOT NULL
        AND NOT (c.state = ANY($3::text[]))
      ORDER BY a.hour, a.provider, a.key_id`,
    [notBefore.toISOString(), CLAIM_TIMEOUT, [...TERMINAL_STATES]],
  );
  const anomalies: UnreportedAnomaly[] = [];
  for (const row of rows) {
    const slash = row.issue_repo.indexOf('/');
    if (slash <= 0) continue;
    anomalies.push({
      provider: row.provider,
      keyId: row.key_id,
      hour: new Date(row.hour),
      credentialId: Number(row.credential_id),
      state: row.state,
      unit: row.unit,
      observed: Number(row.observed),
      median: Number(row.baseline),
      issueRepo: { owner: row.issue_repo.slice(0, slash), repo: row.issue_repo.slice(slash + 1) },
      issueNumber: row.issue_number,
    });
  }
  return anomalies;
}

/** The outcome of a claim: `fresh` (nobody tried before), `takeover` (a stale claim), or not claimed. */
export type AnomalyClaim = 'fresh' | 'takeover' | undefined;

/**
 * Claims an unreported jump for commenting. Of any number of jobs at once exactly one gets it; a claim
 * older than {@link CLAIM_TIMEOUT} is taken over (`takeover`: the earlier job may have posted its comment
 * before it died).
 */
export async function claimAnomaly(db: Queryable, ref: AnomalyRef): Promise<AnomalyClaim> {
  const { rows } = await db.query<{ previous: Date | string | null }>(
    `WITH previous AS (
       SELECT claimed_at FROM usage_anomalies WHERE provider = $1 AND key_id = $2 AND hour = $3
     )
     UPDATE usage_anomalies SET claimed_at = now()
      WHERE provider = $1 AND key_id = $2 AND hour = $3 AND reported_at IS NULL
        AND (claimed_at IS NULL OR claimed_at < now() - $4::interval)
     RETURNING (SELECT claimed_at FROM previous) AS previous`,
    [ref.provider, ref.keyId, ref.hour.toISOString(), CLAIM_TIMEOUT],
  );
  if (rows.length === 0) return undefined;
  return rows[0]!.previous === null ? 'fresh' : 'takeover';
}

/** Marks a claimed jump reported (its comment is on the issue, or the issue is gone for good). */
export async function markAnomalyReported(db: Queryable, ref: AnomalyRef): Promise<void> {
  await db.query(
    `UPDATE usage_anomalies SET reported_at = now()
      WHERE provider = $1 AND key_id = $2 AND hour = $3`,
    [ref.provider, ref.keyId, ref.hour.toISOString()],
  );
}

/** Gives a claim back (the comment failed), so a later run tries again. */
export async function releaseAnomaly(db: Queryable, ref: AnomalyRef): Promise<void> {
  await db.query(
    `UPDATE usage_anomalies SET claimed_at = NULL
      WHERE provider = $1 AND key_id = $2 AND hour = $3 AND reported_at IS NULL`,
    [ref.provider, ref.keyId, ref.hour.toISOString()],
  );
}
