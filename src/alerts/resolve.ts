import { isRetryable } from '../github/errors.js';
import { type AlertResolution, resolveAlert } from '../github/secret-scanning.js';
import type { Octokit } from '../github/types.js';
import type { Database } from '../inventory/database.js';
import { recordEvent } from '../inventory/store.js';
import { RetryableError } from '../queue/errors.js';
import { parseRepo } from '../remediation/issue-github.js';
import { alertsOf, markResolved } from './store.js';

/** What happened to one open alert keywarden tried to resolve. */
export interface AlertResolutionOutcome {
  repo: string;
  number: number;
  htmlUrl: string;
  /**
   * `resolved`; `refused`: GitHub answered 403 (delegated alert dismissal asks for a review, or the App
   * lacks write access to secret scanning alerts); `failed`: another answer that retrying will not change
   * (404: the alert or secret scanning is gone; 422).
   */
  outcome: 'resolved' | 'refused' | 'failed';
  status?: number;
}

/**
 * Resolves every open GitHub alert of a credential as `resolution`, with the comment
 * `keywarden: <issue url>` (`PATCH /repos/{o}/{r}/secret-scanning/alerts/{n}`), each as the installation
 * that synced it (`octokitFor`). Each outcome is an audit event: `alert:resolved-by-keywarden`, or
 * `alert:resolve-refused` (403) / `alert:resolve-failed` (404, 422, 400) with the status, returned so the
 * caller can say it in the issue; those are never retried. A 5xx, 429 or network failure throws
 * `RetryableError`; alerts resolved before it are already recorded, so the retry skips them.
 *
 * @example
 * const outcomes = await resolveAlertsFor(deps.octokitFor, deps.db, credentialId, 'false_positive', issueUrl);
 */
export async function resolveAlertsFor(
  octokitFor: (installationId: number) => Promise<Octokit>,
  db: Database,
  credentialId: number,
  resolution: AlertResolution,
  issueUrl: string,
): Promise<AlertResolutionOutcome[]> {
  const open = (await alertsOf(db, credentialId)).filter((alert) => alert.state === 'open');
  const outcomes: AlertResolutionOutcome[] = [];
  for (const alert of open) {
    const ref = { repo: alert.repo, number: alert.number, htmlUrl: alert.htmlUrl };
    const octokit = await octokitFor(alert.installationId);
    try {
      const resolved = await resolveAlert(
        octokit,
        parseRepo(alert.repo),
        alert.number,
        resolution,
        `keywarden: ${issueUrl}`,
      );
      await markResolved(db, alert.id, resolved);
      await recordEvent(db, {
        credentialId,
        kind: 'alert:resolved-by-keywarden',
        actor: 'keywarden',
        data: { ...ref, resolution, issue: issueUrl },
      });
      outcomes.push({ ...ref, outcome: 'resolved' });
    } catch (error) {
      if (isRetryable(error)) {
        throw new RetryableError(`resolving alert ${alert.repo}#${alert.number} failed`, { cause: error });
      }
      const status = (error as { status?: unknown }).status;
      if (typeof status !== 'number') throw error;
      const outcome = status === 403 ? 'refused' : 'failed';
      await recordEvent(db, {
        credentialId,
        kind: outcome === 'refused' ? 'alert:resolve-refused' : 'alert:resolve-failed',
        actor: 'keywarden',
        data: { ...ref, resolution, status },
      });
      outcomes.push({ ...ref, outcome, status });
    }
  }
  return outcomes;
}

/**
 * Lines for the issue about alerts keywarden could not resolve (empty when all were resolved): which,
 * why, and that a person with the right to do so must resolve them on GitHub.
 */
export function unresolvedAlertLines(outcomes: readonly AlertResolutionOutcome[]): string[] {
  return outcomes
    .filter((outcome) => outcome.outcome !== 'resolved')
    .map((outcome) => {
      const alert = `GitHub secret scanning alert [#${outcome.number}](${outcome.htmlUrl}) in \`${outcome.repo}\``;
      if (outcome.outcome === 'refused') {
        return (
          `${alert} could not be resolved by keywarden (GitHub answered 403: delegated alert dismissal asks for a reviewer's approval, ` +
          'or the App lacks write access to secret scanning alerts). Resolve it on GitHub.'
        );
      }
      return `${alert} could not be resolved by keywarden (GitHub answered ${outcome.status}). Resolve it on GitHub if it is still open.`;
    });
}
