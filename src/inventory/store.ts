import type { Finding } from '../engine/types.js';
import type { Database, Queryable } from './database.js';

/**
 * The inventory's writes. Every one is a single atomic statement or one transaction built from
 * `INSERT … ON CONFLICT`, never read-then-write, so any number of processes may run them at once.
 *
 * Functions that take a `Queryable` accept the database or an open transaction (`db.transaction(tx => …)`),
 * so a caller can combine them with each other and with `Queue.send(…, { tx })` in one commit.
 */

/** Where a finding was seen. */
export interface ExposureInput {
  repoId: number;
  /** `owner/name` */
  repo: string;
  commitSha: string;
  path: string;
  line: number;
  column: number;
  blobSha?: string;
  source: 'push' | 'pull_request' | 'alert';
  ref?: string;
  pullRequest?: number;
}

/** The location shared by a batch of findings; per-file blob shas come from `blobShas` (path → sha). */
export type FindingsLocation = Omit<ExposureInput, 'path' | 'line' | 'column'> & {
  blobShas?: ReadonlyMap<string, string>;
};

export interface RecordedFindings {
  /** Distinct credentials (fingerprints) among the findings. */
  credentials: number;
  /** Credentials seen for the first time. */
  newCredentials: number;
  /** Exposures (credential, repo, commit, path, line) recorded for the first time. */
  newExposures: number;
}

function isDatabase(db: Queryable): db is Database {
  return typeof (db as Partial<Database>).transaction === 'function';
}

/**
 * Records findings in one transaction: upserts each credential by fingerprint (a new one starts in state
 * `detected` with an audit event `detected` by `actor`; a known one gets `last_seen` moved), and inserts
 * each exposure unless that credential was already seen at the same repo, commit, path and line. Never
 * stores `finding.secret`: only `redacted` and `fingerprint`.
 *
 * Credentials are written in fingerprint order so concurrent calls over overlapping findings lock rows in
 * the same order and cannot deadlock.
 */
export async function recordFindings(
  db: Queryable,
  findings: readonly Finding[],
  where: FindingsLocation,
  actor: string,
): Promise<RecordedFindings> {
  if (findings.length === 0) return { credentials: 0, newCredentials: 0, newExposures: 0 };
  const run = (tx: Queryable) => recordIn(tx, findings, where, actor);
  return isDatabase(db) ? db.transaction(run) : run(db);
}

async function recordIn(
  tx: Queryable,
  findings: readonly Finding[],
  where: FindingsLocation,
  actor: string,
): Promise<RecordedFindings> {
  const byFingerprint = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = byFingerprint.get(finding.fingerprint);
    if (group) group.push(finding);
    else byFingerprint.set(finding.fingerprint, [finding]);
  }
  let newCredentials = 0;
  let newExposures = 0;
  for (const fingerprint of [...byFingerprint.keys()].sort()) {
    const group = byFingerprint.get(fingerprint)!;
    const { id, created } = await upsertCredential(tx, group[0]!);
    if (created) {
      newCredentials++;
      const first = group[0]!;
      await insertEvent(tx, id, 'detected', actor, undefined, {
        ruleId: first.ruleId,
        repo: where.repo,
        commitSha: where.commitSha,
        source: where.source,
        path: first.path,
        line: first.line,
      });
    }
    const locations = [...group].sort((a, b) =>
      a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1,
    );
    for (const finding of locations) {
      if (await insertExposure(tx, id, finding, where)) newExposures++;
    }
  }
  return { credentials: byFingerprint.size, newCredentials, newExposures };
}

async function upsertCredential(tx: Queryable, finding: Finding): Promise<{ id: number; created: boolean }> {
  const inserted = await tx.query<{ id: unknown }>(
    `INSERT INTO credentials (fingerprint, provider, rule_id, class, severity, redacted)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (fingerprint) DO NOTHING
     RETURNING id`,
    [
      finding.fingerprint,
      finding.provider,
      finding.ruleId,
      finding.class,
      finding.severity,
      finding.redacted,
    ],
  );
  if (inserted.rows[0]) return { id: Number(inserted.rows[0].id), created: true };
  const updated = await tx.query<{ id: unknown }>(
    'UPDATE credentials SET last_seen = now() WHERE fingerprint = $1 RETURNING id',
    [finding.fingerprint],
  );
  if (!updated.rows[0]) throw new Error(`credential ${finding.redacted} vanished while being recorded`);
  return { id: Number(updated.rows[0].id), created: false };
}

async function insertExposure(
  tx: Queryable,
  credentialId: number,
  finding: Finding,
  where: FindingsLocation,
): Promise<boolean> {
  const { rows } = await tx.query(
    `INSERT INTO exposures
       (credential_id, repo_id, repo, commit_sha, path, line, col, blob_sha, source, ref, pull_request)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (credential_id, repo_id, commit_sha, path, line) DO NOTHING
     RETURNING id`,
    [
      credentialId,
      where.repoId,
      where.repo,
      where.commitSha,
      finding.path,
      finding.line,
      finding.column,
      where.blobShas?.get(finding.path) ?? where.blobSha ?? null,
      where.source,
      where.ref ?? null,
      where.pullRequest ?? null,
    ],
  );
  return rows.length === 1;
}

