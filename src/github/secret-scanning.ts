import { z } from 'zod';
import { redact } from '../engine/redact.js';
import { Secret } from '../engine/secret.js';
import { statusOf } from './errors.js';
import type { Octokit, RepoRef } from './types.js';

/**
 * GitHub secret scanning, thin: read one alert, a page of an organisation's alerts (cursor paging, an
 * ETag for conditional requests), an alert's locations, and resolve an alert. Responses are parsed at
 * the edge; an alert's `secret` comes out only as a `Secret`, so it prints redacted wherever it goes.
 */

const User = z.object({ login: z.string() }).nullable().optional();

/** The fields keywarden reads of an alert (repository alert, organisation alert and webhook alike). */
const AlertResponse = z.object({
  number: z.number().int().positive(),
  created_at: z.string(),
  updated_at: z.string().nullable().optional(),
  html_url: z.string(),
  state: z.enum(['open', 'resolved']),
  resolution: z.string().nullable().optional(),
  resolved_at: z.string().nullable().optional(),
  resolved_by: User,
  resolution_comment: z.string().nullable().optional(),
  secret_type: z.string(),
  secret: z.string().optional(),
  push_protection_bypassed: z.boolean().nullable().optional(),
  push_protection_bypassed_by: User,
  push_protection_bypassed_at: z.string().nullable().optional(),
  validity: z.string().nullable().optional(),
  publicly_leaked: z.boolean().nullable().optional(),
  multi_repo: z.boolean().nullable().optional(),
  repository: z
    .object({ id: z.number().int().positive(), name: z.string(), owner: z.object({ login: z.string() }) })
    .optional(),
});
type AlertResponse = z.infer<typeof AlertResponse>;

