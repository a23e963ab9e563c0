import type { Database, Queryable } from './database.js';

/**
 * The inventory side of remediation issues: one issue per credential, claimed like check runs; the
 * exposures an issue has announced; who was assigned. Every write is one statement or one transaction,
 * safe from any number of processes at once.
 */

/** A credential as its issue shows it. */
export interface CredentialRecord {
  id: number;
  fingerprint: string;
  provider: string;
  ruleId: string;
  class: string;
  severity: string;
  redacted: string;
  state: string;
  firstSeen: Date;
  lastSeen: Date;
  stateChangedAt: Date;
  /** The credential's issue, once it has one. */
  issue?: IssueRef;
}

/** An issue: `repo` is `owner/name`. */
export interface IssueRef {
  repo: string;
  number: number;
}

/** One place a credential was seen. */
export interface ExposureRecord {
  id: number;
  repoId: number;
  repo: string;
  commitSha: string;
  path: string;
  line: number;
  column: number;
  source: 'push' | 'pull_request' | 'alert';
  ref?: string;
  pullRequest?: number;
  firstSeen: Date;
  /** When its issue announced it; absent: not yet. */
  notifiedAt?: Date;
}

/** Who was assigned to a credential's issue and why (the `assigned` audit events, merged). */
export interface AssignmentRecord {
  assignees: string[];
  teams: string[];
  fallback?: 'security-team' | 'admins';
  notes: string[];
  /** The configured security team when the issue was opened. */
  securityTeam?: string;
}

/** GitHub's cap on assignees per issue. */
export const MAX_ASSIGNEES = 10;

interface CredentialRow {
  id: unknown;
  fingerprint: string;
  provider: string;
  rule_id: string;
  class: string;
  severity: string;
  redacted: string;
  state: string;
  first_seen: Date | string;
  last_seen: Date | string;
  state_changed_at: Date | string;
  issue_repo: string | null;
  issue_number: unknown;
}

interface ExposureRow {
  id: unknown;
  repo_id: unknown;
  repo: string;
  commit_sha: string;
  path: string;
  line: unknown;
  col: unknown;
  source: ExposureRecord['source'];
  ref: string | null;
  pull_request: unknown;
  first_seen: Date | string;
  notified_at: Date | string | null;
}

const EXPOSURE_COLUMNS =
  'id, repo_id, repo, commit_sha, path, line, col, source, ref, pull_request, first_seen, notified_at';
/** Oldest first; ties (one scan records many at once) by place. */
const EXPOSURE_ORDER = 'ORDER BY first_seen, id';

function toCredential(row: CredentialRow): CredentialRecord {
  const record: CredentialRecord = {
    id: Number(row.id),
    fingerprint: row.fingerprint,
    provider: row.provider,
    ruleId: row.rule_id,
    class: row.class,
    severity: row.severity,
    redacted: row.redacted,
    state: row.state,
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
    stateChangedAt: new Date(row.state_changed_at),
  };
  if (row.issue_repo !== null && row.issue_number !== null && row.issue_number !== undefined) {
    record.issue = { repo: row.issue_repo, number: Number(row.issue_number) };
  }
  return record;
}

function toExposure(row: ExposureRow): ExposureRecord {
  const record: ExposureRecord = {
    id: Number(row.id),
    repoId: Number(row.repo_id),
    repo: row.repo,
    commitSha: row.commit_sha,
    path: row.path,
    line: Number(row.line),
    column: Number(row.col),
    source: row.source,
    firstSeen: new Date(row.first_seen),
  };
  if (row.ref !== null) record.ref = row.ref;
  if (row.pull_request !== null && row.pull_request !== undefined)
    record.pullRequest = Number(row.pull_request);
  if (row.notified_at !== null) record.notifiedAt = new Date(row.notified_at);
  return record;
}

/** A credential by id, with its issue if it has one; `undefined` when there is none. */
export async function loadCredential(
  db: Queryable,
  credentialId: number,
): Promise<CredentialRecord | undefined> {
  const { rows } = await db.query<CredentialRow>(
    `SELECT id, fingerprint, provider, rule_id, class, severity, redacted, state, first_seen, last_seen,
            state_changed_at, issue_repo, issue_number
       FROM credentials WHERE id = $1`,
    [credentialId],
  );
  return rows[0] ? toCredential(rows[0]) : undefined;
}

/**
 * The places a credential was seen, oldest first: at most `limit` of them (an issue lists a bounded
 * table), and how many there are in all.
 */
