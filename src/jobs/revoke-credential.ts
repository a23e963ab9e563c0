import { resolveAlertsFor, unresolvedAlertLines } from '../alerts/resolve.js';
import { isRetryable, statusOf } from '../github/errors.js';
import { recordEvent } from '../inventory/store.js';
import type { Verification } from '../providers/types.js';
import { RetryableError } from '../queue/errors.js';
import type { RevokeCredentialJob } from '../queue/jobs.js';
import { refreshIssue } from '../remediation/ensure-issue.js';
import { addComment, htmlBaseOf, parseRepo } from '../remediation/issue-github.js';
import { transition } from '../remediation/lifecycle.js';
import {
  alreadyDeadComment,
  failedComment,
  plannedComment,
  refusedComment,
  revokedComment,
  stoppedComment,
  valueGoneComment,
} from '../revocation/messages.js';
import { revocationPlan } from '../revocation/policy.js';
import { recoverSecret } from '../revocation/recover.js';
import { alertValueSources } from '../revocation/recover-alert.js';
import { loadSubject, type Subject } from '../revocation/subject.js';
import { saveProviderKey } from '../usage/store.js';
import type { JobDeps } from './deps.js';

/** What the job did, for logs and tests. */
export type RevokeResult =
  | 'not-confirmed'
  | 'manual'
  | 'value-missing'
  | 'planned'
  | 'refused'
  | 'already-dead'
  | 'revoked';

const ACTOR = 'keywarden';

/**
 * Revokes a confirmed credential at its provider (`/keywarden revoke`, or the policy):
 *
 * 1. reads the raw value again from GitHub (the blob at a recorded commit; see `recoverSecret`);
 * 2. verifies it (read-only), recorded as `verify:<verdict>`; a key already `dead` is recorded as revoked;
 * 3. revokes it (or plans it, under `dry-run`), recorded as `revoke:<outcome>`;
 * 4. verifies again, expecting `dead`;
 * 5. moves the credential `confirmed → revoked` and refreshes the issue with what happened.
 *
 * The value exists only in this job's memory, as a `Secret` passed to the adapter, and is dropped when it
 * ends. A refusal (no admin credential, no or an ambiguous match) leaves the credential `confirmed` with
 * the reason and the manual route on the issue; a failure worth retrying (timeout, 429, 5xx) does too,
 * and throws `RetryableError` so the queue tries again with backoff.
 */
export async function revokeCredential(
  job: RevokeCredentialJob,
  deps: JobDeps,
  meta: { id: string; retryCount: number; retryLimit: number },
): Promise<RevokeResult> {
  const subject = await loadSubject(deps, job.installationId, job.credentialId);
  if ('missing' in subject) throw new Error(subject.missing);
  const told = { failure: false };
  try {
    return await revokeSteps(job, deps, meta, subject, told);
  } catch (error) {
    const retrying =
      (error instanceof RetryableError || isRetryable(error)) && meta.retryCount < meta.retryLimit;
    if (!told.failure && !retrying) await tellStopped(deps, subject, error);
    throw error;
  }
}

/**
 * Says on the issue that the revocation stopped, naming what failed without quoting it (an error message
 * could hold anything): GitHub's status, or that keywarden failed. Best effort: GitHub may be the problem.
 */
async function tellStopped(deps: JobDeps, subject: Subject, error: unknown): Promise<void> {
  const status = statusOf(error) ?? statusOf((error as { cause?: unknown }).cause);
  const reason =
    status !== undefined
      ? `GitHub answered ${status} while keywarden was working on it`
      : 'keywarden ran into an error';
  try {
    await addComment(
      subject.octokit,
      parseRepo(subject.credential.issue.repo),
      subject.credential.issue.number,
      stoppedComment(subject.key, reason),
    );
  } catch (commentError) {
    deps.log.warn(
      { credentialId: subject.credential.id, status: statusOf(commentError) },
      'could not tell the issue that the revocation stopped',
    );
  }
}