/** A secret scanning alert as keywarden uses it. */
export interface SecretScanningAlert {
  number: number;
  /** The repository, when the response names it (organisation lists do; a repository's alert does not). */
  repository?: { id: number; owner: string; name: string };
  secretType: string;
  /** The detected value; absent when GitHub hid it. Reveal it only to fingerprint it. */
  secret?: Secret;
  state: 'open' | 'resolved';
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** The comment the alert was resolved with (keywarden's own start with `keywarden:`); never stored. */
  resolutionComment: string | null;
  pushProtectionBypassed: boolean;
  pushProtectionBypassedBy: string | null;
  pushProtectionBypassedAt: string | null;
  validity: string | null;
  publiclyLeaked: boolean;
  htmlUrl: string;
  createdAt: string;
  /** GitHub's last change of the alert; the sweep compares it to know what changed. */
  updatedAt: string;
}

/** Where an alert's secret was seen: a commit in the repository's code, or a place outside it. */
export type AlertLocation =
  | {
      kind: 'commit';
      path: string;
      startLine: number;
      startColumn: number;
      blobSha: string;
      commitSha: string;
    }
  | {
      /** `issue_comment`, `pull_request_body`, `discussion_title`, `wiki_commit`, … as GitHub names it. */
      kind: string;
      /** A web address when GitHub gives one, else the API address of the place. */
      url: string;
    };

const LocationResponse = z.object({
  type: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Parses an alert from a REST response or a webhook payload. */
export function parseAlert(data: unknown): SecretScanningAlert {
  return toAlert(AlertResponse.parse(data));
}

function toAlert(data: AlertResponse): SecretScanningAlert {
  const alert: SecretScanningAlert = {
    number: data.number,
    secretType: data.secret_type,
    state: data.state,
    resolution: data.resolution ?? null,
    resolvedBy: data.resolved_by?.login ?? null,
    resolvedAt: data.resolved_at ?? null,
    resolutionComment: data.resolution_comment ?? null,
    pushProtectionBypassed: data.push_protection_bypassed === true,
    pushProtectionBypassedBy: data.push_protection_bypassed_by?.login ?? null,
    pushProtectionBypassedAt: data.push_protection_bypassed_at ?? null,
    validity: data.validity ?? null,
    publiclyLeaked: data.publicly_leaked === true,
    htmlUrl: data.html_url,
    createdAt: data.created_at,
    updatedAt: data.updated_at ?? data.created_at,
  };
  if (data.secret) alert.secret = new Secret(data.secret, redact(data.secret));
  if (data.repository) {
    alert.repository = {
      id: data.repository.id,
      owner: data.repository.owner.login,
      name: data.repository.name,
    };
  }
  return alert;
}

/** One alert of a repository, secret included; `undefined` when GitHub answers 404 (gone, or scanning off). */
export async function getAlert(
  octokit: Octokit,
  repo: RepoRef,
  alertNumber: number,
): Promise<SecretScanningAlert | undefined> {
  try {
    const { data } = await octokit.rest.secretScanning.getAlert({ ...repo, alert_number: alertNumber });
    return parseAlert(data);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Where the sweep goes next: a cursor from the `Link` header (or a page number, should GitHub page). */
export type NextPage = { after: string } | { page: number };

/** One page of an organisation's alerts, or `notModified` when the ETag sent still matches. */
export type OrgAlertsPage =
  | { notModified: true }
  | { notModified: false; alerts: SecretScanningAlert[]; etag?: string; next?: NextPage };

/** Alerts per page: GitHub's maximum. */
export const ALERTS_PER_PAGE = 100;

/**
 * A page of `GET /orgs/{org}/secret-scanning/alerts` for `secretTypes` (comma-separated), most recently
 * updated first, so any change to any alert changes the first page and its ETag. The first page asks
 * for a cursor (`after=`); the next page's cursor comes from the `Link` header. With `etag`, the request
 * is conditional: GitHub's 304 (which Octokit throws as a `RequestError`) becomes `notModified`.
 */
export async function listOrgAlertsPage(
  octokit: Octokit,
  org: string,
  options: { secretTypes: string; next?: NextPage; etag?: string },
): Promise<OrgAlertsPage> {
  const position = options.next ?? { after: '' };
  try {
    const response = await octokit.rest.secretScanning.listAlertsForOrg({
      org,
      secret_type: options.secretTypes,
      sort: 'updated',
      direction: 'desc',
      per_page: ALERTS_PER_PAGE,
      ...position,
      ...(options.etag ? { headers: { 'if-none-match': options.etag } } : {}),
    });
    const page: OrgAlertsPage = {
      notModified: false,
      alerts: (response.data as unknown[]).map(parseAlert),
    };
    const etag = response.headers.etag;
    if (etag) page.etag = etag;
    const next = nextPage(response.headers.link);
    if (next) page.next = next;
    return page;
  } catch (error) {
    if (statusOf(error) === 304) return { notModified: true };
    throw error;
  }
}

/** The `rel="next"` position of a `Link` header: its `after` cursor, else its `page`. */
export function nextPage(link: string | undefined): NextPage | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]{1,4096})>\s*;\s*rel="next"/.exec(part);
    if (!match) continue;
    const query = new URL(match[1]!).searchParams;
    const after = query.get('after');
    if (after) return { after };
    const page = Number(query.get('page'));
    if (Number.isInteger(page) && page > 0) return { page };
  }
  return undefined;
}

/** Every location of an alert (`GET …/alerts/{n}/locations`, 100 a page, every page). */
export async function listAlertLocations(
  octokit: Octokit,
  repo: RepoRef,
  alertNumber: number,
): Promise<AlertLocation[]> {
  const locations: AlertLocation[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.secretScanning.listLocationsForAlert, {
    ...repo,
    alert_number: alertNumber,
    per_page: 100,
  });
  for await (const { data } of pages) {
    for (const item of data as unknown[]) {
      const location = toLocation(LocationResponse.parse(item));
      if (location) locations.push(location);
    }
  }
  return locations;
}

function toLocation(item: z.infer<typeof LocationResponse>): AlertLocation | undefined {
  const details = item.details ?? {};
  const text = (key: string): string | undefined =>
    typeof details[key] === 'string' ? (details[key] as string) : undefined;
  const number = (key: string): number | undefined =>
    typeof details[key] === 'number' ? (details[key] as number) : undefined;
  if (item.type === 'commit') {
    const path = text('path');
    const commitSha = text('commit_sha');
    const startLine = number('start_line');
    if (!path || !commitSha || startLine === undefined) return undefined;
    return {
      kind: 'commit',
      // GitHub writes some paths with a leading slash; keywarden's exposures never have one.
      path: path.replace(/^\/+/, ''),
      startLine: Math.max(1, startLine),
      startColumn: Math.max(1, number('start_column') ?? 1),
      blobSha: text('blob_sha') ?? '',
      commitSha,
    };
  }
  const url =
    text('html_url') ??
    text('page_url') ??
    Object.entries(details).find(([key, value]) => key.endsWith('_url') && typeof value === 'string')?.[1];
  if (typeof url !== 'string') return undefined;
  return { kind: item.type, url };
}

/** What keywarden resolves alerts as. */
export type AlertResolution = 'revoked' | 'false_positive' | 'used_in_tests';

/** Resolves an alert with a comment (`PATCH …/alerts/{n}`); resolves to the alert as GitHub now has it. */
export async function resolveAlert(
  octokit: Octokit,
  repo: RepoRef,
  alertNumber: number,
  resolution: AlertResolution,
  comment: string,
): Promise<SecretScanningAlert> {
  const { data } = await octokit.rest.secretScanning.updateAlert({
    ...repo,
    alert_number: alertNumber,
    state: 'resolved',
    resolution,
    resolution_comment: comment,
  });
  return parseAlert(data);
}
