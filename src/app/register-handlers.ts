import type { Probot } from 'probot';
import type { AppDeps } from './enqueue.js';
import { onIssueComment } from './on-issue-comment.js';
import { onIssues } from './on-issues.js';
import { onPullRequest } from './on-pull-request.js';
import { onPush } from './on-push.js';
import { onRerequest } from './on-rerequest.js';
import { onSecretScanningAlert } from './on-secret-scanning-alert.js';

/** The webhook edge: each handler validates, enqueues and returns (GitHub waits 10 s and never retries). */
export function registerHandlers(app: Probot, deps: AppDeps): void {
  app.on('push', (context) => onPush(context, deps));
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], (context) =>
    onPullRequest(context, deps),
  );
  app.on('check_run.rerequested', (context) =>
    onRerequest(context, context.payload.check_run.check_suite, deps),
  );
  app.on('check_suite.rerequested', (context) => onRerequest(context, context.payload.check_suite, deps));
  app.on('issue_comment.created', (context) => onIssueComment(context, deps));
  app.on(['issues.closed', 'issues.reopened'], (context) => onIssues(context, deps));
  app.on('secret_scanning_alert', (context) => onSecretScanningAlert(context, deps));
  app.on('secret_scanning_alert_location.created', (context) => onSecretScanningAlert(context, deps));
  app.on(['installation', 'installation_repositories'], (context) => {
    context.log.info({ event: context.name, action: context.payload.action }, 'installation changed');
  });
}
