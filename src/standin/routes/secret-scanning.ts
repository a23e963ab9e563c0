import { createHash } from 'node:crypto';
import { errorReply, notFound, paginate, type Reply, type Route, type RouteContext } from '../http.js';
import { botLogin, timestamp } from '../issues.js';
import {
  installationOf,
  type RepoState,
  type SecretScanningAlertState,
  type StandinState,
} from '../state.js';
import { accountJson, nodeId, repositoryJson } from '../templates.js';

/**
 * GitHub secret scanning in the stand-in: an organisation's alerts (filters, sort, cursor paging with
 * `after`, an ETag and `304` for `If-None-Match`), one alert, its locations (paged), and resolving or
 * reopening it (`PATCH`; delegated alert dismissal refuses the App with a 403). Alerts are added by the
 * test or the demo (`addSecretScanningAlert`), and their webhook payloads built from the same state.
 */

type Json = Record<string, unknown>;

/** A location as a test gives it: in a commit (blob sha read from the commit), or GitHub's own object. */
export type NewAlertLocation =
  | { commit: string; path: string; line: number; column?: number }
  | { type: string; details: Record<string, unknown> };

/** An alert as a test adds it. */
export interface NewSecretScanningAlert {
  secretType: string;
  secret: string;
  locations?: NewAlertLocation[];
  pushProtectionBypassedBy?: string;
  publiclyLeaked?: boolean;
  validity?: 'active' | 'inactive' | 'unknown';
  /** Resolving it needs a reviewer (delegated alert dismissal): the App's `PATCH` answers 403. */
  dismissalNeedsReview?: boolean;
}

export type SecretScanningAction =
  | 'created'
  | 'reopened'
  | 'resolved'
  | 'validated'
  | 'publicly_leaked'
  | 'assigned'
  | 'unassigned';

function alertsOf(repo: RepoState): Map<number, SecretScanningAlertState> {
  repo.secretScanningAlerts ??= new Map();
  return repo.secretScanningAlerts;
}

/** Adds an open alert to a repository; returns its number (numbered per repository, from 1). */
export function addSecretScanningAlert(repo: RepoState, alert: NewSecretScanningAlert): number {
  const alerts = alertsOf(repo);
  const number = Math.max(0, ...alerts.keys()) + 1;
  const at = timestamp();
  alerts.set(number, {
    number,
    secretType: alert.secretType,
    secret: alert.secret,
    state: 'open',
    resolution: null,
    resolutionComment: null,
    resolvedBy: null,
    resolvedAt: null,
    createdAt: at,
    updatedAt: at,
    pushProtectionBypassedBy: alert.pushProtectionBypassedBy ?? null,
    publiclyLeaked: alert.publiclyLeaked ?? false,
    validity: alert.validity ?? 'unknown',
    locations: (alert.locations ?? []).map((location) => locationOf(repo, location)),
    dismissalNeedsReview: alert.dismissalNeedsReview ?? false,
  });
  return number;
}

function locationOf(
  repo: RepoState,
  location: NewAlertLocation,
): { type: string; details: Record<string, unknown> } {
  if ('type' in location) return { type: location.type, details: { ...location.details } };
  const blob = repo.git.get(location.commit).tree.get(location.path);
  if (!blob) throw new Error(`no ${location.path} at ${location.commit} in ${repo.fullName}`);
  const column = location.column ?? 1;
  return {
    type: 'commit',
    details: {
      path: location.path,
      start_line: location.line,
      end_line: location.line,
      start_column: column,
      end_column: column + 1,
      blob_sha: blob,
      blob_url: '',
      commit_sha: location.commit,
      commit_url: '',
    },
  };
}

/** The alert as the REST API shows it; `secret` and `repository` where the endpoint has them. */
export function alertJson(
  state: StandinState,
  repo: RepoState,
  alert: SecretScanningAlertState,
  options: { repository: boolean } = { repository: false },
): Json {
  const url = `${state.api}/repos/${repo.fullName}/secret-scanning/alerts/${alert.number}`;
  const json: Json = {
    ...webhookAlertJson(state, repo, alert),
    secret: alert.secret,
    resolution_comment: alert.resolutionComment,
    is_base64_encoded: false,
    first_location_detected: alert.locations[0] ? withUrls(state, repo, alert.locations[0]).details : null,
    has_more_locations: alert.locations.length > 1,
  };
  json.locations_url = `${url}/locations`;
  if (options.repository) {
    const installation = installationOf(state, repo.repo.owner);
    json.repository = repositoryJson(state, repo, installation?.ownerType ?? 'Organization', 'default');
  }
  return json;
}