export async function loadExposures(
  db: Queryable,
  credentialId: number,
  limit = 500,
): Promise<{ exposures: ExposureRecord[]; total: number }> {
  const { rows } = await db.query<ExposureRow>(
    `SELECT ${EXPOSURE_COLUMNS} FROM exposures WHERE credential_id = $1 ${EXPOSURE_ORDER} LIMIT $2`,
    [credentialId, limit],
  );
  const exposures = rows.map(toExposure);
  if (exposures.length < limit) return { exposures, total: exposures.length };
  const count = await db.query<{ total: unknown }>(
    'SELECT count(*) AS total FROM exposures WHERE credential_id = $1',
    [credentialId],
  );
  return { exposures, total: Number(count.rows[0]?.total ?? exposures.length) };
}

/** The exposures of a credential its issue has not announced yet, oldest first (a read: nothing is taken). */
export async function peekUnnotifiedExposures(
  db: Queryable,
  credentialId: number,
): Promise<ExposureRecord[]> {
  const { rows } = await db.query<ExposureRow>(
    `SELECT ${EXPOSURE_COLUMNS} FROM exposures
      WHERE credential_id = $1 AND notified_at IS NULL ${EXPOSURE_ORDER}`,
    [credentialId],
  );
  return rows.map(toExposure);
}

/**
 * Credentials with exposures in a repository commit that no issue has announced yet: what a scan of
 * that commit must hand to remediation. Ordered by id.
 */
export async function credentialsToAnnounce(
  db: Queryable,
  where: { repoId: number; commitSha: string },
): Promise<number[]> {
  const { rows } = await db.query<{ credential_id: unknown }>(
    `SELECT DISTINCT credential_id FROM exposures
      WHERE repo_id = $1 AND commit_sha = $2 AND notified_at IS NULL
      ORDER BY credential_id`,
    [where.repoId, where.commitSha],
  );
  return rows.map((row) => Number(row.credential_id));
}

export type IssueClaim = { owner: true } | { owner: false; issue?: IssueRef };

/** A claim older than this is taken over: its job died between claiming and saving the issue. */
const CLAIM_TIMEOUT = "interval '5 minutes'";

/**
 * Claims the creation of a credential's issue (the same pattern as `claimCheckRun`). The first caller is
 * the owner (`{ owner: true }`): it creates the issue, then calls {@link saveIssue}. Every later caller
 * gets `{ owner: false }`, with the issue once it is saved (update it; never open a second), or without
 * one while the owner is still creating it (wait, or retry later).
 *
 * `jobId` makes the claim re-entrant: a retried job that claimed but failed before saving is the owner
 * again. A claim left for 5 minutes by a job that died is taken over.
 */
export async function claimIssue(db: Queryable, credentialId: number, jobId: string): Promise<IssueClaim> {
  const claimed = await db.query(
    `UPDATE credentials SET issue_claimant = $2, issue_claimed_at = now()
      WHERE id = $1 AND issue_number IS NULL
        AND (issue_claimant IS NULL OR issue_claimant = $2 OR issue_claimed_at < now() - ${CLAIM_TIMEOUT})
      RETURNING id`,
    [credentialId, jobId],
  );
  if (claimed.rows.length === 1) return { owner: true };
  // A separate statement, so it sees what a concurrent claimer committed while the update waited for it.
  const credential = await loadCredential(db, credentialId);
  if (!credential) throw new Error(`there is no credential ${credentialId}`);
  return credential.issue ? { owner: false, issue: credential.issue } : { owner: false };
}

/** Records the issue of a credential (the claim's owner, after creating or finding it). */
export async function saveIssue(
  db: Queryable,
  credentialId: number,
  repo: string,
  issueNumber: number,
): Promise<void> {
  await db.query(
    `UPDATE credentials SET issue_repo = $2, issue_number = $3, issue_claimant = NULL, issue_claimed_at = NULL
      WHERE id = $1`,
    [credentialId, repo, issueNumber],
  );
}

/**
 * Forgets a credential's issue when GitHub says it is gone (deleted, or transferred out of reach), so
 * the next run opens a new one. Only forgets `issue`: a concurrent run that saved another is kept.
 */
export async function forgetIssue(db: Queryable, credentialId: number, issue: IssueRef): Promise<void> {
  await db.query(
    `UPDATE credentials SET issue_repo = NULL, issue_number = NULL
      WHERE id = $1 AND issue_repo = $2 AND issue_number = $3`,
    [credentialId, issue.repo, issue.number],
  );
  await db.query(
    `INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, 'issue-gone', 'keywarden', $2::jsonb)`,
    [credentialId, JSON.stringify(issue)],
  );
}

/** What announcing exposures produced, and the inventory writes that go with it. */
export interface Announcement<T> {
  result: T;
  /** Writes that belong with the announcement (the issue number, audit events); one short transaction. */
  commit?: (tx: Queryable) => Promise<void>;
}

