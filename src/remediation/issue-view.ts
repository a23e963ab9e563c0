import { alertsOf } from '../alerts/store.js';
import { ownersFor } from '../github/codeowners.js';
import { type Codeowners, readCodeowners } from '../github/owners.js';
import type { Octokit } from '../github/types.js';
import type { Queryable } from '../inventory/database.js';
import type { AssignmentRecord, CredentialRecord, ExposureRecord } from '../inventory/issues.js';
import type { Rule } from '../rules/types.js';
import type { IssueAlert, IssueLocation, IssueOwners, LeakedCredential } from './issue-body.js';
import { parseRepo } from './issue-github.js';

/** From inventory records to what the issue renders. */

/** The credential as the issue shows it, described by its rule (title, revocation page); `state` overrides. */
export function leakedCredential(
  credential: CredentialRecord,
  rules: readonly Rule[],
  state: string = credential.state,
): LeakedCredential {
  const rule = rules.find((candidate) => candidate.id === credential.ruleId);
  const view: LeakedCredential = {
    fingerprint: credential.fingerprint,
    provider: credential.provider,
    ruleId: credential.ruleId,
    title: rule?.title ?? credential.ruleId,
    class: credential.class,
    severity: credential.severity,
    redacted: credential.redacted,
    state,
    firstSeen: credential.firstSeen,
  };
  if (rule?.revokeUrl) view.revokeUrl = rule.revokeUrl;
  return view;
}

/** The latest verdict of a verification at the provider (`verify:live|dead|unknown` events), if any. */
export async function latestVerification(
  db: Queryable,
  credentialId: number,
): Promise<LeakedCredential['verification']> {
  const { rows } = await db.query<{
    kind: string;
    data: { detail?: unknown } | string | null;
    at: Date | string;
  }>(
    `SELECT kind, data, at FROM events
      WHERE credential_id = $1 AND kind IN ('verify:live', 'verify:dead', 'verify:unknown')
      ORDER BY id DESC LIMIT 1`,
    [credentialId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const data = typeof row.data === 'string' ? (JSON.parse(row.data) as { detail?: unknown }) : row.data;
  return {
    verdict: row.kind.slice('verify:'.length),
    detail: typeof data?.detail === 'string' ? data.detail : '',
    at: new Date(row.at),
  };
}

/** {@link leakedCredential} with its latest verification, as the issue body shows it. */
export async function credentialView(
  db: Queryable,
  credential: CredentialRecord,
  rules: readonly Rule[],
  state: string = credential.state,
): Promise<LeakedCredential> {
  const view = leakedCredential(credential, rules, state);
  const verification = await latestVerification(db, credential.id);
  if (verification) view.verification = verification;
  return view;
}

/** Exposures as table rows. */
export function issueLocations(exposures: readonly ExposureRecord[]): IssueLocation[] {
  return exposures.map((exposure) => ({
    repo: exposure.repo,
    commitSha: exposure.commitSha,
    path: exposure.path,
    line: exposure.line,
    source: exposure.source,
    ref: exposure.ref,
    pullRequest: exposure.pullRequest,
  }));
}

/**
 * The GitHub secret scanning alerts about a credential, as its issue shows them (`IssueContext.alerts`).
 *
 * @example
 * const body = issueBody(view, locations, owners, { …, alerts: await issueAlerts(db, credential.id) });
 */
export async function issueAlerts(db: Queryable, credentialId: number): Promise<IssueAlert[]> {
  const alerts = await alertsOf(db, credentialId);
  return alerts.map((alert) => ({
    repo: alert.repo,
    number: alert.number,
    htmlUrl: alert.htmlUrl,
    state: alert.state,
    resolution: alert.resolution,
    resolvedBy: alert.resolvedBy,
    pushProtectionBypassed: alert.pushProtectionBypassed,
    pushProtectionBypassedBy: alert.pushProtectionBypassedBy,
    pushProtectionBypassedAt: alert.pushProtectionBypassedAt,
    publiclyLeaked: alert.publiclyLeaked,
    validity: alert.validity,
    otherLocations: alert.otherLocations,
  }));
}

/** The owners section from the recorded assignment. */
export function issueOwners(assignment: AssignmentRecord): IssueOwners {
  return {
    assignees: assignment.assignees,
    teams: assignment.teams,
    fallback: assignment.fallback,
    notes: assignment.notes,
  };
}

/** CODEOWNERS files read per resolution at most (one per repository and commit). */
const MAX_CODEOWNERS_READS = 10;

/**
 * The CODEOWNERS owners (`@user`, `@org/team`, emails, as written) of the exposed paths, each read at
 * the commit the credential was seen in (cached per repository and sha), first-seen order, no duplicates.
 */
export async function codeOwnersOf(
  octokit: Octokit,
  exposures: readonly ExposureRecord[],
  cache: Map<string, Codeowners>,
): Promise<string[]> {
  const owners = new Map<string, string>();
  const read = new Set<string>();
  for (const exposure of exposures) {
    const at = `${exposure.repo}@${exposure.commitSha}`;
    if (!read.has(at) && read.size === MAX_CODEOWNERS_READS) continue;
    read.add(at);
    const codeowners = await readCodeowners(octokit, parseRepo(exposure.repo), exposure.commitSha, { cache });
    for (const owner of ownersFor(codeowners.rules, exposure.path)) {
      if (!owners.has(owner.toLowerCase())) owners.set(owner.toLowerCase(), owner);
    }
  }
  return [...owners.values()];
}