async function insertEvent(
  tx: Queryable,
  credentialId: number | null,
  kind: string,
  actor: string,
  reason: string | undefined,
  data: unknown,
): Promise<void> {
  await tx.query(
    'INSERT INTO events (credential_id, kind, actor, reason, data) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [credentialId, kind, actor, reason ?? null, toJson(data)],
  );
}

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Claims a webhook delivery: `true` the first time a delivery id is seen, `false` on every redelivery. */
export async function claimDelivery(db: Queryable, deliveryId: string, event: string): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO deliveries (delivery_id, event) VALUES ($1, $2)
     ON CONFLICT (delivery_id) DO NOTHING
     RETURNING delivery_id`,
    [deliveryId, event],
  );
  return rows.length === 1;
}

export type CheckRunClaim = { owner: true } | { owner: false; checkRunId?: number };

/**
 * Claims the check run of a head sha in a repository. The first caller is the owner (`{ owner: true }`)
 * and creates the check run, then saves its id with {@link saveCheckRunId}; every later caller gets
 * `{ owner: false }` with the saved id once there is one (update that check run; never create a second).
 *
 * `claimant` (say, the job id) makes the claim re-entrant: a retried job that claimed but failed before
 * saving the id is the owner again, instead of finding a claim with no check run behind it.
 */
export async function claimCheckRun(
  db: Queryable,
  repoId: number,
  headSha: string,
  claimant?: string,
): Promise<CheckRunClaim> {
  const inserted = await db.query(
    `INSERT INTO check_runs (repo_id, head_sha, claimant) VALUES ($1, $2, $3)
     ON CONFLICT (repo_id, head_sha) DO NOTHING
     RETURNING repo_id`,
    [repoId, headSha, claimant ?? null],
  );
  if (inserted.rows.length === 1) return { owner: true };
  // A separate statement, so it sees a row committed by a concurrent claimer that the insert waited for.
  const { rows } = await db.query<{ check_run_id: unknown; claimant: string | null }>(
    'SELECT check_run_id, claimant FROM check_runs WHERE repo_id = $1 AND head_sha = $2',
    [repoId, headSha],
  );
  const row = rows[0];
  if (!row) throw new Error('check run claim vanished');
  if (row.check_run_id === null || row.check_run_id === undefined) {
    return claimant !== undefined && row.claimant === claimant ? { owner: true } : { owner: false };
  }
  return { owner: false, checkRunId: Number(row.check_run_id) };
}

/** Saves the id of the check run created for a head sha (the owner calls it after creating the run). */
export async function saveCheckRunId(
  db: Queryable,
  repoId: number,
  headSha: string,
  checkRunId: number,
): Promise<void> {
  await db.query(
    `INSERT INTO check_runs (repo_id, head_sha, check_run_id) VALUES ($1, $2, $3)
     ON CONFLICT (repo_id, head_sha) DO UPDATE SET check_run_id = EXCLUDED.check_run_id`,
    [repoId, headSha, checkRunId],
  );
}

/** The longest error text kept for a dead letter. */
const MAX_ERROR_LENGTH = 4000;

/**
 * Records a job that failed for good. Recording the same job again (a retried dead-letter worker, a
 * redriven job failing again) updates the row instead of adding one.
 */
export async function recordDeadLetter(
  db: Queryable,
  job: { name: string; id: string; payload: unknown; error: string },
): Promise<void> {
  await db.query(
    `INSERT INTO dead_letters (job_name, job_id, payload, error) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (job_name, job_id) DO UPDATE SET payload = EXCLUDED.payload, error = EXCLUDED.error, at = now()`,
    [job.name, job.id, toJson(job.payload), job.error.slice(0, MAX_ERROR_LENGTH)],
  );
}

/**
 * Appends an audit event. The credential is named by `credentialId` or by `fingerprint`; an unknown
 * fingerprint is an error (an event about a credential the inventory does not hold would be lost).
 */
export async function recordEvent(
  db: Queryable,
  e: {
    credentialId?: number;
    fingerprint?: string;
    kind: string;
    actor: string;
    reason?: string;
    data?: unknown;
  },
): Promise<void> {
  if (e.credentialId !== undefined || e.fingerprint === undefined) {
    await insertEvent(db, e.credentialId ?? null, e.kind, e.actor, e.reason, e.data);
    return;
  }
  const { rows } = await db.query(
    `INSERT INTO events (credential_id, kind, actor, reason, data)
     SELECT id, $2, $3, $4, $5::jsonb FROM credentials WHERE fingerprint = $1
     RETURNING id`,
    [e.fingerprint, e.kind, e.actor, e.reason ?? null, toJson(e.data)],
  );
  if (rows.length === 0) throw new Error(`no credential with fingerprint ${e.fingerprint.slice(0, 12)}…`);
}

/**
 * Forgets a claimed delivery, so a redelivery is processed (the caller could not enqueue its job). Where a
 * transaction fits, prefer claiming and enqueueing in one: `db.transaction(async (tx) => (await
 * claimDelivery(tx, id, event)) && queue.send(name, payload, { singletonKey, tx }))`.
 */
export async function releaseDelivery(db: Queryable, deliveryId: string): Promise<void> {
  await db.query('DELETE FROM deliveries WHERE delivery_id = $1', [deliveryId]);
}
