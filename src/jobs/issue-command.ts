import { resolveAlertsFor, unresolvedAlertLines } from '../alerts/resolve.js';
import { loadRepoConfig } from '../github/config.js';
import type { AlertResolution } from '../github/secret-scanning.js';
import type { Queryable } from '../inventory/database.js';
import { findCredentialForIssue, type IssueCredential } from '../inventory/issue-credential.js';
import { loadExposures, saveIssue } from '../inventory/issues.js';
import { adapterFor } from '../providers/registry.js';
import type { IssueCommandJob } from '../queue/jobs.js';
import { authorize } from '../remediation/authorize.js';
import { carryOut } from '../remediation/carry-out.js';
import { parseComment } from '../remediation/commands.js';
import { refreshIssue } from '../remediation/ensure-issue.js';
import { addComment, htmlBaseOf } from '../remediation/issue-github.js';
import { markerFingerprint } from '../remediation/recognize.js';
import { revocationPlan, revokesOnConfirm } from '../revocation/policy.js';
import { allRules } from '../rules/registry.js';
import type { JobDeps, Octokit } from './deps.js';

/** What the job did with a comment, for logs and tests. */
export type IssueCommandResult =
  | 'no-command'
  | 'no-credential'
  | 'already-handled'
  | { kind: string; moved: boolean };

/** A handled comment, as its `command:*` audit event records it. */
interface Handled {
  eventId: number;
  kind: string;
  moved: boolean;
  reply: string;
  /** The command starts a revocation at the provider (sent once the reply is posted). */
  startRevocation: boolean;
  /** The job that carried it out; only that job (retried) posts a reply still missing. */
  jobId: string;
  done: boolean;
}

/**
 * Authorises and carries out a `/keywarden …` comment on a remediation issue:
 *
 * 1. finds the credential by the issue (`credentials.issue_repo`/`issue_number`; else the marker in the
 *    issue body, read with `issues.get`);
 * 2. decides who may act ({@link authorize}) with the issue repository's config (`issues.securityTeam`);
 * 3. in one transaction, with the credential row locked: the moves, suppressions and audit events, and
 *    one `command:*` event holding the comment id and the reply;
 * 4. posts the reply: with a refreshed issue (body, labels, closed when terminal) when the state moved,
 *    else as a plain comment; then marks the event done.
 *
 * Idempotent per comment (the delivery claim covers redelivered webhooks; this covers a second job for
 * the same comment): a comment with a `command:*` event is never carried out again. When the job that
 * carried it out failed before its reply was posted, its retry (same job id) posts only the reply.
 */
export async function runIssueCommand(
  job: IssueCommandJob,
  deps: JobDeps,
  jobId: string,
): Promise<IssueCommandResult> {
  const where = { repo: `${job.owner}/${job.repo}`, issue: job.issueNumber, comment: job.commentId, jobId };
  const parsed = parseComment(job.body);
  if (parsed.kind === 'none') {
    deps.log.info(where, 'comment holds no command');
    return 'no-command';
  }
  const octokit = await deps.octokitFor(job.installationId);
  const repo = { owner: job.owner, repo: job.repo };
  const credential = await credentialOf(octokit, job, deps);
  if (!credential) {
    deps.log.warn(where, 'command on an issue with no known credential: ignored');
    return 'no-credential';
  }
  let handled = await handledComment(deps.db, credential.id, job.commentId);
  if (handled && (handled.done || handled.jobId !== jobId)) {
    deps.log.info(where, 'command already handled');
    return 'already-handled';
  }
  if (!handled) {
    const { config } = await loadRepoConfig(octokit, repo, '');
    const { exposures } = await loadExposures(deps.db, credential.id);
    const decision = await authorize(
      octokit,
      { actor: job.actor, issueRepo: repo, exposures, securityTeam: config.issues.securityTeam },
      { cache: deps.codeowners },
    );
    const rule =
      deps.rules.find((r) => r.id === credential.ruleId) ?? allRules.find((r) => r.id === credential.ruleId);
    const adapter = adapterFor(credential.provider, credential.ruleId, deps.providers.adapters);
    const revocation = {
      plan: revocationPlan(config.revocation, adapter, credential.provider),
      onConfirm: revokesOnConfirm(config.revocation, adapter),
    };
    const carried = await deps.db.transaction(async (tx): Promise<Handled | undefined> => {
      await tx.query('SELECT id FROM credentials WHERE id = $1 FOR UPDATE', [credential.id]);
      // Another job handled this comment while this one was authorising: it posts the reply.
      if (await handledComment(tx, credential.id, job.commentId)) return undefined;
      const outcome = await carryOut(tx, {
        parsed,
        decision,
        credential,
        actor: job.actor,
        commentId: job.commentId,
        rule: { title: rule?.title ?? credential.provider, revokeUrl: rule?.revokeUrl },
        sla: config.sla,
        now: new Date(),
        revocation,
      });
      const data = {
        ...outcome.data,
        commentId: job.commentId,
        deliveryId: job.deliveryId,
        jobId,
        moved: outcome.moved,
        reply: outcome.reply,
        startRevocation: outcome.startRevocation === true,
        done: false,
      };
      const { rows } = await tx.query<{ id: unknown }>(
        'INSERT INTO events (credential_id, kind, actor, data) VALUES ($1, $2, $3, $4::jsonb) RETURNING id',
        [credential.id, outcome.kind, job.actor, JSON.stringify(data)],
      );
      return {
        eventId: Number(rows[0]!.id),
        kind: outcome.kind,
        moved: outcome.moved,
        reply: outcome.reply,
        startRevocation: outcome.startRevocation === true,
        jobId,
        done: false,
      };
    });
    if (!carried) {
      deps.log.info(where, 'command handled by another job');
      return 'already-handled';
    }
    handled = carried;
  }
  // Before the reply: the refreshed issue then shows the alerts resolved, and the reply says which GitHub refused.
  const unresolved = handled.moved
    ? await resolveAlerts(octokit, job, handled.kind, credential.id, deps)
    : [];
  const reply = [handled.reply, ...unresolved].join('\n\n');
  if (handled.moved) {
    await refreshIssue(octokit, deps.db, credential.id, { comment: reply });
  } else {
    await addComment(octokit, repo, job.issueNumber, reply);
  }
  // The revocation starts once its announcement is posted, so its own comments come after it; in the same
  // transaction as marking the command done, so a retry of this job cannot start it twice.
  await deps.db.transaction(async (tx) => {
    await tx.query(`UPDATE events SET data = data || '{"done": true}'::jsonb WHERE id = $1`, [
      handled.eventId,
    ]);
    if (handled.startRevocation) {
      await deps.queue.send(
        'revoke-credential',
        {
          installationId: job.installationId,
          credentialId: credential.id,
          actor: job.actor,
          commentId: job.commentId,
          deliveryId: job.deliveryId,
        },
        { singletonKey: `revoke:${credential.id}`, tx },
      );
    }
  });
  deps.log.info({ ...where, kind: handled.kind, moved: handled.moved }, 'command handled');
  return { kind: handled.kind, moved: handled.moved };
}