async function revokeSteps(
  job: RevokeCredentialJob,
  deps: JobDeps,
  meta: { id: string; retryCount: number; retryLimit: number },
  subject: Subject,
  told: { failure: boolean },
): Promise<RevokeResult> {
  const { credential, rule, adapter, key, octokit } = subject;
  const where = { credentialId: credential.id, provider: credential.provider, jobId: meta.id };
  // This job revoked it and failed before the issue heard of it: finish telling it.
  if (credential.state === 'revoked' && (await finishAnnouncement(deps, subject, meta.id))) return 'revoked';
  if (credential.state !== 'confirmed') {
    deps.log.info(
      { ...where, state: credential.state },
      'revocation skipped: the credential is not confirmed',
    );
    return 'not-confirmed';
  }
  const issueRepo = parseRepo(credential.issue.repo);
  const comment = (body: string) => addComment(octokit, issueRepo, credential.issue.number, body);
  const plan = revocationPlan(subject.policy, adapter, credential.provider);
  if (plan.mode === 'manual' || !adapter?.revoke) {
    await event(deps, subject, 'revoke:manual', job, { why: plan.why ?? null });
    await comment(refusedComment(key, undefined, `${plan.why ?? 'no revocation API'}.`));
    return 'manual';
  }

  const alerts = await alertValueSources(deps.octokitFor, deps.db, credential, rule, deps.fingerprintKey);
  const recovered = await recoverSecret(octokit, deps.db, credential, rule, deps.fingerprintKey, alerts);
  if (!recovered.found) {
    await event(deps, subject, 'revoke:value-missing', job, { tried: recovered.tried });
    await comment(valueGoneComment(key, recovered.tried));
    return 'value-missing';
  }
  const { secret } = recovered;
  const ctx = deps.providers.context;

  const before = await adapter.verify(secret, rule.id, ctx);
  await event(deps, subject, `verify:${before.verdict}`, job, {
    stage: 'before-revoke',
    detail: before.detail,
  });
  if (before.verdict === 'dead' && plan.mode === 'revoke') {
    await markRevoked(deps, subject, job, meta.id, {
      reason: 'the provider no longer accepts the key (verified before revoking)',
      comment: alreadyDeadComment(key, before),
    });
    await finishAnnouncement(deps, subject, meta.id);
    deps.log.info(where, 'key already dead: recorded as revoked');
    return 'already-dead';
  }

  const outcome = await adapter.revoke(secret, rule.id, ctx, { dryRun: plan.mode === 'dry-run' });
  await event(deps, subject, `revoke:${outcome.kind}`, job, {
    detail: outcome.detail,
    dryRun: plan.mode === 'dry-run',
    ...('keyId' in outcome && outcome.keyId ? { keyId: outcome.keyId } : {}),
  });
  if ((outcome.kind === 'revoked' || outcome.kind === 'planned') && outcome.keyId) {
    await saveProviderKey(deps.db, credential.id, adapter.provider, { keyId: outcome.keyId });
  }
  switch (outcome.kind) {
    case 'planned':
      await comment(plannedComment(key, before, outcome));
      return 'planned';
    case 'refused':
      await comment(refusedComment(key, before, outcome.detail));
      return 'refused';
    case 'failed': {
      const attempt = meta.retryCount + 1;
      const of = meta.retryLimit + 1;
      // One comment when it first fails and one when keywarden gives up: retries in between stay quiet.
      if (attempt === 1 || attempt >= of) await comment(failedComment(key, outcome.detail, { attempt, of }));
      told.failure = true;
      if (attempt >= of) return 'refused';
      throw new RetryableError(`revoking at ${credential.provider} failed: ${outcome.detail}`);
    }
    case 'revoked': {
      const after: Verification = await adapter.verify(secret, rule.id, ctx);
      await event(deps, subject, `verify:${after.verdict}`, job, {
        stage: 'after-revoke',
        detail: after.detail,
      });
      await markRevoked(deps, subject, job, meta.id, {
        reason: `revoked at ${credential.provider} through its API`,
        comment: revokedComment(key, job.actor, { before, outcome, after }),
      });
      await finishAnnouncement(deps, subject, meta.id);
      deps.log.info({ ...where, after: after.verdict }, 'key revoked at the provider');
      return 'revoked';
    }
  }
}

