/**
 * A local stand-in for the GitHub REST API (`node:http`, 127.0.0.1), for `keywarden replay`, the
 * several-process test, the benchmark and `npm run demo`. See readme.md.
 */

export type { RequestValidator, RequestVerdict, StandinRequest } from './dispatch.js';
export type { GitIdentity } from './git.js';
export { ZERO_SHA } from './git.js';
export type {
  IssueCommentPayload,
  IssuesAction,
  IssuesPayload,
  PullRequestAction,
  PullRequestOptions,
  PullRequestPayload,
  PushOptions,
  PushPayload,
} from './payloads.js';
export type {
  NewAlertLocation,
  NewSecretScanningAlert,
  SecretScanningAction,
} from './routes/secret-scanning.js';
export type { StandinCheckRun, StandinComment, StandinIssue, StandinOptions } from './server.js';
export { GitHubStandin } from './server.js';
export type { AccountType, RepoRole, StandinLimits, StandinRepo } from './state.js';
export { GITHUB_LIMITS } from './state.js';
