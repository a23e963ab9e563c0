import type { Context } from 'probot';
import { findCredentialForIssue } from '../inventory/issue-credential.js';
import { claimDelivery, recordEvent } from '../inventory/store.js';
import { isBot, isKeywardenIssue, markerFingerprint } from '../remediation/recognize.js';
import type { AppDeps } from './enqueue.js';

/**
 * `issues.closed` / `issues.reopened` on a remediation issue, by a person: recorded in the audit log
 * (`issue:closed` / `issue:reopened`, actor = the sender), nothing else. Closing an issue by hand does
 * not change the credential's state: a key is not dead because its issue was closed, so the state moves
 * only through commands (`/keywarden rotated`, `false-positive`, …). keywarden's own closes and reopens
 * (a bot sender) are not recorded again here; the transition that caused them already was.
 *
 * No job: one database write, done with the delivery claim in one transaction.
 */
export async function onIssues(
  context: Context<'issues.closed' | 'issues.reopened'>,
  deps: AppDeps,
): Promise<void> {
  const { payload } = context;
  const { issue, repository, sender } = payload;
  const ignore = (reason: string) =>
    context.log.debug({ delivery: context.id, reason }, 'issue event ignored');
  if (isBot(sender)) return ignore('bot');
  if (!isKeywardenIssue(issue)) return ignore('not a keywarden issue');
  const kind = `issue:${payload.action}`;
  const outcome = await deps.db.transaction(async (tx) => {
    if (!(await claimDelivery(tx, context.id, context.name))) return 'duplicate';
    const credential = await findCredentialForIssue(
      tx,
      { owner: repository.owner.login, repo: repository.name },
      issue.number,
      markerFingerprint(issue.body),
    );
    if (!credential) return 'unknown';
    await recordEvent(tx, {
      credentialId: credential.id,
      kind,
      actor: sender.login,
      data: { repo: repository.full_name, issue: issue.number, deliveryId: context.id },
    });
    return 'recorded';
  });
  context.log.info({ delivery: context.id, kind, outcome }, 'issue state change handled');
}
