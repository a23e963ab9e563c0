import type { Octokit, RepoRef } from '../github/types.js';
import type { Queryable } from '../inventory/database.js';
import { loadAssignment, loadCredential, loadExposures } from '../inventory/issues.js';
import { allRules } from '../rules/registry.js';
import { issueBody } from './issue-body.js';
import {
  addComment,
  getIssue,
  htmlBaseOf,
  type IssueChange,
  type IssueState,
  parseRepo,
  updateIssue,
  visibilityOf,
} from './issue-github.js';
import { credentialView, issueAlerts, issueLocations, issueOwners } from './issue-view.js';
import { issueLabels, mergeLabels } from './labels.js';
import { type CredentialState, isCredentialState } from './lifecycle.js';

/** States whose issue is closed, and the reason it is closed with. */
const CLOSING: Partial<Record<CredentialState, 'completed' | 'not_planned'>> = {
  rotated: 'completed',
  closed: 'completed',
  'false-positive': 'not_planned',
  'test-credential': 'not_planned',
};

/**
 * Re-renders a credential's issue from the inventory (state, locations, owners) and sets its labels,
 * optionally adds a comment, and closes the issue when the state ends the lifecycle (`rotated` and
 * `closed` as completed, `false-positive` and `test-credential` as not planned). For the command
 * handlers, after a transition. Requests: get the issue, the visibility of up to 5 exposed repositories,
 * one update when anything changed (labels other than keywarden's own are kept), then the comment.
 *
 * @example
 * await transition(db, id, 'confirmed', { actor: 'octocat' });
 * await refreshIssue(octokit, db, id, { comment: 'Confirmed by @octocat.' });
 */
export async function refreshIssue(
  octokit: Octokit,
  db: Queryable,
  credentialId: number,
  options: { comment?: string } = {},
): Promise<{ repo: RepoRef; number: number }> {
  const credential = await loadCredential(db, credentialId);
  if (!credential?.issue) throw new Error(`credential ${credentialId} has no issue yet`);
  const repo = parseRepo(credential.issue.repo);
  const number = credential.issue.number;
  const current = await getIssue(octokit, repo, number);
  if (!current) throw new Error(`issue ${credential.issue.repo}#${number} is gone`);
  const all = await loadExposures(db, credentialId);
  const assignment = await loadAssignment(db, credentialId);
  const visibility = await visibilityOf(
    octokit,
    all.exposures.map((e) => e.repo),
  );
  const view = await credentialView(db, credential, allRules);
  const body = issueBody(view, issueLocations(all.exposures), issueOwners(assignment), {
    htmlBase: htmlBaseOf(octokit),
    visibility,
    securityTeam: assignment.securityTeam,
    totalLocations: all.total,
    alerts: await issueAlerts(db, credentialId),
  });
  const change = changeOf(current, body, mergeLabels(current.labels, issueLabels(view)));
  const closing = isCredentialState(credential.state) ? CLOSING[credential.state] : undefined;
  if (closing && current.state === 'open') Object.assign(change, { state: 'closed', stateReason: closing });
  await updateIssue(octokit, repo, number, change);
  if (options.comment) await addComment(octokit, repo, number, options.comment);
  return { repo, number };
}

/** The body and labels to send: only what differs from the issue as it is. */
export function changeOf(current: IssueState, body: string, labels: string[]): IssueChange {
  const change: IssueChange = {};
  if (current.body !== body) change.body = body;
  if (!sameSet(current.labels, labels)) change.labels = labels;
  return change;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