/** The alert as webhooks carry it: never the secret. */
function webhookAlertJson(state: StandinState, repo: RepoState, alert: SecretScanningAlertState): Json {
  const url = `${state.api}/repos/${repo.fullName}/secret-scanning/alerts/${alert.number}`;
  const bypassedBy = alert.pushProtectionBypassedBy;
  return {
    number: alert.number,
    created_at: alert.createdAt,
    updated_at: alert.updatedAt,
    url,
    html_url: `${state.web}/${repo.fullName}/security/secret-scanning/${alert.number}`,
    locations_url: `${url}/locations`,
    state: alert.state,
    resolution: alert.resolution,
    resolved_at: alert.resolvedAt,
    resolved_by: alert.resolvedBy ? accountJson(state, alert.resolvedBy, userType(alert.resolvedBy)) : null,
    resolution_comment: alert.resolutionComment,
    secret_type: alert.secretType,
    secret_type_display_name: alert.secretType,
    validity: alert.validity,
    push_protection_bypassed: bypassedBy !== null,
    push_protection_bypassed_by: bypassedBy ? accountJson(state, bypassedBy) : null,
    push_protection_bypassed_at: bypassedBy ? alert.createdAt : null,
    push_protection_bypass_request_reviewer: null,
    push_protection_bypass_request_reviewer_comment: null,
    push_protection_bypass_request_comment: null,
    push_protection_bypass_request_html_url: null,
    publicly_leaked: alert.publiclyLeaked,
    multi_repo: false,
    assigned_to: null,
  };
}

function userType(login: string): 'User' | 'Bot' {
  return login.endsWith('[bot]') ? 'Bot' : 'User';
}

/** A location with GitHub's URLs filled in for the stand-in's host. */
function withUrls(
  state: StandinState,
  repo: RepoState,
  location: { type: string; details: Record<string, unknown> },
): { type: string; details: Record<string, unknown> } {
  if (location.type !== 'commit') return location;
  const details = location.details;
  return {
    type: 'commit',
    details: {
      ...details,
      blob_url: `${state.api}/repos/${repo.fullName}/git/blobs/${details.blob_sha}`,
      commit_url: `${state.api}/repos/${repo.fullName}/git/commits/${details.commit_sha}`,
    },
  };
}

/** The `secret_scanning_alert` webhook payload of `action` for an alert the stand-in holds. */
export function secretScanningAlertPayload(
  state: StandinState,
  repo: RepoState,
  number: number,
  action: SecretScanningAction,
  sender: string,
): Json {
  const alert = alertsOf(repo).get(number);
  if (!alert) throw new Error(`no secret scanning alert #${number} in ${repo.fullName}`);
  const installation = installationOf(state, repo.repo.owner);
  if (!installation) throw new Error(`no installation for ${repo.repo.owner}: call addInstallation first`);
  return {
    action,
    alert: webhookAlertJson(state, repo, alert),
    installation: {
      id: installation.id,
      node_id: nodeId('IntegrationInstallation', installation.id),
    },
    repository: repositoryJson(state, repo, installation.ownerType, 'default'),
    sender: accountJson(state, sender),
  };
}

function findAlertIn(context: RouteContext, repo: RepoState): SecretScanningAlertState | undefined {
  return alertsOf(repo).get(Number(context.params.alert_number));
}

/** `GET /repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}`: secret included. */
export const getSecretScanningAlert: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}',
  operation: 'secret-scanning/get-alert',
  access: 'repo',
  handle(context, repo) {
    const alert = findAlertIn(context, repo!);
    return alert ? { status: 200, body: alertJson(context.state, repo!, alert) } : notFound();
  },
};

/** `GET …/alerts/{alert_number}/locations`, paged (`per_page`, `page`). */
export const listSecretScanningAlertLocations: Route = {
  method: 'GET',
  template: '/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}/locations',
  operation: 'secret-scanning/list-locations-for-alert',
  access: 'repo',
  handle(context, repo) {
    const alert = findAlertIn(context, repo!);
    if (!alert) return notFound();
    const all = alert.locations.map((location) => withUrls(context.state, repo!, location));
    const { items, headers } = paginate(context, all);
    return { status: 200, body: items, headers };
  },
};

