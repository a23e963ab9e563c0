import type { Queryable } from './database.js';

/** The credential behind a remediation issue (the columns commands and audit need). */
export interface IssueCredential {
  id: number;
  fingerprint: string;
  provider: string;
  ruleId: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  redacted: string;
  state: string;
  firstSeen: Date;
  issueRepo: string | null;
  issueNumber: number | null;
}

interface Row {
  id: unknown;
  fingerprint: string;
  provider: string;
  rule_id: string;
  severity: IssueCredential['severity'];
  redacted: string;
  state: string;
  first_seen: Date | string;
  issue_repo: string | null;
  issue_number: number | null;
}

const COLUMNS =
  'id, fingerprint, provider, rule_id, severity, redacted, state, first_seen, issue_repo, issue_number';

function fromRow(row: Row): IssueCredential {
  return {
    id: Number(row.id),
    fingerprint: row.fingerprint,
    provider: row.provider,
    ruleId: row.rule_id,
    severity: row.severity,
    redacted: row.redacted,
    state: row.state,
    firstSeen: new Date(row.first_seen),
    issueRepo: row.issue_repo,
    issueNumber: row.issue_number === null ? null : Number(row.issue_number),
  };
}

/**
 * The credential whose remediation issue is `repo#number` (`credentials.issue_repo`/`issue_number`; GitHub
 * names compare case-insensitively), else the one named by the issue body's marker fingerprint, if given.
 */
export async function findCredentialForIssue(
  db: Queryable,
  repo: { owner: string; repo: string },
  issueNumber: number,
  markerFingerprint?: string,
): Promise<IssueCredential | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM credentials WHERE lower(issue_repo) = lower($1) AND issue_number = $2`,
    [`${repo.owner}/${repo.repo}`, issueNumber],
  );
  if (rows[0]) return fromRow(rows[0]);
  if (!markerFingerprint) return undefined;
  const byMarker = await db.query<Row>(`SELECT ${COLUMNS} FROM credentials WHERE fingerprint = $1`, [
    markerFingerprint,
  ]);
  return byMarker.rows[0] ? fromRow(byMarker.rows[0]) : undefined;
}