/** An announcement claim older than this is taken over (its job died). */
const ANNOUNCE_CLAIM_TTL = "interval '5 minutes'";

/**
 * Takes the exposures of a credential that no issue has announced, and runs `announce` with them (an
 * empty list when there are none): the exposures count as announced only if `announce` resolves.
 *
 * No transaction stays open while `announce` talks to GitHub (on PGlite that would stall every webhook):
 * the exposures are claimed for `claimant` (the job id, stable across its retries) in one short statement;
 * `announce` runs; then one short transaction marks them announced and runs the announcement's `commit`.
 * If `announce` throws, the claim is released for the retry; if the process dies, the claim expires after
 * five minutes. A concurrent caller finds them claimed and gets none. (If the final commit fails after
 * GitHub accepted the announcement, it is announced twice rather than never.)
 */
export async function takeUnnotifiedExposures<T>(
  db: Database,
  credentialId: number,
  claimant: string,
  announce: (exposures: ExposureRecord[]) => Promise<Announcement<T>>,
): Promise<{ exposures: ExposureRecord[]; result: T }> {
  const { rows } = await db.query<ExposureRow>(
    `UPDATE exposures SET announce_claim = $2, announce_claimed_at = now()
      WHERE credential_id = $1 AND notified_at IS NULL
        AND (announce_claim IS NULL OR announce_claim = $2 OR announce_claimed_at < now() - ${ANNOUNCE_CLAIM_TTL})
      RETURNING ${EXPOSURE_COLUMNS}`,
    [credentialId, claimant],
  );
  const exposures = rows.map(toExposure).sort(byAge);
  const ids = exposures.map((exposure) => exposure.id);
  let announcement: Announcement<T>;
  try {
    announcement = await announce(exposures);
  } catch (error) {
    await db.query(
      'UPDATE exposures SET announce_claim = NULL, announce_claimed_at = NULL WHERE id = ANY($1) AND announce_claim = $2',
      [ids, claimant],
    );
    throw error;
  }
  await db.transaction(async (tx) => {
    await tx.query(
      'UPDATE exposures SET notified_at = now(), announce_claim = NULL, announce_claimed_at = NULL WHERE id = ANY($1)',
      [ids],
    );
    await announcement.commit?.(tx);
  });
  return { exposures, result: announcement.result };
}

function byAge(a: ExposureRecord, b: ExposureRecord): number {
  return a.firstSeen.getTime() - b.firstSeen.getTime() || a.id - b.id;
}

/** Records who was assigned to a credential's issue (an `assigned` audit event). */
export async function recordAssignment(
  db: Queryable,
  credentialId: number,
  assignment: AssignmentRecord,
  data: Record<string, unknown> = {},
): Promise<void> {
  await db.query(
    `INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, 'assigned', 'keywarden', $2::jsonb)`,
    [credentialId, JSON.stringify({ ...data, ...assignment })],
  );
}

/**
 * Everyone assigned to a credential's issue so far: the `assigned` events merged in order (assignees
 * capped at GitHub's 10); the fallback that opened the issue, until code owners are found for a later
 * location; the latest security team.
 */
export async function loadAssignment(db: Queryable, credentialId: number): Promise<AssignmentRecord> {
  const { rows } = await db.query<{ data: Partial<AssignmentRecord> | string | null }>(
    `SELECT data FROM events WHERE credential_id = $1 AND kind = 'assigned' ORDER BY at, id`,
    [credentialId],
  );
  const merged: AssignmentRecord = { assignees: [], teams: [], notes: [] };
  let first = true;
  for (const row of rows) {
    const data = (
      typeof row.data === 'string' ? JSON.parse(row.data) : (row.data ?? {})
    ) as Partial<AssignmentRecord>;
    merged.assignees = union(merged.assignees, data.assignees, true).slice(0, MAX_ASSIGNEES);
    merged.teams = union(merged.teams, data.teams, true);
    merged.notes = union(merged.notes, data.notes);
    if (first) {
      if (data.fallback) merged.fallback = data.fallback;
    } else if (data.assignees?.length && !data.fallback) delete merged.fallback;
    if (data.securityTeam) merged.securityTeam = data.securityTeam;
    first = false;
  }
  return merged;
}

/** `base`, then what `more` adds; `ignoreCase` for GitHub logins and team names. */
function union(base: readonly string[], more: readonly string[] | undefined, ignoreCase = false): string[] {
  const key = (value: string) => (ignoreCase ? value.toLowerCase() : value);
  const out = [...base];
  const seen = new Set(base.map(key));
  for (const value of more ?? []) {
    if (seen.has(key(value))) continue;
    seen.add(key(value));
    out.push(value);
  }
  return out;
}