/** The GitHub alert resolution of a command that ends a credential as not a live secret. */
const ALERT_RESOLUTIONS: Partial<Record<string, AlertResolution>> = {
  'command:false-positive': 'false_positive',
  'command:test-credential': 'used_in_tests',
};

/**
 * `false-positive` and `test-credential` resolve the credential's open GitHub secret scanning alerts the
 * same way (`resolveAlertsFor`); resolves to lines for the reply about alerts GitHub would not resolve.
 */
async function resolveAlerts(
  octokit: Octokit,
  job: IssueCommandJob,
  kind: string,
  credentialId: number,
  deps: JobDeps,
): Promise<string[]> {
  const resolution = ALERT_RESOLUTIONS[kind];
  if (!resolution) return [];
  const issueUrl = `${htmlBaseOf(octokit)}/${job.owner}/${job.repo}/issues/${job.issueNumber}`;
  const outcomes = await resolveAlertsFor(deps.octokitFor, deps.db, credentialId, resolution, issueUrl);
  return unresolvedAlertLines(outcomes);
}

async function credentialOf(
  octokit: Octokit,
  job: IssueCommandJob,
  deps: JobDeps,
): Promise<IssueCredential | undefined> {
  const repo = { owner: job.owner, repo: job.repo };
  const known = await findCredentialForIssue(deps.db, repo, job.issueNumber);
  if (known) return known;
  const { data: issue } = await octokit.rest.issues.get({ ...repo, issue_number: job.issueNumber });
  const fingerprint = markerFingerprint(issue.body);
  if (!fingerprint) return undefined;
  const found = await findCredentialForIssue(deps.db, repo, job.issueNumber, fingerprint);
  // The inventory forgot the issue (a restored backup): learn it again, so the issue is refreshed.
  if (found && found.issueNumber === null) {
    await saveIssue(deps.db, found.id, `${job.owner}/${job.repo}`, job.issueNumber);
    return { ...found, issueRepo: `${job.owner}/${job.repo}`, issueNumber: job.issueNumber };
  }
  return found;
}

async function handledComment(
  db: Queryable,
  credentialId: number,
  commentId: number,
): Promise<Handled | undefined> {
  const { rows } = await db.query<{ id: unknown; kind: string; data: Record<string, unknown> | string }>(
    `SELECT id, kind, data FROM events
     WHERE credential_id = $1 AND kind LIKE 'command:%' AND data->>'commentId' = $2
     ORDER BY id LIMIT 1`,
    [credentialId, String(commentId)],
  );
  const row = rows[0];
  if (!row) return undefined;
  const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>;
  return {
    eventId: Number(row.id),
    kind: row.kind,
    moved: data['moved'] === true,
    reply: String(data['reply'] ?? ''),
    startRevocation: data['startRevocation'] === true,
    jobId: String(data['jobId'] ?? ''),
    done: data['done'] === true,
  };
}
