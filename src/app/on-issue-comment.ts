import type { Context } from 'probot';
import type { IssueCommandJob } from '../queue/jobs.js';
import { hasCommand } from '../remediation/commands.js';
import { isBot, isKeywardenIssue } from '../remediation/recognize.js';
import { type AppDeps, enqueueOnce } from './enqueue.js';

/**
 * `issue_comment.created`: a `/keywarden …` comment on a remediation issue becomes an `issue-command` job.
 * Ignored: comments by bots and apps (keywarden's own replies included), comments on pull requests,
 * comments without a `/keywarden` line, and issues that are not keywarden's (no `keywarden` label and no
 * credential marker in the body). Edited comments never arrive (`issue_comment.edited` is not
 * registered), so editing a comment cannot run a command twice.
 */
export async function onIssueComment(
  context: Context<'issue_comment.created'>,
  deps: AppDeps,
): Promise<void> {
  const { payload } = context;
  const { comment, issue, repository } = payload;
  const ignore = (reason: string) =>
    context.log.debug({ delivery: context.id, reason }, 'issue comment ignored');
  if (isBot(comment.user) || comment.performed_via_github_app) return ignore('bot');
  if (issue.pull_request) return ignore('pull request');
  if (!hasCommand(comment.body)) return ignore('no command');
  if (!isKeywardenIssue(issue)) return ignore('not a keywarden issue');
  if (!payload.installation) {
    context.log.warn({ delivery: context.id }, 'issue comment without an installation: ignored');
    return;
  }
  const job: IssueCommandJob = {
    installationId: payload.installation.id,
    owner: repository.owner.login,
    repo: repository.name,
    repoId: repository.id,
    issueNumber: issue.number,
    commentId: comment.id,
    body: comment.body,
    actor: comment.user!.login,
    deliveryId: context.id,
  };
  await enqueueOnce(deps, context, 'issue-command', job, `issue-command:${repository.id}:${comment.id}`);
}