const RESOLUTIONS = ['false_positive', 'wont_fix', 'revoked', 'used_in_tests'];

/**
 * `PATCH …/alerts/{alert_number}`: `state` `resolved` (with a `resolution`, and an optional
 * `resolution_comment`) or `open`. The writer is the App's bot user; an alert under delegated dismissal
 * refuses it with 403, as GitHub does when the App is not a reviewer.
 */
export const updateSecretScanningAlert: Route = {
  method: 'PATCH',
  template: '/repos/{owner}/{repo}/secret-scanning/alerts/{alert_number}',
  operation: 'secret-scanning/update-alert',
  access: 'repo',
  handle(context, repo) {
    if (context.caller.kind !== 'installation') return errorReply(401, 'Requires authentication');
    const alert = findAlertIn(context, repo!);
    if (!alert) return notFound();
    const body = (context.body ?? {}) as Json;
    if (body.state !== 'resolved' && body.state !== 'open')
      return errorReply(422, 'Validation Failed', { errors: [{ field: 'state', code: 'invalid' }] });
    if (body.state === 'resolved' && !RESOLUTIONS.includes(String(body.resolution)))
      return errorReply(422, 'A resolution is required to resolve an alert');
    if (alert.dismissalNeedsReview) {
      return errorReply(
        403,
        'Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer.',
      );
    }
    const at = timestamp();
    if (body.state === 'resolved') {
      alert.state = 'resolved';
      alert.resolution = String(body.resolution);
      alert.resolvedBy = botLogin();
      alert.resolvedAt = at;
      alert.resolutionComment = typeof body.resolution_comment === 'string' ? body.resolution_comment : null;
    } else {
      alert.state = 'open';
      alert.resolution = null;
      alert.resolvedBy = null;
      alert.resolvedAt = null;
      alert.resolutionComment = null;
    }
    alert.updatedAt = at;
    return { status: 200, body: alertJson(context.state, repo!, alert) };
  },
};

/**
 * `GET /orgs/{org}/secret-scanning/alerts`: every alert of the organisation's repositories, filtered by
 * `state` and `secret_type` (comma-separated), sorted by `sort` (`created`/`updated`) and `direction`,
 * paged by cursor (`after`, the next one in the `Link` header). The answer carries an ETag; a request
 * whose `If-None-Match` matches it gets `304` and no body.
 */
export const listOrgSecretScanningAlerts: Route = {
  method: 'GET',
  template: '/orgs/{org}/secret-scanning/alerts',
  operation: 'secret-scanning/list-alerts-for-org',
  access: 'org',
  handle(context) {
    const { state, query } = context;
    const org = context.params.org!.toLowerCase();
    const types = query.secret_type ? new Set(query.secret_type.split(',')) : undefined;
    const sortKey = query.sort === 'updated' ? 'updatedAt' : 'createdAt';
    const sign = query.direction === 'asc' ? 1 : -1;
    const all: Array<{ repo: RepoState; alert: SecretScanningAlertState }> = [];
    for (const repo of state.repos.values()) {
      if (repo.repo.owner.toLowerCase() !== org) continue;
      for (const alert of alertsOf(repo).values()) {
        if (types && !types.has(alert.secretType)) continue;
        if (query.state && alert.state !== query.state) continue;
        all.push({ repo, alert });
      }
    }
    all.sort(
      (a, b) =>
        sign * (a.alert[sortKey].localeCompare(b.alert[sortKey]) || a.alert.number - b.alert.number) ||
        a.repo.repo.id - b.repo.repo.id,
    );
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
    const offset = query.after ? decodeCursor(query.after) : 0;
    if (offset === undefined) return errorReply(422, 'Invalid cursor');
    const page = all.slice(offset, offset + perPage);
    const body = page.map(({ repo, alert }) => alertJson(state, repo, alert, { repository: true }));
    const etag = `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
    const headers: Record<string, string> = { etag };
    if (offset + perPage < all.length) {
      const next = new URLSearchParams({ ...query, after: encodeCursor(offset + perPage) });
      headers.link = `<${state.api}${context.path}?${next}>; rel="next"`;
    }
    if (context.headers['if-none-match'] === etag) return { status: 304, text: '', headers };
    return { status: 200, body, headers } satisfies Reply;
  },
};

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
