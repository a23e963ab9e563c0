import type { Severity } from '../rules/types.js';
import type { Queryable } from './database.js';

/**
 * SLA escalation steps. A credential whose remediation issue is open (`detected`, `notified` or
 * `confirmed`) is escalated at step 1 once its age passes its severity's deadline, and at step 2 at
 * twice the deadline. Age counts from its notification: its latest `state:notified` event (the issue was
 * opened, or reopened after a new leak), else the earliest `notified_at` of its exposures; always by the
 * database's clock (one clock for every replica; tests move time by writing past timestamps).
 *
 * A step is taken at most once per notification period: the `escalations` row is the claim, inserted with
 * `INSERT … ON CONFLICT … RETURNING`, so of any number of sweeps (processes, replicas, a restart in the
 * middle) exactly one gets the row back and acts. A row from an earlier period (the issue was closed and
 * reopened since) is taken over by the same statement, atomically. A sweep whose GitHub calls fail gives
 * the row back ({@link releaseEscalationSteps}) so a later sweep tries again.
 */

export type EscalationStep = 1 | 2;

/** States whose issue is open and waiting for people: the only ones escalated. */
export const ESCALATED_STATES = ['detected', 'notified', 'confirmed'] as const;

/** A credential with an open issue that has not taken both steps yet. */
export interface EscalationCandidate {
  credentialId: number;
  fingerprint: string;
  severity: Severity;
  state: (typeof ESCALATED_STATES)[number];
  /** Where its issue is. */
  issueRepo: { owner: string; repo: string };
  issueNumber: number;
  /** The start of its current notification period. */
  notifiedAt: Date;
  /** Milliseconds since `notifiedAt`, by the database's clock. */
  ageMs: number;
  /** Steps already taken in this period. */
  taken: EscalationStep[];
}

interface CandidateRow {
  id: string | number;
  fingerprint: string;
  severity: Severity;
  state: EscalationCandidate['state'];
  issue_repo: string;
  issue_number: number;
  notified_at: Date | string;
  age_ms: number | string;
  step1: boolean;
  step2: boolean;
}

/**
 * Every credential in an escalated state with an issue, a notification, and a step still to take in it,
 * oldest notification first.
 */
export async function listEscalationCandidates(db: Queryable): Promise<EscalationCandidate[]> {
  const { rows } = await db.query<CandidateRow>(
    `SELECT c.id, c.fingerprint, c.severity, c.state, c.issue_repo, c.issue_number, n.notified_at,
            (extract(epoch FROM now() - n.notified_at) * 1000)::float8 AS age_ms,
            EXISTS (SELECT 1 FROM escalations x
                     WHERE x.credential_id = c.id AND x.step = 1 AND x.at >= n.notified_at) AS step1,
            EXISTS (SELECT 1 FROM escalations x
                     WHERE x.credential_id = c.id AND x.step = 2 AND x.at >= n.notified_at) AS step2
       FROM credentials c
       CROSS JOIN LATERAL (
         SELECT COALESCE(
           (SELECT max(v.at) FROM events v WHERE v.credential_id = c.id AND v.kind = 'state:notified'),
           (SELECT min(e.notified_at) FROM exposures e WHERE e.credential_id = c.id)
         ) AS notified_at
       ) n
      WHERE c.state = ANY($1::text[])
        AND c.issue_repo IS NOT NULL AND c.issue_number IS NOT NULL
        AND n.notified_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM escalations x
                         WHERE x.credential_id = c.id AND x.step = 2 AND x.at >= n.notified_at)
      ORDER BY n.notified_at, c.id`,
    [ESCALATED_STATES],
  );
  const candidates: EscalationCandidate[] = [];
  for (const row of rows) {
    const slash = row.issue_repo.indexOf('/');
    if (slash <= 0) continue;
    candidates.push({
      credentialId: Number(row.id),
      fingerprint: row.fingerprint,
      severity: row.severity,
      state: row.state,
      issueRepo: { owner: row.issue_repo.slice(0, slash), repo: row.issue_repo.slice(slash + 1) },
      issueNumber: row.issue_number,
      notifiedAt: new Date(row.notified_at),
      ageMs: Number(row.age_ms),
      taken: [...(row.step1 ? [1 as const] : []), ...(row.step2 ? [2 as const] : [])],
    });
  }
  return candidates;
}

/**
 * The steps due at `ageMs` for a deadline of `deadlineMs` that are not `taken` yet: step 1 from the
 * deadline on, step 2 from twice the deadline on (both, when a sweep first sees it that late).
 *
 * @example dueSteps(25 * HOUR, 24 * HOUR, []) // [1]
 */
export function dueSteps(
  ageMs: number,
  deadlineMs: number,
  taken: readonly EscalationStep[],
): EscalationStep[] {
  const due: EscalationStep[] = [];
  if (ageMs >= deadlineMs && !taken.includes(1)) due.push(1);
  if (ageMs >= 2 * deadlineMs && !taken.includes(2)) due.push(2);
  return due;
}

/**
 * Claims `steps` of a credential for the notification period that began at `since`: the steps whose
 * row this call inserted, or took over from an earlier period (the caller acts on those); none for a
 * step another sweep already claimed in this period. Safe from any number of processes at once.
 */
export async function claimEscalationSteps(
  db: Queryable,
  credentialId: number,
  steps: readonly EscalationStep[],
  since: Date,
): Promise<EscalationStep[]> {
  if (steps.length === 0) return [];
  const { rows } = await db.query<{ step: number }>(
    `INSERT INTO escalations (credential_id, step)
     SELECT $1, step FROM unnest($2::int[]) AS s(step)
     ON CONFLICT (credential_id, step) DO UPDATE SET at = now() WHERE escalations.at < $3
     RETURNING step`,
    [credentialId, [...steps], since],
  );
  return rows.map((row) => Number(row.step) as EscalationStep).sort();
}

/** Gives claimed steps back (acting on them failed), so a later sweep claims them again. */
export async function releaseEscalationSteps(
  db: Queryable,
  credentialId: number,
  steps: readonly EscalationStep[],
): Promise<void> {
  if (steps.length === 0) return;
  await db.query('DELETE FROM escalations WHERE credential_id = $1 AND step = ANY($2::int[])', [
    credentialId,
    [...steps],
  ]);
}