/**
 * Resolves the credential's open GitHub secret-scanning alerts as `revoked`, linking the issue; returns
 * lines for the issue about alerts GitHub would not let keywarden resolve (a 403 is reported, not retried).
 */
async function resolveAlerts(deps: JobDeps, subject: Subject): Promise<string[]> {
  const { issue } = subject.credential;
  const issueUrl = `${htmlBaseOf(subject.octokit)}/${issue.repo}/issues/${issue.number}`;
  const outcomes = await resolveAlertsFor(
    deps.octokitFor,
    deps.db,
    subject.credential.id,
    'revoked',
    issueUrl,
  );
  const resolved = outcomes.filter((outcome) => outcome.outcome === 'resolved');
  const lines = unresolvedAlertLines(outcomes);
  if (resolved.length > 0) {
    lines.unshift(
      `Resolved as revoked on GitHub: ${resolved.map((alert) => `secret scanning alert [#${alert.number}](${alert.htmlUrl}) in \`${alert.repo}\``).join(', ')}.`,
    );
  }
  return lines;
}

function withLines(comment: string, lines: readonly string[]): string {
  return lines.length === 0 ? comment : `${comment}\n\n${lines.join('\n\n')}`;
}

/**
 * Moves the credential to `revoked` and, in the same transaction, records what the issue must be told
 * (`revoke:announce`, with the comment and the job id), so a retry of this job that finds the credential
 * revoked finishes the announcement instead of doing nothing.
 */
async function markRevoked(
  deps: JobDeps,
  subject: Subject,
  job: RevokeCredentialJob,
  jobId: string,
  what: { reason: string; comment: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const moved = await transition(tx, subject.credential.id, 'revoked', {
      actor: job.actor,
      reason: what.reason,
      data: { provider: subject.credential.provider, delivery: job.deliveryId },
    });
    if ('refused' in moved) throw new Error(`the revoked key could not be recorded: ${moved.refused}`);
    await recordEvent(tx, {
      credentialId: subject.credential.id,
      kind: 'revoke:announce',
      actor: ACTOR,
      data: { jobId, comment: what.comment, done: false },
    });
  });
}

/**
 * Resolves the credential's GitHub alerts as revoked and refreshes the issue with the comment this job
 * recorded, then marks the announcement done. `false` when this job has no announcement pending.
 */
async function finishAnnouncement(deps: JobDeps, subject: Subject, jobId: string): Promise<boolean> {
  const { rows } = await deps.db.query<{ id: unknown; data: { comment?: string } | string }>(
    `SELECT id, data FROM events
      WHERE credential_id = $1 AND kind = 'revoke:announce' AND data->>'jobId' = $2
        AND (data->>'done')::boolean = false
      ORDER BY id DESC LIMIT 1`,
    [subject.credential.id, jobId],
  );
  const row = rows[0];
  if (!row) return false;
  const data = typeof row.data === 'string' ? (JSON.parse(row.data) as { comment?: string }) : row.data;
  const unresolved = await resolveAlerts(deps, subject);
  await refreshIssue(subject.octokit, deps.db, subject.credential.id, {
    comment: withLines(data.comment ?? '', unresolved),
  });
  await deps.db.query(`UPDATE events SET data = data || '{"done": true}'::jsonb WHERE id = $1`, [row.id]);
  return true;
}

async function event(
  deps: JobDeps,
  subject: Subject,
  kind: string,
  job: RevokeCredentialJob,
  data: Record<string, unknown>,
): Promise<void> {
  await recordEvent(deps.db, {
    credentialId: subject.credential.id,
    kind,
    actor: kind.startsWith('verify:') || kind.startsWith('revoke:') ? ACTOR : job.actor,
    data: {
      ...data,
      requestedBy: job.actor,
      provider: subject.credential.provider,
      delivery: job.deliveryId,
    },
  });
}
